// Reading configuration from the environment. A malformed or out-of-range value is reported once
// and replaced by the default, so a typo never silently changes behaviour.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace hcclcpu::env {

std::optional<std::string> string(const char *name);
int64_t integer(const char *name, int64_t defaultValue, int64_t min, int64_t max);
// True when the variable is set to a valid integer in [min, max].
bool isSet(const char *name);
bool flag(const char *name, bool defaultValue);  // 0/1, true/false, on/off

}  // namespace hcclcpu::env
