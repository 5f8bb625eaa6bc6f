// Vendor code includes "hccl/base.h" (pkg_inc/legacy/hccl/base.h); the types live with the
// platform headers.
#ifndef HCCL_BASE_H_FORWARD
#define HCCL_BASE_H_FORWARD
#include "platform/base.h"
#endif
