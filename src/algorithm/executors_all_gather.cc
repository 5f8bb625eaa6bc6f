// AllGather and AllGatherV. A piece takes up to P elements of every rank block (P = what fits
// rankSize times in cclOutput): the own part is staged straight into cclOutput at rank * P
// elements, an all-gather template fills the other ranks' parts at j * P, and each is copied to
// its place in recv.
#include <algorithm>
#include <memory>

#include "algorithm/direct_kernels.h"
#include "algorithm/executor_staging.h"
#include "algorithm/executors.h"
#include "algorithm/reduce_helpers.h"
#include "algorithm/reduction_selection.h"
#include "dtype_common.h"
#include "log.h"

namespace hcclcpu::algorithm {

namespace {

// counts/displs: where each rank's block lands in recv, in elements.
HcclResult RunAllGather(const OpContext &ctx, const char *name, const void *send, const u64 *counts,
                        const u64 *displs, void *recv, HcclDataType dataType) {
    const std::vector<LINK> *links = nullptr;
    CHK_RET(ContextLinks(ctx, name, links));
    if (static_cast<u32>(dataType) >= HCCL_DATA_TYPE_RESERVED) return HCCL_E_PARA;
    const u32 unit = SIZE_TABLE[dataType];
    const u32 rankSize = ctx.rankSize;
    const u64 largest = *std::max_element(counts, counts + rankSize);
    if (largest == 0) return HCCL_SUCCESS;
    u64 pieceCount = 0;
    CHK_RET(PieceElements(ctx.cclOutput.size(), unit, rankSize, name, pieceCount));
    pieceCount = std::min(pieceCount, largest);
    const AlgoKind algo = ChooseScatterGather(ctx, OpKind::kAllGather, pieceCount * unit, false);
    std::unique_ptr<AlgTemplateBase> algTemplate = MakeAllGatherTemplate(algo, ctx.dispatcher);
    const u64 pieceBytes = pieceCount * unit;
    const DeviceMem output = ctx.cclOutput.range(0, pieceBytes * rankSize);
    const u8 *sendBytes = static_cast<const u8 *>(send);
    u8 *recvBytes = static_cast<u8 *>(recv);
    std::vector<Slice> slices(rankSize);
    for (u64 done = 0; done < largest; done += pieceCount) {
        for (u32 j = 0; j < rankSize; ++j) {
            const u64 elements = counts[j] > done ? std::min(pieceCount, counts[j] - done) : 0;
            slices[j] = Slice{j * pieceBytes, elements * unit};
        }
        const Slice own = slices[ctx.rank];
        CHK_RET(StageCopy(ctx, BytePtr(output, own.offset), sendBytes + done * unit, own.size));
        CHK_RET(algTemplate->Prepare(ctx.cclInput, output, DeviceMem(), pieceCount, dataType,
                                     ctx.stream, HCCL_REDUCE_RESERVED, INVALID_VALUE_RANKID,
                                     slices));
        CHK_RET(algTemplate->RunAsync(ctx.rank, rankSize, *links));
        for (u32 j = 0; j < rankSize; ++j) {
            CHK_RET(StageCopy(ctx, recvBytes + (displs[j] + done) * unit,
                              BytePtr(output, slices[j].offset), slices[j].size));
        }
    }
    return HCCL_SUCCESS;
}

}  // namespace

HcclResult AllGather(const OpContext &ctx, const void *send, void *recv, u64 sendCount,
                     HcclDataType dataType) {
    if (sendCount == 0) return HCCL_SUCCESS;
    if (send != nullptr && recv != nullptr &&
        DirectUsable(ctx, OpKind::kAllGather, dataType, HCCL_REDUCE_SUM))
        return DirectAllGather(ctx, send, recv, sendCount, dataType);
    const EvenBlocks blocks(ctx.rankSize, sendCount);
    return RunAllGather(ctx, "AllGather", send, blocks.counts.data(), blocks.displs.data(), recv,
                        dataType);
}

HcclResult AllGatherV(const OpContext &ctx, const void *send, u64 sendCount, void *recv,
                      const u64 *recvCounts, const u64 *recvDispls, HcclDataType dataType) {
    if (recvCounts == nullptr || recvDispls == nullptr) {
        HCCL_ERROR("AllGatherV: recvCounts %p or recvDispls %p is null",
                   static_cast<const void *>(recvCounts), static_cast<const void *>(recvDispls));
        return HCCL_E_PTR;
    }
    if (ctx.rank < ctx.rankSize && recvCounts[ctx.rank] != sendCount) {
        HCCL_ERROR("AllGatherV: sendCount %llu differs from recvCounts[%u] %llu",
                   static_cast<unsigned long long>(sendCount), ctx.rank,
                   static_cast<unsigned long long>(recvCounts[ctx.rank]));
        return HCCL_E_PARA;
    }
    return RunAllGather(ctx, "AllGatherV", send, recvCounts, recvDispls, recv, dataType);
}

}  // namespace hcclcpu::algorithm
