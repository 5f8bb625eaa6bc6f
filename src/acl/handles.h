// ACL handles are runtime objects: aclrtStream is an rt::Stream*, aclrtEvent an rt::Event*.
#pragma once

#include "acl/acl_rt.h"
#include "acl/error.h"
#include "runtime/runtime.h"

namespace hcclcpu::acl {

// A NULL stream means the default stream of the calling thread's device.
inline aclError resolveStream(aclrtStream stream, const char *api, rt::Stream **resolved) {
    if (stream != nullptr) {
        *resolved = static_cast<rt::Stream *>(stream);
        return ACL_SUCCESS;
    }
    return fromRt(rt::defaultStream(resolved), api);
}

inline rt::Event *toEvent(aclrtEvent event) {
    return static_cast<rt::Event *>(event);
}

}  // namespace hcclcpu::acl
