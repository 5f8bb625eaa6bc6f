// Small helpers shared by the data-movement templates.
#pragma once

#include <vector>

#include "algorithm/p2p_rounds.h"

namespace hcclcpu::algorithm::dm {

// rank < rankSize, one link per rank (nullptr only at `rank`), root < rankSize when needRoot.
HcclResult CheckRun(const char *what, u32 rank, u32 rankSize, const std::vector<LINK> &links,
                    u32 root, bool needRoot);
// mem holds at least `bytes` (HCCL_E_PARA otherwise).
HcclResult CheckFits(const char *what, const DeviceMem &mem, u64 bytes);
// The first `bytes` of input copied to output (nothing when they are the same memory).
HcclResult CopyInputToOutput(HcclDispatcher dispatcher, const DeviceMem &input,
                             const DeviceMem &output, u64 bytes, Stream &stream);
// A local copy between raw pointers (nothing for 0 bytes or the same address).
HcclResult LocalCopy(HcclDispatcher dispatcher, void *dst, const void *src, u64 bytes,
                     Stream &stream);

// A send whose data already sits at [offset, offset + bytes) of the own `mem`, in one round.
Transfer InPlaceSend(const LINK &link, UserMemType mem, u64 offset, u64 bytes);
// A receive of [offset, offset + bytes) of the peer's `mem`, in one round, into dst.
Transfer Receive(const LINK &link, UserMemType mem, u64 offset, u64 bytes, void *dst);

// Block of rank `index`: slices[index] when given, else index * blockBytes.
Slice BlockOf(const std::vector<Slice> &slices, u64 blockBytes, u32 index);

}  // namespace hcclcpu::algorithm::dm
