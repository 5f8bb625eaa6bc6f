// Scatter: every rank's block goes through the CCL buffers in pieces; the CCL input and output
// are each cut into rankSize regions and piece p of block j sits in region j. Per piece the root
// stages the parts of all blocks, a template delivers them, every rank copies its part out.
#include <algorithm>

#include "algorithm/dm_executor_util.h"
#include "algorithm/dm_template_util.h"
#include "algorithm/executors.h"
#include "algorithm/scatter_mesh.h"
#include "algorithm/scatter_ring.h"
#include "log.h"

namespace hcclcpu::algorithm {

using namespace dm;  // NOLINT(google-build-using-namespace): the shared helpers

namespace {

// Automatic choice, measured on this emulation (docs/ALGORITHMS.md, "Data movement"; medians of
// 7 trials, 8-bit elements, root 0, bytes per block, CCL buffers of 8 MiB, shared 2-core host):
//   ranks  block    ring      mesh
//   4      16 KiB   0.15-0.28 ms  0.07-0.09 ms
//   4      1 MiB    1.5 ms    1.2 ms
//   8      1 KiB    0.32 ms   0.14-0.16 ms
//   8      256 KiB  1.4-1.6 ms    0.65-0.86 ms
//   8      1 MiB    5.7-8.4 ms    2.6 ms
//   8      8 MiB    53-76 ms  53-78 ms (noise)
// The mesh moves each block once (the rank reads it from the root); the ring moves block j
// through j ranks. Equal at 2 ranks (one reader either way), the mesh wins from 4 ranks on at
// every size that measured above the noise, so it is always the automatic choice. Command:
// algorithm_dm_broadcast_scatter_test --gtest_also_run_disabled_tests --gtest_filter='*Measure*'.
AlgoKind AutoScatterAlgo(u64 /*blockBytes*/, u32 /*rankSize*/) {
    return AlgoKind::kMesh;
}

}  // namespace

HcclResult Scatter(const OpContext &ctx, const void *send, void *recv, u64 recvCount,
                   HcclDataType dataType, u32 root) {
    CHK_RET(CheckContext(ctx, "scatter"));
    u32 unit = 0;
    CHK_RET(UnitSizeOf(dataType, "scatter", unit));
    if (root >= ctx.rankSize) {
        HCCL_ERROR("scatter: root %u out of range for %u ranks", root, ctx.rankSize);
        return HCCL_E_PARA;
    }
    if (recvCount == 0) return HCCL_SUCCESS;
    if (recv == nullptr || (ctx.rank == root && send == nullptr)) {
        HCCL_ERROR("scatter: null buffer (send %p, recv %p) for %llu elements", send, recv,
                   recvCount);
        return HCCL_E_PTR;
    }
    const u64 blockBytes = recvCount * unit;
    Stream stream = ctx.stream;
    const u8 *in = static_cast<const u8 *>(send);
    u8 *out = static_cast<u8 *>(recv);
    if (ctx.rankSize == 1) return LocalCopy(ctx.dispatcher, out, in, blockBytes, stream);

    u64 inBytes = 0, outBytes = 0;
    CHK_RET(CommonBufferBytes(ctx, UserMemType::INPUT_MEM, inBytes));
    CHK_RET(CommonBufferBytes(ctx, UserMemType::OUTPUT_MEM, outBytes));
    const u64 region =
        std::min(RegionBytes(inBytes, ctx.rankSize), RegionBytes(outBytes, ctx.rankSize)) / unit *
        unit;
    if (region == 0) {
        HCCL_ERROR("scatter: CCL buffers of %llu/%llu bytes cannot hold %u regions of %u bytes",
                   inBytes, outBytes, ctx.rankSize, unit);
        return HCCL_E_PARA;
    }
    AlgoKind algo =
        ConfiguredAlgo(ctx, OpKind::kScatter, "scatter", {AlgoKind::kRing, AlgoKind::kMesh});
    if (algo == AlgoKind::kAuto) algo = AutoScatterAlgo(blockBytes, ctx.rankSize);

    u8 *cclIn = static_cast<u8 *>(ctx.cclInput.ptr());
    u8 *cclOut = static_cast<u8 *>(ctx.cclOutput.ptr());
    for (u64 offset = 0; offset < blockBytes; offset += region) {
        const u64 len = std::min(region, blockBytes - offset);
        std::vector<Slice> slices;
        for (u32 j = 0; j < ctx.rankSize; ++j) {
            slices.push_back({j * region, len});
            if (ctx.rank == root)
                CHK_RET(LocalCopy(ctx.dispatcher, cclIn + j * region, in + j * blockBytes + offset,
                                  len, stream));
        }
        const DeviceMem input = ctx.cclInput.range(0, ctx.rankSize * region);
        const DeviceMem output = ctx.cclOutput.range(0, ctx.rankSize * region);
        if (algo == AlgoKind::kRing) {
            ScatterRing ring(ctx.dispatcher);
            CHK_RET(ring.Prepare(input, output, DeviceMem(), len / unit, dataType, stream,
                                 HCCL_REDUCE_RESERVED, root, slices));
            CHK_RET(ring.RunAsync(ctx.rank, ctx.rankSize, *ctx.links));
        } else {
            ScatterMesh mesh(ctx.dispatcher);
            CHK_RET(mesh.Prepare(input, output, DeviceMem(), len / unit, dataType, stream,
                                 HCCL_REDUCE_RESERVED, root, slices));
            CHK_RET(mesh.RunAsync(ctx.rank, ctx.rankSize, *ctx.links));
        }
        CHK_RET(LocalCopy(ctx.dispatcher, out + offset, cclOut + ctx.rank * region, len, stream));
    }
    return HCCL_SUCCESS;
}

}  // namespace hcclcpu::algorithm
