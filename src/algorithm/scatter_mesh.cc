#include "algorithm/scatter_mesh.h"

#include "algorithm/dm_template_util.h"
#include "algorithm/p2p_rounds.h"
#include "log.h"

namespace hcclcpu::algorithm {

using namespace dm;  // NOLINT(google-build-using-namespace): the shared helpers

HcclResult ScatterMesh::RunAsync(u32 rank, u32 rankSize, const std::vector<LINK> &links) {
    CHK_RET(CheckRun("scatter mesh", rank, rankSize, links, root_, true));
    const u64 blockBytes = count_ * unitSize_;
    const Slice own = BlockOf(slices_, blockBytes, rank);
    CHK_RET(CheckFits("scatter mesh output", outputMem_, own.offset + own.size));
    u8 *out = static_cast<u8 *>(outputMem_.ptr());

    std::vector<Transfer> sends;
    std::vector<Transfer> recvs;
    if (rank == root_) {
        const u8 *in = static_cast<const u8 *>(inputMem_.ptr());
        CHK_RET(CheckFits("scatter mesh input", inputMem_, own.offset + own.size));
        CHK_RET(LocalCopy(dispatcher_, out + own.offset, in + own.offset, own.size, stream_));
        for (u32 peer = 0; peer < rankSize; ++peer) {
            if (peer == rank) continue;
            const Slice block = BlockOf(slices_, blockBytes, peer);
            CHK_RET(CheckFits("scatter mesh input", inputMem_, block.offset + block.size));
            sends.push_back(
                InPlaceSend(links[peer], UserMemType::INPUT_MEM, block.offset, block.size));
        }
    } else {
        recvs.push_back(
            Receive(links[root_], UserMemType::INPUT_MEM, own.offset, own.size, out + own.offset));
    }
    return RunTransfers(dispatcher_, sends, recvs, stream_, true);
}

}  // namespace hcclcpu::algorithm
