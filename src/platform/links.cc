// hcclcpu::LinkSet: a full mesh of P2P links between thread ranks of this process.
#include "hccl_cpu_links.h"

#include <memory>
#include <optional>
#include <thread>

#include "common/log.h"
#include "log.h"
#include "platform/links_topology.h"
#include "platform/rt_bridge.h"
#include "platform/transport_p2p.h"
#include "runtime/runtime.h"

namespace hcclcpu {

using platform::runtimeFailure;

namespace {

constexpr u32 kMaxNotifyNum = 64;

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

struct LinkSet::State {
    struct Rank {
        s32 device = -1;
        bool deviceHeld = false;  // the set holds one reference on the device (rt::setDevice)
        HcclDispatcher dispatcher = nullptr;
        hccl::DeviceMem input;  // owners
        hccl::DeviceMem output;
        std::vector<hccl::LINK> links;          // links[peer]
        std::vector<hccl::TransportP2p *> p2p;  // links[peer]'s implementation
    };

    u32 rankSize = 0;
    u64 bufferBytes = 0;
    LinkSetOptions options;
    std::vector<Rank> ranks;

    ~State();
    HcclResult prepareRank(u32 rank, const std::optional<hccl::LinkType> &forced);
    HcclResult connect();
};

LinkSet::State::~State() {
    for (Rank &rank : ranks) {
        rank.p2p.clear();
        rank.links.clear();  // the links' notifies
        rank.input.free();
        rank.output.free();
        if (rank.dispatcher != nullptr) (void)HcclDispatcherDestroy(rank.dispatcher);
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
        hccl::P2pLinkConfig config;
        config.dispatcher = rank.dispatcher;
        config.localRank = rankId;
        config.remoteRank = peer;
        config.localDevice = rank.device;
        config.linkType =
            forced ? *forced : platform::topologyLinkType(rank.device, static_cast<s32>(peer));
        config.linkAttribute = options.linkAttribute;
        config.notifyNum = options.notifyNum;
        config.input = hccl::DeviceMem::create(rank.input.ptr(), rank.input.size());
        config.output = hccl::DeviceMem::create(rank.output.ptr(), rank.output.size());
        auto *impl = new hccl::TransportP2p(config);
        rank.links[peer] = std::make_shared<hccl::Transport>(impl);
        rank.p2p[peer] = impl;
        impl->SetSupportDataReceivedAck(options.supportDataReceivedAck);
        CHK_RET(impl->CreateNotifies());
    }
    return HCCL_SUCCESS;
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

s32 LinkSet::Device(u32 rank) const {
    return validRank(rank, state_->rankSize, "Device") ? state_->ranks[rank].device : -1;
}

hccl::DeviceMem LinkSet::Input(u32 rank) const {
    if (!validRank(rank, state_->rankSize, "Input")) return hccl::DeviceMem();
    const hccl::DeviceMem &mem = state_->ranks[rank].input;
    return hccl::DeviceMem::create(mem.ptr(), mem.size());
}

hccl::DeviceMem LinkSet::Output(u32 rank) const {
    if (!validRank(rank, state_->rankSize, "Output")) return hccl::DeviceMem();
    const hccl::DeviceMem &mem = state_->ranks[rank].output;
    return hccl::DeviceMem::create(mem.ptr(), mem.size());
}

std::vector<hccl::LINK> LinkSet::Links(u32 rank) const {
    if (!validRank(rank, state_->rankSize, "Links")) return {};
    return state_->ranks[rank].links;
}

HcclDispatcher LinkSet::Dispatcher(u32 rank) const {
    return validRank(rank, state_->rankSize, "Dispatcher") ? state_->ranks[rank].dispatcher
                                                           : nullptr;
}

hccl::LinkType LinkSet::TopologyLinkType(s32 deviceA, s32 deviceB) {
    return platform::topologyLinkType(deviceA, deviceB);
}

// ---- running ranks -----------------------------------------------------------------------------

namespace {

// Waits for the rank's stream; a failed task is reported with everything needed to find it.
HcclResult synchronizeRank(u32 rank, s32 device, hccl::Stream &stream) {
    auto *rtStreamPtr = static_cast<rt::Stream *>(stream.ptr());
    rt::Err err = rt::streamSynchronize(rtStreamPtr);
    if (err == rt::Err::kOk) return HCCL_SUCCESS;
    HcclResult result = err == rt::Err::kTimeout ? HCCL_E_TIMEOUT : HCCL_E_RUNTIME;
    HCPU_ERROR("rank {} (device {}): stream {} failed: {}, return {}", rank, device, stream.id(),
               rt::streamLastError(rtStreamPtr),
               result == HCCL_E_TIMEOUT ? "HCCL_E_TIMEOUT" : "HCCL_E_RUNTIME");
    return result;
}

HcclResult runRank(u32 rank, s32 device,
                   const std::function<HcclResult(u32, hccl::Stream &)> &body) {
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
            HcclResult synced = synchronizeRank(rank, device, stream);
            if (result == HCCL_SUCCESS) result = synced;
        }
    }
    (void)rt::resetDevice(device);
    return result;
}

}  // namespace

HcclResult LinkSet::RunRanks(
    const std::function<HcclResult(u32 rank, hccl::Stream &stream)> &body) const {
    if (!body) {
        HCPU_ERROR("link set: RunRanks without a body, return HCCL_E_PTR");
        return HCCL_E_PTR;
    }
    const State *state = state_.get();
    return onRankThreads(state->rankSize, [state, &body](u32 rank) {
        return runRank(rank, state->ranks[rank].device, body);
    });
}

}  // namespace hcclcpu
