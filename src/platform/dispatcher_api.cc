// The C entry points of dispatcher.h: check the handle (and the pointers the vendor checks), then
// forward to the Dispatcher.
#include <atomic>
#include <new>

#include "common/log.h"
#include "dispatcher.h"
#include "platform/dispatcher_impl.h"
#include "runtime/runtime.h"

using hcclcpu::platform::Dispatcher;
using hcclcpu::platform::VirtualDispatcher;

namespace {

std::atomic<HcclTaskCallBack> g_initTaskCallback{nullptr};
std::atomic<HcclTaskCallBack> g_launchTaskCallback{nullptr};

// The vendor's CHK_PTR_NULL: an ERROR line naming the argument, then HCCL_E_PTR.
#define PLATFORM_CHECK_PTR(ptr)                                                        \
    do {                                                                               \
        if ((ptr) == nullptr) {                                                        \
            HCPU_ERROR("[{}] ptr [{}] is nullptr, return HCCL_E_PTR", __func__, #ptr); \
            return HCCL_E_PTR;                                                         \
        }                                                                              \
    } while (0)

HcclResult deviceSideOnly(HcclDispatcher dispatcherPtr, const char *function) {
    PLATFORM_CHECK_PTR(dispatcherPtr);
    HCPU_ERROR(
        "[{}] is only available on the device side; currently running on host, return "
        "HCCL_E_INTERNAL",
        function);
    return HCCL_E_INTERNAL;
}

}  // namespace

HcclResult HcclDispatcherInit(DispatcherType type, const s32 devicePhyId,
                              HcclDispatcher *dispatcher) {
    PLATFORM_CHECK_PTR(dispatcher);
    if (type != DispatcherType::DISPATCHER_NORMAL && type != DispatcherType::DISPATCHER_VIRTURAL) {
        HCPU_ERROR(
            "dispatcher init: dispatcher type[{}] is not supported (only "
            "DISPATCHER_NORMAL and DISPATCHER_VIRTURAL), return HCCL_E_NOT_SUPPORT",
            static_cast<int>(type));
        return HCCL_E_NOT_SUPPORT;
    }
    // Physical and logical device ids are the same on the emulated machine.
    if (devicePhyId != HOST_DEVICE_ID &&
        (devicePhyId < 0 || static_cast<uint32_t>(devicePhyId) >= hcclcpu::rt::deviceCount())) {
        HCPU_ERROR("dispatcher init: device id[{}] is out of range [0, {}), return HCCL_E_PARA",
                   devicePhyId, hcclcpu::rt::deviceCount());
        return HCCL_E_PARA;
    }
    Dispatcher *created = type == DispatcherType::DISPATCHER_VIRTURAL
                              ? new (std::nothrow) VirtualDispatcher(devicePhyId)
                              : new (std::nothrow) Dispatcher(devicePhyId);
    if (created == nullptr) {
        HCPU_ERROR("dispatcher init: out of memory, return HCCL_E_MEMORY");
        return HCCL_E_MEMORY;
    }
    HcclResult ret = created->init();
    if (ret != HCCL_SUCCESS) {
        delete created;
        return ret;
    }
    *dispatcher = created;
    return HCCL_SUCCESS;
}

HcclResult HcclDispatcherAicpuInit(HcclDispatcher *dispatcher, const u32 devPhyId, uint32_t hcclQos,
                                   DispatcherType type) {
    PLATFORM_CHECK_PTR(dispatcher);
    HCPU_ERROR(
        "aicpu dispatcher init (device {}, qos {}, type {}): AICPU dispatchers exist only "
        "on the device side, return HCCL_E_NOT_SUPPORT",
        devPhyId, hcclQos, static_cast<int>(type));
    return HCCL_E_NOT_SUPPORT;
}

HcclResult HcclDispatcherDestroy(HcclDispatcher dispatcher) {
    delete Dispatcher::from(dispatcher);
    return HCCL_SUCCESS;
}

HcclResult HcclSetNotifyWaitMode(HcclDispatcher dispatcherPtr, const SyncMode notifyWaitMode) {
    PLATFORM_CHECK_PTR(dispatcherPtr);
    Dispatcher::from(dispatcherPtr)->setNotifyWaitMode(notifyWaitMode);
    return HCCL_SUCCESS;
}

HcclResult HcclGetNotifyWaitMode(HcclDispatcher dispatcherPtr, SyncMode *notifyWaitMode) {
    PLATFORM_CHECK_PTR(dispatcherPtr);
    PLATFORM_CHECK_PTR(notifyWaitMode);
    *notifyWaitMode = Dispatcher::from(dispatcherPtr)->notifyWaitMode();
    return HCCL_SUCCESS;
}

HcclResult HcclSetExecTimeOut(HcclDispatcher dispatcherPtr, s32 execTimeOut) {
    PLATFORM_CHECK_PTR(dispatcherPtr);
    if (execTimeOut < 0) {
        HCPU_ERROR("exec timeout[{}] is negative, return HCCL_E_PARA", execTimeOut);
        return HCCL_E_PARA;
    }
    Dispatcher::from(dispatcherPtr)->setExecTimeOut(execTimeOut);
    return HCCL_SUCCESS;
}

HcclResult HcclSetGlobalWorkSpace(HcclDispatcher dispatcherPtr,
                                  std::vector<void *> &globalWorkSpaceAddr) {
    PLATFORM_CHECK_PTR(dispatcherPtr);
    // Only 910/310P3 use an overflow-detect workspace; the emulated 910B does nothing.
    (void)globalWorkSpaceAddr;
    return HCCL_SUCCESS;
}

HcclResult RegisterLoadTaskCallBack(HcclDispatcher dispatcherPtr, void *userPtr,
                                    void (*callback)(void *, void *, u32)) {
    PLATFORM_CHECK_PTR(dispatcherPtr);
    Dispatcher::from(dispatcherPtr)->setLoadTaskCallback(userPtr, callback);
    return HCCL_SUCCESS;
}

HcclResult HcclMemcpyAsync(HcclDispatcher dispatcherPtr, void *dst, const uint64_t destMax,
                           const void *src, const uint64_t count, const HcclRtMemcpyKind kind,
                           hccl::Stream &stream, const u32 remoteUserRank,
                           hccl::LinkType linkType) {
    PLATFORM_CHECK_PTR(dispatcherPtr);
    PLATFORM_CHECK_PTR(dst);
    PLATFORM_CHECK_PTR(src);
    return Dispatcher::from(dispatcherPtr)
        ->memcpyAsync(dst, destMax, src, count, kind, stream, remoteUserRank, linkType);
}

HcclResult HcclD2DMemcpyAsync(HcclDispatcher dispatcherPtr, hccl::DeviceMem &dst,
                              const hccl::DeviceMem &src, hccl::Stream &stream, u32 remoteUserRank,
                              hccl::LinkType inLinkType) {
    PLATFORM_CHECK_PTR(dispatcherPtr);
    PLATFORM_CHECK_PTR(dst.ptr());
    PLATFORM_CHECK_PTR(src.ptr());
    return Dispatcher::from(dispatcherPtr)
        ->memcpyAsync(dst, src, stream, remoteUserRank, inLinkType);
}

HcclResult HcclReduceAsync(HcclDispatcher dispatcherPtr, void *src, uint64_t count,
                           const HcclDataType datatype, const HcclReduceOp reduceOp,
                           hccl::Stream &stream, void *dst, const u32 remoteUserRank,
                           const hccl::LinkType linkType, const u64 reduceAttr) {
    PLATFORM_CHECK_PTR(dispatcherPtr);
    PLATFORM_CHECK_PTR(dst);
    PLATFORM_CHECK_PTR(src);
    return Dispatcher::from(dispatcherPtr)
        ->reduceAsync(src, count, datatype, reduceOp, stream, dst, remoteUserRank, linkType,
                      reduceAttr);
}

HcclResult HcclSignalRecord(HcclDispatcher dispatcherPtr, HcclRtNotify signal, hccl::Stream &stream,
                            u32 userRank, u64 offset, s32 stage, bool inchip, u64 signalAddr) {
    PLATFORM_CHECK_PTR(dispatcherPtr);
    PLATFORM_CHECK_PTR(signal);
    (void)inchip;  // only the FFTS and AICPU dispatchers use these
    (void)signalAddr;
    return Dispatcher::from(dispatcherPtr)->signalRecord(signal, stream, userRank, offset, stage);
}

HcclResult HcclSignalWait(HcclDispatcher dispatcherPtr, HcclRtNotify signal, hccl::Stream &stream,
                          u32 userRank, u32 remoteUserRank, s32 stage, bool inchip) {
    PLATFORM_CHECK_PTR(dispatcherPtr);
    PLATFORM_CHECK_PTR(signal);
    (void)inchip;
    return Dispatcher::from(dispatcherPtr)
        ->signalWait(signal, stream, userRank, remoteUserRank, stage, NOTIFY_INVALID_WAIT_TIME);
}

HcclResult HcclDispatcherWaitValue(HcclDispatcher dispatcherPtr, hccl::Stream &stream, u64 waitAddr,
                                   u64 valueAddr, bool reset) {
    PLATFORM_CHECK_PTR(dispatcherPtr);
    (void)stream, (void)waitAddr, (void)valueAddr, (void)reset;  // AICPU only; host no-op
    return HCCL_SUCCESS;
}

HcclResult HcclDispatcherWriteValue(HcclDispatcher dispatcherPtr, hccl::Stream &stream,
                                    u64 writeAddr, u64 valueAddr) {
    PLATFORM_CHECK_PTR(dispatcherPtr);
    (void)stream, (void)writeAddr, (void)valueAddr;  // AICPU only; host no-op
    return HCCL_SUCCESS;
}

HcclResult LaunchTask(HcclDispatcher dispatcherPtr, hccl::Stream &stream) {
    PLATFORM_CHECK_PTR(dispatcherPtr);
    HcclTaskCallBack hook = g_launchTaskCallback.load(std::memory_order_acquire);
    if (hook != nullptr) {
        HcclResult ret = hook(dispatcherPtr, stream);
        if (ret != HCCL_SUCCESS) {
            HCPU_ERROR("launch task: the launch hook returned {}", static_cast<int>(ret));
            return ret;
        }
    }
    return HCCL_SUCCESS;  // tasks already run as they are issued: nothing to launch
}

HcclResult LaunchTaskExtend(HcclDispatcher dispatcherPtr, hccl::Stream &stream,
                            std::vector<hccl::Stream> &subStreams) {
    (void)subStreams;
    return LaunchTask(dispatcherPtr, stream);
}

HcclResult InitTask(HcclDispatcher dispatcherPtr, hccl::Stream &stream, const bool enableCache,
                    const std::string &key, bool useGraphConstructorV2) {
    PLATFORM_CHECK_PTR(dispatcherPtr);
    (void)enableCache, (void)key, (void)useGraphConstructorV2;  // FFTS graph recording only
    HcclTaskCallBack hook = g_initTaskCallback.load(std::memory_order_acquire);
    if (hook != nullptr) {
        HcclResult ret = hook(dispatcherPtr, stream);
        if (ret != HCCL_SUCCESS) {
            HCPU_ERROR("init task: the init hook returned {}", static_cast<int>(ret));
            return ret;
        }
    }
    return HCCL_SUCCESS;
}

HcclResult SetNormalMode(HcclDispatcher dispatcherPtr) {
    PLATFORM_CHECK_PTR(dispatcherPtr);
    return HCCL_SUCCESS;
}

HcclResult HcclGetCallbackResult(HcclDispatcher dispatcherPtr) {
    PLATFORM_CHECK_PTR(dispatcherPtr);
    return HCCL_SUCCESS;  // no host-NIC callbacks exist here
}

void RegisterInitTaskCallBack(HcclTaskCallBack callback) {
    g_initTaskCallback.store(callback, std::memory_order_release);
}

void RegisterLaunchTaskCallBack(HcclTaskCallBack callback) {
    g_launchTaskCallback.store(callback, std::memory_order_release);
}

HcclResult AddRetryPreamble(HcclDispatcher dispatcherPtr, hccl::Stream &stream) {
    PLATFORM_CHECK_PTR(dispatcherPtr);
    (void)stream;
    return HCCL_SUCCESS;
}

HcclResult StreamSync(HcclDispatcher dispatcherPtr, hccl::Stream &stream) {
    PLATFORM_CHECK_PTR(dispatcherPtr);
    (void)stream;
    HCPU_INFO("StreamSync is not supported by this dispatcher");
    return HCCL_SUCCESS;
}

HcclResult SetMultiQpMode(HcclDispatcher dispatcherPtr, bool isMultiQp) {
    PLATFORM_CHECK_PTR(dispatcherPtr);
    (void)isMultiQp;
    return HCCL_SUCCESS;
}

HcclResult HcclSetOpExecStatusCallback(HcclDispatcher dispatcherPtr,
                                       HcclOpExecStatusCallBack callback, void *userPtr) {
    (void)callback, (void)userPtr;
    return deviceSideOnly(dispatcherPtr, __func__);
}

HcclResult HcclSetSqeTimeOut(HcclDispatcher dispatcherPtr, u32 timeOut) {
    (void)timeOut;
    return deviceSideOnly(dispatcherPtr, __func__);
}

HcclResult HcclSetSqFullWaitTimeOut(HcclDispatcher dispatcherPtr, u32 timeOut) {
    (void)timeOut;
    return deviceSideOnly(dispatcherPtr, __func__);
}

HcclResult HcclSetOpRingBufferIdx(HcclDispatcher dispatcherPtr, u32 idx) {
    (void)idx;
    return deviceSideOnly(dispatcherPtr, __func__);
}

HcclResult ForceProfOn(HcclDispatcher &dispatcherPtr, bool forceProf) {
    PLATFORM_CHECK_PTR(dispatcherPtr);
    hcclcpu::platform::setForceProfiling(forceProf);
    return HCCL_SUCCESS;
}
