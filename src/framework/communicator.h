// A communicator: one rank's view of a group of ranks, behind an HcclComm handle.
//
// It holds the rank's identity, its settings (buffer size, timeouts, ...), a reference on its
// device (so the device outlives the communicator), and the bootstrap network to the other
// ranks. CCL buffers and links are added by the link layer; the sizes they need are here.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "framework/bootstrap.h"
#include "framework/config.h"
#include "hccl/hccl_types.h"

namespace hcclcpu::framework {

class Communicator {
  public:
    Communicator(uint32_t rank, uint32_t size, int32_t device, std::string name,
                 CommSettings settings, std::unique_ptr<Bootstrap> bootstrap);
    ~Communicator();
    Communicator(const Communicator &) = delete;
    Communicator &operator=(const Communicator &) = delete;

    uint32_t rank() const { return rank_; }
    uint32_t size() const { return size_; }
    int32_t device() const { return device_; }
    const std::string &name() const { return name_; }
    const CommSettings &settings() const { return settings_; }
    Bootstrap &bootstrap() { return *bootstrap_; }

    // Bytes of each CCL buffer (input and output): HCCL_BUFFSIZE MB or the config's.
    uint64_t cclBufferBytes() const { return settings_.cclBufferBytes(); }
    int32_t execTimeoutSeconds() const { return settings_.execTimeoutS; }

    // The error HcclGetCommAsyncError reports: the first latched one, or the bootstrap's.
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
    std::unique_ptr<Bootstrap> bootstrap_;
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
