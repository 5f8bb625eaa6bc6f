#include "algorithm/alg_template_base.h"

#include "dtype_common.h"
#include "log.h"

namespace hcclcpu::algorithm {

HcclResult AlgTemplateBase::Prepare(const DeviceMem &inputMem, const DeviceMem &outputMem,
                                    const DeviceMem &scratchMem, u64 count, HcclDataType dataType,
                                    const Stream &stream, HcclReduceOp reductionOp, u32 root,
                                    const std::vector<Slice> &slices, u64 baseOffset) {
    if (static_cast<u32>(dataType) >= static_cast<u32>(HCCL_DATA_TYPE_RESERVED)) {
        HCCL_ERROR("template prepare: unknown data type %d", static_cast<int>(dataType));
        return HCCL_E_PARA;
    }
    inputMem_ = inputMem;
    outputMem_ = outputMem;
    scratchMem_ = scratchMem;
    count_ = count;
    dataType_ = dataType;
    unitSize_ = SIZE_TABLE[dataType];
    reductionOp_ = reductionOp;
    root_ = root;
    slices_ = slices;
    baseOffset_ = baseOffset;
    stream_ = stream;
    return HCCL_SUCCESS;
}

HcclResult AlgTemplateBase::ExecuteBarrier(const LINK &preLink, const LINK &aftLink,
                                           Stream &stream) {
    CHK_RET(preLink->TxAck(stream));
    CHK_RET(aftLink->RxAck(stream));
    CHK_RET(aftLink->TxDataSignal(stream));
    return preLink->RxDataSignal(stream);
}

HcclResult AlgTemplateBase::ExecuteBarrier(const LINK &link, Stream &stream) {
    return ExecuteBarrier(link, link, stream);
}

}  // namespace hcclcpu::algorithm
