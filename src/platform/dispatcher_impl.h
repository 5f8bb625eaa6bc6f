// The dispatcher behind an HcclDispatcher handle (the vendor's DispatcherPub): validates each task
// exactly as the vendor does, issues it to the runtime and reports it.
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
    ~Dispatcher();
    Dispatcher(const Dispatcher &) = delete;
    Dispatcher &operator=(const Dispatcher &) = delete;

    HcclResult init();

    static Dispatcher *from(HcclDispatcher handle) { return static_cast<Dispatcher *>(handle); }

    // ---- tasks (argument checks of the C wrappers already done) ----
    HcclResult memcpyAsync(void *dst, u64 destMax, const void *src, u64 count,
                           HcclRtMemcpyKind kind, hccl::Stream &stream, u32 remoteUserRank,
                           hccl::LinkType linkType) const;
    HcclResult memcpyAsync(hccl::DeviceMem &dst, const hccl::DeviceMem &src, hccl::Stream &stream,
                           u32 remoteUserRank, hccl::LinkType linkType) const;
    HcclResult reduceAsync(const void *src, u64 count, HcclDataType dataType, HcclReduceOp op,
                           hccl::Stream &stream, void *dst, u32 remoteUserRank,
                           hccl::LinkType linkType, u64 reduceAttr) const;
    HcclResult inlineReduceAsync(const void *src, u64 count, HcclDataType dataType, HcclReduceOp op,
                                 hccl::Stream &stream, void *dst, u32 remoteUserRank,
                                 hccl::LinkType linkType) const;
    HcclResult tbeReduceAsync(const void *src, u64 count, HcclDataType dataType, HcclReduceOp op,
                              hccl::Stream &stream, void *dst) const;
    HcclResult signalRecord(HcclRtNotify signal, hccl::Stream &stream, u32 userRank, u64 offset,
                            s32 stage) const;
    // timeOut in seconds; NOTIFY_INVALID_WAIT_TIME (what HcclSignalWait passes) picks the
    // dispatcher's rule, see waitTimeSeconds().
    HcclResult signalWait(HcclRtNotify signal, hccl::Stream &stream, u32 userRank,
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

// ForceProfOn: when set, reports carry a beginTime.
void setForceProfiling(bool on);
// 0, or a monotonic timestamp (ns) when profiling is forced on.
u64 profilingBeginTime();

}  // namespace hcclcpu::platform
