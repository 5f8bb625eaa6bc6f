// DispatcherVirtural: records tasks on the stream instead of running them (see dispatcher_impl.h).
// Nothing here touches the runtime: a record is only replayed (and so validated) later.
#include "platform/dispatcher_impl.h"

namespace hcclcpu::platform {

HcclResult VirtualDispatcher::memcpyAsync(hccl::DeviceMem &dst, const hccl::DeviceMem &src,
                                          hccl::Stream &stream, u32 remoteUserRank,
                                          hccl::LinkType linkType) const {
    (void)remoteUserRank;  // the vendor's record has no place for them
    (void)linkType;
    HcclResult ret = checkCopySizes(dst, src);
    if (ret != HCCL_SUCCESS) return ret;
    hccl::TaskLogicInfo info;
    info.taskType = hccl::DispatcherTaskType::DISPATCHER_MEMCPYASYNC_TYPE;
    info.memcpyPara.dst = dst.ptr();
    info.memcpyPara.dstSize = dst.size();
    info.memcpyPara.src = src.ptr();
    info.memcpyPara.srcSize = src.size();
    info.memcpyPara.kind = HcclRtMemcpyKind::HCCL_RT_MEMCPY_KIND_DEVICE_TO_DEVICE;
    return stream.PushTaskLogicInfo(info);
}

HcclResult VirtualDispatcher::inlineReduceAsync(const void *src, u64 count, HcclDataType dataType,
                                                HcclReduceOp op, hccl::Stream &stream, void *dst,
                                                u32 remoteUserRank, hccl::LinkType linkType) const {
    hccl::TaskLogicInfo info;
    info.taskType = hccl::DispatcherTaskType::DISPATCHER_INLINEREDUCEASYNC_TYPE;
    // HcclReduceAsync, the call that recorded it and that replays it, takes src as a void *.
    info.reducePara.src = const_cast<void *>(src);
    info.reducePara.dst = dst;
    info.reducePara.count = count;
    info.reducePara.dataType = dataType;
    info.reducePara.op = op;
    info.reducePara.remoteUserRank = remoteUserRank;
    info.reducePara.linkType = linkType;
    return stream.PushTaskLogicInfo(info);
}

HcclResult VirtualDispatcher::signalRecord(HcclRtNotify signal, hccl::Stream &stream, u32 userRank,
                                           u64 offset, s32 stage) const {
    hccl::TaskLogicInfo info;
    info.taskType = hccl::DispatcherTaskType::DISPATCHER_SIGNALRECORD_TYPE;
    info.signalPara.signal = signal;
    info.signalPara.userRank = userRank;
    info.signalPara.offset = offset;  // INVALID_U64 stays: the replay resolves it
    info.signalPara.stage = stage;
    return stream.PushTaskLogicInfo(info);
}

HcclResult VirtualDispatcher::signalWait(HcclRtNotify signal, hccl::Stream &stream, u32 userRank,
                                         u32 remoteUserRank, s32 stage, u32 timeOut) const {
    (void)timeOut;
    hccl::TaskLogicInfo info;
    info.taskType = hccl::DispatcherTaskType::DISPATCHER_SIGNALWAIT_TYPE;
    info.signalPara.signal = signal;
    info.signalPara.userRank = userRank;
    info.signalPara.remoteUserRank = remoteUserRank;
    info.signalPara.stage = stage;
    return stream.PushTaskLogicInfo(info);
}

}  // namespace hcclcpu::platform
