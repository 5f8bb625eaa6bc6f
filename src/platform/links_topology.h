// Which LinkType a pair of devices gets in a LinkSet: the emulated topology documented in
// hccl_cpu_links.h, or the type forced by HCCL_CPU_LINK_TYPE.
#pragma once

#include <optional>

#include "dispatcher_task_types.h"

namespace hcclcpu::platform {

hccl::LinkType topologyLinkType(s32 deviceA, s32 deviceB);
// HCCL_CPU_LINK_TYPE as a LinkType; nullopt when unset or not one of HCCS, HCCS_SW, SIO, PCIE
// (an unknown value is reported and ignored). Read on every call.
std::optional<hccl::LinkType> forcedLinkType();

}  // namespace hcclcpu::platform
