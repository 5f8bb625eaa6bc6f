#include "common/log.h"

#include <cstdlib>

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "common/env.h"

namespace hcclcpu::log {
namespace {

int levelFromEnv() {
    return static_cast<int>(env::integer("ASCEND_GLOBAL_LOG_LEVEL", 3, 0, 4));
}

spdlog::logger &logger() {
    // stderr, unbuffered lines, thread-safe; created on first use so static init order never
    // matters.
    static auto instance = [] {
        auto l = std::make_shared<spdlog::logger>(
            "hccl-cpu", std::make_shared<spdlog::sinks::stderr_sink_mt>());
        l->set_pattern("[%Y-%m-%d %H:%M:%S.%f] [%^%l%$] [pid %P tid %t] %v");
        l->set_level(spdlog::level::trace);
        return l;
    }();
    return *instance;
}

}  // namespace

namespace detail {
std::atomic<int> g_level{levelFromEnv()};
}

void setLevel(Level level) {
    detail::g_level.store(static_cast<int>(level));
}

void write(Level level, std::string_view message) {
    static constexpr spdlog::level::level_enum kMap[] = {spdlog::level::debug, spdlog::level::info,
                                                         spdlog::level::warn, spdlog::level::err,
                                                         spdlog::level::off};
    logger().log(kMap[static_cast<int>(level)], message);
}

}  // namespace hcclcpu::log
