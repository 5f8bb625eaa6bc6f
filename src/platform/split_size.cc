#include "platform/split_size.h"

#include "dispatcher.h"

namespace hcclcpu::platform {

namespace detail {
std::atomic<uint64_t> g_splitSize{static_cast<uint64_t>(HCCL_SDMA_MAX_COUNT_4GB)};
}

bool setSdmaSplitSizeForTest(uint64_t bytes) {
    if (bytes == 0) bytes = static_cast<uint64_t>(HCCL_SDMA_MAX_COUNT_4GB);
    if (bytes % 16 != 0) return false;
    detail::g_splitSize.store(bytes, std::memory_order_relaxed);
    return true;
}

}  // namespace hcclcpu::platform
