// Notifies: binary wait-and-reset flags that order streams, within a device and across devices.
//
// Each device owns a notify area (a memfd-backed array of cache-line slots, so it can later be
// mapped by another process); a notify's offset in that area is what task reports call its
// offset. A record sets the flag and tells every engine that has a stream parked on it to look.
#pragma once

#include <atomic>
#include <cstdint>

namespace hcclcpu::rt {

class Engine;

class alignas(64) Notify {
  public:
    static constexpr uint32_t kMagic = 0x4e6f7469;  // "Noti"

    // Set the flag and wake engines with streams parked on it.
    void record();
    // Wait-and-reset: true (and the flag cleared) when the flag was set.
    bool tryConsume() {
        if (flag_.load(std::memory_order_acquire) == 0) return false;
        return flag_.exchange(0, std::memory_order_acq_rel) != 0;
    }
    bool isSet() const { return flag_.load(std::memory_order_acquire) != 0; }
    // A stream of `engine` is about to park on this notify.
    void addWaiter(int32_t engineDevice) {
        waiters_.fetch_or(uint64_t{1} << engineDevice, std::memory_order_seq_cst);
    }

    bool valid() const { return magic_ == kMagic; }
    uint32_t index() const { return index_; }
    int32_t device() const { return device_; }

  private:
    friend class NotifyArea;
    std::atomic<uint32_t> flag_{0};
    uint32_t magic_ = 0;
    uint32_t index_ = 0;
    int32_t device_ = -1;
    std::atomic<uint64_t> waiters_{0};  // bit d: device d's engine may have a stream parked here
};
static_assert(sizeof(Notify) == 64);

}  // namespace hcclcpu::rt
