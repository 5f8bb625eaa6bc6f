// A memcpy_s with the outcomes of the securec (libboundscheck) implementation the vendor calls
// for synchronous copies, so that HcclMemcpyAsync on a null stream fails and zeroes exactly as
// it does there.
#pragma once

#include <cstddef>

namespace hcclcpu::platform {

// securec result codes.
constexpr int kSecEok = 0;
constexpr int kSecEinval = 22;
constexpr int kSecErange = 34;
constexpr int kSecEinvalAndReset = 22 | 128;
constexpr int kSecErangeAndReset = 34 | 128;
constexpr int kSecEoverlapAndReset = 54 | 128;
constexpr size_t kSecMemMaxLen = 0x7fffffff;

// In this order: destMax == 0 or > kSecMemMaxLen -> ERANGE (nothing written); null dst -> EINVAL;
// null src -> dst zeroed, EINVAL_AND_RESET; count > destMax -> destMax bytes of dst zeroed,
// ERANGE_AND_RESET; partly overlapping ranges -> dst zeroed, EOVERLAP_AND_RESET; otherwise
// (including count == 0 and dst == src) the bytes are copied and EOK returned.
int secureMemcpy(void *dst, size_t destMax, const void *src, size_t count);

}  // namespace hcclcpu::platform
