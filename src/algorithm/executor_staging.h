// What the reduction and gather executors share: argument checks of the context and copies
// between user buffers and the CCL buffers on the caller's stream.
#pragma once

#include <vector>

#include "algorithm/op_context.h"

namespace hcclcpu::algorithm {

// The links to run templates on: *ctx.links, or an empty list for a single rank. HCCL_E_PTR or
// HCCL_E_PARA (logged) when the context cannot run an operation.
HcclResult ContextLinks(const OpContext &ctx, const char *op, const std::vector<LINK> *&links);

// Elements of `unitSize` that fit `bytes`, divided over `parts` blocks; HCCL_E_MEMORY (logged)
// when not even one element per block fits.
HcclResult PieceElements(u64 bytes, u32 unitSize, u32 parts, const char *op, u64 &elements);

// Staging copies between user memory and the CCL buffers (local, LINK_ONCHIP).
HcclResult StageCopy(const OpContext &ctx, void *dst, const void *src, u64 bytes);

// The counts and displacements of `n` equal blocks of `count` elements, back to back: the
// non-V operations run as their V form with this layout.
struct EvenBlocks {
    EvenBlocks(u32 n, u64 count);
    std::vector<u64> counts;
    std::vector<u64> displs;
};

}  // namespace hcclcpu::algorithm
