// Task reports: what the dispatcher hands to the RegisterLoadTaskCallBack callback, one report per
// issued task (vendor dispatcher_task_types.h).
#ifndef HCCL_PLATFORM_DISPATCHER_TASK_TYPES_H
#define HCCL_PLATFORM_DISPATCHER_TASK_TYPES_H

#include <cstddef>
#include <map>
#include <string>

#include "hccl_common.h"

namespace hccl {

enum class LinkType {
    LINK_ONCHIP = 0,
    LINK_HCCS = 1,
    LINK_PCIE = 2,
    LINK_ROCE = 3,
    LINK_SIO = 4,
    LINK_HCCS_SW = 5,
    LINK_STANDARD_ROCE = 6,
    LINK_UB = 7,  // has no string name
    LINK_RESERVED = 255,
};

const std::map<LinkType, std::string> LINK_TYPE_STR_MAP = {
    {LinkType::LINK_ONCHIP, "ONCHIP"},
    {LinkType::LINK_HCCS, "HCCS"},
    {LinkType::LINK_PCIE, "PCIE"},
    {LinkType::LINK_ROCE, "ROCE"},
    {LinkType::LINK_SIO, "SIO"},
    {LinkType::LINK_HCCS_SW, "HCCS_SW"},
    {LinkType::LINK_STANDARD_ROCE, "STANDARD_ROCE"},
    {LinkType::LINK_RESERVED, "RESERVED"},
};

inline std::string GetLinkTypeEnumStr(LinkType linkType) {
    auto it = LINK_TYPE_STR_MAP.find(linkType);
    return it == LINK_TYPE_STR_MAP.end() ? std::string("unknown") : it->second;
}

enum class TaskType {
    TASK_SDMA = 0,
    TASK_RDMA = 1,
    TASK_REDUCE_INLINE = 2,
    TASK_REDUCE_TBE = 3,
    TASK_NOTIFY_RECORD = 4,
    TASK_NOTIFY_WAIT = 5,
    TASK_HOST = 6,
    TASK_GRAPH_LAUNCH = 7,
    TASK_BATCH_REPORT = 8,
    TASK_FLIP = 9,
};

enum class SimpleTaskType { SDMA = 0, RDMA = 1, LOCAL = 2, RESERVED = 255 };
enum class TaskRole { DST = 0, SRC = 1, RESERVED = 255 };
enum class RdmaType { RDMA_SEND_NOTIFY = 0, RDMA_SEND_PAYLOAD = 1, RDMA_TYPE_RESERVED = 255 };
enum class ProfilerType {
    TASK_PROFILING = 0,
    TASK_EXCEPTION = 1,
    TASK_OVERFLOW = 2,
    TASK_ALL = 3,
    TASK_RESERVE = 4,
};

// Notify IDs in reports pack the rank and the low 32 bits of the notify's offset.
constexpr u64 MakeNotifyId(u32 rank, u64 offset) {
    return (static_cast<u64>(rank) << 32) | (offset & 0xFFFFFFFFULL);
}

struct TaskParaDMA {
    const void *src;
    const void *dst;
    std::size_t size;  // bytes
    u64 notifyID;
    LinkType linkType;
    u32 remoteUserRank;
    RdmaType rdmaType;
    u32 ctxId;

    TaskParaDMA()
        : src(nullptr),
          dst(nullptr),
          size(0),
          notifyID(INVALID_U64),
          linkType(LinkType::LINK_ONCHIP),
          remoteUserRank(INVALID_VALUE_RANKID),
          rdmaType(RdmaType::RDMA_TYPE_RESERVED),
          ctxId(INVALID_UINT) {}
    // A copy: no notify.
    TaskParaDMA(const void *src, const void *dst, std::size_t size, LinkType linkType,
                u32 remoteUserRank, u32 ctxId = INVALID_UINT)
        : src(src),
          dst(dst),
          size(size),
          notifyID(INVALID_U64),
          linkType(linkType),
          remoteUserRank(remoteUserRank),
          rdmaType(RdmaType::RDMA_TYPE_RESERVED),
          ctxId(ctxId) {}
    // An RDMA transfer that writes a notify: the rank comes from the notify ID.
    TaskParaDMA(const void *src, const void *dst, std::size_t size, u64 notifyID, LinkType linkType,
                RdmaType rdmaType = RdmaType::RDMA_TYPE_RESERVED, u32 ctxId = INVALID_UINT)
        : src(src),
          dst(dst),
          size(size),
          notifyID(notifyID),
          linkType(linkType),
          remoteUserRank(static_cast<u32>(notifyID >> 32)),
          rdmaType(rdmaType),
          ctxId(ctxId) {}
};

struct TaskParaReduce {
    const void *src;
    const void *dst;
    std::size_t size;  // bytes for inline reduce, elements for TBE reduce
    HcclReduceOp op;
    HcclDataType dataType;
    LinkType linkType;
    u32 remoteUserRank;
    u32 ctxId;

    TaskParaReduce()
        : src(nullptr),
          dst(nullptr),
          size(0),
          op(HCCL_REDUCE_RESERVED),
          dataType(HCCL_DATA_TYPE_RESERVED),
          linkType(LinkType::LINK_ONCHIP),
          remoteUserRank(INVALID_UINT),
          ctxId(INVALID_UINT) {}
    TaskParaReduce(const void *src, const void *dst, std::size_t size, HcclReduceOp op,
                   HcclDataType dataType, LinkType linkType, u32 remoteUserRank = INVALID_UINT,
                   u32 ctxId = INVALID_UINT)
        : src(src),
          dst(dst),
          size(size),
          op(op),
          dataType(dataType),
          linkType(linkType),
          remoteUserRank(remoteUserRank),
          ctxId(ctxId) {}
};

struct TaskParaNotify {
    u64 notifyID;
    s32 stage;
    u32 remoteUserRank;
    u32 ctxId;

    TaskParaNotify()
        : notifyID(INVALID_U64),
          stage(INVALID_VALUE_STAGE),
          remoteUserRank(INVALID_VALUE_RANKID),
          ctxId(INVALID_UINT) {}
    explicit TaskParaNotify(u64 notifyID, s32 stage = INVALID_VALUE_STAGE)
        : notifyID(notifyID),
          stage(stage),
          remoteUserRank(static_cast<u32>(notifyID >> 32)),
          ctxId(INVALID_UINT) {}
    TaskParaNotify(u64 notifyID, s32 stage, u32 remoteUserRank, u32 ctxId = INVALID_UINT)
        : notifyID(notifyID), stage(stage), remoteUserRank(remoteUserRank), ctxId(ctxId) {}
};

// Host-NIC (TCP mode) tasks; never produced by this implementation.
struct TaskParaHost {
    u32 streamID;
    u32 taskID;
    u32 rank;
    TaskParaHost() : streamID(INVALID_UINT), taskID(INVALID_UINT), rank(INVALID_VALUE_RANKID) {}
};

// An FFTS+ graph launch; never produced by this implementation.
struct TaskParaGraphLaunch {
    u32 ctxNum;
    void *descBuf;
    u32 descBufLen;
    TaskParaGraphLaunch() : ctxNum(0), descBuf(nullptr), descBufLen(0) {}
};

struct TaskPara {
    TaskType type;
    ProfilerType profilerType;
    void *stream;  // the runtime stream (Stream::ptr())
    bool isMainStream;
    u64 beginTime;  // 0 unless profiling is on; the same for every report of one call
    bool isFftsDispatcher;
    union {
        TaskParaDMA dma;
        TaskParaReduce reduce;
        TaskParaNotify notify;
        TaskParaHost host;
        TaskParaGraphLaunch graphLaunch;
    };

    TaskPara()
        : type(TaskType::TASK_SDMA),
          profilerType(ProfilerType::TASK_ALL),
          stream(nullptr),
          isMainStream(false),
          beginTime(0),
          isFftsDispatcher(false),
          dma() {}
    TaskPara(TaskType type, const TaskParaDMA &para)
        : type(type),
          profilerType(ProfilerType::TASK_ALL),
          stream(nullptr),
          isMainStream(false),
          beginTime(0),
          isFftsDispatcher(false),
          dma(para) {}
    TaskPara(TaskType type, const TaskParaReduce &para)
        : type(type),
          profilerType(ProfilerType::TASK_ALL),
          stream(nullptr),
          isMainStream(false),
          beginTime(0),
          isFftsDispatcher(false),
          reduce(para) {}
    TaskPara(TaskType type, const TaskParaNotify &para)
        : type(type),
          profilerType(ProfilerType::TASK_ALL),
          stream(nullptr),
          isMainStream(false),
          beginTime(0),
          isFftsDispatcher(false),
          notify(para) {}
    TaskPara(TaskType type, const TaskParaHost &para)
        : type(type),
          profilerType(ProfilerType::TASK_ALL),
          stream(nullptr),
          isMainStream(false),
          beginTime(0),
          isFftsDispatcher(false),
          host(para) {}
    TaskPara(TaskType type, const TaskParaGraphLaunch &para)
        : type(type),
          profilerType(ProfilerType::TASK_ALL),
          stream(nullptr),
          isMainStream(false),
          beginTime(0),
          isFftsDispatcher(false),
          graphLaunch(para) {}
};

}  // namespace hccl

#endif  // HCCL_PLATFORM_DISPATCHER_TASK_TYPES_H
