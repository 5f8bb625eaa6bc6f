// Collectives as direct kernels (platform/direct_peers.h): the whole operation runs in one task
// on the caller's stream and reads the peers' buffers in place, as the vendor's AIV kernels do.
// Used when the communicator has direct access and the algorithm is not forced by HCCL_ALGO:
//   - messages up to kDirectSlotBytes per rank go through the ranks' small slots (one copy in,
//     the reduction or copy out reads the peers' slots; no final handshake);
//   - larger ones read the peers' user buffers: all-reduce reduces the rank's block of every
//     input into its output, then copies the other blocks from the peers' outputs; all-gather and
//     broadcast copy from the peers' inputs. Every rank then waits until nobody reads its buffers.
// Reductions combine the ranks in rank order, so results are bit-identical run to run and equal
// to the deterministic mesh template's.
#pragma once

#include "algorithm/op_context.h"

namespace hcclcpu::algorithm {

// True when `op` with these arguments runs as a direct kernel on this communicator (the same
// answer on every rank: it depends only on what every rank was given alike).
bool DirectUsable(const OpContext &ctx, OpKind op, HcclDataType dataType, HcclReduceOp reduceOp);

HcclResult DirectAllReduce(const OpContext &ctx, const void *send, void *recv, u64 count,
                           HcclDataType dataType, HcclReduceOp op);
HcclResult DirectAllGather(const OpContext &ctx, const void *send, void *recv, u64 count,
                           HcclDataType dataType);
HcclResult DirectBroadcast(const OpContext &ctx, void *buffer, u64 count, HcclDataType dataType,
                           u32 root);

}  // namespace hcclcpu::algorithm
