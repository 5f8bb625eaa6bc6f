// The size at which copies and inline reductions are split into several tasks:
// HCCL_SDMA_MAX_COUNT_4GB, lowered only by tests (to exercise the split without 8 GiB of memory).
#pragma once

#include <atomic>
#include <cstdint>

namespace hcclcpu::platform {

namespace detail {
extern std::atomic<uint64_t> g_splitSize;
}

inline uint64_t sdmaSplitSize() {
    return detail::g_splitSize.load(std::memory_order_relaxed);
}

// For tests only. `bytes` must be a non-zero multiple of 16 (so that a chunk boundary never cuts
// an element); 0 restores HCCL_SDMA_MAX_COUNT_4GB. Returns false (and changes nothing) otherwise.
bool setSdmaSplitSizeForTest(uint64_t bytes);

}  // namespace hcclcpu::platform
