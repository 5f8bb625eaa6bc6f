// Broadcast along the ring root -> root+1 -> ... -> root-1 (platform_api §4 broadcast_ring, read
// mode): each rank pulls the message from its predecessor's output buffer chunk by chunk and
// announces every chunk to its successor as soon as it holds it, so the chunks flow through the
// chain as a pipeline.
//
// Prepare: count = elements of the whole message; root. On the root the data is in inputMem_
// (copied to outputMem_ first when they differ); after the run every rank's outputMem_ holds it.
#pragma once

#include "algorithm/alg_template_base.h"

namespace hcclcpu::algorithm {

class BroadcastRing : public AlgTemplateBase {
  public:
    using AlgTemplateBase::AlgTemplateBase;
    HcclResult RunAsync(u32 rank, u32 rankSize, const std::vector<LINK> &links) override;

    // Bytes per pipeline chunk.
    static constexpr u64 kChunkBytes = 256 * 1024;
};

}  // namespace hcclcpu::algorithm
