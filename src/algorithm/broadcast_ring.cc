#include "algorithm/broadcast_ring.h"

#include <algorithm>

#include "algorithm/dm_template_util.h"
#include "algorithm/p2p_rounds.h"
#include "log.h"

namespace hcclcpu::algorithm {

using namespace dm;  // NOLINT(google-build-using-namespace): the shared helpers

// Deadlock freedom: the chain has no cycle. Chunk k of position p waits for position p-1 to
// announce chunk k and for position p+1 to ack chunk k, which p+1 does once it is done with chunk
// k-1; ordered by (k, p) every wait is on an earlier step.
HcclResult BroadcastRing::RunAsync(u32 rank, u32 rankSize, const std::vector<LINK> &links) {
    CHK_RET(CheckRun("broadcast ring", rank, rankSize, links, root_, true));
    const u64 bytes = count_ * unitSize_;
    CHK_RET(CheckFits("broadcast ring output", outputMem_, bytes));
    if (rank == root_)
        CHK_RET(CopyInputToOutput(dispatcher_, inputMem_, outputMem_, bytes, stream_));
    if (rankSize == 1) return HCCL_SUCCESS;

    const u32 position = (rank + rankSize - root_) % rankSize;
    const LINK prev = position == 0 ? nullptr : links[(rank + rankSize - 1) % rankSize];
    const LINK next = position == rankSize - 1 ? nullptr : links[(rank + 1) % rankSize];
    u8 *out = static_cast<u8 *>(outputMem_.ptr());
    for (u64 offset = 0; offset < bytes; offset += kChunkBytes) {
        const u64 len = std::min(kChunkBytes, bytes - offset);
        if (prev != nullptr)
            CHK_RET(RecvRound(prev, UserMemType::OUTPUT_MEM, offset, out + offset, len, stream_));
        if (next != nullptr)
            CHK_RET(SendRound(next, UserMemType::OUTPUT_MEM, offset, len, stream_));
    }
    return CloseChain(prev, next, stream_);
}

}  // namespace hcclcpu::algorithm
