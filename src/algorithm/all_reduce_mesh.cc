#include "algorithm/reduce_helpers.h"
#include "algorithm/reduction_templates.h"
#include "log.h"

namespace hcclcpu::algorithm {

HcclResult AllReduceMesh::RunAsync(u32 rank, u32 rankSize, const std::vector<LINK> &links) {
    CHK_RET(CheckLinks(rank, rankSize, links));
    const u64 bytes = count_ * unitSize_;
    if (rankSize == 1)
        return CopyBytes(dispatcher_, stream_, outputMem_.ptr(), inputMem_.ptr(), bytes);
    if (!oneShot_) {
        const std::vector<Slice> blocks = EvenSlices(count_, rankSize, unitSize_);
        ReduceScatterMesh reduceScatter(dispatcher_);
        CHK_RET(reduceScatter.Prepare(inputMem_, outputMem_, scratchMem_, count_, dataType_,
                                      stream_, reductionOp_, root_, blocks));
        CHK_RET(reduceScatter.RunAsync(rank, rankSize, links));
        AllGatherMesh allGather(dispatcher_);
        CHK_RET(allGather.Prepare(inputMem_, outputMem_, scratchMem_, count_, dataType_, stream_,
                                  reductionOp_, root_, blocks));
        return allGather.RunAsync(rank, rankSize, links);
    }
    CHK_RET(MeshAckAll(rank, rankSize, links, stream_));  // every peer's input is staged
    for (u32 source = 0; source < rankSize; ++source) {
        const LINK noLink;
        const LINK &link = source == rank ? noLink : links[source];
        const u8 *data = static_cast<const u8 *>(inputMem_.ptr());
        if (link) {
            u8 *peerInput = nullptr;
            CHK_RET(RemoteBase(link, hccl::UserMemType::INPUT_MEM, peerInput));
            data = peerInput;
        }
        if (source == 0) {
            CHK_RET(CopyBytes(dispatcher_, stream_, outputMem_.ptr(), data, bytes, link));
        } else {
            CHK_RET(ReduceInto(dispatcher_, stream_, outputMem_.ptr(), data, count_, dataType_,
                               reductionOp_, link));
        }
    }
    return MeshDataSignalAll(rank, rankSize, links, stream_);  // nobody reads any more
}

}  // namespace hcclcpu::algorithm
