// Shared set-up for the data-movement tests: N thread ranks over an hcclcpu::LinkSet with small
// CCL buffers, user buffers in each rank's device memory, an OpContext per rank, and byte
// patterns to fill and check buffers with.
#pragma once

#include <gtest/gtest.h>

#include <acl/acl.h>

#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "algorithm/executors.h"
#include "algorithm/op_context.h"
#include "dtype_common.h"
#include "hccl_cpu_links.h"
#include "log.h"

namespace hcclcpu::algorithm::test {

constexpr u64 kSmallCcl = 64 * 1024;  // CCL buffer bytes of most tests: 1 MiB messages need pieces

// The byte at `index` of the data that `rank` owns under `tag`: distinct per rank, tag and
// position, never a constant run, so misplaced or missing bytes show up.
inline u8 PatternByte(u32 tag, u32 rank, u64 index) {
    u64 x = (static_cast<u64>(tag) << 40) ^ (static_cast<u64>(rank) << 32) ^ index;
    x ^= x >> 17;
    x *= 0x9E3779B97F4A7C15ull;
    return static_cast<u8>(x >> 56);
}

inline void FillPattern(void *dst, u64 bytes, u32 tag, u32 rank, u64 firstIndex = 0) {
    u8 *p = static_cast<u8 *>(dst);
    for (u64 i = 0; i < bytes; ++i)
        p[i] = PatternByte(tag, rank, firstIndex + i);
}

// Index of the first byte that differs from the pattern, or -1.
inline long long FirstMismatch(const void *src, u64 bytes, u32 tag, u32 rank, u64 firstIndex = 0) {
    const u8 *p = static_cast<const u8 *>(src);
    for (u64 i = 0; i < bytes; ++i)
        if (p[i] != PatternByte(tag, rank, firstIndex + i)) return static_cast<long long>(i);
    return -1;
}

inline u32 UnitOf(HcclDataType type) {
    return SIZE_TABLE[type];
}

class Ranks {
  public:
    ~Ranks() { destroy(); }

    void create(u32 rankSize, u64 cclBytes = kSmallCcl) {
        destroy();
        // A hang fails within a minute instead of the default 1836 s.
        const bool setTimeout = std::getenv("HCCL_EXEC_TIMEOUT") == nullptr;
        if (setTimeout) setenv("HCCL_EXEC_TIMEOUT", "60", 1);
        HcclResult ret = LinkSet::Create(rankSize, cclBytes, set_);
        if (setTimeout) unsetenv("HCCL_EXEC_TIMEOUT");
        ASSERT_EQ(ret, HCCL_SUCCESS);
        links_.clear();
        for (u32 r = 0; r < rankSize; ++r)
            links_.push_back(set_->Links(r));
    }
    void destroy() {
        if (set_ == nullptr) return;
        if (!buffers_.empty()) {
            EXPECT_EQ(set_->RunRanks([&](u32 rank, hccl::Stream &) {
                for (void *p : buffers_[rank])
                    aclrtFree(p);
                return HCCL_SUCCESS;
            }),
                      HCCL_SUCCESS);
        }
        buffers_.clear();
        LinkSet::Destroy(set_);
        set_ = nullptr;
    }

    u32 size() const { return set_->RankSize(); }
    LinkSet &set() { return *set_; }

    // One buffer of `bytes` (at least 1) in every rank's device memory, zero-filled.
    std::vector<u8 *> alloc(u64 bytes) {
        std::vector<u8 *> result(size(), nullptr);
        if (buffers_.empty()) buffers_.resize(size());
        EXPECT_EQ(set_->RunRanks([&](u32 rank, hccl::Stream &) {
            void *p = nullptr;
            if (aclrtMalloc(&p, bytes == 0 ? 1 : bytes, ACL_MEM_MALLOC_HUGE_FIRST) != ACL_SUCCESS)
                return HCCL_E_MEMORY;
            std::memset(p, 0, bytes == 0 ? 1 : bytes);
            result[rank] = static_cast<u8 *>(p);
            buffers_[rank].push_back(p);
            return HCCL_SUCCESS;
        }),
                  HCCL_SUCCESS);
        return result;
    }

    OpContext context(u32 rank, hccl::Stream &stream, const AlgoConfig &algo = {}) {
        OpContext ctx;
        ctx.rank = rank;
        ctx.rankSize = size();
        ctx.dispatcher = set_->Dispatcher(rank);
        ctx.stream = stream;
        ctx.cclInput = set_->Input(rank);
        ctx.cclOutput = set_->Output(rank);
        ctx.links = &links_[rank];
        ctx.algo = algo;
        return ctx;
    }

    // body(rank, ctx) on every rank; returns what RunRanks returns.
    HcclResult run(const std::function<HcclResult(u32, const OpContext &)> &body,
                   const AlgoConfig &algo = {}) {
        return set_->RunRanks([&](u32 rank, hccl::Stream &stream) {
            OpContext ctx = context(rank, stream, algo);
            return body(rank, ctx);
        });
    }

  private:
    LinkSet *set_ = nullptr;
    std::vector<std::vector<hccl::LINK>> links_;
    std::vector<std::vector<void *>> buffers_;
};

inline AlgoConfig Algo(OpKind op, AlgoKind kind) {
    AlgoConfig config;
    config.perOp[static_cast<size_t>(op)] = kind;
    return config;
}

inline std::string AlgoLabel(AlgoKind kind) {
    switch (kind) {
        case AlgoKind::kAuto:
            return "Auto";
        case AlgoKind::kRing:
            return "Ring";
        case AlgoKind::kMesh:
            return "Mesh";
        case AlgoKind::kRecursiveHD:
            return "RecursiveHD";
        case AlgoKind::kPairwise:
            return "Pairwise";
        case AlgoKind::kStar:
            return "Star";
    }
    return "Unknown";
}

}  // namespace hcclcpu::algorithm::test
