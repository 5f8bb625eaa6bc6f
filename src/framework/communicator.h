// A communicator: one rank's view of a group of ranks, behind an HcclComm handle.
//
// It holds the rank's identity, its settings (buffer size, timeouts, ...), a reference on its
// device (so the device outlives the communicator), and the bootstrap network to the other
// ranks, and what operations run on: the dispatcher, the CCL buffers, the links to the other
// ranks (CommResources) and the parsed HCCL_ALGO / HCCL_DETERMINISTIC settings.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "algorithm/op_context.h"
#include "framework/bootstrap.h"
#include "framework/comm_resources.h"
#include "framework/config.h"
#include "hccl/hccl_types.h"

namespace hcclcpu::framework {

class Communicator {
  public:
    Communicator(uint32_t rank, uint32_t size, int32_t device, std::string name,
                 CommSettings settings, algorithm::AlgoConfig algo,
                 std::unique_ptr<Bootstrap> bootstrap);
    ~Communicator();
    Communicator(const Communicator &) = delete;
    Communicator &operator=(const Communicator &) = delete;

    uint32_t rank() const { return rank_; }
    uint32_t size() const { return size_; }
    int32_t device() const { return device_; }
    const std::string &name() const { return name_; }
    const CommSettings &settings() const { return settings_; }
    Bootstrap &bootstrap() { return *bootstrap_; }
    const algorithm::AlgoConfig &algo() const { return algo_; }

    // Set once at creation, before the handle is published.
    void attachResources(std::unique_ptr<CommResources> resources) {
        resources_ = std::move(resources);
    }
    CommResources &resources() { return *resources_; }
    // Operations of one communicator are issued one at a time (they share the CCL buffers and
    // the links' notifies), whichever host thread calls.
    std::mutex &opMutex() { return opMutex_; }

    // Bytes of each CCL buffer (input and output): HCCL_BUFFSIZE MB or the config's.
    uint64_t cclBufferBytes() const { return settings_.cclBufferBytes(); }
    int32_t execTimeoutSeconds() const { return settings_.execTimeoutS; }

    // The error HcclGetCommAsyncError reports: the first latched one, else HCCL_E_REMOTE when a
    // peer process died, else the bootstrap's.
    HcclResult asyncError() const;
    void latchAsyncError(HcclResult error);

    // Operations mark the communicator busy while they run; HcclCommDestroy refuses
    // (HCCL_E_AGAIN) a busy communicator.
    void enter() { busy_.fetch_add(1); }
    void leave() { busy_.fetch_sub(1); }
    bool busy() const { return busy_.load() != 0; }

  private:
    const uint32_t rank_;
    const uint32_t size_;
    const int32_t device_;
    const std::string name_;
    const CommSettings settings_;
    const algorithm::AlgoConfig algo_;
    std::unique_ptr<Bootstrap> bootstrap_;
    std::unique_ptr<CommResources> resources_;
    std::mutex opMutex_;
    std::atomic<HcclResult> asyncError_{HCCL_SUCCESS};
    std::atomic<int> busy_{0};
};

// ---- handles --------------------------------------------------------------------------------
// Live communicators of this process. A handle that is not (or no longer) one of them is
// rejected instead of dereferenced.

// Reserves `name` on `device`: names are unique per device (ranks of one communicator that
// live in one process use different devices). False when taken.
bool reserveCommName(const std::string &name, int32_t device);
void releaseCommName(const std::string &name, int32_t device);

HcclComm registerCommunicator(std::unique_ptr<Communicator> comm);
// nullptr (logged, naming `api`) when `handle` is not a live communicator.
Communicator *findCommunicator(HcclComm handle, const char *api);
// For operations: finds the communicator and marks it busy in one step, so that a concurrent
// HcclCommDestroy cannot free it underneath. Pair with comm->leave().
Communicator *acquireCommunicator(HcclComm handle, const char *api);
// Unregisters and deletes; HCCL_E_AGAIN when busy. The name reservation is released.
HcclResult destroyCommunicator(HcclComm handle);

}  // namespace hcclcpu::framework
