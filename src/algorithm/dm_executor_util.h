// Helpers shared by the data-movement executors.
#pragma once

#include <initializer_list>

#include "algorithm/op_context.h"
#include "algorithm/p2p_rounds.h"

namespace hcclcpu::algorithm::dm {

// A usable context: dispatcher, rank < rankSize, CCL buffers, one link per rank (rankSize > 1).
HcclResult CheckContext(const OpContext &ctx, const char *op);
// Bytes per element; HCCL_E_PARA for an unknown type.
HcclResult UnitSizeOf(HcclDataType dataType, const char *op, u32 &unit);
// The bytes of the CCL buffer `mem` that every rank has: the smallest of the own buffer and every
// peer's (GetRemoteMemSize over the links), so all ranks cut it the same way.
HcclResult CommonBufferBytes(const OpContext &ctx, UserMemType mem, u64 &bytes);
// The family the caller configured for `kind` when it is one of `supported`; kAuto when it is
// kAuto, or (after one warning) when it is not supported for this operation.
AlgoKind ConfiguredAlgo(const OpContext &ctx, OpKind kind, const char *op,
                        std::initializer_list<AlgoKind> supported);
const char *AlgoName(AlgoKind kind);

}  // namespace hcclcpu::algorithm::dm
