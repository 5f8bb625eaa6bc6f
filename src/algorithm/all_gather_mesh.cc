#include "algorithm/reduce_helpers.h"
#include "algorithm/reduction_templates.h"
#include "log.h"

namespace hcclcpu::algorithm {

HcclResult AllGatherMesh::RunAsync(u32 rank, u32 rankSize, const std::vector<LINK> &links) {
    CHK_RET(CheckLinks(rank, rankSize, links));
    std::vector<Slice> blocks;
    CHK_RET(RankBlocks(slices_, count_, unitSize_, rankSize, blocks));
    if (rankSize == 1) return HCCL_SUCCESS;               // the own block is already in place
    CHK_RET(MeshAckAll(rank, rankSize, links, stream_));  // every peer's block is staged
    for (u32 i = 1; i < rankSize; ++i) {
        // Start with the next rank so that the ranks do not all read rank 0 first.
        const u32 peer = (rank + i) % rankSize;
        const Slice block = blocks[peer];
        u8 *peerOutput = nullptr;
        CHK_RET(RemoteBase(links[peer], hccl::UserMemType::OUTPUT_MEM, peerOutput));
        CHK_RET(CopyBytes(dispatcher_, stream_, BytePtr(outputMem_, block.offset),
                          peerOutput + block.offset, block.size, links[peer]));
    }
    return MeshDataSignalAll(rank, rankSize, links, stream_);
}

}  // namespace hcclcpu::algorithm
