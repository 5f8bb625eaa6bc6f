#include "platform/peer_monitor.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

#include "common/log.h"
#include "platform/transport_p2p.h"

namespace hcclcpu::platform {

namespace {

constexpr char kGoodbye = 'B';
// poll() wakes at least this often; the thread otherwise sleeps until a socket or the eventfd
// has something to say.
constexpr int kPollTimeoutMs = 1000;

}  // namespace

PeerMonitor::~PeerMonitor() {
    stop();
}

HcclResult PeerMonitor::start(u32 localRank, u32 rankSize, std::vector<WatchedPeer> peers) {
    localRank_ = localRank;
    rankSize_ = rankSize;
    gone_ = std::make_unique<std::atomic<bool>[]>(rankSize);
    for (u32 r = 0; r < rankSize; ++r)
        gone_[r].store(false, std::memory_order_relaxed);
    peers_ = std::move(peers);
    wakeFd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (wakeFd_ < 0) {
        HCPU_ERROR("rank {}: cannot create the peer monitor's eventfd: {}, return HCCL_E_SYSCALL",
                   localRank_, std::strerror(errno));
        stop();
        return HCCL_E_SYSCALL;
    }
    try {
        thread_ = std::thread([this] { run(); });
    } catch (const std::system_error &e) {
        HCPU_ERROR("rank {}: cannot start the peer monitor thread: {}, return HCCL_E_INTERNAL",
                   localRank_, e.what());
        stop();
        return HCCL_E_INTERNAL;
    }
    return HCCL_SUCCESS;
}

void PeerMonitor::stop() {
    if (thread_.joinable()) {
        const uint64_t one = 1;
        if (write(wakeFd_, &one, sizeof(one)) != sizeof(one))
            HCPU_WARN("rank {}: waking the peer monitor failed: {}", localRank_,
                      std::strerror(errno));
        thread_.join();
    }
    for (WatchedPeer &peer : peers_) {
        if (peer.socket < 0) continue;
        // Tells the peer this rank leaves on purpose; it may be gone already.
        (void)send(peer.socket, &kGoodbye, 1, MSG_NOSIGNAL | MSG_DONTWAIT);
        close(peer.socket);
        peer.socket = -1;
    }
    if (wakeFd_ >= 0) close(wakeFd_);
    wakeFd_ = -1;
}

HcclResult PeerMonitor::asyncError(u32 *deadPeer) const {
    const u32 dead = deadPeer_.load(std::memory_order_acquire);
    if (dead == INVALID_VALUE_RANKID) return HCCL_SUCCESS;
    if (deadPeer != nullptr) *deadPeer = dead;
    return HCCL_E_REMOTE;
}

void PeerMonitor::run() {
    std::vector<pollfd> fds(peers_.size() + 1);
    std::vector<bool> saidGoodbye(peers_.size(), false);
    fds[0] = pollfd{wakeFd_, POLLIN, 0};
    for (size_t i = 0; i < peers_.size(); ++i)
        fds[i + 1] = pollfd{peers_[i].socket, POLLIN | POLLRDHUP, 0};
    for (;;) {
        int ready = poll(fds.data(), fds.size(), kPollTimeoutMs);
        if (ready < 0) {
            if (errno == EINTR) continue;
            HCPU_ERROR(
                "rank {}: the peer monitor cannot poll ({}); dead peers are no longer noticed",
                localRank_, std::strerror(errno));
            return;
        }
        if (fds[0].revents != 0) return;  // stop()
        for (size_t i = 0; i < peers_.size(); ++i) {
            pollfd &watched = fds[i + 1];
            if (watched.fd < 0 || watched.revents == 0) continue;
            bool goodbye = saidGoodbye[i];
            if (drain(i, &goodbye)) {
                peerGone(i, !goodbye);
                watched.fd = -1;  // poll skips it from now on
            }
            saidGoodbye[i] = goodbye;
        }
    }
}

bool PeerMonitor::drain(size_t index, bool *saidGoodbye) {
    char bytes[64];
    for (;;) {
        ssize_t n = recv(peers_[index].socket, bytes, sizeof(bytes), MSG_DONTWAIT);
        if (n > 0) {
            if (std::memchr(bytes, kGoodbye, static_cast<size_t>(n)) != nullptr)
                *saidGoodbye = true;
            continue;
        }
        if (n == 0) return true;  // end of stream
        if (errno == EINTR) continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) return false;
        return true;  // ECONNRESET and the like: the peer is gone as well
    }
}

void PeerMonitor::peerGone(size_t index, bool died) {
    const WatchedPeer &peer = peers_[index];
    if (died) {
        HCPU_ERROR(
            "rank {}: peer rank {} (pid {}) is gone: its connection closed without a goodbye; "
            "waits on its notifies fail from now on",
            localRank_, peer.rank, peer.pid);
        u32 none = INVALID_VALUE_RANKID;
        deadPeer_.compare_exchange_strong(none, peer.rank, std::memory_order_acq_rel);
    } else {
        HCPU_INFO(
            "rank {}: peer rank {} (pid {}) destroyed its links; waits on it fail from now on",
            localRank_, peer.rank, peer.pid);
    }
    // Published before the waits fail, so whoever sees a failed wait also sees why.
    if (peer.rank < rankSize_) gone_[peer.rank].store(true, std::memory_order_release);
    if (peer.link != nullptr) (void)peer.link->PeerGone();
}

}  // namespace hcclcpu::platform
