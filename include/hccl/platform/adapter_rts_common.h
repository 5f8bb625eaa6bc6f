// Runtime-adapter enums (vendor adapter_rts_common.h).
#ifndef HCCL_PLATFORM_ADAPTER_RTS_COMMON_H
#define HCCL_PLATFORM_ADAPTER_RTS_COMMON_H

// Values 0..3 are translated to the runtime's copy kinds; 4 and 5 are rejected with HCCL_E_PARA
// when a copy is issued.
enum class HcclRtMemcpyKind {
    HCCL_RT_MEMCPY_KIND_HOST_TO_HOST = 0,
    HCCL_RT_MEMCPY_KIND_HOST_TO_DEVICE = 1,
    HCCL_RT_MEMCPY_KIND_DEVICE_TO_HOST = 2,
    HCCL_RT_MEMCPY_KIND_DEVICE_TO_DEVICE = 3,
    HCCL_RT_MEMCPY_ADDR_DEVICE_TO_DEVICE = 4,
    HCCL_RT_MEMCPY_KIND_RESERVED = 5,
};

enum class HcclReduceType {
    HCCL_INLINE_REDUCE = 0,
    HCCL_TBE_REDUCE = 1,
};

#endif  // HCCL_PLATFORM_ADAPTER_RTS_COMMON_H
