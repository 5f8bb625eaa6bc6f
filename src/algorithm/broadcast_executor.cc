// Broadcast: the message goes through the CCL output buffers in pieces of at most their size;
// per piece the root stages its part, a template spreads it, the others copy it out.
#include <algorithm>

#include "algorithm/broadcast_ring.h"
#include "algorithm/broadcast_star.h"
#include "algorithm/direct_kernels.h"
#include "algorithm/dm_executor_util.h"
#include "algorithm/executors.h"
#include "log.h"

namespace hcclcpu::algorithm {

using namespace dm;  // NOLINT(google-build-using-namespace): the shared helpers

namespace {

// Automatic choice, measured on this emulation (docs/ALGORITHMS.md, "Data movement"; medians of
// 7 trials, 8-bit elements, root 0, CCL buffers of 32 MiB, on the shared 2-core host):
//   ranks  bytes    ring      star
//   2      1 MiB    0.31 ms   0.25 ms
//   8      1 MiB    1.7 ms    1.3-1.4 ms
//   8      4 MiB    10-17 ms  8-11 ms
//   8      8 MiB    29-44 ms  25-46 ms
//   8      16 MiB   72-98 ms  100-188 ms
// Both move the same bytes (each non-root copies the message once); the star has no chain, but
// with many ranks and a large message all of them stream the root's buffer at once, while the
// ring's chunks are still in cache when the next rank reads them. So: the ring from 16 MiB on
// 8 or more ranks, the star otherwise. Command: algorithm_dm_broadcast_scatter_test
// --gtest_also_run_disabled_tests --gtest_filter='*Measure*'.
constexpr u64 kBroadcastRingMinBytes = 16ull << 20;
constexpr u32 kBroadcastRingMinRanks = 8;

AlgoKind AutoBroadcastAlgo(u64 bytes, u32 rankSize) {
    if (rankSize >= kBroadcastRingMinRanks && bytes >= kBroadcastRingMinBytes)
        return AlgoKind::kRing;
    return AlgoKind::kStar;
}

}  // namespace

HcclResult Broadcast(const OpContext &ctx, void *buf, u64 count, HcclDataType dataType, u32 root) {
    CHK_RET(CheckContext(ctx, "broadcast"));
    u32 unit = 0;
    CHK_RET(UnitSizeOf(dataType, "broadcast", unit));
    if (root >= ctx.rankSize) {
        HCCL_ERROR("broadcast: root %u out of range for %u ranks", root, ctx.rankSize);
        return HCCL_E_PARA;
    }
    if (count == 0 || ctx.rankSize == 1) return HCCL_SUCCESS;  // the data is in place
    if (buf == nullptr) {
        HCCL_ERROR("broadcast: null buffer for %llu elements", count);
        return HCCL_E_PTR;
    }
    if (DirectUsable(ctx, OpKind::kBroadcast, dataType, HCCL_REDUCE_SUM))
        return DirectBroadcast(ctx, buf, count, dataType, root);
    u64 cclBytes = 0;
    CHK_RET(CommonBufferBytes(ctx, UserMemType::OUTPUT_MEM, cclBytes));
    const u64 pieceBytes = cclBytes / unit * unit;
    if (pieceBytes == 0) {
        HCCL_ERROR("broadcast: a CCL output of %llu bytes holds no element of %u bytes", cclBytes,
                   unit);
        return HCCL_E_PARA;
    }
    const u64 bytes = count * unit;
    AlgoKind algo =
        ConfiguredAlgo(ctx, OpKind::kBroadcast, "broadcast", {AlgoKind::kRing, AlgoKind::kStar});
    // The templates see one piece at a time: choose by the piece size.
    if (algo == AlgoKind::kAuto)
        algo = AutoBroadcastAlgo(std::min(bytes, pieceBytes), ctx.rankSize);

    Stream stream = ctx.stream;
    u8 *data = static_cast<u8 *>(buf);
    for (u64 offset = 0; offset < bytes; offset += pieceBytes) {
        const u64 len = std::min(pieceBytes, bytes - offset);
        DeviceMem piece = ctx.cclOutput.range(0, len);
        DeviceMem user = DeviceMem::create(data + offset, len);
        if (ctx.rank == root) CHK_RET(HcclD2DMemcpyAsync(ctx.dispatcher, piece, user, stream));
        if (algo == AlgoKind::kRing) {
            BroadcastRing ring(ctx.dispatcher);
            CHK_RET(ring.Prepare(piece, piece, DeviceMem(), len / unit, dataType, stream,
                                 HCCL_REDUCE_RESERVED, root));
            CHK_RET(ring.RunAsync(ctx.rank, ctx.rankSize, *ctx.links));
        } else {
            BroadcastStar star(ctx.dispatcher);
            CHK_RET(star.Prepare(piece, piece, DeviceMem(), len / unit, dataType, stream,
                                 HCCL_REDUCE_RESERVED, root));
            CHK_RET(star.RunAsync(ctx.rank, ctx.rankSize, *ctx.links));
        }
        if (ctx.rank != root) CHK_RET(HcclD2DMemcpyAsync(ctx.dispatcher, user, piece, stream));
    }
    return HCCL_SUCCESS;
}

}  // namespace hcclcpu::algorithm
