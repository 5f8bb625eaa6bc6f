// What a LinkSet (hccl_cpu_links.h) holds: shared by the set-up of thread ranks (links.cc) and of
// process ranks (process_links.cc).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "hccl_cpu_links.h"
#include "platform/peer_monitor.h"
#include "platform/transport_p2p.h"

namespace hcclcpu {

namespace platform {
constexpr u32 kMaxLinkNotifyNum = 64;  // LinkSetOptions::notifyNum
}

struct LinkSet::State {
    struct Rank {
        s32 device = -1;
        s32 pid = -1;             // the process holding the rank
        bool held = false;        // this process holds the rank (it has the objects below)
        bool deviceHeld = false;  // the set holds one reference on the device (rt::setDevice)
        HcclDispatcher dispatcher = nullptr;
        bool ownsDispatcher = true;
        hccl::DeviceMem input;  // owners when the set allocated them, else views
        hccl::DeviceMem output;
        std::vector<hccl::LINK> links;          // links[peer]
        std::vector<hccl::TransportP2p *> p2p;  // links[peer]'s implementation
    };

    u32 rankSize = 0;
    u64 bufferBytes = 0;
    LinkSetOptions options;
    std::vector<Rank> ranks;
    u32 localRank = INVALID_VALUE_RANKID;            // process sets: the rank this process holds
    std::unique_ptr<platform::PeerMonitor> monitor;  // process sets

    ~State();
    // Creates the local end of the link rank -> peer over the rank's buffers, with its notifies
    // (on the calling thread, whose current device must be the rank's).
    HcclResult addLink(u32 rank, u32 peer, hccl::LinkType linkType);
    // Thread sets: binds device `rank` and makes the rank's objects; then connects all links.
    HcclResult prepareRank(u32 rank, const std::optional<hccl::LinkType> &forced);
    HcclResult connect();
    // Rank `rank` of the set is held here; logs `what` otherwise.
    bool holds(u32 rank, const char *what) const;
    // What a failed stream of `rank` was doing in terms of its links, from the runtime's error:
    // "notify id 12 is the ack notify of the link to rank 3 (pid 456, device 3)", or "" when the
    // error names no notify of the rank's links. *peer: that link's peer (else
    // INVALID_VALUE_RANKID).
    std::string describeFailure(u32 rank, const std::string &runtimeError, u32 *peer) const;
    // Waits for a stream of a held rank; see LinkSet::Synchronize.
    HcclResult synchronize(u32 rank, hccl::Stream &stream) const;
    // On the calling thread: binds the rank's device, runs body on a fresh stream, synchronises.
    HcclResult runRank(u32 rank, const std::function<HcclResult(u32, hccl::Stream &)> &body) const;
};

}  // namespace hcclcpu
