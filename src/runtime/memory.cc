#include "runtime/memory.h"

#include <sys/mman.h>
#include <unistd.h>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <map>
#include <mutex>
#include <shared_mutex>
#include <vector>

#include "common/env.h"
#include "common/log.h"
#include "runtime/device.h"
#include "runtime/runtime.h"

namespace hcclcpu::rt {
namespace memory {
namespace {

constexpr size_t kPageSize = 4096;
constexpr size_t kHugePageSize = 2 << 20;

// A freed allocation that tasks issued before the free may still touch: unmapped once every
// stream has run past the mark (so a use-after-free by a queued task never faults a worker).
struct Quarantined {
    MemInfo info;
    StreamMarks marks;
};

struct Registry {
    std::shared_mutex mutex;
    std::map<uintptr_t, MemInfo> allocations;  // by base address
    std::atomic<uint64_t> generation{1};       // bumped on every free
    std::mutex quarantineMutex;
    std::vector<Quarantined> quarantine;
};

Registry &registry() {
    static Registry *instance = new Registry;  // outlives every static destructor
    return *instance;
}

// The last allocations this thread found; a copy touches two (src and dst), a reduce-scatter a few.
struct LookupCache {
    static constexpr int kEntries = 4;
    uint64_t generation = 0;
    MemInfo entries[kEntries];
    int next = 0;
};
// initial-exec: a plain %fs-relative load instead of a __tls_get_addr call on every lookup.
thread_local LookupCache t_cache __attribute__((tls_model("initial-exec")));

size_t roundUp(size_t value, size_t to) {
    return (value + to - 1) / to * to;
}

void insert(MemInfo info) {
    static std::atomic<uint64_t> nextId{1};
    info.id = nextId.fetch_add(1, std::memory_order_relaxed);
    Registry &r = registry();
    std::unique_lock lock(r.mutex);
    r.allocations.emplace(reinterpret_cast<uintptr_t>(info.base), info);
}

void release(const MemInfo &info) {
    munmap(info.base, roundUp(info.size, kPageSize));
    if (info.fd >= 0) close(info.fd);
}

// Releases quarantined allocations no queued task can reach any more.
void reap(Registry &r) {
    std::lock_guard lock(r.quarantineMutex);
    std::erase_if(r.quarantine, [](const Quarantined &q) {
        if (!streamsPassed(q.marks)) return false;
        release(q.info);
        return true;
    });
}

}  // namespace

Err allocDevice(int32_t device, size_t size, void **ptr, bool populate) {
    reap(registry());
    size_t mapped = roundUp(size, kPageSize);
    int fd = memfd_create("hccl-cpu-device-memory", MFD_CLOEXEC);
    if (fd < 0) {
        HCPU_ERROR("device {} malloc of {} bytes: memfd_create failed: {}", device, size,
                   std::strerror(errno));
        return Err::kNoMemory;
    }
    if (ftruncate(fd, static_cast<off_t>(mapped)) != 0) {
        HCPU_ERROR("device {} malloc of {} bytes: ftruncate failed: {}", device, size,
                   std::strerror(errno));
        close(fd);
        return Err::kNoMemory;
    }
    // A fresh memfd reads as zeros either way.
    void *p = mmap(nullptr, mapped, PROT_READ | PROT_WRITE,
                   MAP_SHARED | (populate ? MAP_POPULATE : 0), fd, 0);
    if (p == MAP_FAILED) {
        HCPU_ERROR("device {} malloc of {} bytes: mmap failed: {}", device, size,
                   std::strerror(errno));
        close(fd);
        return Err::kNoMemory;
    }
    insert(MemInfo{MemLocation::kDevice, device, p, size, fd});
    *ptr = p;
    return Err::kOk;
}

Err allocHost(size_t size, void **ptr) {
    reap(registry());
    size_t mapped = roundUp(size, kPageSize);
    void *p = mmap(nullptr, mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
        HCPU_ERROR("host malloc of {} bytes failed: {}", size, std::strerror(errno));
        return Err::kNoMemory;
    }
    if (mapped >= kHugePageSize) madvise(p, mapped, MADV_HUGEPAGE);
    // Touch every page once ("page-locked" memory does not fault later).
    for (size_t off = 0; off < mapped; off += kPageSize)
        static_cast<volatile char *>(p)[off] = 0;
    insert(MemInfo{MemLocation::kHost, -1, p, size, -1});
    *ptr = p;
    return Err::kOk;
}

Err free(void *ptr, MemLocation location, bool imported) {
    Registry &r = registry();
    MemInfo info;
    {
        std::unique_lock lock(r.mutex);
        auto it = r.allocations.find(reinterpret_cast<uintptr_t>(ptr));
        if (it == r.allocations.end() || it->second.location != location ||
            it->second.imported != imported)
            return Err::kHandle;
        info = it->second;
        r.allocations.erase(it);
        r.generation.fetch_add(1, std::memory_order_release);
    }
    reap(r);
    StreamMarks marks = markStreams();
    if (marks.marks.empty()) {
        release(info);
    } else {
        std::lock_guard lock(r.quarantineMutex);
        r.quarantine.push_back(Quarantined{info, std::move(marks)});
    }
    return Err::kOk;
}

Err import(int fd, size_t size, int32_t peerDevice, void **ptr) {
    // Not populated: a rank maps every peer's CCL buffers (2 x 200 MB each by default) and usually
    // touches a small part; a page the owner has allocated costs one minor fault on first use.
    void *p = mmap(nullptr, roundUp(size, kPageSize), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED) {
        HCPU_ERROR("cannot map a peer's device memory ({} bytes): {}", size, std::strerror(errno));
        return Err::kHandle;
    }
    insert(MemInfo{MemLocation::kDevice, peerDevice, p, size, -1, true});
    *ptr = p;
    return Err::kOk;
}

void reapFreed() {
    reap(registry());
}

MemInfo find(const void *ptr) {
    Registry &r = registry();
    auto addr = reinterpret_cast<uintptr_t>(ptr);
    uint64_t generation = r.generation.load(std::memory_order_acquire);
    LookupCache &cache = t_cache;
    if (cache.generation == generation) {
        for (const MemInfo &e : cache.entries) {
            auto base = reinterpret_cast<uintptr_t>(e.base);
            if (addr - base < e.size) return e;  // unsigned: also false when addr < base
        }
    } else {
        cache = LookupCache{};
        cache.generation = generation;
    }

    std::shared_lock lock(r.mutex);
    auto it = r.allocations.upper_bound(addr);
    if (it == r.allocations.begin()) return MemInfo{};
    --it;
    const MemInfo &info = it->second;
    // Zero-size allocations do not exist (callers reject size 0), so base < base + size.
    if (addr - reinterpret_cast<uintptr_t>(info.base) >= info.size) return MemInfo{};
    cache.entries[cache.next] = info;
    cache.next = (cache.next + 1) % LookupCache::kEntries;
    return info;
}

size_t deviceBytesInUse(int32_t device) {
    Registry &r = registry();
    std::shared_lock lock(r.mutex);
    size_t total = 0;
    for (const auto &[base, info] : r.allocations)
        if (info.location == MemLocation::kDevice && info.device == device) total += info.size;
    return total;
}

}  // namespace memory

// ---- public functions of runtime.h ---------------------------------------------------------

MemInfo memoryInfo(const void *ptr, size_t size) {
    MemInfo info = memory::find(ptr);
    if (info.location == MemLocation::kUnregistered) return info;
    auto begin = reinterpret_cast<uintptr_t>(ptr);
    auto end = reinterpret_cast<uintptr_t>(info.base) + info.size;
    if (size > end - begin) return MemInfo{};
    return info;
}

bool memoryChecksEnabled() {
    static const bool enabled = env::flag("HCCL_CPU_CHECK_MEMORY", true);
    return enabled;
}

namespace {

const char *kindName(CopyKind kind) {
    switch (kind) {
        case CopyKind::kHostToHost:
            return "host-to-host";
        case CopyKind::kHostToDevice:
            return "host-to-device";
        case CopyKind::kDeviceToHost:
            return "device-to-host";
        case CopyKind::kDeviceToDevice:
            return "device-to-device";
        case CopyKind::kDefault:
            return "default";
    }
    return "invalid";
}

// Checks one side of a copy. `wantDevice` is what the kind says the side is; nullopt for kDefault.
Err checkSide(const char *side, const void *ptr, size_t count, int wantDevice, CopyKind kind) {
    MemInfo info = memory::find(ptr);
    bool isDevice = info.location == MemLocation::kDevice;
    if (wantDevice >= 0 && isDevice != (wantDevice == 1)) {
        HCPU_ERROR("memcpy kind {} contradicts {} {}: it is {} memory", kindName(kind), side, ptr,
                   isDevice ? "device" : "host");
        return Err::kKind;
    }
    if (info.location == MemLocation::kUnregistered) {
        // Plain host memory (pageable) is legal for host sides, but a host range must not run
        // into device memory.
        MemInfo last =
            count > 0 ? memory::find(static_cast<const char *>(ptr) + count - 1) : MemInfo{};
        if (last.location == MemLocation::kDevice) {
            HCPU_ERROR("memcpy {} range [{}, +{}) runs into device memory at {}", side, ptr, count,
                       last.base);
            return Err::kBounds;
        }
        return Err::kOk;
    }
    auto begin = reinterpret_cast<uintptr_t>(ptr);
    auto end = reinterpret_cast<uintptr_t>(info.base) + info.size;
    if (count > end - begin) {
        HCPU_ERROR("memcpy {} range [{}, +{}) runs past the end of its {} allocation [{}, +{})",
                   side, ptr, count, isDevice ? "device" : "host", info.base, info.size);
        return Err::kBounds;
    }
    return Err::kOk;
}

}  // namespace

Err checkCopy(void *dst, const void *src, size_t count, CopyKind kind) {
    if (dst == nullptr || src == nullptr) return Err::kParam;
    if (static_cast<uint32_t>(kind) > static_cast<uint32_t>(CopyKind::kDefault)) return Err::kParam;
    if (!memoryChecksEnabled()) return Err::kOk;
    int dstDevice = -1, srcDevice = -1;  // -1: either
    switch (kind) {
        case CopyKind::kHostToHost:
            dstDevice = 0, srcDevice = 0;
            break;
        case CopyKind::kHostToDevice:
            dstDevice = 1, srcDevice = 0;
            break;
        case CopyKind::kDeviceToHost:
            dstDevice = 0, srcDevice = 1;
            break;
        case CopyKind::kDeviceToDevice:
            dstDevice = 1, srcDevice = 1;
            break;
        case CopyKind::kDefault:
            break;
    }
    Err err = checkSide("dst", dst, count, dstDevice, kind);
    if (err != Err::kOk) return err;
    return checkSide("src", src, count, srcDevice, kind);
}

}  // namespace hcclcpu::rt
