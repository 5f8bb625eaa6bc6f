// Creating a communicator, the part every HcclCommInit* entry point shares: settings, name,
// rendezvous, registration.
#pragma once

#include <cstdint>
#include <string>

#include "framework/bootstrap.h"
#include "framework/socket.h"
#include "hccl/hccl_types.h"

namespace hcclcpu::framework {

struct InitPlan {
    uint32_t nRanks = 0;
    uint32_t rank = 0;
    SocketAddress root;       // the root listener to join
    Secret secret{};          // the communicator's shared secret
    std::string listenerKey;  // the root listener's name, if it lives in this process
    std::string defaultName;  // the communicator's name unless the config gives one
    SocketAddress peerBind;   // address of this rank's bootstrap listener (port 0: any)
};

// Creates the calling thread's rank (its current device is the rank's device). Whatever the
// outcome, the plan's root listener (if this process has it) is released afterwards, aborted
// when this rank failed so that the other ranks fail at once.
HcclResult initCommunicator(const InitPlan &plan, const HcclCommConfig *config, HcclComm *comm);

// Microseconds since the epoch: part of generated names, unique across processes.
uint64_t wallClockMicros();

}  // namespace hcclcpu::framework
