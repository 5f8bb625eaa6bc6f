// Scatter in one shot: every rank reads its own block straight from the root's input buffer
// (platform_api §4 scatter_mesh, read mode).
//
// Prepare: count = elements per block; root; slices = the block of every rank (bytes), or empty
// for block i at i * count * unitSize. On the root inputMem_ holds every block at its slice; after
// the run rank i's block is at the same slice of its outputMem_.
#pragma once

#include "algorithm/alg_template_base.h"

namespace hcclcpu::algorithm {

class ScatterMesh : public AlgTemplateBase {
  public:
    using AlgTemplateBase::AlgTemplateBase;
    HcclResult RunAsync(u32 rank, u32 rankSize, const std::vector<LINK> &links) override;
};

}  // namespace hcclcpu::algorithm
