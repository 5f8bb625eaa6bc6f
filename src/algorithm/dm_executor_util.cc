#include "algorithm/dm_executor_util.h"

#include <algorithm>

#include "dtype_common.h"
#include "log.h"

namespace hcclcpu::algorithm::dm {

HcclResult CheckContext(const OpContext &ctx, const char *op) {
    if (ctx.dispatcher == nullptr) {
        HCCL_ERROR("%s: null dispatcher", op);
        return HCCL_E_PTR;
    }
    if (ctx.rankSize == 0 || ctx.rank >= ctx.rankSize) {
        HCCL_ERROR("%s: rank %u out of range for %u ranks", op, ctx.rank, ctx.rankSize);
        return HCCL_E_PARA;
    }
    if (ctx.rankSize == 1) return HCCL_SUCCESS;
    if (ctx.links == nullptr || ctx.links->size() != ctx.rankSize) {
        HCCL_ERROR("%s: %zu links for %u ranks", op, ctx.links == nullptr ? 0 : ctx.links->size(),
                   ctx.rankSize);
        return HCCL_E_PARA;
    }
    if (ctx.cclInput.ptr() == nullptr || ctx.cclOutput.ptr() == nullptr) {
        HCCL_ERROR("%s: no CCL buffers", op);
        return HCCL_E_PTR;
    }
    return HCCL_SUCCESS;
}

HcclResult UnitSizeOf(HcclDataType dataType, const char *op, u32 &unit) {
    const u32 index = static_cast<u32>(dataType);
    if (index >= static_cast<u32>(HCCL_DATA_TYPE_RESERVED) || SIZE_TABLE[index] == 0) {
        HCCL_ERROR("%s: unknown data type %u", op, index);
        return HCCL_E_PARA;
    }
    unit = SIZE_TABLE[index];
    return HCCL_SUCCESS;
}

HcclResult CommonBufferBytes(const OpContext &ctx, UserMemType mem, u64 &bytes) {
    bytes = (mem == UserMemType::INPUT_MEM ? ctx.cclInput : ctx.cclOutput).size();
    if (ctx.rankSize == 1) return HCCL_SUCCESS;
    for (u32 peer = 0; peer < ctx.rankSize; ++peer) {
        if (peer == ctx.rank) continue;
        const LINK &link = (*ctx.links)[peer];
        if (link == nullptr) {
            HCCL_ERROR("rank %u has no link to rank %u", ctx.rank, peer);
            return HCCL_E_PTR;
        }
        u64 peerBytes = 0;
        CHK_RET(link->GetRemoteMemSize(mem, peerBytes));
        bytes = std::min(bytes, peerBytes);
    }
    return HCCL_SUCCESS;
}

const char *AlgoName(AlgoKind kind) {
    switch (kind) {
        case AlgoKind::kAuto:
            return "auto";
        case AlgoKind::kRing:
            return "ring";
        case AlgoKind::kMesh:
            return "mesh";
        case AlgoKind::kRecursiveHD:
            return "recursive halving-doubling";
        case AlgoKind::kPairwise:
            return "pairwise";
        case AlgoKind::kStar:
            return "star";
    }
    return "unknown";
}

AlgoKind ConfiguredAlgo(const OpContext &ctx, OpKind kind, const char *op,
                        std::initializer_list<AlgoKind> supported) {
    const AlgoKind wanted = ctx.algo.of(kind);
    if (wanted == AlgoKind::kAuto) return AlgoKind::kAuto;
    if (std::find(supported.begin(), supported.end(), wanted) != supported.end()) return wanted;
    HCCL_WARNING("%s: algorithm %s is not available, choosing by message size instead", op,
                 AlgoName(wanted));
    return AlgoKind::kAuto;
}

}  // namespace hcclcpu::algorithm::dm
