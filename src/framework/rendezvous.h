// The rendezvous: how the ranks of a new communicator find each other (docs in README.md).
//
// A root listener (a thread, started by HcclGetRootInfo, or by rank 0 of a rank table) accepts
// one TCP connection per rank. Each rank sends a hello {protocol version, secret, nRanks, rank,
// its PeerInfo}; the root checks it, and when all nRanks ranks have joined sends every rank the
// table of all PeerInfos and closes. A bad hello (wrong secret or version, rank out of range or
// taken, nRanks mismatch, malformed bytes) is answered with a reject frame and closed, logged
// with the reason; the root keeps serving the others. Everything is bounded by
// HCCL_CONNECT_TIMEOUT.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "framework/bootstrap.h"
#include "framework/socket.h"
#include "hccl/hccl_types.h"

namespace hcclcpu::framework {

constexpr uint32_t kProtocolVersion = 1;
// The largest communicator a rendezvous accepts.
constexpr uint32_t kMaxRanks = 1u << 20;

// Frame types on a connection to the root.
enum RendezvousFrame : uint32_t { kFrameHello = 1, kFrameTable = 2, kFrameReject = 3 };
constexpr uint64_t kMaxHelloBytes = 4096;

// ---- root info ------------------------------------------------------------------------------
// The HcclRootInfo blob: magic, protocol version, root address, secret, unique id, checksum.
struct RootInfo {
    SocketAddress address;
    Secret secret{};
    std::string uniqueId;  // < COMM_NAME_MAX_LENGTH bytes; the default communicator name
};
void encodeRootInfo(const RootInfo &info, HcclRootInfo *blob);
// HCCL_E_PARA (logged) when the blob is not a root info of this protocol version.
HcclResult decodeRootInfo(const HcclRootInfo *blob, RootInfo *info);

// ---- hello ----------------------------------------------------------------------------------
struct Hello {
    uint32_t protocolVersion = kProtocolVersion;
    Secret secret{};
    uint32_t nRanks = 0;
    PeerInfo self;  // self.rank is the joining rank
};
std::vector<uint8_t> encodeHello(const Hello &hello);

// ---- root side ------------------------------------------------------------------------------
// Starts serving a rendezvous on `listener` (already bound and listening at `address`). `key`
// names it inside this process. The listener gives up HCCL_CONNECT_TIMEOUT (`timeoutS`) after
// the first rank joined, or after it started if no rank joins.
HcclResult startRootListener(UniqueFd listener, const SocketAddress &address, const Secret &secret,
                             const std::string &key, int32_t timeoutS);

// Every rank of this process calls this when its part of the rendezvous ended. On failure the
// root (if it lives in this process) aborts: the ranks still waiting get `result` at once
// instead of a timeout, and ranks of this process that have not reached the root yet fail
// with `result` too. In both cases the call waits for the root's thread to finish, so its
// sockets are closed when the call returns.
void releaseRootListener(const std::string &key, HcclResult result);

// The code a root of this process was aborted with (nullopt: not aborted, or not ours).
std::optional<HcclResult> abortedRootResult(const std::string &key);

struct RootListenerStats {
    uint32_t joined = 0;    // ranks currently joined
    uint32_t rejected = 0;  // hellos or connections turned away
    bool finished = false;
};
// For tests: the state of a root listener of this process (nullopt when unknown).
std::optional<RootListenerStats> rootListenerStats(const std::string &key);
size_t rootListenerCount();  // listeners of this process not yet released

// ---- rank side ------------------------------------------------------------------------------
struct JoinRequest {
    SocketAddress root;
    Secret secret{};
    uint32_t nRanks = 0;
    uint32_t rank = 0;
    int32_t device = -1;
    SocketAddress bindAddress;  // address of this rank's bootstrap listener (port 0: any)
    int32_t timeoutS = 0;
    std::string listenerKey;  // the root's key, to notice an abort in this process
};
// Joins the rendezvous and returns the communicator's bootstrap. Errors: HCCL_E_TCP_CONNECT
// (root unreachable within the timeout), HCCL_E_TIMEOUT (joined, but not every rank did),
// HCCL_E_TCP_TRANSFER (the root went away), or the code the root rejected the hello with.
HcclResult joinRendezvous(const JoinRequest &request, std::unique_ptr<Bootstrap> *bootstrap);

}  // namespace hcclcpu::framework
