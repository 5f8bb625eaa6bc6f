// AlltoAllV in pairwise steps (platform_api §4 alltoallv_pairwise, read mode): in step
// i = 1 .. n-1 rank r sends to (r+i)%n and receives from (r-i+n)%n. Each rank knows only its own
// counts; no counts are exchanged.
//
// Buffer layout: the CCL input (inputMem_) is cut into rankSize equal regions, region j holding
// data for peer j (RegionBytes). A pair moves its data in rounds of at most one region
// (p2p_rounds.h): the sender knows sendCounts[j], the receiver recvCounts[i], the same number, so
// both sides agree on the rounds without talking. The receiver pulls straight into its user
// receive buffer; its own block goes by one local copy.
//
// Deadlock freedom on one stream per rank, for any count matrix (zeros included): steps are done
// in order and step i of every rank only waits on step i of its two partners (partners of rank r
// in step i are exactly the ranks that have r as partner in step i). Assume every rank has
// finished steps < i; the step is one RunTransfers call whose induction over rounds (p2p_rounds.h)
// shows that every rank finishes it. A pair with nothing to move still does its closing round, so
// the number of rounds of a direction is never 0 on one side and not on the other.
#pragma once

#include "algorithm/alg_template_base.h"

namespace hcclcpu::algorithm {

struct AlltoAllVBuffers {
    const void *send = nullptr;
    const u64 *sendCounts = nullptr;  // elements, rankSize long
    const u64 *sendDispls = nullptr;
    void *recv = nullptr;
    const u64 *recvCounts = nullptr;
    const u64 *recvDispls = nullptr;
};

class AlltoAllVPairwise : public AlgTemplateBase {
  public:
    using AlgTemplateBase::AlgTemplateBase;
    using AlgTemplateBase::Prepare;
    // inputMem: the CCL input (the same size on every rank).
    HcclResult Prepare(const DeviceMem &inputMem, HcclDataType dataType, const Stream &stream,
                       const AlltoAllVBuffers &buffers);
    HcclResult RunAsync(u32 rank, u32 rankSize, const std::vector<LINK> &links) override;

  private:
    AlltoAllVBuffers buffers_;
};

}  // namespace hcclcpu::algorithm
