#include "algorithm/reduction_selection.h"

#include "algorithm/reduction_templates.h"
#include "log.h"

namespace hcclcpu::algorithm {

namespace {

// Thresholds from tests/algorithm/reduction_bench.cc on this project's machine (2 vCPUs, shared,
// load average 6-17 during the runs, so single points are noisy; trends held across two runs):
//     build/tests/algorithm/algorithm_reduction_bench 4194304 2 3 4 8
//     build/tests/algorithm/algorithm_reduction_bench 16777216 8
// fp32 sum, microseconds per operation (slowest rank, best of 8 batches), 8 ranks:
//   all-reduce bytes   ring   mesh1shot  mesh2shot    hd
//        16 KiB        1063      170        263        410
//        64 KiB        1091      273        330        442
//       256 KiB        1418     1055        563        987
//         1 MiB        3165     4774       1690       2653
//        16 MiB       87833   636030      39169     111552
//   reduce-scatter / all-gather block   ring    mesh   (RS)  |  ring    mesh   (AG)
//        64 KiB                          635     305         |   629     286
//         1 MiB                         8156    6714         |  7999    6507
//         4 MiB                        39621   62044         | 35688   67330
//        16 MiB                       519716  544401         |391204  540391
// With 2-4 ranks the mesh templates were fastest at every size up to 4 MiB (blocks) measured:
// fewer synchronisation rounds, and every "link" is the same memory bus. One shot beats two shot
// while each rank reads at most ~512 KiB of peer data (2 ranks: 256 KiB messages, 8 ranks:
// 64 KiB). The ring wins only with 8 ranks and blocks of 4 MiB and more (less concurrent traffic
// on the same buffers once they leave the caches). Recursive HD was never the fastest: it is
// only run when forced. Rank counts above 8 were not measured; they follow the 8-rank rules.
constexpr u64 kOneShotMaxPeerBytes = 512 * 1024;
constexpr u32 kRingMinRanks = 8;
constexpr u64 kRingMinBlockBytes = 4 * 1024 * 1024;

const char *OpName(OpKind op) {
    switch (op) {
        case OpKind::kAllGather:
            return "allgather";
        case OpKind::kReduceScatter:
            return "reducescatter";
        case OpKind::kAllReduce:
            return "allreduce";
        case OpKind::kReduce:
            return "reduce";
        default:
            return "op";
    }
}

// The forced choice if `op` supports it, else kAuto (with one warning for an unsupported one).
AlgoKind Forced(const OpContext &ctx, OpKind op, bool allowHD) {
    const AlgoKind forced = ctx.algo.of(op);
    if (forced == AlgoKind::kAuto) return forced;
    if (forced == AlgoKind::kRing || forced == AlgoKind::kMesh ||
        (allowHD && forced == AlgoKind::kRecursiveHD)) {
        return forced;
    }
    HCCL_WARNING("algorithm %u is not supported for %s, choosing by message size",
                 static_cast<u32>(forced), OpName(op));
    return AlgoKind::kAuto;
}

}  // namespace

bool AllReduceMeshOneShot(u64 bytes, u32 rankSize) {
    return bytes * (rankSize - 1) <= kOneShotMaxPeerBytes;
}

AlgoKind ChooseAllReduce(const OpContext &ctx, OpKind op, u64 bytes) {
    if (ctx.algo.deterministic) return AlgoKind::kMesh;  // rank order, whatever was forced
    const AlgoKind forced = Forced(ctx, op, true);
    if (forced != AlgoKind::kAuto) return forced;
    if (ctx.rankSize >= kRingMinRanks && bytes / ctx.rankSize >= kRingMinBlockBytes)
        return AlgoKind::kRing;
    return AlgoKind::kMesh;
}

AlgoKind ChooseScatterGather(const OpContext &ctx, OpKind op, u64 blockBytes, bool reduction) {
    if (reduction && ctx.algo.deterministic) return AlgoKind::kMesh;
    const AlgoKind forced = Forced(ctx, op, false);
    if (forced != AlgoKind::kAuto) return forced;
    if (ctx.rankSize >= kRingMinRanks && blockBytes >= kRingMinBlockBytes) return AlgoKind::kRing;
    return AlgoKind::kMesh;
}

std::unique_ptr<AlgTemplateBase> MakeAllReduceTemplate(AlgoKind kind, HcclDispatcher dispatcher,
                                                       u64 bytes, u32 rankSize) {
    switch (kind) {
        case AlgoKind::kRing:
            return std::make_unique<AllReduceRing>(dispatcher);
        case AlgoKind::kRecursiveHD:
            return std::make_unique<AllReduceRecursiveHD>(dispatcher);
        default:
            return std::make_unique<AllReduceMesh>(dispatcher,
                                                   AllReduceMeshOneShot(bytes, rankSize));
    }
}

std::unique_ptr<AlgTemplateBase> MakeReduceScatterTemplate(AlgoKind kind,
                                                           HcclDispatcher dispatcher) {
    if (kind == AlgoKind::kRing) return std::make_unique<ReduceScatterRing>(dispatcher);
    return std::make_unique<ReduceScatterMesh>(dispatcher);
}

std::unique_ptr<AlgTemplateBase> MakeAllGatherTemplate(AlgoKind kind, HcclDispatcher dispatcher) {
    if (kind == AlgoKind::kRing) return std::make_unique<AllGatherRing>(dispatcher);
    return std::make_unique<AllGatherMesh>(dispatcher);
}

}  // namespace hcclcpu::algorithm
