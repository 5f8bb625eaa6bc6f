// The dispatcher behind an HcclDispatcher handle (the vendor's DispatcherPub): validates each task
// exactly as the vendor does, issues it to the runtime and reports it. VirtualDispatcher (the
// vendor's DispatcherVirtural) overrides the methods that are virtual in the vendor's class.
//
// Thread safety: tasks may be issued from several threads at once (on different streams).
// Configuration (callback, wait mode, exec timeout) is meant to be set before tasks are issued.
#pragma once

#include <atomic>

#include "dispatcher.h"
#include "dispatcher_task_types.h"
#include "mem_device_pub.h"
#include "stream_pub.h"

namespace hcclcpu::platform {

class Dispatcher {
  public:
    explicit Dispatcher(s32 deviceLogicId) : deviceLogicId_(deviceLogicId) {}
    virtual ~Dispatcher();
    Dispatcher(const Dispatcher &) = delete;
    Dispatcher &operator=(const Dispatcher &) = delete;

    HcclResult init();

    static Dispatcher *from(HcclDispatcher handle) { return static_cast<Dispatcher *>(handle); }

    // ---- tasks (argument checks of the C wrappers already done) ----
    // Virtual exactly where the vendor's are: the raw-pointer memcpyAsync, reduceAsync (the
    // 10-argument form) and the TBE path are not, so they run this code for every dispatcher.
    HcclResult memcpyAsync(void *dst, u64 destMax, const void *src, u64 count,
                           HcclRtMemcpyKind kind, hccl::Stream &stream, u32 remoteUserRank,
                           hccl::LinkType linkType) const;
    virtual HcclResult memcpyAsync(hccl::DeviceMem &dst, const hccl::DeviceMem &src,
                                   hccl::Stream &stream, u32 remoteUserRank,
                                   hccl::LinkType linkType) const;
    HcclResult reduceAsync(const void *src, u64 count, HcclDataType dataType, HcclReduceOp op,
                           hccl::Stream &stream, void *dst, u32 remoteUserRank,
                           hccl::LinkType linkType, u64 reduceAttr) const;
    virtual HcclResult inlineReduceAsync(const void *src, u64 count, HcclDataType dataType,
                                         HcclReduceOp op, hccl::Stream &stream, void *dst,
                                         u32 remoteUserRank, hccl::LinkType linkType) const;
    HcclResult tbeReduceAsync(const void *src, u64 count, HcclDataType dataType, HcclReduceOp op,
                              hccl::Stream &stream, void *dst) const;
    virtual HcclResult signalRecord(HcclRtNotify signal, hccl::Stream &stream, u32 userRank,
                                    u64 offset, s32 stage) const;
    // timeOut in seconds; NOTIFY_INVALID_WAIT_TIME (what HcclSignalWait passes) picks the
    // dispatcher's rule, see waitTimeSeconds().
    virtual HcclResult signalWait(HcclRtNotify signal, hccl::Stream &stream, u32 userRank,
                                  u32 remoteUserRank, s32 stage, u32 timeOut) const;

    // ---- configuration ----
    void setLoadTaskCallback(void *userPtr, LoadTaskCallBack callback) {
        userPtr_ = userPtr;
        callback_ = callback;
    }
    void setNotifyWaitMode(SyncMode mode) { waitMode_.store(mode, std::memory_order_relaxed); }
    SyncMode notifyWaitMode() const { return waitMode_.load(std::memory_order_relaxed); }
    void setExecTimeOut(s32 seconds) {
        execTimeOut_.store(seconds, std::memory_order_relaxed);
        execTimeOutByConfig_ = true;
    }
    s32 execTimeOut() const { return execTimeOut_.load(std::memory_order_relaxed); }
    s32 notifyMaxWaitTime() const { return notifyMaxWaitTime_; }

    // GetNotifyWaitTime: an explicit 0 < timeOut <= max wins; otherwise CONFIGURABLE mode uses
    // the exec timeout, UNLIMITED the maximum, DEFAULT NOTIFY_DEFAULT_WAIT_TIME. Seconds.
    s64 waitTimeSeconds(u32 timeOut) const;
    // The same as the runtime's deadline; a configured exec timeout of 0 means never.
    u64 waitTimeoutNs(u32 timeOut) const;

  protected:
    // The check of every DeviceMem copy: HCCL_E_PTR when dst is smaller than src.
    static HcclResult checkCopySizes(const hccl::DeviceMem &dst, const hccl::DeviceMem &src);

  private:
    HcclResult hostMemcpy(void *dst, u64 destMax, const void *src, u64 count) const;
    void report(hccl::TaskPara &para, const hccl::Stream &stream, u64 beginTime) const;
    bool taskLogEnabled() const;

    s32 deviceLogicId_;
    bool resetDeviceOnDestroy_ = false;
    bool taskLog_ = false;  // HCCL_DEBUG_CONFIG has TASK: task lines are written at any level
    LoadTaskCallBack callback_ = nullptr;
    void *userPtr_ = nullptr;
    std::atomic<SyncMode> waitMode_{SyncMode::DEFAULT_TIMEWAITSYNCMODE};
    std::atomic<s32> execTimeOut_{NOTIFY_DEFAULT_WAIT_TIME};
    bool execTimeOutByConfig_ = false;
    s32 notifyMaxWaitTime_ = NOTIFY_MAX_WAIT_TIME_910_93;  // the emulated device is a 910B
};

// DispatcherVirtural: the virtual paths (DeviceMem copies, inline reduce, signal record/wait,
// hence LocalNotify::Post/Wait and the transports' signals) push a hccl::TaskLogicInfo onto the
// stream instead of issuing the task, and make no task report. Only the checks the vendor makes
// before recording apply (the C wrappers' null checks, the DeviceMem size check): no count-0 or
// src == dst shortcut, no type/op check; those apply when the record is replayed. The non-virtual
// paths (raw-pointer memcpyAsync, TBE reduce) still execute and report.
class VirtualDispatcher final : public Dispatcher {
  public:
    using Dispatcher::Dispatcher;
    using Dispatcher::memcpyAsync;  // the raw-pointer overload is not virtual

    HcclResult memcpyAsync(hccl::DeviceMem &dst, const hccl::DeviceMem &src, hccl::Stream &stream,
                           u32 remoteUserRank, hccl::LinkType linkType) const override;
    HcclResult inlineReduceAsync(const void *src, u64 count, HcclDataType dataType, HcclReduceOp op,
                                 hccl::Stream &stream, void *dst, u32 remoteUserRank,
                                 hccl::LinkType linkType) const override;
    HcclResult signalRecord(HcclRtNotify signal, hccl::Stream &stream, u32 userRank, u64 offset,
                            s32 stage) const override;
    // The wait time is not recorded: a replay through HcclSignalWait uses the dispatcher's rule.
    HcclResult signalWait(HcclRtNotify signal, hccl::Stream &stream, u32 userRank,
                          u32 remoteUserRank, s32 stage, u32 timeOut) const override;
};

// ForceProfOn: when set, reports carry a beginTime.
void setForceProfiling(bool on);
// 0, or a monotonic timestamp (ns) when profiling is forced on.
u64 profilingBeginTime();

}  // namespace hcclcpu::platform
