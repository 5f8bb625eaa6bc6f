// How the aclrt* functions fail: rt::Err -> aclError, and the calling thread's last error
// (aclrtGetLastError, aclrtPeekAtLastError, aclGetRecentErrMsg).
#pragma once

#include <string>
#include <utility>

#include <fmt/format.h>

#include "acl/acl_base.h"
#include "common/log.h"
#include "runtime/types.h"

namespace hcclcpu::acl {

// The aclError a runtime error becomes (the table and its reasons are in error.cc).
aclError toAclError(rt::Err err);

// Remembers a failure as the calling thread's last error and returns its code.
aclError recordError(aclError code, std::string message);

// An argument the ACL layer itself rejects: logged here (where it is first detected), recorded,
// returned.
template <typename... Args>
aclError reject(aclError code, fmt::format_string<Args...> format, Args &&...args) {
    std::string message = fmt::format(format, std::forward<Args>(args)...);
    HCPU_ERROR("{}", message);
    return recordError(code, std::move(message));
}

// Passes a runtime result up. The runtime logged the failure where it found it, so this only
// records it (with the API name) for aclGetRecentErrMsg. `code` overrides the table's choice when
// the caller knows better (e.g. a timeout while synchronizing an event).
aclError fromRt(rt::Err err, const char *api);
aclError fromRt(rt::Err err, const char *api, aclError code, std::string detail);

// Last-error state of the calling thread.
aclError lastError(bool clear);
const char *takeRecentMessage();

}  // namespace hcclcpu::acl
