// Events. An aclrtEvent is an rt::Event*; records, resets and waits are stream tasks.
#include "acl/acl.h"
#include "acl/error.h"
#include "acl/handles.h"
#include "runtime/runtime.h"

namespace rt = hcclcpu::rt;
using hcclcpu::acl::fromRt;
using hcclcpu::acl::reject;
using hcclcpu::acl::resolveStream;
using hcclcpu::acl::toEvent;

namespace {

constexpr uint32_t kKnownEventFlags = ACL_EVENT_SYNC | ACL_EVENT_CAPTURE_STREAM_PROGRESS |
                                      ACL_EVENT_TIME_LINE | ACL_EVENT_DEVICE_USE_ONLY |
                                      ACL_EVENT_EXTERNAL | ACL_EVENT_IPC;

// aclrtCreateEvent's event both times and orders streams.
constexpr uint32_t kDefaultEventFlags = ACL_EVENT_SYNC | ACL_EVENT_TIME_LINE;

aclError createEvent(aclrtEvent *event, uint32_t flags, const char *api) {
    rt::Event *created = nullptr;
    aclError ret = fromRt(rt::eventCreate(&created, flags), api);
    if (ret == ACL_SUCCESS) *event = created;
    return ret;
}

}  // namespace

extern "C" {

aclError aclrtCreateEvent(aclrtEvent *event) {
    if (event == nullptr) return reject(ACL_ERROR_INVALID_PARAM, "aclrtCreateEvent: null event");
    return createEvent(event, kDefaultEventFlags, "aclrtCreateEvent");
}

aclError aclrtCreateEventWithFlag(aclrtEvent *event, uint32_t flag) {
    if (event == nullptr)
        return reject(ACL_ERROR_INVALID_PARAM, "aclrtCreateEventWithFlag: null event");
    if (flag == 0 || (flag & ~kKnownEventFlags) != 0)
        return reject(ACL_ERROR_INVALID_PARAM, "aclrtCreateEventWithFlag: invalid flag {:#x}",
                      flag);
    if ((flag & ACL_EVENT_EXTERNAL) != 0 && flag != ACL_EVENT_EXTERNAL)
        return reject(
            ACL_ERROR_INVALID_PARAM,
            "aclrtCreateEventWithFlag: ACL_EVENT_EXTERNAL cannot be combined (flag {:#x})", flag);
    return createEvent(event, flag, "aclrtCreateEventWithFlag");
}

// May be called before the event completes; the runtime frees it once nothing refers to it.
aclError aclrtDestroyEvent(aclrtEvent event) {
    if (event == nullptr) return reject(ACL_ERROR_INVALID_PARAM, "aclrtDestroyEvent: null event");
    return fromRt(rt::eventDestroy(toEvent(event)), "aclrtDestroyEvent");
}

aclError aclrtRecordEvent(aclrtEvent event, aclrtStream stream) {
    if (event == nullptr) return reject(ACL_ERROR_INVALID_PARAM, "aclrtRecordEvent: null event");
    rt::Stream *resolved = nullptr;
    aclError ret = resolveStream(stream, "aclrtRecordEvent", &resolved);
    if (ret != ACL_SUCCESS) return ret;
    return fromRt(rt::enqueueEventRecord(resolved, toEvent(event)), "aclrtRecordEvent");
}

aclError aclrtResetEvent(aclrtEvent event, aclrtStream stream) {
    if (event == nullptr) return reject(ACL_ERROR_INVALID_PARAM, "aclrtResetEvent: null event");
    rt::Stream *resolved = nullptr;
    aclError ret = resolveStream(stream, "aclrtResetEvent", &resolved);
    if (ret != ACL_SUCCESS) return ret;
    return fromRt(rt::enqueueEventReset(resolved, toEvent(event)), "aclrtResetEvent");
}

aclError aclrtSynchronizeEvent(aclrtEvent event) {
    if (event == nullptr)
        return reject(ACL_ERROR_INVALID_PARAM, "aclrtSynchronizeEvent: null event");
    rt::Err err = rt::eventSynchronize(toEvent(event));
    if (err == rt::Err::kTimeout)
        return fromRt(err, "aclrtSynchronizeEvent", ACL_ERROR_RT_EVENT_SYNC_TIMEOUT, "");
    return fromRt(err, "aclrtSynchronizeEvent");
}

// An event that was never recorded counts as complete.
aclError aclrtQueryEventStatus(aclrtEvent event, aclrtEventRecordedStatus *status) {
    if (event == nullptr || status == nullptr)
        return reject(ACL_ERROR_INVALID_PARAM, "aclrtQueryEventStatus: null event or status");
    bool complete = false;
    aclError ret = fromRt(rt::eventQuery(toEvent(event), &complete), "aclrtQueryEventStatus");
    if (ret == ACL_SUCCESS)
        *status =
            complete ? ACL_EVENT_RECORDED_STATUS_COMPLETE : ACL_EVENT_RECORDED_STATUS_NOT_READY;
    return ret;
}

aclError aclrtEventElapsedTime(float *ms, aclrtEvent startEvent, aclrtEvent endEvent) {
    if (ms == nullptr || startEvent == nullptr || endEvent == nullptr)
        return reject(ACL_ERROR_INVALID_PARAM, "aclrtEventElapsedTime: null ms or event");
    return fromRt(rt::eventElapsedMs(toEvent(startEvent), toEvent(endEvent), ms),
                  "aclrtEventElapsedTime");
}

}  // extern "C"
