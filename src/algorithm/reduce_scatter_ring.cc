#include "algorithm/reduce_helpers.h"
#include "algorithm/reduction_templates.h"
#include "log.h"

namespace hcclcpu::algorithm {

HcclResult ReduceScatterRing::RunAsync(u32 rank, u32 rankSize, const std::vector<LINK> &links) {
    CHK_RET(CheckLinks(rank, rankSize, links));
    std::vector<Slice> blocks;
    CHK_RET(RankBlocks(slices_, count_, unitSize_, rankSize, blocks));
    const Slice own = blocks[rank];
    if (rankSize == 1) {
        return CopyBytes(dispatcher_, stream_, BytePtr(outputMem_, own.offset),
                         BytePtr(inputMem_, own.offset), own.size);
    }
    const LINK &left = links[(rank + rankSize - 1) % rankSize];
    const LINK &right = links[(rank + 1) % rankSize];
    u8 *leftInput = nullptr;
    CHK_RET(RemoteBase(left, hccl::UserMemType::INPUT_MEM, leftInput));
    for (u32 step = 0; step + 1 < rankSize; ++step) {
        // The left neighbour finished reducing this block in its previous step (or holds its
        // own data at step 0); its DataSignal says so.
        const Slice block = blocks[(rank + 2 * rankSize - step - 2) % rankSize];
        CHK_RET(left->TxAck(stream_));
        CHK_RET(right->RxAck(stream_));
        CHK_RET(right->TxDataSignal(stream_));
        CHK_RET(left->RxDataSignal(stream_));
        CHK_RET(ReduceInto(dispatcher_, stream_, BytePtr(inputMem_, block.offset),
                           leftInput + block.offset, block.size / unitSize_, dataType_,
                           reductionOp_, left, BytePtr(outputMem_, block.offset)));
    }
    CHK_RET(CopyBytes(dispatcher_, stream_, BytePtr(outputMem_, own.offset),
                      BytePtr(inputMem_, own.offset), own.size));
    return ExecuteBarrier(left, right, stream_);
}

}  // namespace hcclcpu::algorithm
