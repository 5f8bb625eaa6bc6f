/* ACL umbrella header: everything a CANN program needs from the runtime. */
#ifndef INC_EXTERNAL_ACL_ACL_H_
#define INC_EXTERNAL_ACL_ACL_H_

#include "acl_base.h"
#include "acl_rt.h"

/* The ACL version aclrtGetVersion reports (the CANN 8.1 interface generation). */
#define ACL_MAJOR_VERSION 1
#define ACL_MINOR_VERSION 13
#define ACL_PATCH_VERSION 0

#endif /* INC_EXTERNAL_ACL_ACL_H_ */
