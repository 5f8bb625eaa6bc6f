// Contexts as the ACL layer models them (see context.cc).
#pragma once

namespace hcclcpu::acl {

// aclrtSetDevice makes the device's default context current on the calling thread.
void useDefaultContextOnThisThread();

}  // namespace hcclcpu::acl
