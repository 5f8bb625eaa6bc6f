#include "algorithm/reduce_helpers.h"
#include "algorithm/reduction_templates.h"
#include "log.h"

namespace hcclcpu::algorithm {

HcclResult ReduceScatterMesh::RunAsync(u32 rank, u32 rankSize, const std::vector<LINK> &links) {
    CHK_RET(CheckLinks(rank, rankSize, links));
    std::vector<Slice> blocks;
    CHK_RET(RankBlocks(slices_, count_, unitSize_, rankSize, blocks));
    const Slice own = blocks[rank];
    u8 *result = BytePtr(outputMem_, own.offset);
    if (rankSize == 1)
        return CopyBytes(dispatcher_, stream_, result, BytePtr(inputMem_, own.offset), own.size);
    CHK_RET(MeshAckAll(rank, rankSize, links, stream_));  // every peer's input is staged
    for (u32 source = 0; source < rankSize; ++source) {
        const LINK noLink;
        const LINK &link = source == rank ? noLink : links[source];
        const u8 *block = BytePtr(inputMem_, own.offset);
        if (link) {
            u8 *peerInput = nullptr;
            CHK_RET(RemoteBase(link, hccl::UserMemType::INPUT_MEM, peerInput));
            block = peerInput + own.offset;
        }
        if (source == 0) {
            CHK_RET(CopyBytes(dispatcher_, stream_, result, block, own.size, link));
        } else {
            CHK_RET(ReduceInto(dispatcher_, stream_, result, block, own.size / unitSize_, dataType_,
                               reductionOp_, link));
        }
    }
    return MeshDataSignalAll(rank, rankSize, links, stream_);  // nobody reads any more
}

}  // namespace hcclcpu::algorithm
