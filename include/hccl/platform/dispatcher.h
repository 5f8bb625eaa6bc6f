// The dispatcher: how HCCL algorithm code issues tasks (copies, reductions, notify record/wait)
// onto streams (vendor dispatcher.h).
//
// Every function checks the dispatcher handle first and returns HCCL_E_PTR when it is null.
// Tasks run asynchronously in stream order; one task report per issued task goes to the callback
// given to RegisterLoadTaskCallBack.
#ifndef HCCL_PLATFORM_DISPATCHER_H
#define HCCL_PLATFORM_DISPATCHER_H

#include <string>
#include <vector>

#include "adapter_rts_common.h"
#include "dispatcher_task_types.h"
#include "hccl_common.h"
#include "mem_device_pub.h"
#include "stream_pub.h"

enum class DispatcherType {
    DISPATCHER_NORMAL = 0,
    DISPATCHER_VIRTURAL = 1,  // sic
    DISPATCHER_AICPU = 2,
};

// reduceAttr bits (HcclReduceAsync tests bit 0 only).
constexpr u64 ATTR_POS_INLINE_REDUCE = 0;
constexpr u64 ATTR_POS_SUPPORT_RDMA = 1;
constexpr u64 ATTR_POS_SUPPORT_RDMA_ASYNC = 2;
constexpr u64 ATTR_POS_SUPPORT_RDMA_REDUCE = 3;
constexpr u64 INLINE_REDUCE_BITMASK = 0x01;
constexpr u64 RDMA_REDUCE_BITMASK = 0x08;
constexpr u64 INLINE_REDUCE_BIT = 0x01;

// Copies and inline reductions larger than this are split into chunks of this many bytes.
constexpr s64 HCCL_SDMA_MAX_COUNT_4GB = 0x100000000;

// Task report callback: param points to an hccl::TaskPara, length is sizeof(hccl::TaskPara).
using LoadTaskCallBack = void (*)(void *userPtr, void *param, u32 length);
// Hooks run by InitTask / LaunchTask (RegisterInitTaskCallBack / RegisterLaunchTaskCallBack).
using HcclTaskCallBack = HcclResult (*)(const HcclDispatcher &dispatcher, hccl::Stream &stream);
// Device-side operator status reporting (not available on the host).
using HcclOpExecStatusCallBack = void (*)(void *userPtr, u32 status);

#ifdef __cplusplus
extern "C" {
#endif

// ---- life cycle and configuration -----------------------------------------------------------
// DISPATCHER_NORMAL or DISPATCHER_VIRTURAL; DISPATCHER_AICPU gives HCCL_E_NOT_SUPPORT. A virtual
// dispatcher does not issue HcclD2DMemcpyAsync, inline HcclReduceAsync, HcclSignalRecord/Wait (nor
// LocalNotify::Post/Wait): it pushes an hccl::TaskLogicInfo onto the stream (see
// Stream::PushTaskLogicInfo) and makes no task report. HcclMemcpyAsync and the TBE reduce are
// not virtual in the vendor's dispatcher: they still execute and report, even on a virtual one.
// devicePhyId HOST_DEVICE_ID (-1) makes a host dispatcher; any other id binds the calling thread
// to that device if it has none yet. HCCL_EXEC_TIMEOUT, if set, selects
// CONFIGURABLE_TIMEWAITSYNCMODE with that many seconds (0 = never).
HcclResult HcclDispatcherInit(DispatcherType type, const s32 devicePhyId,
                              HcclDispatcher *dispatcher);
// Device side only: HCCL_E_NOT_SUPPORT here.
HcclResult HcclDispatcherAicpuInit(HcclDispatcher *dispatcher, const u32 devPhyId, uint32_t hcclQos,
                                   DispatcherType type = DispatcherType::DISPATCHER_AICPU);
HcclResult HcclDispatcherDestroy(HcclDispatcher dispatcher);  // always HCCL_SUCCESS
HcclResult HcclSetNotifyWaitMode(HcclDispatcher dispatcherPtr, const SyncMode notifyWaitMode);
HcclResult HcclGetNotifyWaitMode(HcclDispatcher dispatcherPtr, SyncMode *notifyWaitMode);
// Stores the wait time used in CONFIGURABLE_TIMEWAITSYNCMODE; does not change the mode.
HcclResult HcclSetExecTimeOut(HcclDispatcher dispatcherPtr,
                              s32 execTimeOut = NOTIFY_DEFAULT_WAIT_TIME);
HcclResult HcclSetGlobalWorkSpace(HcclDispatcher dispatcherPtr,
                                  std::vector<void *> &globalWorkSpaceAddr);
HcclResult RegisterLoadTaskCallBack(HcclDispatcher dispatcherPtr, void *userPtr,
                                    void (*callback)(void *, void *, u32));

// ---- tasks ----------------------------------------------------------------------------------
// count and destMax in bytes. A null stream copies synchronously (memcpy_s rules). remoteUserRank
// and linkType only go into the report.
HcclResult HcclMemcpyAsync(HcclDispatcher dispatcherPtr, void *dst, const uint64_t destMax,
                           const void *src, const uint64_t count, const HcclRtMemcpyKind kind,
                           hccl::Stream &stream, const u32 remoteUserRank, hccl::LinkType linkType);
// dst[i] = dst[i] op src[i], i < count elements. reduceAttr bit 0 selects the inline (SDMA) path.
HcclResult HcclReduceAsync(HcclDispatcher dispatcherPtr, void *src, uint64_t count,
                           const HcclDataType datatype, const HcclReduceOp reduceOp,
                           hccl::Stream &stream, void *dst, const u32 remoteUserRank,
                           const hccl::LinkType linkType, const u64 reduceAttr);
HcclResult HcclSignalRecord(HcclDispatcher dispatcherPtr, HcclRtNotify signal, hccl::Stream &stream,
                            u32 userRank, u64 offset, s32 stage, bool inchip, u64 signalAddr);
HcclResult HcclSignalWait(HcclDispatcher dispatcherPtr, HcclRtNotify signal, hccl::Stream &stream,
                          u32 userRank, u32 remoteUserRank, s32 stage, bool inchip);
HcclResult HcclDispatcherWaitValue(HcclDispatcher dispatcherPtr, hccl::Stream &stream, u64 waitAddr,
                                   u64 valueAddr, bool reset);
HcclResult HcclDispatcherWriteValue(HcclDispatcher dispatcherPtr, hccl::Stream &stream,
                                    u64 writeAddr, u64 valueAddr);

// ---- task batches (FFTS graph mode does not exist here: these run the hooks only) -----------
HcclResult LaunchTask(HcclDispatcher dispatcherPtr, hccl::Stream &stream);
HcclResult LaunchTaskExtend(HcclDispatcher dispatcherPtr, hccl::Stream &stream,
                            std::vector<hccl::Stream> &subStreams);
HcclResult InitTask(HcclDispatcher dispatcherPtr, hccl::Stream &stream, const bool enableCache,
                    const std::string &key, bool useGraphConstructorV2 = false);
HcclResult SetNormalMode(HcclDispatcher dispatcherPtr);
HcclResult HcclGetCallbackResult(HcclDispatcher dispatcherPtr);
void RegisterInitTaskCallBack(HcclTaskCallBack callback);
void RegisterLaunchTaskCallBack(HcclTaskCallBack callback);
HcclResult AddRetryPreamble(HcclDispatcher dispatcherPtr, hccl::Stream &stream);
HcclResult StreamSync(HcclDispatcher dispatcherPtr, hccl::Stream &stream);
HcclResult SetMultiQpMode(HcclDispatcher dispatcherPtr, bool isMultiQp);

// ---- device side only: HCCL_E_INTERNAL on the host ------------------------------------------
HcclResult HcclSetOpExecStatusCallback(HcclDispatcher dispatcherPtr,
                                       HcclOpExecStatusCallBack callback, void *userPtr);
HcclResult HcclSetSqeTimeOut(HcclDispatcher dispatcherPtr, u32 timeOut);
HcclResult HcclSetSqFullWaitTimeOut(HcclDispatcher dispatcherPtr, u32 timeOut);
HcclResult HcclSetOpRingBufferIdx(HcclDispatcher dispatcherPtr, u32 idx);

#ifdef __cplusplus
}
#endif

// With the default arguments of the vendor header (C++ linkage, like the vendor's).
HcclResult HcclD2DMemcpyAsync(HcclDispatcher dispatcherPtr, hccl::DeviceMem &dst,
                              const hccl::DeviceMem &src, hccl::Stream &stream,
                              u32 remoteUserRank = INVALID_VALUE_RANKID,
                              hccl::LinkType inLinkType = hccl::LinkType::LINK_ONCHIP);
// Makes every later task report carry a beginTime (a monotonic timestamp in ns, sampled once per
// call); without it beginTime is 0. Process-wide.
HcclResult ForceProfOn(HcclDispatcher &dispatcherPtr, bool forceProf);

#endif  // HCCL_PLATFORM_DISPATCHER_H
