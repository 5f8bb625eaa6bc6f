#include "algorithm/executor_staging.h"

#include "algorithm/reduce_helpers.h"
#include "log.h"

namespace hcclcpu::algorithm {

HcclResult ContextLinks(const OpContext &ctx, const char *op, const std::vector<LINK> *&links) {
    static const std::vector<LINK> kNoLinks;
    if (ctx.rankSize == 0 || ctx.rank >= ctx.rankSize) {
        HCCL_ERROR("%s: rank %u of %u ranks", op, ctx.rank, ctx.rankSize);
        return HCCL_E_PARA;
    }
    if (ctx.dispatcher == nullptr || !ctx.cclInput || !ctx.cclOutput) {
        HCCL_ERROR("%s: the context has no dispatcher or no CCL buffers", op);
        return HCCL_E_PTR;
    }
    if (ctx.rankSize > 1 && ctx.links == nullptr) {
        HCCL_ERROR("%s: no links for %u ranks", op, ctx.rankSize);
        return HCCL_E_PTR;
    }
    links = ctx.links != nullptr ? ctx.links : &kNoLinks;
    return HCCL_SUCCESS;
}

HcclResult PieceElements(u64 bytes, u32 unitSize, u32 parts, const char *op, u64 &elements) {
    elements = unitSize == 0 ? 0 : bytes / (static_cast<u64>(unitSize) * parts);
    if (elements == 0) {
        HCCL_ERROR("%s: CCL buffer of %llu bytes holds no element of %u bytes for %u ranks", op,
                   static_cast<unsigned long long>(bytes), unitSize, parts);
        return HCCL_E_MEMORY;
    }
    return HCCL_SUCCESS;
}

HcclResult StageCopy(const OpContext &ctx, void *dst, const void *src, u64 bytes) {
    Stream stream = ctx.stream;
    return CopyBytes(ctx.dispatcher, stream, dst, src, bytes);
}

EvenBlocks::EvenBlocks(u32 n, u64 count) : counts(n, count), displs(n) {
    for (u32 j = 0; j < n; ++j)
        displs[j] = j * count;
}

}  // namespace hcclcpu::algorithm
