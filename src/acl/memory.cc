// Device and host memory, copies and memsets.
#include <cstring>

#include "acl/acl.h"
#include "acl/error.h"
#include "acl/handles.h"
#include "runtime/runtime.h"

namespace rt = hcclcpu::rt;
using hcclcpu::acl::fromRt;
using hcclcpu::acl::reject;
using hcclcpu::acl::resolveStream;

namespace {

// The staged and inner/inter-device kinds move bytes the same way as their plain counterparts.
bool toCopyKind(aclrtMemcpyKind kind, rt::CopyKind *out) {
    switch (kind) {
        case ACL_MEMCPY_HOST_TO_HOST:
            *out = rt::CopyKind::kHostToHost;
            return true;
        case ACL_MEMCPY_HOST_TO_DEVICE:
        case ACL_MEMCPY_HOST_TO_BUF_TO_DEVICE:
            *out = rt::CopyKind::kHostToDevice;
            return true;
        case ACL_MEMCPY_DEVICE_TO_HOST:
            *out = rt::CopyKind::kDeviceToHost;
            return true;
        case ACL_MEMCPY_DEVICE_TO_DEVICE:
        case ACL_MEMCPY_INNER_DEVICE_TO_DEVICE:
        case ACL_MEMCPY_INTER_DEVICE_TO_DEVICE:
            *out = rt::CopyKind::kDeviceToDevice;
            return true;
        case ACL_MEMCPY_DEFAULT:
            *out = rt::CopyKind::kDefault;
            return true;
    }
    return false;
}

// The argument checks aclrtMemcpy and aclrtMemcpyAsync share.
aclError checkCopyArgs(const char *api, void *dst, size_t destMax, const void *src, size_t count,
                       aclrtMemcpyKind kind, rt::CopyKind *rtKind) {
    if (dst == nullptr || src == nullptr)
        return reject(ACL_ERROR_INVALID_PARAM, "{}: null pointer (dst {}, src {})", api, dst, src);
    if (destMax < count)
        return reject(ACL_ERROR_INVALID_PARAM, "{}: count {} exceeds destMax {}", api, count,
                      destMax);
    if (!toCopyKind(kind, rtKind))
        return reject(ACL_ERROR_INVALID_PARAM, "{}: invalid kind {}", api, static_cast<int>(kind));
    return ACL_SUCCESS;
}

aclError notSupported(const char *api) {
    return reject(ACL_ERROR_RT_FEATURE_NOT_SUPPORT,
                  "{}: virtual memory management is not supported by hccl-cpu yet", api);
}

}  // namespace

extern "C" {

// Any policy is accepted: every policy maps to the same populated, zero-filled device memory
// (out-of-range values are documented to behave like a huge-page-first request).
aclError aclrtMalloc(void **devPtr, size_t size, aclrtMemMallocPolicy policy) {
    if (devPtr == nullptr) return reject(ACL_ERROR_INVALID_PARAM, "aclrtMalloc: null devPtr");
    if (size == 0) return reject(ACL_ERROR_INVALID_PARAM, "aclrtMalloc: size 0");
    return fromRt(rt::deviceMalloc(size, devPtr), "aclrtMalloc");
}

aclError aclrtFree(void *devPtr) {
    if (devPtr == nullptr) return reject(ACL_ERROR_INVALID_PARAM, "aclrtFree: null devPtr");
    return fromRt(rt::deviceFree(devPtr), "aclrtFree");
}

aclError aclrtMallocHost(void **hostPtr, size_t size) {
    if (hostPtr == nullptr) return reject(ACL_ERROR_INVALID_PARAM, "aclrtMallocHost: null hostPtr");
    if (size == 0) return reject(ACL_ERROR_INVALID_PARAM, "aclrtMallocHost: size 0");
    return fromRt(rt::hostMalloc(size, hostPtr), "aclrtMallocHost");
}

aclError aclrtFreeHost(void *hostPtr) {
    if (hostPtr == nullptr) return reject(ACL_ERROR_INVALID_PARAM, "aclrtFreeHost: null hostPtr");
    return fromRt(rt::hostFree(hostPtr), "aclrtFreeHost");
}

// Synchronous; the runtime checks `kind` against where dst and src really live, and that device
// ranges stay inside their allocations. A zero-byte copy does nothing.
aclError aclrtMemcpy(void *dst, size_t destMax, const void *src, size_t count,
                     aclrtMemcpyKind kind) {
    rt::CopyKind rtKind;
    aclError ret = checkCopyArgs("aclrtMemcpy", dst, destMax, src, count, kind, &rtKind);
    if (ret != ACL_SUCCESS || count == 0) return ret;
    return fromRt(rt::copySync(dst, destMax, src, count, rtKind), "aclrtMemcpy");
}

aclError aclrtMemcpyAsync(void *dst, size_t destMax, const void *src, size_t count,
                          aclrtMemcpyKind kind, aclrtStream stream) {
    rt::CopyKind rtKind;
    aclError ret = checkCopyArgs("aclrtMemcpyAsync", dst, destMax, src, count, kind, &rtKind);
    if (ret != ACL_SUCCESS) return ret;
    // As on the vendor's endpoint hosts: host-to-host copies are not stream tasks.
    if (kind == ACL_MEMCPY_HOST_TO_HOST)
        return reject(ACL_ERROR_RT_FEATURE_NOT_SUPPORT,
                      "aclrtMemcpyAsync: host-to-host copies are not supported, use aclrtMemcpy");
    rt::Stream *resolved = nullptr;
    ret = resolveStream(stream, "aclrtMemcpyAsync", &resolved);
    if (ret != ACL_SUCCESS || count == 0) return ret;
    return fromRt(rt::enqueueCopy(resolved, dst, destMax, src, count, rtKind), "aclrtMemcpyAsync");
}

// Synchronous and not stream-ordered, like the vendor's: the bytes are set before it returns.
aclError aclrtMemset(void *devPtr, size_t maxCount, int32_t value, size_t count) {
    if (devPtr == nullptr) return reject(ACL_ERROR_INVALID_PARAM, "aclrtMemset: null devPtr");
    if (maxCount < count)
        return reject(ACL_ERROR_INVALID_PARAM, "aclrtMemset: count {} exceeds maxCount {}", count,
                      maxCount);
    if (count == 0) return ACL_SUCCESS;
    if (rt::memoryChecksEnabled() &&
        rt::memoryInfo(devPtr, count).location == rt::MemLocation::kUnregistered)
        return reject(ACL_ERROR_RT_PARAM_INVALID,
                      "aclrtMemset: [{}, +{}) is not inside one runtime allocation", devPtr, count);
    std::memset(devPtr, value, count);
    return ACL_SUCCESS;
}

aclError aclrtMemsetAsync(void *devPtr, size_t maxCount, int32_t value, size_t count,
                          aclrtStream stream) {
    if (devPtr == nullptr) return reject(ACL_ERROR_INVALID_PARAM, "aclrtMemsetAsync: null devPtr");
    if (maxCount < count)
        return reject(ACL_ERROR_INVALID_PARAM, "aclrtMemsetAsync: count {} exceeds maxCount {}",
                      count, maxCount);
    rt::Stream *resolved = nullptr;
    aclError ret = resolveStream(stream, "aclrtMemsetAsync", &resolved);
    if (ret != ACL_SUCCESS || count == 0) return ret;
    return fromRt(rt::enqueueMemset(resolved, devPtr, maxCount, value, count), "aclrtMemsetAsync");
}

// Every attribute reports the same pool: the emulated device has one kind of memory.
aclError aclrtGetMemInfo(aclrtMemAttr attr, size_t *free, size_t *total) {
    if (free == nullptr || total == nullptr)
        return reject(ACL_ERROR_INVALID_PARAM, "aclrtGetMemInfo: null output pointer");
    if (static_cast<int>(attr) < ACL_DDR_MEM || static_cast<int>(attr) > ACL_MEM_P2P_HUGE1G)
        return reject(ACL_ERROR_INVALID_PARAM, "aclrtGetMemInfo: invalid attr {}",
                      static_cast<int>(attr));
    return fromRt(rt::deviceMemoryInfo(free, total), "aclrtGetMemInfo");
}

aclError aclrtMemGetAllocationGranularity(aclrtPhysicalMemProp *prop,
                                          aclrtMemGranularityOptions option, size_t *granularity) {
    if (prop == nullptr || granularity == nullptr)
        return reject(ACL_ERROR_INVALID_PARAM,
                      "aclrtMemGetAllocationGranularity: null prop or granularity");
    if (option != ACL_RT_MEM_ALLOC_GRANULARITY_MINIMUM &&
        option != ACL_RT_MEM_ALLOC_GRANULARITY_RECOMMENDED)
        return reject(ACL_ERROR_INVALID_PARAM,
                      "aclrtMemGetAllocationGranularity: invalid option {}",
                      static_cast<int>(option));
    *granularity = 2u << 20;  // the huge-page size physical allocations are made of
    return ACL_SUCCESS;
}

aclError aclrtReserveMemAddress(void **virPtr, size_t size, size_t alignment, void *expectPtr,
                                uint64_t flags) {
    return notSupported("aclrtReserveMemAddress");
}

aclError aclrtReleaseMemAddress(void *virPtr) {
    return notSupported("aclrtReleaseMemAddress");
}

aclError aclrtMallocPhysical(aclrtDrvMemHandle *handle, size_t size,
                             const aclrtPhysicalMemProp *prop, uint64_t flags) {
    return notSupported("aclrtMallocPhysical");
}

aclError aclrtFreePhysical(aclrtDrvMemHandle handle) {
    return notSupported("aclrtFreePhysical");
}

aclError aclrtMapMem(void *virPtr, size_t size, size_t offset, aclrtDrvMemHandle handle,
                     uint64_t flags) {
    return notSupported("aclrtMapMem");
}

aclError aclrtUnmapMem(void *virPtr) {
    return notSupported("aclrtUnmapMem");
}

}  // extern "C"
