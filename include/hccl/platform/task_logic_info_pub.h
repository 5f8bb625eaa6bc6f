// Memory descriptors of the transport list APIs, and the task records of the virtual dispatcher
// (vendor task_logic_info_pub.h).
#ifndef HCCL_PLATFORM_TASK_LOGIC_INFO_PUB_H
#define HCCL_PLATFORM_TASK_LOGIC_INFO_PUB_H

#include "adapter_rts_common.h"
#include "base.h"
#include "dispatcher_task_types.h"
#include "hccl_common.h"

namespace hccl {

// Which of a peer's exchanged buffers an offset refers to.
enum class UserMemType {
    INPUT_MEM = 0,
    OUTPUT_MEM = 1,
    MEM_RESERVED = 2,
};

struct TxMemoryInfo {
    UserMemType dstMemType;
    u64 dstOffset;
    const void *src;
    u64 len;
};

struct RxMemoryInfo {
    UserMemType srcMemType;
    u64 srcOffset;
    void *dst;
    u64 len;
};

struct RxWithReduceMemoryInfo {
    UserMemType srcMemType;
    u64 srcOffset;
    void *dst;
    u64 len;
    void *reduceSrc;
    void *reduceDst;
    u64 reduceDataCount;
};

// ---- records of DISPATCHER_VIRTURAL ----------------------------------------------------------
// A virtual dispatcher does not issue these tasks: it pushes one TaskLogicInfo per call onto the
// stream (Stream::PushTaskLogicInfo), to be popped and replayed later, e.g. by a task loader.
// A record holds the arguments of the call as given; a field the call does not have holds the
// INVALID_* sentinel (a wait has no offset, a record no remoteUserRank).

enum class DispatcherTaskType {
    DISPATCHER_MEMCPYASYNC_TYPE = 0,        // HcclD2DMemcpyAsync: replay with HcclMemcpyAsync
    DISPATCHER_INLINEREDUCEASYNC_TYPE = 1,  // HcclReduceAsync with INLINE_REDUCE_BIT
    DISPATCHER_SIGNALRECORD_TYPE = 2,       // HcclSignalRecord, LocalNotify::Post
    DISPATCHER_SIGNALWAIT_TYPE = 3,         // HcclSignalWait, LocalNotify::Wait
    DISPATCHER_TASK_TYPE_RESERVED = 255,
};

struct TaskLogicMemcpyPara {
    void *dst = nullptr;
    u64 dstSize = 0;  // bytes: the destMax of the replayed copy
    const void *src = nullptr;
    u64 srcSize = 0;  // bytes: the count of the replayed copy
    HcclRtMemcpyKind kind = HcclRtMemcpyKind::HCCL_RT_MEMCPY_KIND_DEVICE_TO_DEVICE;
};

struct TaskLogicReducePara {
    void *src = nullptr;  // not const: HcclReduceAsync, which replays it, takes a void *
    void *dst = nullptr;  // dst[i] = dst[i] op src[i]
    u64 count = 0;        // elements
    HcclDataType dataType = HCCL_DATA_TYPE_RESERVED;
    HcclReduceOp op = HCCL_REDUCE_RESERVED;
    u32 remoteUserRank = INVALID_VALUE_RANKID;
    LinkType linkType = LinkType::LINK_ONCHIP;
};

struct TaskLogicSignalPara {
    HcclRtNotify signal = nullptr;
    u32 userRank = INVALID_VALUE_RANKID;
    u32 remoteUserRank = INVALID_VALUE_RANKID;  // waits only
    u64 offset = INVALID_U64;                   // records only; INVALID_U64: the signal's own
    s32 stage = INVALID_VALUE_STAGE;
};

// Only the member named by taskType is meaningful; the others keep their defaults.
struct TaskLogicInfo {
    DispatcherTaskType taskType = DispatcherTaskType::DISPATCHER_TASK_TYPE_RESERVED;
    TaskLogicMemcpyPara memcpyPara;
    TaskLogicReducePara reducePara;
    TaskLogicSignalPara signalPara;
};

}  // namespace hccl

#endif  // HCCL_PLATFORM_TASK_LOGIC_INFO_PUB_H
