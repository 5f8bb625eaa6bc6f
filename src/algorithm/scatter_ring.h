// Scatter along the ring root -> root+1 -> ... -> root-1 (platform_api §4 scatter_ring, read
// mode). The root announces the blocks farthest first; every rank pulls each block from its
// predecessor's input buffer into the same place of its own, forwards the ones meant for ranks
// further down the chain and keeps its own in its output buffer.
//
// Prepare: as ScatterMesh. Non-root ranks also use their inputMem_ (the blocks passing through
// sit at their slices there).
#pragma once

#include "algorithm/alg_template_base.h"

namespace hcclcpu::algorithm {

class ScatterRing : public AlgTemplateBase {
  public:
    using AlgTemplateBase::AlgTemplateBase;
    HcclResult RunAsync(u32 rank, u32 rankSize, const std::vector<LINK> &links) override;
};

}  // namespace hcclcpu::algorithm
