#include "common/env.h"

#include <strings.h>
#include <cerrno>
#include <cstdio>
#include <cstdlib>

namespace hcclcpu::env {

std::optional<std::string> string(const char *name) {
    const char *value = std::getenv(name);
    if (value == nullptr) return std::nullopt;
    return std::string(value);
}

int64_t integer(const char *name, int64_t defaultValue, int64_t min, int64_t max) {
    const char *value = std::getenv(name);
    if (value == nullptr || *value == '\0') return defaultValue;
    char *end = nullptr;
    errno = 0;
    long long parsed = std::strtoll(value, &end, 10);
    if (errno != 0 || *end != '\0' || parsed < min || parsed > max) {
        // The logger itself reads the environment, so this path must not log through it.
        std::fprintf(
            stderr,
            "hccl-cpu: ignoring %s=\"%s\": expected an integer in [%lld, %lld], using %lld\n", name,
            value, static_cast<long long>(min), static_cast<long long>(max),
            static_cast<long long>(defaultValue));
        return defaultValue;
    }
    return parsed;
}

bool isSet(const char *name) {
    const char *value = std::getenv(name);
    return value != nullptr && *value != '\0';
}

bool flag(const char *name, bool defaultValue) {
    const char *value = std::getenv(name);
    if (value == nullptr || *value == '\0') return defaultValue;
    for (const char *yes : {"1", "true", "on", "yes"})
        if (strcasecmp(value, yes) == 0) return true;
    for (const char *no : {"0", "false", "off", "no"})
        if (strcasecmp(value, no) == 0) return false;
    std::fprintf(stderr, "hccl-cpu: ignoring %s=\"%s\": expected 0/1, using %d\n", name, value,
                 defaultValue ? 1 : 0);
    return defaultValue;
}

}  // namespace hcclcpu::env
