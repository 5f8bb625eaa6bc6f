// Shared set-up for the transport tests: a LinkSet of N thread ranks with a report recorder on
// every rank's dispatcher, and helpers to fill and read the ranks' device buffers from the host.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

#include "hccl_cpu_links.h"
#include "log.h"
#include "platform_test_util.h"
#include "transport_pub.h"

namespace hcclcpu::platform::test {

// Sets an environment variable for the life of the object, restoring the old value after.
class ScopedEnv {
  public:
    ScopedEnv(const char *name, const char *value) : name_(name) {
        const char *old = std::getenv(name);
        if (old != nullptr) old_ = std::make_unique<std::string>(old);
        if (value != nullptr)
            setenv(name, value, 1);
        else
            unsetenv(name);
    }
    ~ScopedEnv() {
        if (old_)
            setenv(name_, old_->c_str(), 1);
        else
            unsetenv(name_);
    }
    ScopedEnv(const ScopedEnv &) = delete;
    ScopedEnv &operator=(const ScopedEnv &) = delete;

  private:
    const char *name_;
    std::unique_ptr<std::string> old_;
};

class LinkSetFixture {
  public:
    ~LinkSetFixture() { destroy(); }

    void create(u32 rankSize, u64 bufferBytes, const LinkSetOptions &options = LinkSetOptions()) {
        destroy();
        // A test that goes wrong fails within a minute instead of waiting the default 1836 s
        // for a record that never comes (the dispatchers read HCCL_EXEC_TIMEOUT at creation).
        std::unique_ptr<ScopedEnv> timeout;
        if (std::getenv("HCCL_EXEC_TIMEOUT") == nullptr)
            timeout = std::make_unique<ScopedEnv>("HCCL_EXEC_TIMEOUT", "60");
        ASSERT_EQ(LinkSet::Create(rankSize, bufferBytes, options, links_), HCCL_SUCCESS);
        recorders_.clear();
        for (u32 rank = 0; rank < rankSize; ++rank) {
            recorders_.push_back(std::make_unique<ReportRecorder>());
            ASSERT_EQ(RegisterLoadTaskCallBack(links_->Dispatcher(rank), recorders_.back().get(),
                                               &ReportRecorder::callback),
                      HCCL_SUCCESS);
        }
    }
    void destroy() {
        if (links_ != nullptr) {
            EXPECT_EQ(LinkSet::Destroy(links_), HCCL_SUCCESS);
        }
        links_ = nullptr;
    }

    LinkSet &links() { return *links_; }
    std::vector<hccl::TaskPara> reports(u32 rank) const { return recorders_[rank]->reports(); }

    // Device memory of the emulated devices is host memory: the host may read and write it while
    // no stream is using it.
    template <typename T>
    static T *as(const hccl::DeviceMem &mem, u64 byteOffset = 0) {
        return reinterpret_cast<T *>(static_cast<u8 *>(mem.ptr()) + byteOffset);
    }

  private:
    LinkSet *links_ = nullptr;
    std::vector<std::unique_ptr<ReportRecorder>> recorders_;
};

}  // namespace hcclcpu::platform::test
