#include "algorithm/broadcast_star.h"

#include "algorithm/dm_template_util.h"
#include "algorithm/p2p_rounds.h"
#include "log.h"

namespace hcclcpu::algorithm {

using namespace dm;  // NOLINT(google-build-using-namespace): the shared helpers

HcclResult BroadcastStar::RunAsync(u32 rank, u32 rankSize, const std::vector<LINK> &links) {
    CHK_RET(CheckRun("broadcast star", rank, rankSize, links, root_, true));
    const u64 bytes = count_ * unitSize_;
    CHK_RET(CheckFits("broadcast star output", outputMem_, bytes));
    if (rank == root_)
        CHK_RET(CopyInputToOutput(dispatcher_, inputMem_, outputMem_, bytes, stream_));
    if (rankSize == 1) return HCCL_SUCCESS;

    std::vector<Transfer> sends;
    std::vector<Transfer> recvs;
    if (rank == root_) {
        for (u32 peer = 0; peer < rankSize; ++peer) {
            if (peer == rank) continue;
            sends.push_back(InPlaceSend(links[peer], UserMemType::OUTPUT_MEM, 0, bytes));
        }
    } else {
        recvs.push_back(Receive(links[root_], UserMemType::OUTPUT_MEM, 0, bytes, outputMem_.ptr()));
    }
    return RunTransfers(dispatcher_, sends, recvs, stream_, true);
}

}  // namespace hcclcpu::algorithm
