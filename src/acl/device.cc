// Devices: binding threads, counting, synchronizing, float overflow mode.
#include <atomic>

#include "acl/acl.h"
#include "acl/context.h"
#include "acl/error.h"
#include "runtime/runtime.h"

namespace rt = hcclcpu::rt;
using hcclcpu::acl::fromRt;
using hcclcpu::acl::reject;

namespace {

// One mode for the whole process: the reduce kernels always produce INF/NaN on overflow (the
// default on A2/A3), so the mode is only remembered, never applied.
std::atomic<int> g_satMode{ACL_RT_OVERFLOW_MODE_INFNAN};

}  // namespace

extern "C" {

aclError aclrtSetDevice(int32_t deviceId) {
    aclError ret = fromRt(rt::setDevice(deviceId), "aclrtSetDevice");
    if (ret == ACL_SUCCESS) hcclcpu::acl::useDefaultContextOnThisThread();
    return ret;
}

aclError aclrtResetDevice(int32_t deviceId) {
    return fromRt(rt::resetDevice(deviceId), "aclrtResetDevice");
}

aclError aclrtGetDevice(int32_t *deviceId) {
    if (deviceId == nullptr)
        return reject(ACL_ERROR_INVALID_PARAM, "aclrtGetDevice: null deviceId");
    return fromRt(rt::currentDevice(deviceId), "aclrtGetDevice");
}

// Works before aclInit: hccl_test asks for the count first.
aclError aclrtGetDeviceCount(uint32_t *count) {
    if (count == nullptr) return reject(ACL_ERROR_INVALID_PARAM, "aclrtGetDeviceCount: null count");
    *count = rt::deviceCount();
    return ACL_SUCCESS;
}

aclError aclrtSynchronizeDevice(void) {
    return fromRt(rt::synchronizeDevice(), "aclrtSynchronizeDevice");
}

aclError aclrtSetDeviceSatMode(aclrtFloatOverflowMode mode) {
    if (mode != ACL_RT_OVERFLOW_MODE_SATURATION && mode != ACL_RT_OVERFLOW_MODE_INFNAN)
        return reject(ACL_ERROR_INVALID_PARAM, "aclrtSetDeviceSatMode: invalid mode {}",
                      static_cast<int>(mode));
    if (mode == ACL_RT_OVERFLOW_MODE_SATURATION)
        HCPU_WARN(
            "aclrtSetDeviceSatMode: saturation is not emulated, float overflow still gives "
            "inf/nan");
    g_satMode.store(mode);
    return ACL_SUCCESS;
}

aclError aclrtGetDeviceSatMode(aclrtFloatOverflowMode *mode) {
    if (mode == nullptr) return reject(ACL_ERROR_INVALID_PARAM, "aclrtGetDeviceSatMode: null mode");
    *mode = static_cast<aclrtFloatOverflowMode>(g_satMode.load());
    return ACL_SUCCESS;
}

}  // extern "C"
