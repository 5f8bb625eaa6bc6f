#include "runtime/notify.h"

#include <mutex>
#include <new>
#include <vector>

#include "common/log.h"
#include "runtime/device.h"
#include "runtime/runtime.h"
#include "runtime/shared_area.h"

namespace hcclcpu::rt {

void Notify::record() {
    set();
    ringWaiters();
}

void Notify::breakFor(uint32_t peerRank) {
    brokenBy_.store(peerRank + 1, std::memory_order_seq_cst);
    ringWaiters();
}

void Notify::ringWaiters() {
    uint64_t waiters = waiters_.load(std::memory_order_seq_cst);
    if (waiters == 0) return;
    // The engine controls sit at a fixed place before the slots of the same area, whichever
    // process's area this notify belongs to.
    char *slots = reinterpret_cast<char *>(this) - size_t{index_} * sizeof(Notify);
    auto *controls = reinterpret_cast<EngineControl *>(slots - SharedArea::kNotifyOffset +
                                                       SharedArea::kControlOffset);
    while (waiters != 0) {
        int device = __builtin_ctzll(waiters);
        waiters &= waiters - 1;
        ringEngine(controls[device]);
    }
}

// Hands out the slots of this process's area.
class NotifyPool {
  public:
    static NotifyPool &instance() {
        static NotifyPool *pool = new NotifyPool;  // never destroyed: engines may record at exit
        return *pool;
    }

    Err create(int32_t device, Notify **out) {
        std::lock_guard lock(mutex_);
        uint32_t index;
        if (!free_.empty()) {
            index = free_.back();
            free_.pop_back();
        } else if (used_ < SharedArea::kNotifySlots) {
            index = used_++;
        } else {
            HCPU_ERROR("all {} notifies of this process are in use", SharedArea::kNotifySlots);
            return Err::kNoMemory;
        }
        Notify *n = new (SharedArea::local().slot(index)) Notify;
        n->magic_ = Notify::kMagic;
        n->index_ = index;
        n->device_ = device;
        *out = n;
        return Err::kOk;
    }

    Err destroy(Notify *n) {
        std::lock_guard lock(mutex_);
        SharedArea &area = SharedArea::local();
        if (!area.contains(n) || n != area.slot(n->index_) || !n->valid()) return Err::kHandle;
        n->magic_ = 0;
        free_.push_back(n->index_);
        return Err::kOk;
    }

  private:
    std::mutex mutex_;
    uint32_t used_ = 0;
    std::vector<uint32_t> free_;
};

Err notifyCreate(int32_t device, Notify **notify) {
    if (notify == nullptr) return Err::kParam;
    if (device < 0 || static_cast<uint32_t>(device) >= deviceCount()) return Err::kDevice;
    return NotifyPool::instance().create(device, notify);
}

Err notifyDestroy(Notify *notify) {
    // Check the address before reading anything: `notify` may be any pointer a caller passes.
    if (notify == nullptr || !SharedArea::local().contains(notify)) return Err::kHandle;
    return NotifyPool::instance().destroy(notify);
}

uint32_t notifyId(const Notify *notify) {
    return notify->index();
}
uint64_t notifyOffset(const Notify *notify) {
    return static_cast<uint64_t>(notify->index()) * sizeof(Notify);
}

}  // namespace hcclcpu::rt
