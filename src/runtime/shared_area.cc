#include "runtime/shared_area.h"

#include <sys/mman.h>
#include <unistd.h>
#include <cerrno>
#include <cstring>

#include "common/futex.h"
#include "common/log.h"
#include "runtime/notify.h"

namespace hcclcpu::rt {
namespace {

struct Header {
    uint32_t magic;
    int32_t pid;
};

}  // namespace

void ringEngine(EngineControl &control) {
    control.parkedDirty.store(1, std::memory_order_seq_cst);
    if (control.spinnerActive.load(std::memory_order_seq_cst) != 0) return;
    if (control.sleepers.load(std::memory_order_seq_cst) != 0) {
        wakeDoorbell(control);
        return;
    }
    // Every active worker is inside a long task: the parked streams need a reserve worker.
    const uint32_t busy = control.inLongTask.load(std::memory_order_seq_cst);
    if (busy != 0 && busy >= control.active.load(std::memory_order_seq_cst)) wakeReserve(control);
}

void wakeDoorbell(EngineControl &control) {
    control.doorbell.fetch_add(1, std::memory_order_seq_cst);
    futexWake(&control.doorbell, 1, /*shared=*/true);
}

void wakeReserve(EngineControl &control) {
    if (control.reserveSleepers.load(std::memory_order_seq_cst) == 0) return;
    control.reserveBell.fetch_add(1, std::memory_order_seq_cst);
    futexWake(&control.reserveBell, 1, /*shared=*/true);
}

SharedArea &SharedArea::local() {
    static SharedArea *area = [] {
        int fd = memfd_create("hccl-cpu-runtime-area", MFD_CLOEXEC);
        void *p = MAP_FAILED;
        if (fd >= 0 && ftruncate(fd, static_cast<off_t>(kBytes)) == 0)
            p = mmap(nullptr, kBytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        if (p == MAP_FAILED) {
            // Without it no stream can synchronize with another: nothing sensible to continue with.
            HCPU_ERROR("cannot create the shared runtime area: {}", std::strerror(errno));
            std::abort();
        }
        auto *header = static_cast<Header *>(p);
        header->magic = kMagic;
        header->pid = getpid();
        return new SharedArea(static_cast<char *>(p), fd);  // kept for the process
    }();
    return *area;
}

Err SharedArea::import(int fd, SharedArea **area) {
    if (area == nullptr || fd < 0) return Err::kParam;
    void *p = mmap(nullptr, kBytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED) {
        HCPU_ERROR("cannot map a peer's runtime area: {}", std::strerror(errno));
        return Err::kHandle;
    }
    if (static_cast<Header *>(p)->magic != kMagic) {
        HCPU_ERROR("the fd passed as a peer's runtime area is not one");
        munmap(p, kBytes);
        return Err::kHandle;
    }
    *area = new SharedArea(static_cast<char *>(p), -1);
    return Err::kOk;
}

void SharedArea::release(SharedArea *imported) {
    if (imported == nullptr || imported == &local()) return;
    munmap(imported->base_, kBytes);
    delete imported;
}

int32_t SharedArea::pid() const {
    return reinterpret_cast<const Header *>(base_)->pid;
}

EngineControl &SharedArea::control(int32_t device) {
    return reinterpret_cast<EngineControl *>(base_ + kControlOffset)[device];
}

Notify *SharedArea::slot(uint32_t index) {
    return reinterpret_cast<Notify *>(base_ + kNotifyOffset) + index;
}

Notify *SharedArea::notifyAt(uint64_t offset) {
    if (offset % sizeof(Notify) != 0 || offset >= uint64_t{kNotifySlots} * sizeof(Notify))
        return nullptr;
    Notify *n = slot(static_cast<uint32_t>(offset / sizeof(Notify)));
    return n->valid() ? n : nullptr;
}

}  // namespace hcclcpu::rt
