// Operation executors: one public HCCL operation each, on the caller's stream.
//
// The framework has validated the arguments (spec public_api §3.3) and serialised the
// communicator's operations; an executor stages the user's data through the CCL buffers (in
// pieces when the message is larger than they are), picks a template (OpContext::algo or its own
// choice by size and rank count), runs it, and copies the result out. Everything is issued on
// ctx.stream; nothing waits on the host. Buffers are device memory; counts are elements; arrays
// of counts and displacements are uint64 elements, rankSize long.
//
// Between two pieces (and two operations) the CCL buffers are reused: every template ends with
// a barrier so that no peer still reads a buffer that is about to be overwritten.
#pragma once

#include "algorithm/op_context.h"
#include "hccl/hccl_types.h"

namespace hcclcpu::algorithm {

HcclResult AllReduce(const OpContext &ctx, const void *send, void *recv, u64 count,
                     HcclDataType dataType, HcclReduceOp op);
HcclResult ReduceScatter(const OpContext &ctx, const void *send, void *recv, u64 recvCount,
                         HcclDataType dataType, HcclReduceOp op);
HcclResult ReduceScatterV(const OpContext &ctx, const void *send, const u64 *sendCounts,
                          const u64 *sendDispls, void *recv, u64 recvCount, HcclDataType dataType,
                          HcclReduceOp op);
HcclResult AllGather(const OpContext &ctx, const void *send, void *recv, u64 sendCount,
                     HcclDataType dataType);
HcclResult AllGatherV(const OpContext &ctx, const void *send, u64 sendCount, void *recv,
                      const u64 *recvCounts, const u64 *recvDispls, HcclDataType dataType);
// Only the root's recv is written.
HcclResult Reduce(const OpContext &ctx, const void *send, void *recv, u64 count,
                  HcclDataType dataType, HcclReduceOp op, u32 root);

HcclResult Broadcast(const OpContext &ctx, void *buf, u64 count, HcclDataType dataType, u32 root);
// send is read on the root only (may be null elsewhere).
HcclResult Scatter(const OpContext &ctx, const void *send, void *recv, u64 recvCount,
                   HcclDataType dataType, u32 root);
// AlltoAll and AlltoAllVC reach here as counts and displacements (the framework converts them).
HcclResult AlltoAllV(const OpContext &ctx, const void *send, const u64 *sendCounts,
                     const u64 *sendDispls, void *recv, const u64 *recvCounts,
                     const u64 *recvDispls, HcclDataType dataType);
HcclResult Send(const OpContext &ctx, const void *send, u64 count, HcclDataType dataType,
                u32 destRank);
HcclResult Recv(const OpContext &ctx, void *recv, u64 count, HcclDataType dataType, u32 srcRank);
// Sends and receives of one call do not block each other.
HcclResult BatchSendRecv(const OpContext &ctx, const HcclSendRecvItem *items, u32 itemNum);
HcclResult Barrier(const OpContext &ctx);

}  // namespace hcclcpu::algorithm
