// Element sizes per HcclDataType and the device types (vendor dtype_common.h).
#ifndef HCCL_PLATFORM_DTYPE_COMMON_H
#define HCCL_PLATFORM_DTYPE_COMMON_H

#include "base.h"

// Bytes per element, indexed by HcclDataType. Entries past FP8E8M0 are 0; entry 13 (no type) is 2.
constexpr u32 SIZE_TABLE[HCCL_DATA_TYPE_RESERVED] = {
    1,   // INT8
    2,   // INT16
    4,   // INT32
    2,   // FP16
    4,   // FP32
    8,   // INT64
    8,   // UINT64
    1,   // UINT8
    2,   // UINT16
    4,   // UINT32
    8,   // FP64
    2,   // BFP16
    16,  // INT128
    2,   // (13, unused)
    1,   // HIF8
    1,   // FP8E4M3
    1,   // FP8E5M2
    1,   // FP8E8M0
};

enum class DevType {
    DEV_TYPE_910 = 0,
    DEV_TYPE_310P3 = 1,
    DEV_TYPE_910B = 2,
    DEV_TYPE_310P1 = 3,
    DEV_TYPE_910_93 = 4,
    DEV_TYPE_NOSOC = 5,
    DEV_TYPE_950 = 6,
    DEV_TYPE_MC62 = 7,
    DEV_TYPE_960 = 8,
    DEV_TYPE_COUNT = 9,
};

#endif  // HCCL_PLATFORM_DTYPE_COMMON_H
