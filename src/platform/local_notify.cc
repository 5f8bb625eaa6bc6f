#include "local_notify.h"

#include "common/log.h"
#include "log.h"
#include "platform/dispatcher_impl.h"
#include "platform/rt_bridge.h"

namespace hccl {

namespace rt = hcclcpu::rt;
using hcclcpu::platform::Dispatcher;
using hcclcpu::platform::runtimeFailure;

LocalNotify::~LocalNotify() {
    (void)Destroy();
}

HcclResult LocalNotify::Init(const NotifyLoadType type) {
    (void)type;  // host and device (MC2) notifies are the same kind here
    if (notify_ != nullptr) {
        HCPU_WARN("local notify {}: Init on an initialised notify replaces it", notifyId_);
        (void)Destroy();
    }
    int32_t device = -1;
    rt::Err err = rt::currentDevice(&device);
    if (err != rt::Err::kOk) return runtimeFailure(err, "local notify init: current device");
    rt::Notify *created = nullptr;
    err = rt::notifyCreate(device, &created);
    if (err != rt::Err::kOk)
        return runtimeFailure(err, fmt::format("local notify init: create on device {}", device));
    notify_ = created;
    notifyId_ = rt::notifyId(created);
    return HCCL_SUCCESS;
}

HcclResult LocalNotify::Destroy() {
    if (notify_ == nullptr) return HCCL_SUCCESS;
    rt::Err err = rt::notifyDestroy(static_cast<rt::Notify *>(notify_));
    notify_ = nullptr;
    notifyId_ = INVALID_UINT;
    if (err != rt::Err::kOk) return runtimeFailure(err, "local notify destroy");
    return HCCL_SUCCESS;
}

HcclResult LocalNotify::SetIpc() {
    // Runtime notifies live in the process's shareable runtime area; nothing to prepare.
    if (notify_ == nullptr) {
        HCPU_ERROR("local notify: SetIpc before Init, return HCCL_E_PTR");
        return HCCL_E_PTR;
    }
    return HCCL_SUCCESS;
}

HcclResult LocalNotify::Wait(Stream &stream, HcclDispatcher dispatcher, s32 stage, u32 timeOut) {
    CHK_PTR_NULL(dispatcher);
    CHK_PTR_NULL(notify_);
    return Dispatcher::from(dispatcher)
        ->signalWait(notify_, stream, INVALID_VALUE_RANKID, INVALID_VALUE_RANKID, stage, timeOut);
}

HcclResult LocalNotify::Post(Stream &stream, HcclDispatcher dispatcher, s32 stage) {
    CHK_PTR_NULL(dispatcher);
    CHK_PTR_NULL(notify_);
    return Dispatcher::from(dispatcher)
        ->signalRecord(notify_, stream, INVALID_VALUE_RANKID, INVALID_U64, stage);
}

HcclResult LocalNotify::Wait(Stream &stream, u32 timeOut) {
    CHK_PTR_NULL(notify_);
    CHK_PTR_NULL(stream.ptr());
    s64 seconds = (timeOut > 0 && timeOut <= static_cast<u32>(NOTIFY_MAX_WAIT_TIME_910_93))
                      ? static_cast<s64>(timeOut)
                      : NOTIFY_DEFAULT_WAIT_TIME;
    rt::Err err = rt::enqueueNotifyWait(static_cast<rt::Stream *>(stream.ptr()),
                                        static_cast<rt::Notify *>(notify_),
                                        hcclcpu::platform::secondsToNs(seconds));
    if (err != rt::Err::kOk) return runtimeFailure(err, "local notify wait");
    return HCCL_SUCCESS;
}

HcclResult LocalNotify::Post(Stream &stream) {
    CHK_PTR_NULL(notify_);
    CHK_PTR_NULL(stream.ptr());
    rt::Err err = rt::enqueueNotifyRecord(static_cast<rt::Stream *>(stream.ptr()),
                                          static_cast<rt::Notify *>(notify_));
    if (err != rt::Err::kOk) return runtimeFailure(err, "local notify record");
    return HCCL_SUCCESS;
}

HcclResult LocalNotify::Wait(Stream &stream, HcclDispatcher dispatcherPtr,
                             const std::shared_ptr<LocalNotify> &notify, s32 stage, u32 timeOut) {
    CHK_PTR_NULL(dispatcherPtr);
    CHK_SMART_PTR_NULL(notify);
    return notify->Wait(stream, dispatcherPtr, stage, timeOut);
}

HcclResult LocalNotify::Post(Stream &stream, HcclDispatcher dispatcherPtr,
                             const std::shared_ptr<LocalNotify> &notify, s32 stage) {
    CHK_PTR_NULL(dispatcherPtr);
    CHK_SMART_PTR_NULL(notify);
    return notify->Post(stream, dispatcherPtr, stage);
}

HcclResult LocalNotify::GetNotifyOffset(u64 &notifyOffset) {
    CHK_PTR_NULL(notify_);
    notifyOffset = rt::notifyOffset(static_cast<rt::Notify *>(notify_));
    return HCCL_SUCCESS;
}

}  // namespace hccl
