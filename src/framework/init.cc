#include "framework/init.h"

#include <chrono>
#include <memory>

#include "common/log.h"
#include "framework/algo_config.h"
#include "framework/comm_resources.h"
#include "framework/communicator.h"
#include "framework/config.h"
#include "framework/rendezvous.h"
#include "runtime/runtime.h"

namespace hcclcpu::framework {

namespace {

// The link set's job id: the same on every rank of the communicator (the secret and rank 0's
// identity come from the rendezvous) and different for every communicator alive on this host
// (rank 0's bootstrap listener port is unique while it lives; its process token tells apart
// processes in other network namespaces).
std::string linkJobId(const Secret &secret, const Bootstrap &bootstrap) {
    std::string id;
    for (uint8_t b : secret)
        id += fmt::format("{:02x}", b);
    const PeerInfo &root = bootstrap.peer(0);
    return fmt::format("{}.{:x}.{}", id, root.processToken, root.address.port);
}

HcclResult createCommunicator(const InitPlan &plan, const HcclCommConfig *config,
                              HcclComm *handle) {
    int32_t device = -1;
    if (rt::currentDevice(&device) != rt::Err::kOk) {
        HCPU_ERROR("rank {} of {}: the calling thread has no device (call aclrtSetDevice first)",
                   plan.rank, plan.nRanks);
        return HCCL_E_RUNTIME;
    }
    CommSettings settings;
    if (HcclResult r = resolveSettings(config, &settings); r != HCCL_SUCCESS) return r;
    algorithm::AlgoConfig algo;
    algo.deterministic = settings.deterministic != 0;
    if (HcclResult r = parseAlgoConfig(settings.algo, &algo); r != HCCL_SUCCESS) {
        HCPU_ERROR(
            "rank {} of {}: the algorithm setting (hcclAlgo or HCCL_ALGO) \"{}\" is "
            "invalid",
            plan.rank, plan.nRanks, settings.algo);
        return r;
    }
    std::string name = settings.name.empty() ? plan.defaultName : settings.name;
    if (!reserveCommName(name, device)) {
        HCPU_ERROR("rank {} of {}: a communicator named \"{}\" already exists on device {}",
                   plan.rank, plan.nRanks, name, device);
        return HCCL_E_PARA;
    }

    JoinRequest request;
    request.root = plan.root;
    request.secret = plan.secret;
    request.nRanks = plan.nRanks;
    request.rank = plan.rank;
    request.device = device;
    request.bindAddress = plan.peerBind;
    request.timeoutS = connectTimeoutSeconds();
    request.listenerKey = plan.listenerKey;
    std::unique_ptr<Bootstrap> bootstrap;
    HcclResult result = joinRendezvous(request, &bootstrap);
    if (result == HCCL_SUCCESS && rt::setDevice(device) != rt::Err::kOk) {
        // The communicator keeps its device alive; the matching reset is in ~Communicator.
        HCPU_ERROR("rank {} of {}: cannot take a reference on device {}", plan.rank, plan.nRanks,
                   device);
        result = HCCL_E_RUNTIME;
    }
    if (result != HCCL_SUCCESS) {
        releaseCommName(name, device);
        return result;
    }
    std::string jobId = linkJobId(plan.secret, *bootstrap);
    auto comm = std::make_unique<Communicator>(plan.rank, plan.nRanks, device, name,
                                               std::move(settings), algo, std::move(bootstrap));
    ResourceRequest needs;
    needs.rank = plan.rank;
    needs.size = plan.nRanks;
    needs.device = device;
    needs.bufferBytes = comm->cclBufferBytes();
    needs.execTimeoutS = comm->execTimeoutSeconds();
    needs.jobId = jobId;
    needs.connectTimeoutS = connectTimeoutSeconds();
    std::unique_ptr<CommResources> resources;
    result = CommResources::open(needs, comm->bootstrap(), &resources);
    if (result != HCCL_SUCCESS) {
        HCPU_ERROR(
            "rank {} of {}: communicator {} on device {}: creating its buffers and links "
            "failed: error {}",
            plan.rank, plan.nRanks, name, device, static_cast<int>(result));
        comm.reset();  // releases what was made and the device reference
        releaseCommName(name, device);
        return result;
    }
    comm->attachResources(std::move(resources));
    HCPU_INFO(
        "communicator {} rank {} of {} on device {}: CCL buffers 2 x {} MB, exec timeout "
        "{} s",
        name, plan.rank, plan.nRanks, device, comm->settings().bufferSizeMB,
        comm->execTimeoutSeconds());
    *handle = registerCommunicator(std::move(comm));
    return HCCL_SUCCESS;
}

}  // namespace

HcclResult initCommunicator(const InitPlan &plan, const HcclCommConfig *config, HcclComm *comm) {
    HcclResult result = createCommunicator(plan, config, comm);
    releaseRootListener(plan.listenerKey, result);
    return result;
}

uint64_t wallClockMicros() {
    auto now = std::chrono::system_clock::now().time_since_epoch();
    return static_cast<uint64_t>(
        std::chrono::duration_cast<std::chrono::microseconds>(now).count());
}

}  // namespace hcclcpu::framework
