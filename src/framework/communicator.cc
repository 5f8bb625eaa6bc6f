#include "framework/communicator.h"

#include <map>
#include <mutex>
#include <set>
#include <utility>

#include "common/log.h"
#include "runtime/runtime.h"

namespace hcclcpu::framework {

Communicator::Communicator(uint32_t rank, uint32_t size, int32_t device, std::string name,
                           CommSettings settings, algorithm::AlgoConfig algo,
                           std::unique_ptr<Bootstrap> bootstrap)
    : rank_(rank),
      size_(size),
      device_(device),
      name_(std::move(name)),
      settings_(std::move(settings)),
      algo_(algo),
      bootstrap_(std::move(bootstrap)) {}

Communicator::~Communicator() {
    resources_.reset();  // links, buffers and dispatcher go before the device reference
    // The reference taken at init (see initCommunicator).
    rt::Err err = rt::resetDevice(device_);
    if (err != rt::Err::kOk)
        HCPU_WARN("communicator {}: releasing device {} failed: {}", name_, device_,
                  rt::errName(err));
}

HcclResult Communicator::asyncError() const {
    HcclResult latched = asyncError_.load();
    if (latched != HCCL_SUCCESS) return latched;
    if (resources_ != nullptr) {
        HcclResult links = resources_->linkError();
        if (links != HCCL_SUCCESS) return links;
    }
    return bootstrap_->broken();
}

void Communicator::latchAsyncError(HcclResult error) {
    HcclResult none = HCCL_SUCCESS;
    asyncError_.compare_exchange_strong(none, error);
}

namespace {

struct Registry {
    std::mutex mutex;
    std::map<HcclComm, std::unique_ptr<Communicator>> live;
    std::set<std::pair<int32_t, std::string>> names;
};

Registry &registry() {
    static Registry *instance = new Registry;  // never destroyed: handles may outlive main()
    return *instance;
}

}  // namespace

bool reserveCommName(const std::string &name, int32_t device) {
    std::lock_guard lock(registry().mutex);
    return registry().names.emplace(device, name).second;
}

void releaseCommName(const std::string &name, int32_t device) {
    std::lock_guard lock(registry().mutex);
    registry().names.erase({device, name});
}

HcclComm registerCommunicator(std::unique_ptr<Communicator> comm) {
    HcclComm handle = comm.get();
    std::lock_guard lock(registry().mutex);
    registry().live.emplace(handle, std::move(comm));
    return handle;
}

Communicator *findCommunicator(HcclComm handle, const char *api) {
    std::lock_guard lock(registry().mutex);
    auto it = registry().live.find(handle);
    if (it == registry().live.end()) {
        HCPU_ERROR("{}: {} is not a live communicator", api, handle);
        return nullptr;
    }
    return it->second.get();
}

Communicator *acquireCommunicator(HcclComm handle, const char *api) {
    std::lock_guard lock(registry().mutex);
    auto it = registry().live.find(handle);
    if (it == registry().live.end()) {
        HCPU_ERROR("{}: {} is not a live communicator", api, handle);
        return nullptr;
    }
    it->second->enter();
    return it->second.get();
}

HcclResult destroyCommunicator(HcclComm handle) {
    std::unique_ptr<Communicator> comm;
    {
        std::lock_guard lock(registry().mutex);
        auto it = registry().live.find(handle);
        if (it == registry().live.end()) {
            HCPU_ERROR("HcclCommDestroy: {} is not a live communicator", handle);
            return HCCL_E_PARA;
        }
        if (it->second->busy()) {
            HCPU_ERROR("HcclCommDestroy: communicator {} is busy (an operation is running)",
                       it->second->name());
            return HCCL_E_AGAIN;
        }
        comm = std::move(it->second);
        registry().live.erase(it);
        registry().names.erase({comm->device(), comm->name()});
    }
    HCPU_INFO("communicator {} rank {} of {} destroyed", comm->name(), comm->rank(), comm->size());
    return HCCL_SUCCESS;  // `comm` closes its sockets and releases its device here
}

}  // namespace hcclcpu::framework
