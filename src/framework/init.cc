#include "framework/init.h"

#include <chrono>
#include <memory>

#include "common/log.h"
#include "framework/communicator.h"
#include "framework/config.h"
#include "framework/rendezvous.h"
#include "runtime/runtime.h"

namespace hcclcpu::framework {

namespace {

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
    HCPU_INFO(
        "communicator {} rank {} of {} on device {}: CCL buffers 2 x {} MB, exec timeout "
        "{} s",
        name, plan.rank, plan.nRanks, device, settings.bufferSizeMB, settings.execTimeoutS);
    *handle = registerCommunicator(std::make_unique<Communicator>(
        plan.rank, plan.nRanks, device, name, std::move(settings), std::move(bootstrap)));
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
