#include "acl/error.h"

#include "acl/acl_rt.h"

namespace hcclcpu::acl {
namespace {

// rt::Err -> aclError. The vendor documents only "0 or another aclError", so these are the
// natural runtime codes for each class of failure:
//   kParam        ACL_ERROR_RT_PARAM_INVALID    an argument the runtime rejected (arguments the
//                                               ACL layer checks itself get
//                                               ACL_ERROR_INVALID_PARAM)
//   kDevice       ACL_ERROR_RT_INVALID_DEVICEID device id outside [0, count)
//   kContext      ACL_ERROR_RT_CONTEXT_NULL     the thread has no device (aclrtSetDevice missing)
//   kNoMemory     ACL_ERROR_RT_MEMORY_ALLOCATION out of emulated device/host memory
//   kHandle       ACL_ERROR_RT_INVALID_HANDLE   unknown or destroyed stream/event/pointer
//   kKind         ACL_ERROR_RT_PARAM_INVALID    memcpy kind contradicts where src/dst live (the
//   kBounds       ACL_ERROR_RT_PARAM_INVALID    runtime logs which); range outside its allocation
//   kNotSupported ACL_ERROR_RT_FEATURE_NOT_SUPPORT
//   kTimeout      ACL_ERROR_RT_STREAM_SYNC_TIMEOUT a wait on the stream missed its deadline
//                                               (event synchronize reports ..._EVENT_SYNC_TIMEOUT)
//   kTaskFailed   ACL_ERROR_RT_TS_ERROR         a task failed while the stream ran it (the task
//                                               scheduler's error; details in aclGetRecentErrMsg)
//   kInternal     ACL_ERROR_RT_INTERNAL_ERROR
struct Mapping {
    rt::Err err;
    aclError code;
};
constexpr Mapping kMappings[] = {
    {rt::Err::kOk, ACL_RT_SUCCESS},
    {rt::Err::kParam, ACL_ERROR_RT_PARAM_INVALID},
    {rt::Err::kDevice, ACL_ERROR_RT_INVALID_DEVICEID},
    {rt::Err::kContext, ACL_ERROR_RT_CONTEXT_NULL},
    {rt::Err::kNoMemory, ACL_ERROR_RT_MEMORY_ALLOCATION},
    {rt::Err::kHandle, ACL_ERROR_RT_INVALID_HANDLE},
    {rt::Err::kKind, ACL_ERROR_RT_PARAM_INVALID},
    {rt::Err::kBounds, ACL_ERROR_RT_PARAM_INVALID},
    {rt::Err::kNotSupported, ACL_ERROR_RT_FEATURE_NOT_SUPPORT},
    {rt::Err::kTimeout, ACL_ERROR_RT_STREAM_SYNC_TIMEOUT},
    {rt::Err::kTaskFailed, ACL_ERROR_RT_TS_ERROR},
    {rt::Err::kInternal, ACL_ERROR_RT_INTERNAL_ERROR},
};

struct ThreadErrors {
    aclError lastCode = ACL_SUCCESS;
    std::string pendingMessage;   // not yet returned by aclGetRecentErrMsg
    std::string returnedMessage;  // keeps the pointer aclGetRecentErrMsg returned valid
    bool hasPending = false;
};

ThreadErrors &threadErrors() {
    thread_local ThreadErrors errors;
    return errors;
}

}  // namespace

aclError toAclError(rt::Err err) {
    for (const Mapping &m : kMappings)
        if (m.err == err) return m.code;
    return ACL_ERROR_RT_INTERNAL_ERROR;
}

aclError recordError(aclError code, std::string message) {
    ThreadErrors &errors = threadErrors();
    errors.lastCode = code;
    errors.pendingMessage = std::move(message);
    errors.hasPending = true;
    return code;
}

aclError fromRt(rt::Err err, const char *api) {
    if (err == rt::Err::kOk) return ACL_SUCCESS;
    return fromRt(err, api, toAclError(err), std::string());
}

aclError fromRt(rt::Err err, const char *api, aclError code, std::string detail) {
    if (err == rt::Err::kOk) return ACL_SUCCESS;
    std::string message =
        fmt::format("{} failed: runtime error {} (aclError {})", api, rt::errName(err), code);
    if (!detail.empty()) message += ": " + detail;
    HCPU_INFO("{}", message);
    return recordError(code, std::move(message));
}

aclError lastError(bool clear) {
    ThreadErrors &errors = threadErrors();
    aclError code = errors.lastCode;
    if (clear) errors.lastCode = ACL_SUCCESS;
    return code;
}

const char *takeRecentMessage() {
    ThreadErrors &errors = threadErrors();
    if (!errors.hasPending) return nullptr;
    errors.returnedMessage = std::move(errors.pendingMessage);
    errors.pendingMessage.clear();
    errors.hasPending = false;
    return errors.returnedMessage.c_str();
}

}  // namespace hcclcpu::acl
