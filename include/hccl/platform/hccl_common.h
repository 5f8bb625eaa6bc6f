// Handle aliases, enums and constants shared by the platform layer (vendor hccl_common.h).
#ifndef HCCL_PLATFORM_HCCL_COMMON_H
#define HCCL_PLATFORM_HCCL_COMMON_H

#include <stdint.h>

#include "base.h"

// Opaque handles. A stream is an emulated-device stream, a notify an emulated-device notify.
using HcclRtStream = void *;
using HcclRtNotify = void *;
using HcclDispatcher = void *;
using HcclRtContext = void *;
using HcclRtEvent = void *;
using RdmaHandle = void *;
using SocketHandle = void *;
using FdHandle = void *;
using QpHandle = void *;
using MrHandle = void *;
using HcclTraHandle = intptr_t;
using char_t = char;

enum class LinkTypeInServer {
    HCCS_TYPE = 0,
    PXI_TYPE = 1,  // PCIe
    SIO_TYPE = 2,
    HCCS_SW_TYPE = 3,
    RESERVED_LINK_TYPE = 4,
};

// How long a notify wait may take (see GetNotifyWaitTime in the dispatcher).
enum class SyncMode {
    DEFAULT_TIMEWAITSYNCMODE = 0,
    CONFIGURABLE_TIMEWAITSYNCMODE = 1,
    UNLIMITED_TIMEWAITSYNCMODE = 2,
};

enum class HcclExecTimeoutSet {
    HCCL_EXEC_TIMEOUT_NOT_SET = 0,
    HCCL_EXEC_TIMEOUT_SET_BY_OPTIONS = 1,
    HCCL_EXEC_TIMEOUT_SET_BY_ENV = 2,
};

enum class HcclWorkflowMode {
    HCCL_WORKFLOW_MODE_OPS_KERNEL_INFO_LIB = 0,  // graph mode
    HCCL_WORKFLOW_MODE_OP_BASE = 1,
    HCCL_WORKFLOW_MODE_RESERVED = 255,
};

namespace hccl {

enum class TransportType {
    TRANS_TYPE_IBV_EXP = 0,  // RoCE
    TRANS_TYPE_P2P = 1,
    TRANS_TYPE_DEVICE_P2P = 2,
    TRANS_TYPE_DEVICE_IBVERBS = 3,
    TRANS_TYPE_DEVICE_DIRECT = 4,
    TRANS_TYPE_RESERVED = 255,
};

enum class MachineType {
    MACHINE_SERVER_TYPE = 0,
    MACHINE_CLIENT_TYPE = 1,
    MACHINE_RESERVED_TYPE = 2,
};

enum class LinkMode {
    LINK_SIMPLEX_MODE = 0,
    LINK_DUPLEX_MODE = 1,
    LINK_RESERVED_MODE = 2,
};

enum class NotifyLoadType {
    HOST_NOTIFY = 0,
    DEVICE_NOTIFY = 1,
};

}  // namespace hccl

constexpr u32 INVALID_VALUE_RANKID = 0xFFFFFFFF;
constexpr u32 INVALID_UINT = 0xFFFFFFFF;
constexpr u64 INVALID_U64 = 0xFFFFFFFFFFFFFFFF;
constexpr s32 INVALID_INT = -1;
constexpr s64 INVALID_S64 = -1;
constexpr s32 INVALID_VALUE_STAGE = -1;

// Notify wait times, in seconds.
constexpr s32 NOTIFY_DEFAULT_WAIT_TIME = 27 * 68;        // 1836
constexpr u32 NOTIFY_INVALID_WAIT_TIME = 0xFFFFFFFF;     // "use the dispatcher's rule"
constexpr s32 NOTIFY_MAX_WAIT_TIME = 255 * 68;           // 910 / 310P
constexpr s32 NOTIFY_MAX_WAIT_TIME_910_93 = 2147483647;  // 910B / 910_93

constexpr u64 SYS_MAX_COUNT = 0x7FFFFFFFF;
constexpr u32 HCCL_FFTS_CAPACITY = 65535;
constexpr u32 SDMA_QOS_LOW = 2;
constexpr u32 SDMA_QOS_MIDDLE = 4;
constexpr u32 SDMA_QOS_HIGH = 6;
constexpr u32 SDMA_QOS_DEFAULT = 6;
constexpr s32 HOST_DEVICE_ID = -1;
constexpr u32 HCCL_AISERVER_DEVICE_NUM = 8;
constexpr u32 MAX_MODULE_DEVICE_NUM = 65;

#endif  // HCCL_PLATFORM_HCCL_COMMON_H
