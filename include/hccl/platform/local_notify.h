// hccl::LocalNotify: a notify of this rank, used to order its own streams (vendor local_notify.h).
//
// Notifies are binary wait-and-reset flags: a wait consumes the record it waits for; two records
// before one wait collapse into one.
#ifndef HCCL_PLATFORM_LOCAL_NOTIFY_H
#define HCCL_PLATFORM_LOCAL_NOTIFY_H

#include <memory>

#include "dispatcher.h"
#include "hccl_common.h"
#include "stream_pub.h"

namespace hccl {

class LocalNotify {
  public:
    LocalNotify() = default;
    ~LocalNotify();
    LocalNotify(const LocalNotify &) = delete;
    LocalNotify &operator=(const LocalNotify &) = delete;

    // Creates a notify on the calling thread's current device. Both load types give the same
    // kind of notify here.
    HcclResult Init(const NotifyLoadType type = NotifyLoadType::HOST_NOTIFY);
    HcclResult Destroy();  // destroys the notify if this object created it
    HcclResult SetIpc();

    // Through the dispatcher: issues the task and reports it (rank INVALID_VALUE_RANKID).
    HcclResult Wait(Stream &stream, HcclDispatcher dispatcher, s32 stage = INVALID_VALUE_STAGE,
                    u32 timeOut = NOTIFY_INVALID_WAIT_TIME);
    HcclResult Post(Stream &stream, HcclDispatcher dispatcher, s32 stage = INVALID_VALUE_STAGE);
    // Straight to the runtime: no report. timeOut in seconds; 0 or more than the maximum means the
    // default wait time.
    HcclResult Wait(Stream &stream, u32 timeOut);
    HcclResult Post(Stream &stream);

    // What templates use to order a main stream and its sub-streams.
    static HcclResult Wait(Stream &stream, HcclDispatcher dispatcherPtr,
                           const std::shared_ptr<LocalNotify> &notify,
                           s32 stage = INVALID_VALUE_STAGE, u32 timeOut = NOTIFY_INVALID_WAIT_TIME);
    static HcclResult Post(Stream &stream, HcclDispatcher dispatcherPtr,
                           const std::shared_ptr<LocalNotify> &notify,
                           s32 stage = INVALID_VALUE_STAGE);

    HcclResult GetNotifyOffset(u64 &notifyOffset);
    HcclRtNotify ptr() { return notify_; }

    u32 notifyId_ = INVALID_UINT;

  private:
    HcclRtNotify notify_ = nullptr;
};

}  // namespace hccl

#endif  // HCCL_PLATFORM_LOCAL_NOTIFY_H
