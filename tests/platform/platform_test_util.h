// Shared set-up for the platform tests: a device, a dispatcher, streams, device buffers and a
// recorder for task reports.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <mutex>
#include <vector>

#include "dispatcher.h"
#include "dispatcher_task_types.h"
#include "mem_device_pub.h"
#include "runtime/runtime.h"
#include "stream_pub.h"

namespace hcclcpu::platform::test {

// Collects every task report of a dispatcher.
class ReportRecorder {
  public:
    static void callback(void *userPtr, void *param, u32 length) {
        auto *self = static_cast<ReportRecorder *>(userPtr);
        std::lock_guard<std::mutex> lock(self->mutex_);
        self->lengths_.push_back(length);
        self->reports_.push_back(*static_cast<hccl::TaskPara *>(param));
    }
    std::vector<hccl::TaskPara> reports() const {
        std::lock_guard<std::mutex> lock(mutex_);
        return reports_;
    }
    std::vector<u32> lengths() const {
        std::lock_guard<std::mutex> lock(mutex_);
        return lengths_;
    }
    size_t size() const {
        std::lock_guard<std::mutex> lock(mutex_);
        return reports_.size();
    }

  private:
    mutable std::mutex mutex_;
    std::vector<hccl::TaskPara> reports_;
    std::vector<u32> lengths_;
};

// Device 0, a normal dispatcher with a report recorder, and one owned stream.
class PlatformTest : public ::testing::Test {
  protected:
    void SetUp() override {
        ASSERT_EQ(rt::setDevice(0), rt::Err::kOk);
        ASSERT_EQ(HcclDispatcherInit(DispatcherType::DISPATCHER_NORMAL, 0, &dispatcher_),
                  HCCL_SUCCESS);
        ASSERT_EQ(RegisterLoadTaskCallBack(dispatcher_, &recorder_, &ReportRecorder::callback),
                  HCCL_SUCCESS);
        stream_ = hccl::Stream(hccl::StreamType::STREAM_TYPE_ONLINE);
        ASSERT_NE(stream_.ptr(), nullptr);
    }
    void TearDown() override {
        if (stream_.ptr() != nullptr) (void)sync();
        buffers_.clear();
        stream_ = hccl::Stream();
        EXPECT_EQ(HcclDispatcherDestroy(dispatcher_), HCCL_SUCCESS);
        EXPECT_EQ(rt::resetDevice(0), rt::Err::kOk);
    }

    rt::Err sync() { return sync(stream_); }
    static rt::Err sync(const hccl::Stream &stream) {
        return rt::streamSynchronize(static_cast<rt::Stream *>(stream.ptr()));
    }

    // A view of device memory filled with `pattern` + i (zeroes for pattern 0). The fixture owns
    // the memory until TearDown, after the streams were synchronised: tasks still queued when a
    // test body ends must not touch freed memory.
    hccl::DeviceMem deviceBuffer(u64 size, uint8_t pattern = 0) {
        buffers_.push_back(hccl::DeviceMem::alloc(size));
        const hccl::DeviceMem &mem = buffers_.back();
        EXPECT_TRUE(mem);
        auto *bytes = static_cast<uint8_t *>(mem.ptr());
        for (u64 i = 0; i < size && pattern != 0; ++i)
            bytes[i] = static_cast<uint8_t>(pattern + i);
        return mem;  // a non-owning copy
    }
    static std::vector<uint8_t> bytesOf(const void *ptr, size_t size) {
        auto *begin = static_cast<const uint8_t *>(ptr);
        return std::vector<uint8_t>(begin, begin + size);
    }

    HcclDispatcher dispatcher_ = nullptr;
    ReportRecorder recorder_;
    hccl::Stream stream_;
    std::vector<hccl::DeviceMem> buffers_;
};

}  // namespace hcclcpu::platform::test
