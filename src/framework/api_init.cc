// Entry points that create communicators: HcclGetRootInfo, HcclCommInitRootInfo[Config],
// HcclCommInitClusterInfo[Config], HcclCommInitAll.
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <functional>
#include <thread>
#include <vector>

#include "common/log.h"
#include "framework/api_guard.h"
#include "framework/communicator.h"
#include "framework/config.h"
#include "framework/init.h"
#include "framework/nic.h"
#include "framework/rank_table.h"
#include "framework/rendezvous.h"
#include "hccl/hccl.h"
#include "runtime/runtime.h"

namespace fw = hcclcpu::framework;
namespace rt = hcclcpu::rt;

namespace {

constexpr const char *kLoopback = "127.0.0.1";
constexpr const char *kRankTableCommName = "hccl_world_group";

std::string hex(const fw::Secret &bytes) {
    std::string text;
    for (uint8_t b : bytes)
        text += fmt::format("{:02x}", b);
    return text;
}

// Binds a root listener on `address` (first free of `ports`) and starts serving it.
HcclResult startRoot(const char *api, const fw::SocketAddress &address,
                     const std::vector<uint16_t> &ports, const fw::Secret &secret,
                     const std::function<std::string(const fw::SocketAddress &)> &makeKey,
                     fw::SocketAddress *bound, std::string *key) {
    fw::UniqueFd listener;
    fw::IoResult io = fw::listenOnFirstFree(address, ports, &listener, bound);
    if (!io.ok()) {
        std::string tried = ports.size() == 1 ? std::to_string(ports.front())
                                              : fmt::format("{}..{}", ports.front(), ports.back());
        HCPU_ERROR("{}: cannot listen on {} port {}: {}", api, address.ipString(), tried,
                   io.describe());
        return io.error == EADDRINUSE ? HCCL_E_UNAVAIL : HCCL_E_NETWORK;
    }
    *key = makeKey(*bound);
    return fw::startRootListener(std::move(listener), *bound, secret, *key,
                                 fw::connectTimeoutSeconds());
}

HcclResult initFromRootInfo(const char *api, uint32_t nRanks, const HcclRootInfo *rootInfo,
                            uint32_t rank, const HcclCommConfig *config, HcclComm *comm) {
    fw::RootInfo info;
    if (HcclResult r = fw::decodeRootInfo(rootInfo, &info); r != HCCL_SUCCESS) return r;
    if (nRanks == 0 || nRanks > fw::kMaxRanks || rank >= nRanks) {
        HCPU_ERROR("{}: rank {} with nRanks {} (nRanks must be in [1, {}], rank below it)", api,
                   rank, nRanks, fw::kMaxRanks);
        fw::releaseRootListener(info.uniqueId, HCCL_E_PARA);
        return HCCL_E_PARA;
    }
    fw::InitPlan plan;
    plan.nRanks = nRanks;
    plan.rank = rank;
    plan.root = info.address;
    plan.secret = info.secret;
    plan.listenerKey = info.uniqueId;
    plan.defaultName = info.uniqueId;
    if (info.address.isLoopback()) {
        // A root on loopback means every rank is on this host: stay on loopback.
        plan.peerBind = info.address;
    } else {
        fw::NetInterface nic;
        if (HcclResult r = fw::selectHostAddress(&nic); r != HCCL_SUCCESS) {
            fw::releaseRootListener(info.uniqueId, r);
            return r;
        }
        plan.peerBind = nic.address;
    }
    plan.peerBind.port = 0;
    return fw::initCommunicator(plan, config, comm);
}

HcclResult initFromRankTable(const char *api, const char *path, uint32_t rank,
                             const HcclCommConfig *config, HcclComm *comm) {
    fw::RankTable table;
    if (HcclResult r = fw::loadRankTable(path, &table); r != HCCL_SUCCESS) return r;
    if (rank >= table.ranks.size()) {
        HCPU_ERROR("{}: rank {} is not in the rank table \"{}\" (ranks 0..{})", api, rank, path,
                   table.ranks.size() - 1);
        return HCCL_E_PARA;
    }
    const fw::RankTableEntry &self = table.ranks[rank];
    int32_t device = -1;
    if (rt::currentDevice(&device) == rt::Err::kOk && device != static_cast<int32_t>(self.deviceId))
        HCPU_WARN(
            "{}: rank {} is device_id {} in the rank table, the calling thread uses device "
            "{}; the thread's device is used",
            api, rank, self.deviceId, device);

    // Rank 0 serves the rendezvous at its server's host_ip (or loopback) on HCCL_IF_BASE_PORT;
    // the file's hash is the secret, so only ranks reading the same file can join.
    const fw::RankTableEntry &first = table.ranks[0];
    std::optional<fw::SocketAddress> root =
        fw::SocketAddress::parse(first.hostIp.empty() ? kLoopback : first.hostIp, fw::basePort());
    std::optional<fw::SocketAddress> peerBind =
        fw::SocketAddress::parse(self.hostIp.empty() ? kLoopback : self.hostIp, 0);
    if (!root || !peerBind) return HCCL_E_PARA;  // parseRankTable checked host_ip already
    std::string key = fmt::format("ranktable_{}_{}", hex(table.digest), root->port);
    if (rank == 0) {
        fw::SocketAddress bound;
        HcclResult r = startRoot(
            api, *root, {root->port}, table.digest, [&](const fw::SocketAddress &) { return key; },
            &bound, &key);
        if (r != HCCL_SUCCESS) return r;
    }
    fw::InitPlan plan;
    plan.nRanks = static_cast<uint32_t>(table.ranks.size());
    plan.rank = rank;
    plan.root = *root;
    plan.secret = table.digest;
    plan.listenerKey = key;
    plan.defaultName = kRankTableCommName;
    plan.peerBind = *peerBind;
    return fw::initCommunicator(plan, config, comm);
}

}  // namespace

extern "C" {

HcclResult HcclGetRootInfo(HcclRootInfo *rootInfo) {
    const char *api = __func__;
    return fw::guarded(api, [&] {
        if (rootInfo == nullptr) return fw::nullArgument(api, "rootInfo");
        int32_t device = -1;
        rt::currentDevice(&device);  // only names the root; no device is needed
        fw::NetInterface nic;
        if (HcclResult r = fw::selectHostAddress(&nic); r != HCCL_SUCCESS) return r;
        std::vector<uint16_t> ports;
        if (HcclResult r = fw::rootListenPorts(&ports); r != HCCL_SUCCESS) return r;
        fw::RootInfo info;
        if (HcclResult r = fw::randomSecret(&info.secret); r != HCCL_SUCCESS) return r;
        HcclResult r = startRoot(
            api, nic.address, ports, info.secret,
            [&](const fw::SocketAddress &bound) {
                return fmt::format("{}_{}_{}_{}", bound.ipString(), bound.port, device,
                                   fw::wallClockMicros());
            },
            &info.address, &info.uniqueId);
        if (r != HCCL_SUCCESS) return r;
        fw::encodeRootInfo(info, rootInfo);
        return HCCL_SUCCESS;
    });
}

HcclResult HcclCommInitRootInfo(uint32_t nRanks, const HcclRootInfo *rootInfo, uint32_t rank,
                                HcclComm *comm) {
    const char *api = __func__;
    return fw::guarded(api, [&] {
        if (rootInfo == nullptr) return fw::nullArgument(api, "rootInfo");
        if (comm == nullptr) return fw::nullArgument(api, "comm");
        return initFromRootInfo(api, nRanks, rootInfo, rank, nullptr, comm);
    });
}

HcclResult HcclCommInitRootInfoConfig(uint32_t nRanks, const HcclRootInfo *rootInfo, uint32_t rank,
                                      const HcclCommConfig *config, HcclComm *comm) {
    const char *api = __func__;
    return fw::guarded(api, [&] {
        if (rootInfo == nullptr) return fw::nullArgument(api, "rootInfo");
        if (config == nullptr) return fw::nullArgument(api, "config");
        if (comm == nullptr) return fw::nullArgument(api, "comm");
        return initFromRootInfo(api, nRanks, rootInfo, rank, config, comm);
    });
}

HcclResult HcclCommInitClusterInfo(const char *clusterInfo, uint32_t rank, HcclComm *comm) {
    const char *api = __func__;
    return fw::guarded(api, [&] {
        if (clusterInfo == nullptr) return fw::nullArgument(api, "clusterInfo");
        if (comm == nullptr) return fw::nullArgument(api, "comm");
        return initFromRankTable(api, clusterInfo, rank, nullptr, comm);
    });
}

HcclResult HcclCommInitClusterInfoConfig(const char *clusterInfo, uint32_t rank,
                                         HcclCommConfig *config, HcclComm *comm) {
    const char *api = __func__;
    return fw::guarded(api, [&] {
        if (clusterInfo == nullptr) return fw::nullArgument(api, "clusterInfo");
        if (config == nullptr) return fw::nullArgument(api, "config");
        if (comm == nullptr) return fw::nullArgument(api, "comm");
        return initFromRankTable(api, clusterInfo, rank, config, comm);
    });
}

HcclResult HcclCommInitAll(uint32_t ndev, int32_t *devices, HcclComm *comms) {
    const char *api = __func__;
    return fw::guarded(api, [&] {
        if (devices == nullptr) return fw::nullArgument(api, "devices");
        if (comms == nullptr) return fw::nullArgument(api, "comms");
        if (ndev == 0) {
            HCPU_ERROR("{}: ndev is 0", api);
            return HCCL_E_PARA;
        }
        const uint32_t count = rt::deviceCount();
        for (uint32_t i = 0; i < ndev; ++i) {
            if (devices[i] < 0 || static_cast<uint32_t>(devices[i]) >= count) {
                HCPU_ERROR("{}: devices[{}] = {} is not a device (0..{})", api, i, devices[i],
                           count - 1);
                return HCCL_E_PARA;
            }
            for (uint32_t j = 0; j < i; ++j)
                if (devices[j] == devices[i]) {
                    HCPU_ERROR("{}: device {} is listed twice (devices[{}] and devices[{}])", api,
                               devices[i], j, i);
                    return HCCL_E_PARA;
                }
        }

        // All ranks live in this process: the rendezvous runs on loopback.
        static std::atomic<uint64_t> counter{0};
        fw::InitPlan plan;
        plan.nRanks = ndev;
        plan.peerBind = *fw::SocketAddress::parse(kLoopback, 0);
        if (HcclResult r = fw::randomSecret(&plan.secret); r != HCCL_SUCCESS) return r;
        HcclResult r = startRoot(
            api, plan.peerBind, {0}, plan.secret,
            [&](const fw::SocketAddress &) {
                return fmt::format("initall_{}_{}_{}", getpid(), counter.fetch_add(1),
                                   fw::wallClockMicros());
            },
            &plan.root, &plan.listenerKey);
        if (r != HCCL_SUCCESS) return r;
        plan.defaultName = plan.listenerKey;

        // One thread per device; devices[0] is rank 0.
        std::vector<HcclResult> results(ndev, HCCL_E_INTERNAL);
        std::vector<HcclComm> handles(ndev, nullptr);
        std::vector<std::thread> threads;
        auto runRank = [&](uint32_t rank) {
            fw::InitPlan mine = plan;
            mine.rank = rank;
            if (rt::setDevice(devices[rank]) != rt::Err::kOk) {
                results[rank] = HCCL_E_RUNTIME;
                fw::releaseRootListener(plan.listenerKey, HCCL_E_RUNTIME);
                return;
            }
            results[rank] = fw::initCommunicator(mine, nullptr, &handles[rank]);
            rt::resetDevice(devices[rank]);  // the communicator holds its own reference
        };
        try {
            for (uint32_t rank = 0; rank < ndev; ++rank)
                threads.emplace_back(runRank, rank);
        } catch (const std::system_error &e) {
            HCPU_ERROR("{}: cannot start a thread per device: {}", api, e.what());
            fw::releaseRootListener(plan.listenerKey, HCCL_E_INTERNAL);
        }
        for (std::thread &t : threads)
            t.join();

        // Report the cause, not its echo: the other ranks of a failed rank time out or are
        // turned away by the aborted root.
        HcclResult first = HCCL_SUCCESS;
        for (uint32_t rank = 0; rank < ndev; ++rank) {
            HcclResult result = rank < threads.size() ? results[rank] : HCCL_E_INTERNAL;
            if (result == HCCL_SUCCESS) continue;
            bool echo = result == HCCL_E_TIMEOUT || result == HCCL_E_TCP_TRANSFER;
            if (first == HCCL_SUCCESS ||
                (!echo && (first == HCCL_E_TIMEOUT || first == HCCL_E_TCP_TRANSFER)))
                first = result;
        }
        if (first != HCCL_SUCCESS) {
            for (HcclComm handle : handles)
                if (handle != nullptr) fw::destroyCommunicator(handle);
            return first;
        }
        std::memcpy(comms, handles.data(), ndev * sizeof(HcclComm));
        return HCCL_SUCCESS;
    });
}

}  // extern "C"
