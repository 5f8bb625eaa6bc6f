// Liveness of the peer processes of a process LinkSet (hccl_cpu_links.h).
//
// Every pair of ranks keeps the Unix socket of its set-up open. A process that dies has its
// sockets closed by the kernel, so the peers see a hang-up at once; a process that destroys its
// set sends a goodbye byte first. One thread per set polls the sockets (blocking in poll, woken by
// an eventfd to stop) and, when a peer goes, abandons the waits on that peer's link notifies
// (TransportP2p::PeerGone), so no stream sits out its timeout for a record that cannot come.
#pragma once

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include "hccl_common.h"

namespace hccl {
class TransportP2p;
}

namespace hcclcpu::platform {

struct WatchedPeer {
    u32 rank = INVALID_VALUE_RANKID;
    s32 pid = -1;
    int socket = -1;                     // owned by the monitor once started
    hccl::TransportP2p *link = nullptr;  // the link to the peer; outlives the monitor
};

class PeerMonitor {
  public:
    PeerMonitor() = default;
    ~PeerMonitor();
    PeerMonitor(const PeerMonitor &) = delete;
    PeerMonitor &operator=(const PeerMonitor &) = delete;

    // Takes the peers' sockets and starts watching them. On failure the sockets are closed.
    HcclResult start(u32 localRank, u32 rankSize, std::vector<WatchedPeer> peers);
    // Ends and joins the thread, says goodbye to every peer still there and closes the sockets.
    // Idempotent.
    void stop();

    // HCCL_E_REMOTE once a peer died (*deadPeer: the first one), else HCCL_SUCCESS.
    HcclResult asyncError(u32 *deadPeer) const;
    // The peer died or left: waits on its notifies fail.
    bool peerGone(u32 rank) const {
        return rank < rankSize_ && gone_[rank].load(std::memory_order_acquire);
    }

  private:
    void run();
    // Reads what the peer sent; true when its socket reached its end (the peer is gone).
    bool drain(size_t index, bool *saidGoodbye);
    void peerGone(size_t index, bool died);

    u32 localRank_ = INVALID_VALUE_RANKID;
    std::vector<WatchedPeer> peers_;
    int wakeFd_ = -1;
    std::thread thread_;
    u32 rankSize_ = 0;
    std::unique_ptr<std::atomic<bool>[]> gone_;  // by rank
    std::atomic<u32> deadPeer_{INVALID_VALUE_RANKID};
};

}  // namespace hcclcpu::platform
