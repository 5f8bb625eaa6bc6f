// HcclSignalRecord / HcclSignalWait: notify record and wait-and-reset.
#include "common/log.h"
#include "platform/dispatcher_impl.h"
#include "platform/rt_bridge.h"

namespace hcclcpu::platform {

HcclResult Dispatcher::signalRecord(HcclRtNotify signal, hccl::Stream &stream, u32 userRank,
                                    u64 offset, s32 stage) const {
    const u64 beginTime = profilingBeginTime();
    rt::Stream *rtStreamPtr = rtStream(stream);
    if (rtStreamPtr == nullptr) {
        HCPU_ERROR("signal record: stream is nullptr, return HCCL_E_PTR");
        return HCCL_E_PTR;
    }
    rt::Err err = rt::enqueueNotifyRecord(rtStreamPtr, rtNotify(signal));
    if (err != rt::Err::kOk)
        return runtimeFailure(err, fmt::format("notify record(notify {})", signal));
    if (offset == INVALID_U64) offset = rt::notifyOffset(rtNotify(signal));
    const u64 notifyId = hccl::MakeNotifyId(userRank, offset);
    if (callback_ != nullptr) {
        hccl::TaskPara para(hccl::TaskType::TASK_NOTIFY_RECORD,
                            hccl::TaskParaNotify(notifyId, stage));
        report(para, stream, beginTime);
    }
    if (taskLogEnabled()) {
        log::write(log::Level::kInfo,
                   fmt::format("SignalRecord para: notifyId[{:#018x}] streamID[{}] userRank[{}] "
                               "offset[{}] stage[{}]",
                               notifyId, rt::streamId(rtStreamPtr), userRank, offset, stage));
    }
    return HCCL_SUCCESS;
}

HcclResult Dispatcher::signalWait(HcclRtNotify signal, hccl::Stream &stream, u32 userRank,
                                  u32 remoteUserRank, s32 stage, u32 timeOut) const {
    const u64 beginTime = profilingBeginTime();
    rt::Stream *rtStreamPtr = rtStream(stream);
    if (rtStreamPtr == nullptr) {
        HCPU_ERROR("signal wait: stream is nullptr, return HCCL_E_PTR");
        return HCCL_E_PTR;
    }
    const u64 timeoutNs = waitTimeoutNs(timeOut);
    rt::Err err = rt::enqueueNotifyWait(rtStreamPtr, rtNotify(signal), timeoutNs);
    if (err != rt::Err::kOk)
        return runtimeFailure(
            err, fmt::format("notify wait(notify {}, timeout {} ns)", signal, timeoutNs));
    const u64 offset = rt::notifyOffset(rtNotify(signal));
    const u64 notifyId = hccl::MakeNotifyId(userRank, offset);
    if (callback_ != nullptr) {
        hccl::TaskPara para(hccl::TaskType::TASK_NOTIFY_WAIT,
                            hccl::TaskParaNotify(notifyId, stage, remoteUserRank));
        report(para, stream, beginTime);
    }
    if (taskLogEnabled()) {
        log::write(log::Level::kInfo,
                   fmt::format("SignalWait para: notifyId[{:#018x}] streamID[{}] userRank[{}] "
                               "remoteUserRank[{}] stage[{}] timeOut[{} ns]",
                               notifyId, rt::streamId(rtStreamPtr), userRank, remoteUserRank, stage,
                               timeoutNs));
    }
    return HCCL_SUCCESS;
}

}  // namespace hcclcpu::platform
