// The base of every collective template: the vendor's AlgTemplateBase shape, written only against
// the platform API (dispatcher functions, hccl::Stream, DeviceMem, LocalNotify, Transport).
//
// A template is constructed with the rank's dispatcher, told what to do with Prepare, and run
// with RunAsync(rank, rankSize, links), links[i] being the link to rank i (nullptr at `rank`).
// RunAsync only issues tasks on the prepared stream; the work is done when the stream is.
//
// Data placement (the op executors guarantee it): inputMem_ and outputMem_ are views that start at
// the rank's own CCL input and output buffers, the buffers peers reach through
// link->GetRemoteMem(INPUT_MEM / OUTPUT_MEM). So an offset into inputMem_/outputMem_ is also the
// offset of the same data in a peer's buffer: P2P links run in read mode and rely on that
// symmetric layout (spec: platform_api §5.3, §6.1).
#pragma once

#include <vector>

#include "dispatcher.h"
#include "hccl_common.h"
#include "mem_device_pub.h"
#include "stream_pub.h"
#include "transport_pub.h"

namespace hcclcpu::algorithm {

using hccl::DeviceMem;
using hccl::LINK;
using hccl::Stream;

// A block of a buffer, in bytes.
struct Slice {
    u64 offset = 0;
    u64 size = 0;
};

class AlgTemplateBase {
  public:
    explicit AlgTemplateBase(HcclDispatcher dispatcher) : dispatcher_(dispatcher) {}
    virtual ~AlgTemplateBase() = default;
    AlgTemplateBase(const AlgTemplateBase &) = delete;
    AlgTemplateBase &operator=(const AlgTemplateBase &) = delete;

    // count: elements per rank block or of the whole buffer, as each template documents.
    // slices: optional per-rank blocks (bytes); empty means the template's even split.
    virtual HcclResult Prepare(const DeviceMem &inputMem, const DeviceMem &outputMem,
                               const DeviceMem &scratchMem, u64 count, HcclDataType dataType,
                               const Stream &stream,
                               HcclReduceOp reductionOp = HCCL_REDUCE_RESERVED,
                               u32 root = INVALID_VALUE_RANKID,
                               const std::vector<Slice> &slices = {}, u64 baseOffset = 0);
    virtual HcclResult RunAsync(u32 rank, u32 rankSize, const std::vector<LINK> &links) = 0;

    // Vendor helpers. Two-link barrier: pre.TxAck, aft.RxAck, aft.TxDataSignal, pre.RxDataSignal.
    static HcclResult ExecuteBarrier(const LINK &preLink, const LINK &aftLink, Stream &stream);
    // All four signals on one link: a full two-way barrier with that peer.
    static HcclResult ExecuteBarrier(const LINK &link, Stream &stream);

  protected:
    HcclDispatcher dispatcher_;
    DeviceMem inputMem_;
    DeviceMem outputMem_;
    DeviceMem scratchMem_;
    u64 count_ = 0;
    u32 unitSize_ = 0;  // bytes per element
    HcclDataType dataType_ = HCCL_DATA_TYPE_RESERVED;
    HcclReduceOp reductionOp_ = HCCL_REDUCE_RESERVED;
    u32 root_ = INVALID_VALUE_RANKID;
    std::vector<Slice> slices_;
    u64 baseOffset_ = 0;
    Stream stream_;
};

}  // namespace hcclcpu::algorithm
