// hcclcpu::LinkSet: a full mesh of P2P links between thread ranks of this process (Create), and
// what every set has: the accessors, RunRanks and Synchronize (process sets: process_links.cc).
#include "hccl_cpu_links.h"

#include <unistd.h>

#include <cstdlib>
#include <memory>
#include <optional>
#include <thread>

#include "common/log.h"
#include "log.h"
#include "platform/links_state.h"
#include "platform/links_topology.h"
#include "platform/rt_bridge.h"
#include "platform/transport_p2p.h"
#include "runtime/runtime.h"

namespace hcclcpu {

using platform::runtimeFailure;

namespace {

constexpr u32 kMaxNotifyNum = platform::kMaxLinkNotifyNum;

// Runs fn(rank) on one thread per rank and returns the lowest rank's failure. Each thread starts
// with no current device, so binding one never disturbs the caller's.
template <typename Fn>
HcclResult onRankThreads(u32 rankSize, Fn fn) {
    std::vector<HcclResult> results(rankSize, HCCL_SUCCESS);
    std::vector<std::thread> threads;
    threads.reserve(rankSize);
    for (u32 rank = 0; rank < rankSize; ++rank)
        threads.emplace_back([&results, &fn, rank] { results[rank] = fn(rank); });
    for (std::thread &thread : threads)
        thread.join();
    for (HcclResult result : results)
        if (result != HCCL_SUCCESS) return result;
    return HCCL_SUCCESS;
}

}  // namespace

LinkSet::State::~State() {
    // First the peers of a process set: the monitor uses the links.
    if (monitor) monitor->stop();
    for (Rank &rank : ranks) {
        rank.p2p.clear();
        rank.links.clear();  // the links' notifies, and what they mapped of peer processes
        rank.input.free();   // no-op for views of the caller's buffers
        rank.output.free();
        if (rank.dispatcher != nullptr && rank.ownsDispatcher)
            (void)HcclDispatcherDestroy(rank.dispatcher);
        if (rank.deviceHeld) {
            rt::Err err = rt::resetDevice(rank.device);
            if (err != rt::Err::kOk)
                HCPU_WARN("link set: reset of device {} failed: {}", rank.device, rt::errName(err));
        }
    }
}

// On the rank's own thread: binds its device (the set keeps that reference), then creates the
// dispatcher, the buffers and the local end of every link.
HcclResult LinkSet::State::prepareRank(u32 rankId, const std::optional<hccl::LinkType> &forced) {
    Rank &rank = ranks[rankId];
    rank.device = static_cast<s32>(rankId);
    rank.pid = static_cast<s32>(getpid());
    rank.held = true;
    rt::Err err = rt::setDevice(rank.device);
    if (err != rt::Err::kOk)
        return runtimeFailure(err, fmt::format("link set: set device {}", rank.device));
    rank.deviceHeld = true;
    CHK_RET(HcclDispatcherInit(DispatcherType::DISPATCHER_NORMAL, rank.device, &rank.dispatcher));
    CHK_RET(hccl::DeviceMem::alloc(rank.input, bufferBytes));
    CHK_RET(hccl::DeviceMem::alloc(rank.output, bufferBytes));
    rank.links.assign(rankSize, nullptr);
    rank.p2p.assign(rankSize, nullptr);
    for (u32 peer = 0; peer < rankSize; ++peer) {
        if (peer == rankId) continue;
        CHK_RET(addLink(
            rankId, peer,
            forced ? *forced : platform::topologyLinkType(rank.device, static_cast<s32>(peer))));
    }
    return HCCL_SUCCESS;
}

HcclResult LinkSet::State::addLink(u32 rankId, u32 peer, hccl::LinkType linkType) {
    Rank &rank = ranks[rankId];
    hccl::P2pLinkConfig config;
    config.dispatcher = rank.dispatcher;
    config.localRank = rankId;
    config.remoteRank = peer;
    config.localDevice = rank.device;
    config.linkType = linkType;
    config.linkAttribute = options.linkAttribute;
    config.notifyNum = options.notifyNum;
    config.input = hccl::DeviceMem::create(rank.input.ptr(), rank.input.size());
    config.output = hccl::DeviceMem::create(rank.output.ptr(), rank.output.size());
    auto *impl = new hccl::TransportP2p(config);
    rank.links[peer] = std::make_shared<hccl::Transport>(impl);
    rank.p2p[peer] = impl;
    impl->SetSupportDataReceivedAck(options.supportDataReceivedAck);
    return impl->CreateNotifies();
}

// The exchange of link set-up: each end sends its buffers and notifies to the other end.
HcclResult LinkSet::State::connect() {
    std::vector<u8> info;
    for (u32 rank = 0; rank < rankSize; ++rank) {
        for (u32 peer = 0; peer < rankSize; ++peer) {
            if (peer == rank) continue;
            CHK_RET(ranks[rank].p2p[peer]->GetExchangeInfo(info));
            CHK_RET(ranks[peer].p2p[rank]->Connect(info));
        }
    }
    return HCCL_SUCCESS;
}

// ---- creation ----------------------------------------------------------------------------------

LinkSet::LinkSet(std::unique_ptr<State> state) : state_(std::move(state)) {}
LinkSet::~LinkSet() = default;

HcclResult LinkSet::Create(u32 rankSize, u64 bufferBytes, LinkSet *&linkSet) {
    return Create(rankSize, bufferBytes, LinkSetOptions(), linkSet);
}

HcclResult LinkSet::Create(u32 rankSize, u64 bufferBytes, const LinkSetOptions &options,
                           LinkSet *&linkSet) {
    if (rankSize == 0 || rankSize > rt::deviceCount()) {
        HCPU_ERROR(
            "link set: rankSize[{}] must be in [1, {}] (one device per rank), return "
            "HCCL_E_PARA",
            rankSize, rt::deviceCount());
        return HCCL_E_PARA;
    }
    if (bufferBytes == 0) {
        HCPU_ERROR("link set: bufferBytes is 0, return HCCL_E_PARA");
        return HCCL_E_PARA;
    }
    if (options.notifyNum > kMaxNotifyNum) {
        HCPU_ERROR("link set: notifyNum[{}] exceeds {}, return HCCL_E_PARA", options.notifyNum,
                   kMaxNotifyNum);
        return HCCL_E_PARA;
    }
    auto state = std::make_unique<State>();
    state->rankSize = rankSize;
    state->bufferBytes = bufferBytes;
    state->options = options;
    state->ranks.resize(rankSize);
    const std::optional<hccl::LinkType> forced = platform::forcedLinkType();
    State *raw = state.get();
    CHK_RET(onRankThreads(rankSize,
                          [raw, &forced](u32 rank) { return raw->prepareRank(rank, forced); }));
    CHK_RET(state->connect());
    linkSet = new LinkSet(std::move(state));
    return HCCL_SUCCESS;
}

HcclResult LinkSet::Destroy(LinkSet *linkSet) {
    delete linkSet;
    return HCCL_SUCCESS;
}

// ---- accessors ---------------------------------------------------------------------------------

u32 LinkSet::RankSize() const {
    return state_->rankSize;
}

u64 LinkSet::BufferBytes() const {
    return state_->bufferBytes;
}

namespace {
bool validRank(u32 rank, u32 rankSize, const char *what) {
    if (rank < rankSize) return true;
    HCPU_ERROR("link set: {}({}) is out of range [0, {})", what, rank, rankSize);
    return false;
}
}  // namespace

bool LinkSet::State::holds(u32 rank, const char *what) const {
    if (!validRank(rank, rankSize, what)) return false;
    if (ranks[rank].held) return true;
    HCPU_ERROR("link set: {}({}): that rank is held by another process (pid {})", what, rank,
               ranks[rank].pid);
    return false;
}

s32 LinkSet::Device(u32 rank) const {
    return validRank(rank, state_->rankSize, "Device") ? state_->ranks[rank].device : -1;
}

s32 LinkSet::Pid(u32 rank) const {
    return validRank(rank, state_->rankSize, "Pid") ? state_->ranks[rank].pid : -1;
}

hccl::DeviceMem LinkSet::Input(u32 rank) const {
    if (!state_->holds(rank, "Input")) return hccl::DeviceMem();
    const hccl::DeviceMem &mem = state_->ranks[rank].input;
    return hccl::DeviceMem::create(mem.ptr(), mem.size());
}

hccl::DeviceMem LinkSet::Output(u32 rank) const {
    if (!state_->holds(rank, "Output")) return hccl::DeviceMem();
    const hccl::DeviceMem &mem = state_->ranks[rank].output;
    return hccl::DeviceMem::create(mem.ptr(), mem.size());
}

std::vector<hccl::LINK> LinkSet::Links(u32 rank) const {
    if (!state_->holds(rank, "Links")) return {};
    return state_->ranks[rank].links;
}

HcclDispatcher LinkSet::Dispatcher(u32 rank) const {
    return state_->holds(rank, "Dispatcher") ? state_->ranks[rank].dispatcher : nullptr;
}

u32 LinkSet::LocalRank() const {
    return state_->localRank;
}

HcclResult LinkSet::AsyncError(u32 *deadPeer) const {
    return state_->monitor ? state_->monitor->asyncError(deadPeer) : HCCL_SUCCESS;
}

hccl::LinkType LinkSet::TopologyLinkType(s32 deviceA, s32 deviceB) {
    return platform::topologyLinkType(deviceA, deviceB);
}

// ---- running ranks -----------------------------------------------------------------------------

namespace {

// The notify id in a runtime error ("... notify id 12 ..."), if there is one.
std::optional<u32> notifyIdIn(const std::string &error) {
    static const std::string kKey = "notify id ";
    const size_t at = error.find(kKey);
    if (at == std::string::npos) return std::nullopt;
    const char *digits = error.c_str() + at + kKey.size();
    char *end = nullptr;
    const unsigned long id = std::strtoul(digits, &end, 10);
    if (end == digits) return std::nullopt;
    return static_cast<u32>(id);
}

}  // namespace

std::string LinkSet::State::describeFailure(u32 rank, const std::string &runtimeError,
                                            u32 *peer) const {
    *peer = INVALID_VALUE_RANKID;
    const std::optional<u32> id = notifyIdIn(runtimeError);
    if (!id) return std::string();
    const Rank &own = ranks[rank];
    for (u32 p = 0; p < own.p2p.size(); ++p) {
        if (own.p2p[p] == nullptr) continue;
        const std::string role = own.p2p[p]->NotifyRole(*id);
        if (role.empty()) continue;
        *peer = p;
        return fmt::format("notify id {} is the {} of the link to rank {} (pid {}, device {})", *id,
                           role, p, ranks[p].pid, ranks[p].device);
    }
    return std::string();
}

// Waits for the rank's stream; a failed task is reported with everything needed to find it.
HcclResult LinkSet::State::synchronize(u32 rank, hccl::Stream &stream) const {
    auto *rtStreamPtr = static_cast<rt::Stream *>(stream.ptr());
    if (rtStreamPtr == nullptr) {
        HCPU_ERROR("rank {}: synchronize of an empty stream, return HCCL_E_PTR", rank);
        return HCCL_E_PTR;
    }
    rt::Err err = rt::streamSynchronize(rtStreamPtr);
    if (err == rt::Err::kOk) return HCCL_SUCCESS;
    const std::string error = rt::streamLastError(rtStreamPtr);
    u32 peer = INVALID_VALUE_RANKID;
    const std::string link = describeFailure(rank, error, &peer);
    HcclResult result = HCCL_E_RUNTIME;
    if (err == rt::Err::kTimeout) {
        result = HCCL_E_TIMEOUT;
    } else if (peer != INVALID_VALUE_RANKID && monitor && monitor->peerGone(peer)) {
        result = HCCL_E_REMOTE;
    }
    HCPU_ERROR("rank {} (device {}): stream {} failed: {}{}{}, return {}", rank, ranks[rank].device,
               stream.id(), error, link.empty() ? "" : "; ", link,
               result == HCCL_E_TIMEOUT  ? "HCCL_E_TIMEOUT"
               : result == HCCL_E_REMOTE ? "HCCL_E_REMOTE"
                                         : "HCCL_E_RUNTIME");
    return result;
}

HcclResult LinkSet::Synchronize(u32 rank, hccl::Stream &stream) const {
    if (!state_->holds(rank, "Synchronize")) return HCCL_E_PARA;
    return state_->synchronize(rank, stream);
}

HcclResult LinkSet::State::runRank(
    u32 rank, const std::function<HcclResult(u32, hccl::Stream &)> &body) const {
    const s32 device = ranks[rank].device;
    rt::Err err = rt::setDevice(device);
    if (err != rt::Err::kOk)
        return runtimeFailure(err, fmt::format("rank {}: set device {}", rank, device));
    HcclResult result = HCCL_SUCCESS;
    {
        hccl::Stream stream(hccl::StreamType::STREAM_TYPE_ONLINE, true);
        if (!stream) {
            HCPU_ERROR("rank {} (device {}): cannot create a stream, return HCCL_E_RUNTIME", rank,
                       device);
            result = HCCL_E_RUNTIME;
        } else {
            result = body(rank, stream);
            if (result != HCCL_SUCCESS)
                HCPU_ERROR("rank {} (device {}): the rank's body returned {}", rank, device,
                           static_cast<int>(result));
            // Always: no task may outlive the body's buffers.
            HcclResult synced = synchronize(rank, stream);
            if (result == HCCL_SUCCESS) result = synced;
        }
    }
    (void)rt::resetDevice(device);
    return result;
}

HcclResult LinkSet::RunRanks(
    const std::function<HcclResult(u32 rank, hccl::Stream &stream)> &body) const {
    if (!body) {
        HCPU_ERROR("link set: RunRanks without a body, return HCCL_E_PTR");
        return HCCL_E_PTR;
    }
    const State *state = state_.get();
    if (state->localRank != INVALID_VALUE_RANKID) {  // the other ranks are other processes'
        HcclResult result = HCCL_SUCCESS;
        std::thread([&] { result = state->runRank(state->localRank, body); }).join();
        return result;
    }
    return onRankThreads(state->rankSize,
                         [state, &body](u32 rank) { return state->runRank(rank, body); });
}

}  // namespace hcclcpu
