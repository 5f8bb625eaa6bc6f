// AllReduce and Reduce: the message in pieces that fit the CCL buffers; each piece is staged
// into cclInput, reduced by an all-reduce template into cclOutput, and copied out (for Reduce on
// the root only: every rank takes part, only the root's recv is written).
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

HcclResult RunAllReduce(const OpContext &ctx, OpKind kind, const char *name, const void *send,
                        void *recv, u64 count, HcclDataType dataType, HcclReduceOp op,
                        bool copyOut) {
    if (count == 0) return HCCL_SUCCESS;
    if (kind == OpKind::kAllReduce && send != nullptr && recv != nullptr &&
        DirectUsable(ctx, kind, dataType, op))
        return DirectAllReduce(ctx, send, recv, count, dataType, op);
    const std::vector<LINK> *links = nullptr;
    CHK_RET(ContextLinks(ctx, name, links));
    if (static_cast<u32>(dataType) >= HCCL_DATA_TYPE_RESERVED) return HCCL_E_PARA;
    const u32 unit = SIZE_TABLE[dataType];
    u64 pieceCount = 0;
    CHK_RET(PieceElements(std::min(ctx.cclInput.size(), ctx.cclOutput.size()), unit, 1, name,
                          pieceCount));
    pieceCount = std::min(pieceCount, count);
    // One choice for the whole message, so that every piece runs the same template.
    const AlgoKind algo = ChooseAllReduce(ctx, kind, pieceCount * unit);
    std::unique_ptr<AlgTemplateBase> algTemplate =
        MakeAllReduceTemplate(algo, ctx.dispatcher, pieceCount * unit, ctx.rankSize);
    HCCL_INFO("%s: count %llu, rank %u of %u, algorithm %u, pieces of %llu", name,
              static_cast<unsigned long long>(count), ctx.rank, ctx.rankSize,
              static_cast<u32>(algo), static_cast<unsigned long long>(pieceCount));
    const u8 *sendBytes = static_cast<const u8 *>(send);
    u8 *recvBytes = static_cast<u8 *>(recv);
    for (u64 done = 0; done < count; done += pieceCount) {
        const u64 elements = std::min(pieceCount, count - done);
        const u64 bytes = elements * unit;
        CHK_RET(StageCopy(ctx, ctx.cclInput.ptr(), sendBytes + done * unit, bytes));
        CHK_RET(algTemplate->Prepare(ctx.cclInput.range(0, bytes), ctx.cclOutput.range(0, bytes),
                                     DeviceMem(), elements, dataType, ctx.stream, op));
        CHK_RET(algTemplate->RunAsync(ctx.rank, ctx.rankSize, *links));
        if (copyOut) CHK_RET(StageCopy(ctx, recvBytes + done * unit, ctx.cclOutput.ptr(), bytes));
    }
    return HCCL_SUCCESS;
}

}  // namespace

HcclResult AllReduce(const OpContext &ctx, const void *send, void *recv, u64 count,
                     HcclDataType dataType, HcclReduceOp op) {
    return RunAllReduce(ctx, OpKind::kAllReduce, "AllReduce", send, recv, count, dataType, op,
                        true);
}

HcclResult Reduce(const OpContext &ctx, const void *send, void *recv, u64 count,
                  HcclDataType dataType, HcclReduceOp op, u32 root) {
    if (root >= ctx.rankSize) {
        HCCL_ERROR("Reduce: root %u of %u ranks", root, ctx.rankSize);
        return HCCL_E_PARA;
    }
    return RunAllReduce(ctx, OpKind::kReduce, "Reduce", send, recv, count, dataType, op,
                        ctx.rank == root);
}

}  // namespace hcclcpu::algorithm
