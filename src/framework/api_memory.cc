// Zero-copy memory ranges (HcclCommSetMemoryRange, ...): accepted and ignored after the
// documented argument checks (spec public_api §3.4). Every operation copies through the
// communicator's CCL buffers, so registering user memory changes nothing.
#include <atomic>

#include "common/log.h"
#include "framework/api_guard.h"
#include "framework/communicator.h"
#include "hccl/hccl.h"

namespace fw = hcclcpu::framework;

namespace {

HcclResult findComm(const char *api, HcclComm comm) {
    if (comm == nullptr) return fw::nullArgument(api, "comm");
    return fw::findCommunicator(comm, api) != nullptr ? HCCL_SUCCESS : HCCL_E_PARA;
}

void ignoredOnce() {
    static std::atomic<bool> said{false};
    if (!said.exchange(true))
        HCPU_INFO(
            "zero-copy memory ranges are accepted and ignored: operations copy through the "
            "communicator's CCL buffers");
}

}  // namespace

extern "C" {

HcclResult HcclCommSetMemoryRange(HcclComm comm, void *baseVirPtr, size_t size, size_t alignment,
                                  uint64_t flags) {
    const char *api = __func__;
    return fw::guarded(api, [&] {
        if (HcclResult r = findComm(api, comm); r != HCCL_SUCCESS) return r;
        if (baseVirPtr == nullptr) return fw::nullArgument(api, "baseVirPtr");
        if (size == 0 || alignment != 0 || flags != 0) {
            HCPU_ERROR(
                "{}: size {} alignment {} flags {:#x} (size must be > 0, alignment and "
                "flags 0)",
                api, size, alignment, flags);
            return HCCL_E_PARA;
        }
        ignoredOnce();
        return HCCL_SUCCESS;
    });
}

HcclResult HcclCommUnsetMemoryRange(HcclComm comm, void *baseVirPtr) {
    const char *api = __func__;
    return fw::guarded(api, [&] {
        if (HcclResult r = findComm(api, comm); r != HCCL_SUCCESS) return r;
        if (baseVirPtr == nullptr) return fw::nullArgument(api, "baseVirPtr");
        return HCCL_SUCCESS;
    });
}

HcclResult HcclCommActivateCommMemory(HcclComm comm, void *virPtr, size_t size, size_t offset,
                                      aclrtDrvMemHandle handle, uint64_t flags) {
    const char *api = __func__;
    return fw::guarded(api, [&] {
        if (HcclResult r = findComm(api, comm); r != HCCL_SUCCESS) return r;
        if (virPtr == nullptr) return fw::nullArgument(api, "virPtr");
        if (handle == nullptr) return fw::nullArgument(api, "handle");
        if (size == 0 || offset != 0 || flags != 0) {
            HCPU_ERROR("{}: size {} offset {} flags {:#x} (size must be > 0, offset and flags 0)",
                       api, size, offset, flags);
            return HCCL_E_PARA;
        }
        ignoredOnce();
        return HCCL_SUCCESS;
    });
}

HcclResult HcclCommDeactivateCommMemory(HcclComm comm, void *virPtr) {
    const char *api = __func__;
    return fw::guarded(api, [&] {
        if (HcclResult r = findComm(api, comm); r != HCCL_SUCCESS) return r;
        if (virPtr == nullptr) return fw::nullArgument(api, "virPtr");
        return HCCL_SUCCESS;
    });
}

}  // extern "C"
