// Logging for every layer: one process-wide logger, level from the environment.
//
// ASCEND_GLOBAL_LOG_LEVEL keeps the vendor's meaning: 0 debug, 1 info, 2 warning, 3 error
// (default), 4 off. Nothing below INFO is logged on a hot path; the level check is one relaxed
// load.
#pragma once

#include <atomic>
#include <string_view>

#include <fmt/format.h>

namespace hcclcpu::log {

enum class Level : int { kDebug = 0, kInfo = 1, kWarning = 2, kError = 3, kOff = 4 };

namespace detail {
extern std::atomic<int> g_level;
}

inline bool enabled(Level level) {
    return static_cast<int>(level) >= detail::g_level.load(std::memory_order_relaxed);
}
void setLevel(Level level);
void write(Level level, std::string_view message);

}  // namespace hcclcpu::log

#define HCPU_LOG(level, ...)                                          \
    do {                                                              \
        if (::hcclcpu::log::enabled(level))                           \
            ::hcclcpu::log::write(level, ::fmt::format(__VA_ARGS__)); \
    } while (0)
#define HCPU_DEBUG(...) HCPU_LOG(::hcclcpu::log::Level::kDebug, __VA_ARGS__)
#define HCPU_INFO(...) HCPU_LOG(::hcclcpu::log::Level::kInfo, __VA_ARGS__)
#define HCPU_WARN(...) HCPU_LOG(::hcclcpu::log::Level::kWarning, __VA_ARGS__)
#define HCPU_ERROR(...) HCPU_LOG(::hcclcpu::log::Level::kError, __VA_ARGS__)
