#include "platform/rt_bridge.h"

#include "common/log.h"

namespace hcclcpu::platform {

HcclResult runtimeFailure(rt::Err err, std::string_view what) {
    HCPU_ERROR("{} failed: runtime error {}, return HCCL_E_RUNTIME", what, rt::errName(err));
    return HCCL_E_RUNTIME;
}

}  // namespace hcclcpu::platform
