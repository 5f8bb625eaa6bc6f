#include "algorithm/scatter_ring.h"

#include "algorithm/dm_template_util.h"
#include "algorithm/p2p_rounds.h"
#include "log.h"

namespace hcclcpu::algorithm {

using namespace dm;  // NOLINT(google-build-using-namespace): the shared helpers

// Deadlock freedom: the chain has no cycle. Round j of position p waits for position p-1 to
// announce its round j and for position p+1 to ack round j, which p+1 does once it is done with
// round j-1; ordered by (j, p) every wait is on an earlier step.
HcclResult ScatterRing::RunAsync(u32 rank, u32 rankSize, const std::vector<LINK> &links) {
    CHK_RET(CheckRun("scatter ring", rank, rankSize, links, root_, true));
    const u64 blockBytes = count_ * unitSize_;
    for (u32 x = 0; x < rankSize; ++x) {
        const Slice block = BlockOf(slices_, blockBytes, x);
        if (rank == root_ || x != rank)
            CHK_RET(CheckFits("scatter ring input", inputMem_, block.offset + block.size));
        if (x == rank)
            CHK_RET(CheckFits("scatter ring output", outputMem_, block.offset + block.size));
    }
    u8 *in = static_cast<u8 *>(inputMem_.ptr());
    u8 *out = static_cast<u8 *>(outputMem_.ptr());
    const Slice own = BlockOf(slices_, blockBytes, rank);
    if (rank == root_)
        CHK_RET(LocalCopy(dispatcher_, out + own.offset, in + own.offset, own.size, stream_));
    if (rankSize == 1) return HCCL_SUCCESS;

    const u32 position = (rank + rankSize - root_) % rankSize;
    const LINK prev = position == 0 ? nullptr : links[(rank + rankSize - 1) % rankSize];
    const LINK next = position == rankSize - 1 ? nullptr : links[(rank + 1) % rankSize];
    // The blocks of positions rankSize-1 down to position+1 pass through; position's own comes
    // last (the root has none to receive).
    for (u32 target = rankSize - 1; target > position; --target) {
        const Slice block = BlockOf(slices_, blockBytes, (root_ + target) % rankSize);
        if (prev != nullptr)
            CHK_RET(RecvRound(prev, UserMemType::INPUT_MEM, block.offset, in + block.offset,
                              block.size, stream_));
        CHK_RET(SendRound(next, UserMemType::INPUT_MEM, block.offset, block.size, stream_));
    }
    if (prev != nullptr)
        CHK_RET(RecvRound(prev, UserMemType::INPUT_MEM, own.offset, out + own.offset, own.size,
                          stream_));
    return CloseChain(prev, next, stream_);
}

}  // namespace hcclcpu::algorithm
