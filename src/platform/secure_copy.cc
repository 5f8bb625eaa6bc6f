#include "platform/secure_copy.h"

#include <cstdint>
#include <cstring>

namespace hcclcpu::platform {

namespace {

bool overlaps(const void *dst, const void *src, size_t count) {
    auto d = reinterpret_cast<uintptr_t>(dst);
    auto s = reinterpret_cast<uintptr_t>(src);
    return (d > s && d < s + count) || (s > d && s < d + count);
}

}  // namespace

int secureMemcpy(void *dst, size_t destMax, const void *src, size_t count) {
    if (destMax == 0 || destMax > kSecMemMaxLen) return kSecErange;
    if (dst == nullptr) return kSecEinval;
    if (src == nullptr) {
        std::memset(dst, 0, destMax);
        return kSecEinvalAndReset;
    }
    if (count > destMax) {
        std::memset(dst, 0, destMax);
        return kSecErangeAndReset;
    }
    if (overlaps(dst, src, count)) {
        std::memset(dst, 0, destMax);
        return kSecEoverlapAndReset;
    }
    if (count != 0 && dst != src) std::memcpy(dst, src, count);
    return kSecEok;
}

}  // namespace hcclcpu::platform
