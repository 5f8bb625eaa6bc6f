#include "algorithm/direct_kernels.h"

#include <algorithm>
#include <array>
#include <cstring>

#include "dtype_common.h"
#include "log.h"

namespace hcclcpu::algorithm {

using platform::DirectCall;
using platform::DirectControl;
using platform::DirectPeers;
using platform::kDirectSlotBytes;

namespace {

constexpr u32 kMaxDirectRanks = 64;
using Inputs = std::array<const u8 *, kMaxDirectRanks>;

// Block i of `count` elements split over n ranks (the first count % n blocks one larger).
u64 BlockBegin(u64 count, u32 n, u32 i) {
    return i * (count / n) + std::min<u64>(i, count % n);
}

// dst = in[0] op in[1] op ... op in[n-1] over `count` elements, in rank order. dst may be one of
// the inputs only when it is in[0] or in[1].
void ReduceRanks(u8 *dst, const Inputs &in, u32 n, u64 begin, u64 count, const DirectCall &c) {
    const u64 off = begin * SIZE_TABLE[c.dataType];
    platform::DirectReduce(dst, in[0] + off, in[1] + off, count, c.dataType, c.op);
    for (u32 r = 2; r < n; ++r)
        platform::DirectReduce(dst, dst, in[r] + off, count, c.dataType, c.op);
}

// Every rank's user buffer `which` (0 send, 1 receive) as readable here.
HcclResult ResolveAll(DirectPeers &p, u32 which, const void *own, u64 bytes, Inputs &out,
                      std::string *why) {
    for (u32 r = 0; r < p.Size(); ++r) {
        if (r == p.Rank()) {
            out[r] = static_cast<const u8 *>(own);
            continue;
        }
        u8 *ptr = nullptr;
        CHK_RET(p.Resolve(r, p.Peer(r).buffers[which], bytes, &ptr, why));
        out[r] = ptr;
    }
    return HCCL_SUCCESS;
}

// The first step of a small-message kernel: publish once (phase 0), then wait for every peer's
// (phase 1, where a kernel that stopped on the issuing thread resumes).
HcclResult PublishSmall(DirectPeers &p, DirectCall &c, const void *data, u64 bytes, s64 budgetNs,
                        std::string *why) {
    if (c.phase == 0) {
        CHK_RET(p.Publish(c.seq, data, bytes, why));
        c.phase = 1;
        if (c.publishOnly) return HCCL_E_AGAIN;
    }
    for (u32 i = 1; i < p.Size(); ++i)
        if (HcclResult r = p.WaitPublished((p.Rank() + i) % p.Size(), c.seq, bytes, why, budgetNs);
            r != HCCL_SUCCESS)
            return r;
    return HCCL_SUCCESS;
}

HcclResult AllReduceKernel(DirectPeers &p, DirectCall &c, s64 budgetNs, std::string *why) {
    const u32 n = p.Size();
    const u32 me = p.Rank();
    const u32 unit = SIZE_TABLE[c.dataType];
    const u64 bytes = c.count * unit;
    u8 *recv = static_cast<u8 *>(c.recv);
    Inputs in{};
    if (bytes <= kDirectSlotBytes) {
        if (HcclResult r = PublishSmall(p, c, c.send, bytes, budgetNs, why); r != HCCL_SUCCESS)
            return r;
        for (u32 r = 0; r < n; ++r)
            in[r] = p.Published(r, c.seq, bytes);
        ReduceRanks(recv, in, n, 0, c.count, c);
        return HCCL_SUCCESS;
    }
    p.Own().buffers[0] = p.Describe(c.send);
    p.Own().buffers[1] = p.Describe(c.recv);
    CHK_RET(p.All(platform::kPosted, c.seq, why));
    CHK_RET(ResolveAll(p, 0, c.send, bytes, in, why));
    // Reduce-scatter: this rank's block of every input, a cache-sized chunk at a time; in place
    // (recv overlapping send) through the slot, so no input is overwritten before it is read.
    const bool inPlace = platform::BytesOverlap(c.send, bytes, c.recv, bytes);
    u8 *slot = p.Own().slots[c.seq % platform::kDirectSlotDepth];
    const u64 chunk = kDirectSlotBytes / unit;
    const u64 end = BlockBegin(c.count, n, me + 1);
    for (u64 at = BlockBegin(c.count, n, me); at < end; at += chunk) {
        const u64 len = std::min(chunk, end - at);
        u8 *out = recv + at * unit;
        ReduceRanks(inPlace ? slot : out, in, n, at, len, c);
        if (inPlace) std::memcpy(out, slot, len * unit);
    }
    p.Post(platform::kReduced, c.seq);
    // All-gather: every other block from its owner's output, once the owner has reduced it.
    for (u32 i = 1; i < n; ++i) {
        const u32 q = (me + i) % n;
        CHK_RET(p.Wait(q, platform::kReduced, c.seq, why));
        u8 *peerRecv = nullptr;
        CHK_RET(p.Resolve(q, p.Peer(q).buffers[1], bytes, &peerRecv, why));
        const u64 begin = BlockBegin(c.count, n, q) * unit;
        std::memcpy(recv + begin, peerRecv + begin, BlockBegin(c.count, n, q + 1) * unit - begin);
    }
    return p.All(platform::kDone, c.seq, why);
}

HcclResult AllGatherKernel(DirectPeers &p, DirectCall &c, s64 budgetNs, std::string *why) {
    const u32 n = p.Size();
    const u32 me = p.Rank();
    const u64 bytes = c.count * SIZE_TABLE[c.dataType];
    u8 *recv = static_cast<u8 *>(c.recv);
    Inputs in{};
    const bool small = bytes <= kDirectSlotBytes;
    if (small) {
        if (HcclResult r = PublishSmall(p, c, c.send, bytes, budgetNs, why); r != HCCL_SUCCESS)
            return r;
        for (u32 r = 0; r < n; ++r)
            in[r] = p.Published(r, c.seq, bytes);
    } else {
        p.Own().buffers[0] = p.Describe(c.send);
        CHK_RET(p.All(platform::kPosted, c.seq, why));
        CHK_RET(ResolveAll(p, 0, c.send, bytes, in, why));
    }
    for (u32 i = 0; i < n; ++i) {
        const u32 q = (me + i) % n;
        u8 *dst = recv + q * bytes;
        if (dst != in[q]) std::memmove(dst, in[q], bytes);  // own input may overlap recv
    }
    return small ? HCCL_SUCCESS : p.All(platform::kDone, c.seq, why);
}

HcclResult BroadcastKernel(DirectPeers &p, DirectCall &c, s64 budgetNs, std::string *why) {
    const u64 bytes = c.count * SIZE_TABLE[c.dataType];
    const bool root = p.Rank() == c.root;
    u8 *buffer = static_cast<u8 *>(c.recv);
    if (bytes <= kDirectSlotBytes) {
        if (HcclResult r = PublishSmall(p, c, root ? buffer : nullptr, bytes, budgetNs, why);
            r != HCCL_SUCCESS)
            return r;
        if (!root) std::memcpy(buffer, p.Published(c.root, c.seq, bytes), bytes);
        return HCCL_SUCCESS;
    }
    if (root) p.Own().buffers[0] = p.Describe(buffer);
    CHK_RET(p.All(platform::kPosted, c.seq, why));
    if (!root) {
        u8 *source = nullptr;
        CHK_RET(p.Resolve(c.root, p.Peer(c.root).buffers[0], bytes, &source, why));
        std::memcpy(buffer, source, bytes);
    }
    return p.All(platform::kDone, c.seq, why);
}

// Small messages may run, or be published, on the issuing thread (see platform::LaunchDirect).
HcclResult Launch(const OpContext &ctx, platform::DirectKernel kernel, DirectCall call) {
    call.seq = ctx.direct->NextSeq();
    Stream stream = ctx.stream;
    bool ranHere = false;
    HcclResult r = platform::LaunchDirect(
        stream, *ctx.direct, kernel, call,
        ctx.ranHere != nullptr && call.count * SIZE_TABLE[call.dataType] <= kDirectSlotBytes,
        &ranHere);
    if (ranHere && ctx.ranHere != nullptr) *ctx.ranHere = true;
    return r;
}

}  // namespace

bool DirectUsable(const OpContext &ctx, OpKind op, HcclDataType dataType, HcclReduceOp reduceOp) {
    if (ctx.direct == nullptr || ctx.rankSize < 2 || ctx.rankSize > kMaxDirectRanks) return false;
    if (ctx.algo.of(op) != AlgoKind::kAuto) return false;  // HCCL_ALGO chose a template
    if (static_cast<u32>(dataType) >= HCCL_DATA_TYPE_RESERVED) return false;
    if (op == OpKind::kAllReduce) return platform::DirectReduceSupported(dataType, reduceOp);
    return true;
}

HcclResult DirectAllReduce(const OpContext &ctx, const void *send, void *recv, u64 count,
                           HcclDataType dataType, HcclReduceOp op) {
    const u64 bytes = count * SIZE_TABLE[dataType];
    return Launch(ctx, AllReduceKernel,
                  {.send = send,
                   .recv = recv,
                   .count = count,
                   .dataType = dataType,
                   .op = op,
                   .inputBytes = bytes,
                   .outputBytes = bytes});
}

HcclResult DirectAllGather(const OpContext &ctx, const void *send, void *recv, u64 count,
                           HcclDataType dataType) {
    const u64 bytes = count * SIZE_TABLE[dataType];
    return Launch(ctx, AllGatherKernel,
                  {.send = send,
                   .recv = recv,
                   .count = count,
                   .dataType = dataType,
                   .inputBytes = bytes,
                   .outputBytes = bytes * ctx.rankSize});
}

HcclResult DirectBroadcast(const OpContext &ctx, void *buffer, u64 count, HcclDataType dataType,
                           u32 root) {
    // The root only reads the buffer, the others only write it.
    const u64 bytes = count * SIZE_TABLE[dataType];
    const bool isRoot = ctx.rank == root;
    return Launch(ctx, BroadcastKernel,
                  {.send = buffer,
                   .recv = buffer,
                   .count = count,
                   .dataType = dataType,
                   .root = root,
                   .inputBytes = isRoot ? bytes : 0,
                   .outputBytes = isRoot ? 0 : bytes});
}

}  // namespace hcclcpu::algorithm
