#pragma once

#include <cstdint>
#include <ctime>

namespace hcclcpu {

// Monotonic time in nanoseconds; vDSO, no system call.
inline int64_t nowNs() {
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

}  // namespace hcclcpu
