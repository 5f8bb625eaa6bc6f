// HcclReduceAsync: the inline (SDMA) path and the TBE (vector core) path.
#include <algorithm>
#include <cstdint>

#include "common/log.h"
#include "dtype_common.h"
#include "platform/dispatcher_impl.h"
#include "platform/rt_bridge.h"
#include "platform/split_size.h"
#include "runtime/reduce.h"

namespace hcclcpu::platform {

namespace {

// What SDMA reduce supports on 910B/910_93, the device emulated here.
bool inlineReduceSupported(HcclDataType dataType, HcclReduceOp op) {
    bool typeOk = dataType == HCCL_DATA_TYPE_INT8 || dataType == HCCL_DATA_TYPE_INT16 ||
                  dataType == HCCL_DATA_TYPE_INT32 || dataType == HCCL_DATA_TYPE_FP16 ||
                  dataType == HCCL_DATA_TYPE_FP32 || dataType == HCCL_DATA_TYPE_BFP16;
    bool opOk = op == HCCL_REDUCE_SUM || op == HCCL_REDUCE_MAX || op == HCCL_REDUCE_MIN;
    return typeOk && opOk;
}

// The runtime's enums are one byte: a value out of that range stays invalid instead of wrapping.
rt::DataType toRt(HcclDataType dataType) {
    return static_cast<rt::DataType>(std::min<u32>(static_cast<u32>(dataType), 0xff));
}
rt::ReduceOp toRt(HcclReduceOp op) {
    return static_cast<rt::ReduceOp>(std::min<u32>(static_cast<u32>(op), 0xff));
}

}  // namespace

HcclResult Dispatcher::reduceAsync(const void *src, u64 count, HcclDataType dataType,
                                   HcclReduceOp op, hccl::Stream &stream, void *dst,
                                   u32 remoteUserRank, hccl::LinkType linkType,
                                   u64 reduceAttr) const {
    if ((reduceAttr & INLINE_REDUCE_BITMASK) != 0)
        return inlineReduceAsync(src, count, dataType, op, stream, dst, remoteUserRank, linkType);
    return tbeReduceAsync(src, count, dataType, op, stream, dst);
}

HcclResult Dispatcher::inlineReduceAsync(const void *src, u64 count, HcclDataType dataType,
                                         HcclReduceOp op, hccl::Stream &stream, void *dst,
                                         u32 remoteUserRank, hccl::LinkType linkType) const {
    const u64 beginTime = profilingBeginTime();
    if (count == 0) {
        HCPU_WARN("count is 0, return success.");
        return HCCL_SUCCESS;
    }
    rt::Stream *rtStreamPtr = rtStream(stream);
    if (rtStreamPtr == nullptr) {
        HCPU_ERROR("inline reduce: stream is nullptr, return HCCL_E_PTR");
        return HCCL_E_PTR;
    }
    if (!inlineReduceSupported(dataType, op)) {
        HCPU_ERROR("inline reduce: data type[{}] or reduceOp[{}] is not support",
                   static_cast<int>(dataType), static_cast<int>(op));
        return HCCL_E_PARA;
    }
    const u64 unit = SIZE_TABLE[dataType];
    if (count > UINT64_MAX / unit) {
        HCPU_ERROR("inline reduce: count[{}] of {}-byte elements overflows", count, unit);
        return HCCL_E_PARA;
    }
    const u64 bytes = count * unit;
    const u64 splitSize = sdmaSplitSize();  // bytes, a multiple of every element size
    if (bytes > splitSize)
        HCPU_INFO("inline reduce bytes[{}] is bigger than 4GB and do segmentation splitloop[{}]",
                  bytes, (bytes - 1) / splitSize);
    auto *dstBytes = static_cast<uint8_t *>(dst);
    auto *srcBytes = static_cast<const uint8_t *>(src);
    for (u64 offset = 0; offset < bytes; offset += splitSize) {
        const u64 length = std::min(splitSize, bytes - offset);
        rt::Err err = rt::enqueueReduce(rtStreamPtr, dstBytes + offset, srcBytes + offset,
                                        length / unit, toRt(dataType), toRt(op));
        if (err != rt::Err::kOk) {
            return runtimeFailure(
                err, fmt::format("inline reduce(dst {}, src {}, count {}, type {}, op {})",
                                 static_cast<void *>(dstBytes + offset),
                                 static_cast<const void *>(srcBytes + offset), length / unit,
                                 static_cast<int>(dataType), static_cast<int>(op)));
        }
        if (callback_ != nullptr) {
            hccl::TaskPara para(hccl::TaskType::TASK_REDUCE_INLINE,
                                hccl::TaskParaReduce(srcBytes + offset, dstBytes + offset, length,
                                                     op, dataType, linkType, remoteUserRank));
            report(para, stream, beginTime);
        }
        if (taskLogEnabled()) {
            log::write(
                log::Level::kInfo,
                fmt::format("InlineReduceAsync para: dst[{}] src[{}] count[{}] "
                            "rtReduceOp[{}] rtDataType[{}] streamID[{}] "
                            "remoteUserRank[{}] inLinkType[{}]",
                            static_cast<void *>(dstBytes + offset),
                            static_cast<const void *>(srcBytes + offset), length / unit,
                            static_cast<int>(op), static_cast<int>(dataType),
                            rt::streamId(rtStreamPtr), remoteUserRank, static_cast<int>(linkType)));
        }
    }
    return HCCL_SUCCESS;
}

// One reduction of the whole range; remoteUserRank and linkType are not used on this path.
HcclResult Dispatcher::tbeReduceAsync(const void *src, u64 count, HcclDataType dataType,
                                      HcclReduceOp op, hccl::Stream &stream, void *dst) const {
    const u64 beginTime = profilingBeginTime();
    if (count == 0) {
        HCPU_WARN("count is 0, return success.");
        return HCCL_SUCCESS;
    }
    if (static_cast<uint32_t>(dataType) >= HCCL_DATA_TYPE_RESERVED) {
        HCPU_ERROR("tbe reduce: data type[{}] is invalid, return HCCL_E_PARA",
                   static_cast<int>(dataType));
        return HCCL_E_PARA;
    }
    rt::Stream *rtStreamPtr = rtStream(stream);
    if (rtStreamPtr == nullptr) {
        HCPU_ERROR("tbe reduce: stream is nullptr, return HCCL_E_PTR");
        return HCCL_E_PTR;
    }
    const u64 unit = SIZE_TABLE[dataType];
    if (unit != 0 && count > UINT64_MAX / unit) {
        HCPU_ERROR("tbe reduce: count[{}] of {}-byte elements overflows", count, unit);
        return HCCL_E_PARA;
    }
    rt::Err err = rt::enqueueReduce(rtStreamPtr, dst, src, count, toRt(dataType), toRt(op));
    if (err != rt::Err::kOk) {
        return runtimeFailure(
            err, fmt::format("tbe reduce(dst {}, src {}, count {}, type {}, op {})", dst, src,
                             count, static_cast<int>(dataType), static_cast<int>(op)));
    }
    if (callback_ != nullptr) {
        hccl::TaskPara para(hccl::TaskType::TASK_REDUCE_TBE,
                            hccl::TaskParaReduce(src, dst, count, op, dataType,
                                                 hccl::LinkType::LINK_ONCHIP, INVALID_UINT));
        report(para, stream, beginTime);
    }
    return HCCL_SUCCESS;
}

}  // namespace hcclcpu::platform
