// Translation between the platform API's handles and the runtime's objects.
#pragma once

#include <string_view>

#include "hccl_common.h"
#include "runtime/runtime.h"
#include "stream_pub.h"

namespace hcclcpu::platform {

inline rt::Stream *rtStream(const hccl::Stream &stream) {
    return static_cast<rt::Stream *>(stream.ptr());
}
inline rt::Notify *rtNotify(HcclRtNotify notify) {
    return static_cast<rt::Notify *>(notify);
}

// Every runtime failure is HCCL_E_RUNTIME, as in the vendor's hrt* wrappers. Logs `what` failed
// and the runtime's reason.
HcclResult runtimeFailure(rt::Err err, std::string_view what);

// Seconds to the runtime's nanosecond deadline, saturating at "never".
inline uint64_t secondsToNs(s64 seconds) {
    if (seconds <= 0) return 0;
    constexpr uint64_t kNsPerSecond = 1000000000ULL;
    if (static_cast<uint64_t>(seconds) >= rt::kNoTimeout / kNsPerSecond) return rt::kNoTimeout;
    return static_cast<uint64_t>(seconds) * kNsPerSecond;
}

}  // namespace hcclcpu::platform
