#include "platform/links_topology.h"

#include <algorithm>
#include <cctype>
#include <string>

#include "common/env.h"
#include "common/log.h"

namespace hcclcpu::platform {

namespace {

constexpr s32 kDevicesPerServer = 8;
constexpr s32 kDevicesPerHccsGroup = 4;  // devices 0-3 and 4-7 are fully HCCS-connected
constexpr s32 kDiesPerChip = 2;          // devices 2k and 2k+1 are the dies of one chip (SIO)

}  // namespace

hccl::LinkType topologyLinkType(s32 deviceA, s32 deviceB) {
    if (deviceA < 0 || deviceB < 0) return hccl::LinkType::LINK_RESERVED;
    if (deviceA == deviceB) return hccl::LinkType::LINK_ONCHIP;
    if (deviceA / kDevicesPerServer != deviceB / kDevicesPerServer)
        return hccl::LinkType::LINK_HCCS_SW;  // another server of the superpod
    const s32 a = deviceA % kDevicesPerServer;
    const s32 b = deviceB % kDevicesPerServer;
    if (a / kDiesPerChip == b / kDiesPerChip) return hccl::LinkType::LINK_SIO;
    if (a / kDevicesPerHccsGroup == b / kDevicesPerHccsGroup) return hccl::LinkType::LINK_HCCS;
    return hccl::LinkType::LINK_PCIE;
}

std::optional<hccl::LinkType> forcedLinkType() {
    auto value = env::string("HCCL_CPU_LINK_TYPE");
    if (!value || value->empty()) return std::nullopt;
    std::string name = *value;
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    if (name == "HCCS") return hccl::LinkType::LINK_HCCS;
    if (name == "HCCS_SW") return hccl::LinkType::LINK_HCCS_SW;
    if (name == "SIO") return hccl::LinkType::LINK_SIO;
    if (name == "PCIE") return hccl::LinkType::LINK_PCIE;
    HCPU_WARN("HCCL_CPU_LINK_TYPE[{}] is not one of HCCS, HCCS_SW, SIO, PCIE; it is ignored",
              *value);
    return std::nullopt;
}

}  // namespace hcclcpu::platform
