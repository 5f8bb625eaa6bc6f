// Streams. An aclrtStream is an rt::Stream*; NULL is the current device's default stream.
#include "acl/acl.h"
#include "acl/error.h"
#include "acl/handles.h"
#include "runtime/runtime.h"

namespace rt = hcclcpu::rt;
using hcclcpu::acl::fromRt;
using hcclcpu::acl::reject;
using hcclcpu::acl::resolveStream;
using hcclcpu::acl::toEvent;

extern "C" {

aclError aclrtCreateStream(aclrtStream *stream) {
    if (stream == nullptr) return reject(ACL_ERROR_INVALID_PARAM, "aclrtCreateStream: null stream");
    rt::Stream *created = nullptr;
    aclError ret = fromRt(rt::streamCreate(&created), "aclrtCreateStream");
    if (ret == ACL_SUCCESS) *stream = created;
    return ret;
}

// The default stream belongs to the device and cannot be destroyed.
aclError aclrtDestroyStream(aclrtStream stream) {
    if (stream == nullptr)
        return reject(ACL_ERROR_INVALID_PARAM, "aclrtDestroyStream: null stream");
    return fromRt(rt::streamDestroy(static_cast<rt::Stream *>(stream)), "aclrtDestroyStream");
}

// Reports the first failed task since the last synchronize once, with the runtime's description
// of it in aclGetRecentErrMsg.
aclError aclrtSynchronizeStream(aclrtStream stream) {
    rt::Stream *resolved = nullptr;
    aclError ret = resolveStream(stream, "aclrtSynchronizeStream", &resolved);
    if (ret != ACL_SUCCESS) return ret;
    rt::Err err = rt::streamSynchronize(resolved);
    if (err == rt::Err::kTaskFailed || err == rt::Err::kTimeout)
        return fromRt(err, "aclrtSynchronizeStream", hcclcpu::acl::toAclError(err),
                      rt::streamLastError(resolved));
    return fromRt(err, "aclrtSynchronizeStream");
}

aclError aclrtStreamQuery(aclrtStream stream, aclrtStreamStatus *status) {
    if (status == nullptr) return reject(ACL_ERROR_INVALID_PARAM, "aclrtStreamQuery: null status");
    rt::Stream *resolved = nullptr;
    aclError ret = resolveStream(stream, "aclrtStreamQuery", &resolved);
    if (ret != ACL_SUCCESS) return ret;
    bool complete = false;
    ret = fromRt(rt::streamQuery(resolved, &complete), "aclrtStreamQuery");
    if (ret == ACL_SUCCESS)
        *status = complete ? ACL_STREAM_STATUS_COMPLETE : ACL_STREAM_STATUS_NOT_READY;
    return ret;
}

// Both modes are accepted and the stream is checked, but the mode changes nothing: the runtime
// always stops a stream at its first failed task and reports it at the next synchronize.
aclError aclrtSetStreamFailureMode(aclrtStream stream, uint64_t mode) {
    if (mode != ACL_CONTINUE_ON_FAILURE && mode != ACL_STOP_ON_FAILURE)
        return reject(ACL_ERROR_INVALID_PARAM, "aclrtSetStreamFailureMode: invalid mode {}", mode);
    rt::Stream *resolved = nullptr;
    aclError ret = resolveStream(stream, "aclrtSetStreamFailureMode", &resolved);
    if (ret != ACL_SUCCESS) return ret;
    if (!rt::streamValid(resolved))
        return reject(ACL_ERROR_RT_INVALID_HANDLE, "aclrtSetStreamFailureMode: {} is not a stream",
                      stream);
    return ACL_SUCCESS;
}

aclError aclrtStreamWaitEvent(aclrtStream stream, aclrtEvent event) {
    if (event == nullptr)
        return reject(ACL_ERROR_INVALID_PARAM, "aclrtStreamWaitEvent: null event");
    rt::Stream *resolved = nullptr;
    aclError ret = resolveStream(stream, "aclrtStreamWaitEvent", &resolved);
    if (ret != ACL_SUCCESS) return ret;
    return fromRt(rt::enqueueEventWait(resolved, toEvent(event)), "aclrtStreamWaitEvent");
}

}  // extern "C"
