/*
 * HCCL public API (hccl/hccl.h), the header CANN programs include.
 *
 * As in CANN 8.1 it brings in the types (hccl/hccl_types.h), the ACL runtime (acl/acl.h: the
 * vendor examples call aclrt* after including only this header) and the communicator
 * management functions with the inline HcclCommConfigInit (hccl/hccl_comm.h).
 *
 * Compiles as C11 and as C++11 or later.
 */
#ifndef HCCL_H_
#define HCCL_H_

#include "acl/acl.h"
#include "hccl/hccl_comm.h"
#include "hccl/hccl_types.h"

#endif /* HCCL_H_ */
