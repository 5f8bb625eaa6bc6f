// HCCL_ALGO / hcclAlgo and HCCL_DETERMINISTIC / hcclDeterministic, parsed once per communicator
// into the algorithm layer's AlgoConfig (spec public_api §5).
//
// Accepted forms (whitespace around tokens is ignored, names are case-insensitive):
//   "level0:NA;level1:<algo>[;level2:<algo>]"                 every operation
//   "<op>=level0:NA;level1:<algo>/<op>=level0:NA;level1:..."  per operation
// with <op> one of allgather, reducescatter, allreduce, broadcast, reduce, scatter, alltoall and
// <algo> one of ring, H-D_R, pairwise (alltoall only), NA (automatic), and the hccl-cpu
// additions mesh and star. NHR, NHR_V1, NB, AHC and pipeline are known but not implemented: a
// warning (once per process and name), then the automatic choice. level0 can only be NA here
// (one server); level2 (between super-pods) is accepted and ignored.
#pragma once

#include <string>

#include "algorithm/op_context.h"
#include "hccl/hccl_types.h"

namespace hcclcpu::framework {

// HCCL_E_PARA, logged with the offending part, for a string that is not one of the forms above.
HcclResult parseAlgoConfig(const std::string &text, algorithm::AlgoConfig *config);

}  // namespace hcclcpu::framework
