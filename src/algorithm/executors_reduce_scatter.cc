// ReduceScatter and ReduceScatterV. A piece takes up to P elements of every rank block (P =
// what fits rankSize times in the CCL buffers): block j's part is staged at j * P elements of
// cclInput, a reduce-scatter template leaves the own reduced part at the same offset of
// cclOutput, and it is copied to recv.
#include <algorithm>
#include <memory>

#include "algorithm/executor_staging.h"
#include "algorithm/executors.h"
#include "algorithm/reduce_helpers.h"
#include "algorithm/reduction_selection.h"
#include "dtype_common.h"
#include "log.h"

namespace hcclcpu::algorithm {

namespace {

// counts/displs: per rank block, in elements.
HcclResult RunReduceScatter(const OpContext &ctx, const char *name, const void *send,
                            const u64 *counts, const u64 *displs, void *recv, HcclDataType dataType,
                            HcclReduceOp op) {
    const std::vector<LINK> *links = nullptr;
    CHK_RET(ContextLinks(ctx, name, links));
    if (static_cast<u32>(dataType) >= HCCL_DATA_TYPE_RESERVED) return HCCL_E_PARA;
    const u32 unit = SIZE_TABLE[dataType];
    const u32 rankSize = ctx.rankSize;
    const u64 largest = *std::max_element(counts, counts + rankSize);
    if (largest == 0) return HCCL_SUCCESS;
    u64 pieceCount = 0;
    CHK_RET(PieceElements(std::min(ctx.cclInput.size(), ctx.cclOutput.size()), unit, rankSize, name,
                          pieceCount));
    pieceCount = std::min(pieceCount, largest);
    const AlgoKind algo = ChooseScatterGather(ctx, OpKind::kReduceScatter, pieceCount * unit, true);
    std::unique_ptr<AlgTemplateBase> algTemplate = MakeReduceScatterTemplate(algo, ctx.dispatcher);
    const u64 pieceBytes = pieceCount * unit;
    const DeviceMem input = ctx.cclInput.range(0, pieceBytes * rankSize);
    const DeviceMem output = ctx.cclOutput.range(0, pieceBytes * rankSize);
    const u8 *sendBytes = static_cast<const u8 *>(send);
    u8 *recvBytes = static_cast<u8 *>(recv);
    std::vector<Slice> slices(rankSize);
    for (u64 done = 0; done < largest; done += pieceCount) {
        for (u32 j = 0; j < rankSize; ++j) {
            const u64 elements = counts[j] > done ? std::min(pieceCount, counts[j] - done) : 0;
            slices[j] = Slice{j * pieceBytes, elements * unit};
            CHK_RET(StageCopy(ctx, BytePtr(input, slices[j].offset),
                              sendBytes + (displs[j] + done) * unit, slices[j].size));
        }
        CHK_RET(algTemplate->Prepare(input, output, DeviceMem(), pieceCount, dataType, ctx.stream,
                                     op, INVALID_VALUE_RANKID, slices));
        CHK_RET(algTemplate->RunAsync(ctx.rank, rankSize, *links));
        const Slice own = slices[ctx.rank];
        CHK_RET(StageCopy(ctx, recvBytes + done * unit, BytePtr(output, own.offset), own.size));
    }
    return HCCL_SUCCESS;
}

}  // namespace

HcclResult ReduceScatter(const OpContext &ctx, const void *send, void *recv, u64 recvCount,
                         HcclDataType dataType, HcclReduceOp op) {
    if (recvCount == 0) return HCCL_SUCCESS;
    const EvenBlocks blocks(ctx.rankSize, recvCount);
    return RunReduceScatter(ctx, "ReduceScatter", send, blocks.counts.data(), blocks.displs.data(),
                            recv, dataType, op);
}

HcclResult ReduceScatterV(const OpContext &ctx, const void *send, const u64 *sendCounts,
                          const u64 *sendDispls, void *recv, u64 recvCount, HcclDataType dataType,
                          HcclReduceOp op) {
    if (sendCounts == nullptr || sendDispls == nullptr) {
        HCCL_ERROR("ReduceScatterV: sendCounts %p or sendDispls %p is null",
                   static_cast<const void *>(sendCounts), static_cast<const void *>(sendDispls));
        return HCCL_E_PTR;
    }
    if (ctx.rank < ctx.rankSize && sendCounts[ctx.rank] != recvCount) {
        HCCL_ERROR("ReduceScatterV: recvCount %llu differs from sendCounts[%u] %llu",
                   static_cast<unsigned long long>(recvCount), ctx.rank,
                   static_cast<unsigned long long>(sendCounts[ctx.rank]));
        return HCCL_E_PARA;
    }
    return RunReduceScatter(ctx, "ReduceScatterV", send, sendCounts, sendDispls, recv, dataType,
                            op);
}

}  // namespace hcclcpu::algorithm
