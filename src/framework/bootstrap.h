// The bootstrap network of a communicator: small, reliable, deadline-bounded messages between
// its ranks over TCP, for everything that happens outside the data path (link set-up, buffer
// and notify exchange, barriers during init and destroy).
//
// Topology. Every rank owns a listening socket (its address is in PeerInfo::address, learnt at
// the rendezvous). Connections are made lazily and are one-way: rank A's first send to rank B
// connects A -> B, and that connection carries only A's messages to B. B accepts it the first
// time it receives from A. A connection starts with a handshake {protocol version, the
// communicator's secret, sender rank, receiver rank}; the acceptor drops (and logs) any other
// connection. Messages on one connection arrive in order; there is no ordering between peers.
//
// Semantics. Like MPI's: every rank must call the collective operations (allGather, barrier)
// in the same order, and each send must be matched by a recv on the peer. send() returns when
// the kernel has taken the bytes; a message larger than the socket buffers completes only
// while the peer receives, so exchanges use sendRecv(), which progresses both directions at
// once. Every message carries a tag (plain, allGather, barrier); a recv that finds another tag
// fails with HCCL_E_INTERNAL rather than misreading a message.
//
// Failures. Every operation finishes by its deadline (timeoutMs(), by default
// HCCL_CONNECT_TIMEOUT): HCCL_E_TIMEOUT when it passes, HCCL_E_TCP_TRANSFER when a peer closed
// or reset its connection (the peer process died or destroyed its communicator),
// HCCL_E_TCP_CONNECT when a peer's listener is gone. Each failure is logged naming both ranks.
// A connection that failed mid-message is unusable afterwards; broken() reports the first
// failure.
//
// Threads. Operations towards different peers may run concurrently from several threads (one
// thread per link, as the vendor sets links up); operations towards the same peer in the same
// direction are serialised.
#pragma once

#include <array>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "framework/socket.h"
#include "hccl/hccl_types.h"

namespace hcclcpu::framework {

// Shared by all ranks of one communicator; proves a connection belongs to it.
using Secret = std::array<uint8_t, 16>;

// What every rank learns about every rank at the rendezvous.
struct PeerInfo {
    uint32_t rank = 0;
    int32_t device = -1;        // the rank's device (in its own process)
    uint32_t pid = 0;           // its process id (in its own PID namespace)
    uint64_t processToken = 0;  // random per process: equal tokens mean the same process
    std::string hostname;
    std::string bootId;     // /proc/sys/kernel/random/boot_id: equal means the same kernel
    SocketAddress address;  // its bootstrap listener

    bool sameProcessAs(const PeerInfo &other) const {
        return processToken == other.processToken && bootId == other.bootId;
    }
    // Same kernel, so memfds and pidfds of one are usable by the other.
    bool sameHostAs(const PeerInfo &other) const {
        return bootId.empty() ? hostname == other.hostname : bootId == other.bootId;
    }
};

// This process's identity as it appears in PeerInfo (rank, device and address left empty).
PeerInfo localProcessInfo();

// 16 random bytes from getrandom(); HCCL_E_SYSCALL (logged) if the kernel refuses.
HcclResult randomSecret(Secret *secret);

class Bootstrap {
  public:
    // `listener` is the socket whose address the peers know; `peers[i].rank == i`.
    Bootstrap(uint32_t rank, std::vector<PeerInfo> peers, const Secret &secret, UniqueFd listener,
              int64_t timeoutMs);
    ~Bootstrap();
    Bootstrap(const Bootstrap &) = delete;
    Bootstrap &operator=(const Bootstrap &) = delete;

    uint32_t rank() const { return rank_; }
    uint32_t size() const { return static_cast<uint32_t>(peers_.size()); }
    const PeerInfo &peer(uint32_t rank) const { return peers_[rank]; }
    const std::vector<PeerInfo> &peers() const { return peers_; }
    const PeerInfo &self() const { return peers_[rank_]; }

    // Deadline of each later operation, counted from its start.
    void setTimeoutMs(int64_t ms) { timeoutMs_.store(ms); }
    int64_t timeoutMs() const { return timeoutMs_.load(); }

    // Point to point. `peer` must be another rank (HCCL_E_PARA otherwise).
    HcclResult send(uint32_t peer, const void *data, size_t size);
    HcclResult send(uint32_t peer, const std::vector<uint8_t> &data) {
        return send(peer, data.data(), data.size());
    }
    HcclResult recv(uint32_t peer, std::vector<uint8_t> &data);
    // Expects exactly `size` bytes; another length is HCCL_E_INTERNAL.
    HcclResult recv(uint32_t peer, void *data, size_t size);
    // Sends to one peer while receiving from another (or the same): never deadlocks on large
    // messages in a ring or pairwise exchange.
    HcclResult sendRecv(uint32_t sendPeer, const void *sendData, size_t sendSize, uint32_t recvPeer,
                        std::vector<uint8_t> &recvData);

    // Collectives over all ranks (ring algorithm, size-1 steps). Each rank's block may have a
    // different size; all[r] is rank r's block (all[rank()] a copy of `data`).
    HcclResult allGather(const void *data, size_t bytes, std::vector<std::vector<uint8_t>> &all);
    // Dissemination barrier: log2(size) rounds of 0-byte messages.
    HcclResult barrier();

    // HCCL_SUCCESS while every used connection is healthy, else the first failure.
    HcclResult broken() const { return broken_.load(); }

  private:
    struct Channel;
    enum class Tag : uint32_t;
    struct PendingConnection;

    HcclResult checkPeer(uint32_t peer, const char *what) const;
    HcclResult ensureOutgoing(uint32_t peer, Channel &channel, Deadline deadline);
    HcclResult ensureIncoming(uint32_t peer, Deadline deadline);
    HcclResult acceptRound(Deadline until);
    // Sends one message and/or receives one (sendPeer / recvPeer UINT32_MAX: none), progressing
    // both at once, within one deadline.
    HcclResult transfer(uint32_t sendPeer, Tag sendTag, const void *sendData, size_t sendSize,
                        uint32_t recvPeer, Tag recvTag, std::vector<uint8_t> *recvData);
    HcclResult fail(Channel &channel, HcclResult code);

    const uint32_t rank_;
    const std::vector<PeerInfo> peers_;
    const Secret secret_;
    UniqueFd listener_;
    std::atomic<int64_t> timeoutMs_;
    std::atomic<HcclResult> broken_{HCCL_SUCCESS};
    std::vector<std::unique_ptr<Channel>> outgoing_;  // my messages to rank i
    std::vector<std::unique_ptr<Channel>> incoming_;  // rank i's messages to me

    // One thread at a time accepts connections for everyone (the "acceptor"); the others wait
    // on the condition variable for their peer's connection to appear.
    std::mutex acceptMutex_;
    std::condition_variable acceptCv_;
    bool accepting_ = false;
    std::vector<std::unique_ptr<PendingConnection>> pending_;  // only the acceptor touches it
};

}  // namespace hcclcpu::framework
