// The runtime areas (notify slots and engine doorbells) of peer processes mapped into this one.
//
// One mapping per peer process, shared by every link and remote notify that refers to it, and
// unmapped when the last of them lets go. An area is named by the owner's pid and the inode of its
// memfd: while we map the area its inode cannot be reused, so a recycled pid is never mistaken for
// the process that had it before.
#pragma once

#include "hccl_common.h"
#include "runtime/runtime.h"

namespace hcclcpu::platform {

struct AreaName {
    s32 pid = -1;
    u64 id = 0;  // the area memfd's inode
};

// The name of this process's own area.
AreaName localAreaName();

// Takes one reference on the named area, mapping it from `fd` (received from its owner) when it is
// not mapped yet; the caller keeps `fd`. HCCL_E_PARA when `fd` is not that area.
HcclResult acquirePeerArea(const AreaName &name, int fd, rt::PeerArea **area);
// Takes one more reference on an area some link has mapped; HCCL_E_NOT_FOUND when none has.
HcclResult acquireMappedPeerArea(const AreaName &name, rt::PeerArea **area);
// Drops a reference taken by one of the above; the last one unmaps the area.
void releasePeerArea(rt::PeerArea *area);

}  // namespace hcclcpu::platform
