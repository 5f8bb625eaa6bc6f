// hcclcpu::LinkSet::CreateForProcess: this process holds one rank of a job whose other ranks are
// separate processes of this host (see hccl_cpu_links.h for the protocol).
#include <unistd.h>

#include <optional>
#include <thread>

#include "common/clock.h"
#include "common/env.h"
#include "common/log.h"
#include "hccl_cpu_links.h"
#include "log.h"
#include "platform/links_state.h"
#include "platform/links_topology.h"
#include "platform/process_rendezvous.h"
#include "platform/rt_bridge.h"
#include "runtime/runtime.h"

namespace hcclcpu {

using platform::RankHello;
using platform::Rendezvous;
using platform::runtimeFailure;

namespace {

constexpr s64 kDefaultConnectTimeoutS = 120;
constexpr s64 kMaxConnectTimeoutS = 7200;

u32 connectTimeoutS(const ProcessLinkOptions &options) {
    if (options.connectTimeoutS != 0) return options.connectTimeoutS;
    return static_cast<u32>(
        env::integer("HCCL_CONNECT_TIMEOUT", kDefaultConnectTimeoutS, 1, kMaxConnectTimeoutS));
}

void closeAll(const std::vector<int> &fds) {
    for (int fd : fds)
        if (fd >= 0) close(fd);
}

// A given buffer must be device memory of this process that a peer process can map.
bool shareable(const hccl::DeviceMem &mem, const char *name, u32 rank) {
    rt::MemInfo info = rt::memoryInfo(mem.ptr(), mem.size());
    if (info.location == rt::MemLocation::kDevice && !info.imported && info.fd >= 0) return true;
    HCPU_ERROR(
        "link set: rank {}: the given {} buffer ({}, {} bytes) is not device memory of this "
        "process, return HCCL_E_PARA",
        rank, name, mem.ptr(), mem.size());
    return false;
}

// The set-up of one rank, on a thread of its own that binds the rank's device.
class ProcessSetUp {
  public:
    ProcessSetUp(LinkSet::State &state, const std::string &jobId, const ProcessLinkOptions &options,
                 u32 timeoutS)
        : state_(state),
          jobId_(jobId),
          options_(options),
          timeoutS_(timeoutS),
          forced_(platform::forcedLinkType()) {}

    HcclResult run() {
        const s64 deadline = nowNs() + static_cast<s64>(timeoutS_) * 1000000000;
        CHK_RET(prepareLocal());
        if (state_.rankSize == 1) return HCCL_SUCCESS;
        const u32 me = state_.localRank;
        RankHello self;
        self.rankSize = state_.rankSize;
        self.rank = me;
        self.device = state_.ranks[me].device;
        self.notifyNum = state_.options.notifyNum;
        self.linkAttribute = state_.options.linkAttribute;
        Rendezvous rendezvous(self, jobId_, deadline, timeoutS_);
        CHK_RET(rendezvous.listen());
        sockets_.assign(state_.rankSize, -1);
        hellos_.assign(state_.rankSize, RankHello{});
        for (u32 peer = 0; peer < me; ++peer) {
            RankHello hello;
            CHK_RET(rendezvous.connectTo(peer, &sockets_[peer], &hello));
            CHK_RET(meet(rendezvous, hello));
        }
        std::vector<bool> waitingFor(state_.rankSize, false);
        for (u32 peer = me + 1; peer < state_.rankSize; ++peer)
            waitingFor[peer] = true;
        for (u32 left = state_.rankSize - 1 - me; left > 0; --left) {
            RankHello hello;
            int sock = -1;
            CHK_RET(rendezvous.acceptNext(waitingFor, &sock, &hello));
            sockets_[hello.rank] = sock;
            waitingFor[hello.rank] = false;
            CHK_RET(meet(rendezvous, hello));
        }
        rendezvous.closeListener();  // frees the name: the job may be set up again
        CHK_RET(confirmConnected(rendezvous));
        return watchPeers();
    }

    ~ProcessSetUp() {
        for (int sock : sockets_)  // those the monitor did not take (a failed set-up)
            if (sock >= 0) close(sock);
    }

  private:
    HcclResult prepareLocal() {
        LinkSet::State::Rank &rank = state_.ranks[state_.localRank];
        rank.held = true;
        rank.pid = static_cast<s32>(getpid());
        rt::Err err = rt::setDevice(rank.device);
        if (err != rt::Err::kOk)
            return runtimeFailure(err, fmt::format("link set: set device {}", rank.device));
        rank.deviceHeld = true;
        if (options_.dispatcher != nullptr) {
            rank.dispatcher = options_.dispatcher;
            rank.ownsDispatcher = false;
        } else {
            CHK_RET(HcclDispatcherInit(DispatcherType::DISPATCHER_NORMAL, rank.device,
                                       &rank.dispatcher));
        }
        if (options_.input)
            rank.input = hccl::DeviceMem::create(options_.input.ptr(), options_.input.size());
        else
            CHK_RET(hccl::DeviceMem::alloc(rank.input, state_.bufferBytes));
        if (options_.output)
            rank.output = hccl::DeviceMem::create(options_.output.ptr(), options_.output.size());
        else
            CHK_RET(hccl::DeviceMem::alloc(rank.output, state_.bufferBytes));
        rank.links.assign(state_.rankSize, nullptr);
        rank.p2p.assign(state_.rankSize, nullptr);
        return HCCL_SUCCESS;
    }

    // With a peer's hello in hand: make the link to it, swap the link set-up messages (with the
    // descriptors of the buffers and of the runtime area) and connect.
    HcclResult meet(const Rendezvous &rendezvous, const RankHello &hello) {
        const u32 me = state_.localRank;
        const u32 peer = hello.rank;
        hellos_[peer] = hello;
        LinkSet::State::Rank &remote = state_.ranks[peer];
        remote.device = hello.device;
        remote.pid = hello.pid;
        CHK_RET(state_.addLink(me, peer, linkType(hello.device)));
        hccl::TransportP2p *link = state_.ranks[me].p2p[peer];
        std::vector<u8> info, peerInfo;
        std::vector<int> fds, peerFds;
        CHK_RET(link->GetExchangeInfo(info, fds));
        CHK_RET(rendezvous.send(sockets_[peer], hello, info, fds));
        CHK_RET(rendezvous.receive(sockets_[peer], hello, peerInfo, peerFds));
        HcclResult result = link->Connect(peerInfo, peerFds);
        closeAll(peerFds);  // the mappings keep what they need
        return result;
    }

    // No rank returns before every peer has opened its buffers and notifies: a rank that
    // destroyed its set at once would otherwise release them under a peer still connecting
    // ("has no notify at offset ..."). One empty frame each way with every peer.
    HcclResult confirmConnected(const Rendezvous &rendezvous) {
        for (u32 peer = 0; peer < state_.rankSize; ++peer)
            if (peer != state_.localRank)
                CHK_RET(rendezvous.send(sockets_[peer], hellos_[peer], {}, {}));
        for (u32 peer = 0; peer < state_.rankSize; ++peer) {
            if (peer == state_.localRank) continue;
            std::vector<u8> payload;
            std::vector<int> fds;
            HcclResult result = rendezvous.receive(sockets_[peer], hellos_[peer], payload, fds);
            closeAll(fds);
            CHK_RET(result);
        }
        return HCCL_SUCCESS;
    }

    hccl::LinkType linkType(s32 peerDevice) const {
        if (forced_) return *forced_;
        const s32 mine = state_.ranks[state_.localRank].device;
        // Two ranks on one device (fewer devices than ranks) still talk over a P2P link.
        if (peerDevice == mine) return hccl::LinkType::LINK_HCCS;
        return platform::topologyLinkType(mine, peerDevice);
    }

    HcclResult watchPeers() {
        std::vector<platform::WatchedPeer> peers;
        for (u32 peer = 0; peer < state_.rankSize; ++peer) {
            if (peer == state_.localRank) continue;
            peers.push_back(platform::WatchedPeer{peer, state_.ranks[peer].pid, sockets_[peer],
                                                  state_.ranks[state_.localRank].p2p[peer]});
            sockets_[peer] = -1;  // the monitor's now
        }
        state_.monitor = std::make_unique<platform::PeerMonitor>();
        return state_.monitor->start(state_.localRank, state_.rankSize, std::move(peers));
    }

    LinkSet::State &state_;
    const std::string &jobId_;
    const ProcessLinkOptions &options_;
    const u32 timeoutS_;
    const std::optional<hccl::LinkType> forced_;
    std::vector<int> sockets_;
    std::vector<RankHello> hellos_;  // each peer's, for the messages after the set-up
};

}  // namespace

HcclResult LinkSet::CreateForProcess(u32 rankSize, u32 rank, const std::string &jobId,
                                     u64 bufferBytes, LinkSet *&linkSet) {
    return CreateForProcess(rankSize, rank, jobId, bufferBytes, ProcessLinkOptions(), linkSet);
}

HcclResult LinkSet::CreateForProcess(u32 rankSize, u32 rank, const std::string &jobId,
                                     u64 bufferBytes, const ProcessLinkOptions &options,
                                     LinkSet *&linkSet) {
    if (rankSize == 0 || rank >= rankSize) {
        HCPU_ERROR("link set: rank[{}] of rankSize[{}] is out of range, return HCCL_E_PARA", rank,
                   rankSize);
        return HCCL_E_PARA;
    }
    if (jobId.empty()) {
        HCPU_ERROR("link set: rank {}: the jobId is empty, return HCCL_E_PARA", rank);
        return HCCL_E_PARA;
    }
    const s32 devices = static_cast<s32>(rt::deviceCount());
    const s32 device =
        options.device < 0 ? static_cast<s32>(rank % static_cast<u32>(devices)) : options.device;
    if (options.device < -1 || device >= devices) {
        HCPU_ERROR("link set: rank {}: device[{}] must be -1 or in [0, {}), return HCCL_E_PARA",
                   rank, options.device, devices);
        return HCCL_E_PARA;
    }
    if (options.link.notifyNum > platform::kMaxLinkNotifyNum) {
        HCPU_ERROR("link set: rank {}: notifyNum[{}] exceeds {}, return HCCL_E_PARA", rank,
                   options.link.notifyNum, platform::kMaxLinkNotifyNum);
        return HCCL_E_PARA;
    }
    if ((!options.input || !options.output) && bufferBytes == 0) {
        HCPU_ERROR("link set: rank {}: bufferBytes is 0, return HCCL_E_PARA", rank);
        return HCCL_E_PARA;
    }
    if ((options.input && !shareable(options.input, "INPUT", rank)) ||
        (options.output && !shareable(options.output, "OUTPUT", rank)))
        return HCCL_E_PARA;

    auto state = std::make_unique<State>();
    state->rankSize = rankSize;
    state->bufferBytes = bufferBytes;
    state->options = options.link;
    state->ranks.resize(rankSize);
    state->localRank = rank;
    state->ranks[rank].device = device;
    const u32 timeoutS = connectTimeoutS(options);
    HcclResult result = HCCL_SUCCESS;
    // A thread of its own binds the device, so the caller's current device stays as it was.
    std::thread([&] {
        ProcessSetUp setUp(*state, jobId, options, timeoutS);
        result = setUp.run();
    }).join();
    if (result != HCCL_SUCCESS) return result;  // ~State releases what was made
    HCPU_INFO("link set: rank {} of {} (job {}, device {}, pid {}) is connected", rank, rankSize,
              jobId, device, getpid());
    linkSet = new LinkSet(std::move(state));
    return HCCL_SUCCESS;
}

}  // namespace hcclcpu
