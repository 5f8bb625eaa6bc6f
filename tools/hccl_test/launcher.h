// -np N: runs N ranks as child processes of this one.
//
// The parent forks every rank before any of them touches the runtime, then only relays: each
// child has a SOCK_SEQPACKET socket to it, a host collective is one message from every child
// and one reply to each (the parent combines them: broadcast, max, sum, barrier). The parent
// watches the children: when one exits non-zero, dies from a signal, or leaves while the others
// wait for it, it reports which, kills the rest (they may be blocked in an HCCL operation whose
// peer is gone) and fails. It also fails when no child has sent anything for `timeoutSeconds`.
// Children die with the parent (PR_SET_PDEATHSIG). No path waits forever.
#pragma once

#include <cstdint>
#include <functional>

#include "group.h"

namespace hccltest {

struct LaunchOptions {
    uint32_t ranks = 1;
    uint32_t timeoutSeconds = 600;  // without a message from any rank; 0: no limit
    // A rank exiting with this status finished its work but failed (hccl_test: a check
    // failed): the others are left to finish too.
    int completedButFailedStatus = -1;
    // Pin rank r to the (r mod n)-th of the n CPUs this process may use. With more ranks than
    // cores, unpinned ranks that poll are not spread by the load balancer (a rank that yields
    // looks busy): three could share one core while the other held one.
    bool bindToCore = false;
};

// rankMain runs in every child with that child's Group; its return value is the child's exit
// status. Returns 0 when every rank exited 0; completedButFailedStatus when some exited with
// it and the others with 0; else 1 (after reporting on stderr).
int runProcesses(const LaunchOptions &options, const std::function<int(Group &)> &rankMain);

}  // namespace hccltest
