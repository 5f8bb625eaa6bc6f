#include "runtime/notify.h"

#include <sys/mman.h>
#include <unistd.h>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <new>
#include <vector>

#include "common/log.h"
#include "runtime/device.h"
#include "runtime/engine.h"
#include "runtime/runtime.h"

namespace hcclcpu::rt {

void Notify::record() {
    flag_.store(1, std::memory_order_seq_cst);
    uint64_t waiters = waiters_.load(std::memory_order_seq_cst);
    while (waiters != 0) {
        int device = __builtin_ctzll(waiters);
        waiters &= waiters - 1;
        if (Engine *engine = engineOf(device)) engine->onWaitSatisfied();
    }
}

// One per device: a fixed array of notify slots in a memfd mapping, with a free list.
class NotifyArea {
  public:
    static constexpr uint32_t kSlots = 65536;  // 4 MiB of address space; pages fault in on use

    explicit NotifyArea(int32_t device) : device_(device) {}
    ~NotifyArea() {
        if (slots_ != nullptr) munmap(slots_, sizeof(Notify) * kSlots);
        if (fd_ >= 0) close(fd_);
    }

    Err create(Notify **out) {
        std::lock_guard lock(mutex_);
        if (slots_ == nullptr && !map()) return Err::kNoMemory;
        uint32_t index;
        if (!free_.empty()) {
            index = free_.back();
            free_.pop_back();
        } else if (used_ < kSlots) {
            index = used_++;
        } else {
            HCPU_ERROR("device {}: all {} notifies are in use", device_, kSlots);
            return Err::kNoMemory;
        }
        Notify *n = new (&slots_[index]) Notify;
        n->magic_ = Notify::kMagic;
        n->index_ = index;
        n->device_ = device_;
        *out = n;
        return Err::kOk;
    }

    bool contains(const Notify *n) {
        std::lock_guard lock(mutex_);
        return slots_ != nullptr && n >= slots_ && n < slots_ + used_;
    }

    Err destroy(Notify *n) {
        std::lock_guard lock(mutex_);
        if (n < slots_ || n >= slots_ + used_ || !n->valid()) return Err::kHandle;
        n->magic_ = 0;
        free_.push_back(n->index_);
        return Err::kOk;
    }

  private:
    bool map() {
        fd_ = memfd_create("hccl-cpu-notifies", MFD_CLOEXEC);
        if (fd_ < 0 || ftruncate(fd_, sizeof(Notify) * kSlots) != 0) {
            HCPU_ERROR("device {}: cannot create the notify area: {}", device_,
                       std::strerror(errno));
            return false;
        }
        void *p =
            mmap(nullptr, sizeof(Notify) * kSlots, PROT_READ | PROT_WRITE, MAP_SHARED, fd_, 0);
        if (p == MAP_FAILED) {
            HCPU_ERROR("device {}: cannot map the notify area: {}", device_, std::strerror(errno));
            return false;
        }
        slots_ = static_cast<Notify *>(p);
        return true;
    }

    int32_t device_;
    std::mutex mutex_;
    int fd_ = -1;
    Notify *slots_ = nullptr;
    uint32_t used_ = 0;
    std::vector<uint32_t> free_;
};

namespace {
NotifyArea &area(int32_t device) {
    static NotifyArea *areas = [] {
        auto *a = static_cast<NotifyArea *>(operator new(sizeof(NotifyArea) * kMaxDevices));
        for (int32_t d = 0; d < kMaxDevices; ++d)
            new (&a[d]) NotifyArea(d);
        return a;
    }();  // never destroyed: notifies may be touched by engine threads during exit
    return areas[device];
}
}  // namespace

Err notifyCreate(int32_t device, Notify **notify) {
    if (notify == nullptr) return Err::kParam;
    if (device < 0 || static_cast<uint32_t>(device) >= deviceCount()) return Err::kDevice;
    return area(device).create(notify);
}

Err notifyDestroy(Notify *notify) {
    // Find the owning area by address first: `notify` may be any pointer a caller passes.
    for (int32_t d = 0; notify != nullptr && static_cast<uint32_t>(d) < deviceCount(); ++d)
        if (area(d).contains(notify)) return area(d).destroy(notify);
    return Err::kHandle;
}

uint32_t notifyId(const Notify *notify) {
    return notify->index();
}
uint64_t notifyOffset(const Notify *notify) {
    return static_cast<uint64_t>(notify->index()) * sizeof(Notify);
}

}  // namespace hcclcpu::rt
