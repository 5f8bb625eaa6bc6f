// Notifies: binary wait-and-reset flags that order streams, within a device, across devices and
// across processes.
//
// Notifies are cache-line slots of the process's shared runtime area (shared_area.h); a notify's
// byte offset among the slots is what task reports call its offset. A record sets the flag and
// rings the engine of every device with a stream parked on it — through the area, so a record from
// a peer process that mapped the area wakes our engines the same way.
#pragma once

#include <atomic>
#include <cstdint>

namespace hcclcpu::rt {

class alignas(64) Notify {
  public:
    static constexpr uint32_t kMagic = 0x4e6f7469;  // "Noti"

    // Set the flag and wake engines with streams parked on it.
    void record();
    // record() in two steps: an engine sets the flag and rings the waiters a moment later.
    void set() { flag_.store(1, std::memory_order_seq_cst); }
    void ringWaiters();
    // Wait-and-reset: true (and the flag cleared) when the flag was set.
    bool tryConsume() {
        if (flag_.load(std::memory_order_acquire) == 0) return false;
        return flag_.exchange(0, std::memory_order_acq_rel) != 0;
    }
    bool isSet() const { return flag_.load(std::memory_order_acquire) != 0; }
    // A stream of `engineDevice` (of the owning process) is about to park on this notify.
    void addWaiter(int32_t engineDevice) {
        waiters_.fetch_or(uint64_t{1} << engineDevice, std::memory_order_seq_cst);
    }
    // The peer that should record this notify is gone: waits fail instead of timing out.
    void breakFor(uint32_t peerRank);
    bool broken() const { return brokenBy_.load(std::memory_order_acquire) != 0; }
    uint32_t brokenPeer() const { return brokenBy_.load(std::memory_order_acquire) - 1; }

    bool valid() const { return magic_ == kMagic; }
    uint32_t index() const { return index_; }
    int32_t device() const { return device_; }

  private:
    friend class NotifyPool;

    std::atomic<uint32_t> flag_{0};
    uint32_t magic_ = 0;
    uint32_t index_ = 0;
    int32_t device_ = -1;
    std::atomic<uint64_t> waiters_{0};   // bit d: device d's engine may have a stream parked here
    std::atomic<uint32_t> brokenBy_{0};  // peer rank + 1 once that peer is gone
};
static_assert(sizeof(Notify) == 64);

}  // namespace hcclcpu::rt
