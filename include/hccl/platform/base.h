// Basic integer and handle typedefs of the HCCL platform layer (vendor hccl/base.h).
#ifndef HCCL_PLATFORM_BASE_H
#define HCCL_PLATFORM_BASE_H

#include "hccl/hccl_types.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef signed char s8;
typedef signed short s16;
typedef signed int s32;
typedef signed long long s64;
typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;

// A runtime stream (an emulated-device stream here) and a model handle.
typedef void *rtStream_t;
typedef void *rtModel_t;

#ifdef __cplusplus
}
#endif

#endif  // HCCL_PLATFORM_BASE_H
