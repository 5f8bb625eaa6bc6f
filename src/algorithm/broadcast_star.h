// Broadcast in one shot: every rank reads the root's buffer directly (platform_api §4
// broadcast_star, read mode). One copy per rank and no forwarding chain: best for small messages
// and few ranks.
//
// Prepare: count = elements of the whole message; root. On the root the data is in inputMem_
// (copied to outputMem_ first when they differ); after the run every rank's outputMem_ holds it.
#pragma once

#include "algorithm/alg_template_base.h"

namespace hcclcpu::algorithm {

class BroadcastStar : public AlgTemplateBase {
  public:
    using AlgTemplateBase::AlgTemplateBase;
    HcclResult RunAsync(u32 rank, u32 rankSize, const std::vector<LINK> &links) override;
};

}  // namespace hcclcpu::algorithm
