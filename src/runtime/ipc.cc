// Sharing device memory and notifies with peer processes (runtime.h, "sharing with other
// processes").
#include "common/log.h"
#include "runtime/memory.h"
#include "runtime/notify.h"
#include "runtime/runtime.h"
#include "runtime/shared_area.h"

namespace hcclcpu::rt {

class PeerArea {
  public:
    explicit PeerArea(SharedArea *area) : area(area) {}
    SharedArea *area;
};

int runtimeAreaFd() {
    return SharedArea::local().fd();
}

Err peerAreaOpen(int fd, PeerArea **area) {
    if (area == nullptr) return Err::kParam;
    SharedArea *mapped = nullptr;
    Err err = SharedArea::import(fd, &mapped);
    if (err != Err::kOk) return err;
    *area = new PeerArea(mapped);
    return Err::kOk;
}

void peerAreaClose(PeerArea *area) {
    if (area == nullptr) return;
    SharedArea::release(area->area);
    delete area;
}

Err peerAreaNotify(PeerArea *area, uint64_t offset, Notify **notify) {
    if (area == nullptr || notify == nullptr) return Err::kParam;
    Notify *n = area->area->notifyAt(offset);
    if (n == nullptr) {
        HCPU_ERROR("peer process {} has no notify at offset 0x{:x}", area->area->pid(), offset);
        return Err::kHandle;
    }
    *notify = n;
    return Err::kOk;
}

int32_t peerAreaPid(const PeerArea *area) {
    return area->area->pid();
}

Err notifyBreak(Notify *notify, uint32_t peerRank) {
    if (notify == nullptr || !notify->valid()) return Err::kHandle;
    notify->breakFor(peerRank);
    return Err::kOk;
}

Err memoryExport(const void *ptr, int *fd, size_t *allocationSize, size_t *offset,
                 uint64_t *allocationId) {
    if (ptr == nullptr || fd == nullptr || allocationSize == nullptr || offset == nullptr)
        return Err::kParam;
    MemInfo info = memory::find(ptr);
    if (info.location != MemLocation::kDevice || info.fd < 0) {
        HCPU_ERROR("memory export: {} is not device memory of this process", ptr);
        return Err::kParam;
    }
    *fd = info.fd;
    *allocationSize = info.size;
    if (allocationId != nullptr) *allocationId = info.id;
    *offset = static_cast<size_t>(static_cast<const char *>(ptr) - static_cast<char *>(info.base));
    return Err::kOk;
}

Err memoryImport(int fd, size_t allocationSize, int32_t peerDevice, void **base) {
    if (fd < 0 || allocationSize == 0 || base == nullptr) return Err::kParam;
    return memory::import(fd, allocationSize, peerDevice, base);
}

Err memoryImportClose(void *base) {
    if (base == nullptr) return Err::kParam;
    return memory::free(base, MemLocation::kDevice, /*imported=*/true);
}

}  // namespace hcclcpu::rt
