#include "algorithm/alltoallv_pairwise.h"

#include "algorithm/dm_template_util.h"
#include "algorithm/p2p_rounds.h"
#include "log.h"

namespace hcclcpu::algorithm {

using namespace dm;  // NOLINT(google-build-using-namespace): the shared helpers

HcclResult AlltoAllVPairwise::Prepare(const DeviceMem &inputMem, HcclDataType dataType,
                                      const Stream &stream, const AlltoAllVBuffers &buffers) {
    CHK_RET(AlgTemplateBase::Prepare(inputMem, DeviceMem(), DeviceMem(), 0, dataType, stream));
    if (buffers.sendCounts == nullptr || buffers.sendDispls == nullptr ||
        buffers.recvCounts == nullptr || buffers.recvDispls == nullptr) {
        HCCL_ERROR("alltoallv pairwise: null counts or displacements");
        return HCCL_E_PTR;
    }
    buffers_ = buffers;
    return HCCL_SUCCESS;
}

HcclResult AlltoAllVPairwise::RunAsync(u32 rank, u32 rankSize, const std::vector<LINK> &links) {
    CHK_RET(CheckRun("alltoallv pairwise", rank, rankSize, links, 0, false));
    if (buffers_.sendCounts == nullptr) {
        HCCL_ERROR("alltoallv pairwise: run before prepare");
        return HCCL_E_PARA;
    }
    const u8 *send = static_cast<const u8 *>(buffers_.send);
    u8 *recv = static_cast<u8 *>(buffers_.recv);
    const u64 *sendCounts = buffers_.sendCounts;
    const u64 *recvCounts = buffers_.recvCounts;
    for (u32 peer = 0; peer < rankSize; ++peer) {
        if ((sendCounts[peer] > 0 && send == nullptr) ||
            (recvCounts[peer] > 0 && recv == nullptr)) {
            HCCL_ERROR("alltoallv pairwise: null buffer with data for or from rank %u", peer);
            return HCCL_E_PTR;
        }
    }
    if (sendCounts[rank] != recvCounts[rank]) {
        HCCL_ERROR("alltoallv pairwise: rank %u sends %llu elements to itself but receives %llu",
                   rank, sendCounts[rank], recvCounts[rank]);
        return HCCL_E_PARA;
    }
    CHK_RET(LocalCopy(dispatcher_, recv + buffers_.recvDispls[rank] * unitSize_,
                      send + buffers_.sendDispls[rank] * unitSize_, sendCounts[rank] * unitSize_,
                      stream_));
    if (rankSize == 1) return HCCL_SUCCESS;

    const u64 region = RegionBytes(inputMem_.size(), rankSize);
    if (region == 0) {
        HCCL_ERROR("alltoallv pairwise: a CCL input of %llu bytes cannot hold %u regions",
                   inputMem_.size(), rankSize);
        return HCCL_E_PARA;
    }
    u8 *in = static_cast<u8 *>(inputMem_.ptr());
    std::vector<Transfer> sends(rankSize);
    std::vector<Transfer> recvs(rankSize);
    for (u32 peer = 0; peer < rankSize; ++peer) {
        if (peer == rank) continue;
        Transfer &out = sends[peer];
        out.link = links[peer];
        out.regionOffset = peer * region;  // my region for peer
        out.regionBytes = region;
        out.regionPtr = in + out.regionOffset;
        out.totalBytes = sendCounts[peer] * unitSize_;
        if (out.totalBytes > 0)
            out.spans.push_back(
                {const_cast<u8 *>(send) + buffers_.sendDispls[peer] * unitSize_, out.totalBytes});
        Transfer &from = recvs[peer];
        from.link = links[peer];
        from.regionOffset = rank * region;  // the peer's region for me
        from.regionBytes = region;
        from.totalBytes = recvCounts[peer] * unitSize_;
        if (from.totalBytes > 0)
            from.spans.push_back({recv + buffers_.recvDispls[peer] * unitSize_, from.totalBytes});
    }
    // Every region's first round is filled up front, so peers of later steps find it ready.
    std::vector<Transfer> all;
    for (u32 peer = 0; peer < rankSize; ++peer)
        if (peer != rank) all.push_back(sends[peer]);
    CHK_RET(StageFirstRounds(dispatcher_, all, stream_));

    for (u32 step = 1; step < rankSize; ++step) {
        std::vector<Transfer> stepSends{sends[(rank + step) % rankSize]};
        std::vector<Transfer> stepRecvs{recvs[(rank + rankSize - step) % rankSize]};
        CHK_RET(RunTransfers(dispatcher_, stepSends, stepRecvs, stream_, true));
    }
    return HCCL_SUCCESS;
}

}  // namespace hcclcpu::algorithm
