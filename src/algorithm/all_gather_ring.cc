#include "algorithm/reduce_helpers.h"
#include "algorithm/reduction_templates.h"
#include "log.h"

namespace hcclcpu::algorithm {

HcclResult AllGatherRing::RunAsync(u32 rank, u32 rankSize, const std::vector<LINK> &links) {
    CHK_RET(CheckLinks(rank, rankSize, links));
    std::vector<Slice> blocks;
    CHK_RET(RankBlocks(slices_, count_, unitSize_, rankSize, blocks));
    if (rankSize == 1) return HCCL_SUCCESS;  // the own block is already in place
    const LINK &left = links[(rank + rankSize - 1) % rankSize];
    const LINK &right = links[(rank + 1) % rankSize];
    for (u32 step = 0; step + 1 < rankSize; ++step) {
        // The left neighbour received this block in its previous step (its own at step 0).
        const Slice block = blocks[(rank + rankSize - step - 1) % rankSize];
        CHK_RET(left->TxAck(stream_));
        CHK_RET(right->RxAck(stream_));
        CHK_RET(right->TxAsync(hccl::UserMemType::OUTPUT_MEM, block.offset, nullptr, 0, stream_));
        if (block.size == 0) {
            CHK_RET(left->RxDataSignal(stream_));
            continue;
        }
        CHK_RET(left->RxAsync(hccl::UserMemType::OUTPUT_MEM, block.offset,
                              BytePtr(outputMem_, block.offset), block.size, stream_));
    }
    return ExecuteBarrier(left, right, stream_);
}

}  // namespace hcclcpu::algorithm
