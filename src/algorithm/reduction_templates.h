// The reduction and gather templates (vendor shape: Prepare, then RunAsync(rank, rankSize,
// links)). Placement follows alg_template_base.h: offsets into inputMem_/outputMem_ are offsets
// into the rank's CCL buffers, which peers read at the same offsets.
//
// Scatter/gather templates work on rank blocks: slices_ (bytes, one per rank) when Prepare got
// them, else block i = count_ elements at i * count_. AllReduce templates take count_ elements at
// offset 0 of inputMem_ and leave the result at offset 0 of outputMem_.
//
// Every template ends with a barrier (or an exchange that is one): when its stream has passed
// RunAsync's tasks, no peer reads this rank's buffers any more, and every notify it recorded has
// been consumed, so the next template may start on the same links.
#pragma once

#include <functional>

#include "algorithm/alg_template_base.h"

namespace hcclcpu::algorithm {

// Ring reduce-scatter, read mode, inline reduce (vendor reduce_scatter_ring with the Reducer's
// inline path). Step s pulls the left neighbour's partial block (rank - s - 2) from its INPUT and
// reduces it into the own input block; after rankSize-1 steps the own block is complete and is
// copied to outputMem_ at the own block offset. inputMem_ is modified. On the non-inline path
// outputMem_ at the pulled block's offset stages the peer's data.
class ReduceScatterRing : public AlgTemplateBase {
  public:
    using AlgTemplateBase::AlgTemplateBase;
    HcclResult RunAsync(u32 rank, u32 rankSize, const std::vector<LINK> &links) override;
};

// Direct-read reduce-scatter (vendor reduce_scatter_mesh_atomic): the own block of outputMem_
// becomes block `rank` of rank 0, then of ranks 1, 2, ... reduced in, read from each peer's
// INPUT. The rank order makes the result independent of the algorithm (deterministic mode).
// inputMem_ is not modified.
class ReduceScatterMesh : public AlgTemplateBase {
  public:
    using AlgTemplateBase::AlgTemplateBase;
    HcclResult RunAsync(u32 rank, u32 rankSize, const std::vector<LINK> &links) override;
};

// Ring all-gather, read mode (vendor all_gather_ring): step s copies block (rank - s - 1) from
// the left neighbour's OUTPUT. The own block must already be in outputMem_ at its offset.
class AllGatherRing : public AlgTemplateBase {
  public:
    using AlgTemplateBase::AlgTemplateBase;
    HcclResult RunAsync(u32 rank, u32 rankSize, const std::vector<LINK> &links) override;
};

// Direct-read all-gather (vendor all_gather_mesh_atomic): every peer's block read from its
// OUTPUT. The own block must already be in outputMem_ at its offset.
class AllGatherMesh : public AlgTemplateBase {
  public:
    using AlgTemplateBase::AlgTemplateBase;
    HcclResult RunAsync(u32 rank, u32 rankSize, const std::vector<LINK> &links) override;
};

// ReduceScatterRing then AllGatherRing over count_ split in rankSize even blocks.
class AllReduceRing : public AlgTemplateBase {
  public:
    using AlgTemplateBase::AlgTemplateBase;
    HcclResult RunAsync(u32 rank, u32 rankSize, const std::vector<LINK> &links) override;
};

// Direct-read all-reduce, every element reduced in rank order 0, 1, ..., n-1.
// One shot (vendor all_reduce_mesh_oneshot): each rank reduces the whole of every peer's INPUT,
// one synchronisation round; for small messages. Two shot: ReduceScatterMesh over even blocks,
// then AllGatherMesh; each rank reduces only its block. Both give the same bits.
class AllReduceMesh : public AlgTemplateBase {
  public:
    AllReduceMesh(HcclDispatcher dispatcher, bool oneShot)
        : AlgTemplateBase(dispatcher), oneShot_(oneShot) {}
    HcclResult RunAsync(u32 rank, u32 rankSize, const std::vector<LINK> &links) override;

  private:
    bool oneShot_;
};

// Recursive halving-doubling (vendor all_reduce_recursive_hd). With m the largest power of two
// <= n and e = n - m, ranks below 2e pair up first: the odd rank reduces its even partner's data
// in, and the even rank sits out until it reads the result back at the end. The m remaining
// ranks reduce-scatter by recursive halving (log2 m exchanges with rank ^ distance), then
// all-gather by recursive doubling, in inputMem_; the result is copied to outputMem_. On the
// non-inline path outputMem_ stages the peer's data.
class AllReduceRecursiveHD : public AlgTemplateBase {
  public:
    using AlgTemplateBase::AlgTemplateBase;
    HcclResult RunAsync(u32 rank, u32 rankSize, const std::vector<LINK> &links) override;

  private:
    // One exchange with `peer`: mutual Ack, the caller's work, mutual DataSignal.
    HcclResult Exchange(const LINK &peer, const std::function<HcclResult()> &work);
};

}  // namespace hcclcpu::algorithm
