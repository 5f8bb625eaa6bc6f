// Which template a reduction or gather executor runs: the caller's choice (AlgoConfig) when the
// operation supports it, else a choice by message size and rank count measured on this machine
// (docs/ALGORITHMS.md). Deterministic mode pins reductions to the rank-ordered mesh templates.
#pragma once

#include <memory>

#include "algorithm/op_context.h"

namespace hcclcpu::algorithm {

// All-reduce (AllReduce, Reduce): kRing, kMesh or kRecursiveHD. `bytes`: one piece.
AlgoKind ChooseAllReduce(const OpContext &ctx, OpKind op, u64 bytes);
// Reduce-scatter and all-gather (and their V forms): kRing or kMesh. `blockBytes`: the largest
// rank block of one piece.
AlgoKind ChooseScatterGather(const OpContext &ctx, OpKind op, u64 blockBytes, bool reduction);

// Mesh all-reduce: one shot (every rank reduces everything) while a rank reads little peer data,
// else two shot.
bool AllReduceMeshOneShot(u64 bytes, u32 rankSize);

std::unique_ptr<AlgTemplateBase> MakeAllReduceTemplate(AlgoKind kind, HcclDispatcher dispatcher,
                                                       u64 bytes, u32 rankSize);
std::unique_ptr<AlgTemplateBase> MakeReduceScatterTemplate(AlgoKind kind,
                                                           HcclDispatcher dispatcher);
std::unique_ptr<AlgTemplateBase> MakeAllGatherTemplate(AlgoKind kind, HcclDispatcher dispatcher);

}  // namespace hcclcpu::algorithm
