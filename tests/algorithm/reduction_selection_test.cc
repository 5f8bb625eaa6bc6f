// Which template the reduction and gather executors pick: forced choices, the fallback for an
// unsupported one, deterministic mode, and the measured size and rank-count rules.
#include <gtest/gtest.h>

#include "algorithm/reduction_selection.h"

namespace hcclcpu::algorithm::test {
namespace {

constexpr u64 kMiB = 1024 * 1024;

OpContext Context(u32 rankSize, OpKind op = OpKind::kAllReduce, AlgoKind kind = AlgoKind::kAuto,
                  bool deterministic = false) {
    OpContext ctx;
    ctx.rankSize = rankSize;
    ctx.algo.perOp[static_cast<size_t>(op)] = kind;
    ctx.algo.deterministic = deterministic;
    return ctx;
}

TEST(ReductionSelection, ForcedAlgorithmsTheOpSupportsAreUsed) {
    for (AlgoKind kind : {AlgoKind::kRing, AlgoKind::kMesh, AlgoKind::kRecursiveHD}) {
        EXPECT_EQ(ChooseAllReduce(Context(4, OpKind::kAllReduce, kind), OpKind::kAllReduce, 1024),
                  kind);
        EXPECT_EQ(ChooseAllReduce(Context(4, OpKind::kReduce, kind), OpKind::kReduce, 1024), kind);
    }
    for (AlgoKind kind : {AlgoKind::kRing, AlgoKind::kMesh}) {
        EXPECT_EQ(ChooseScatterGather(Context(4, OpKind::kReduceScatter, kind),
                                      OpKind::kReduceScatter, 1024, true),
                  kind);
        EXPECT_EQ(ChooseScatterGather(Context(4, OpKind::kAllGather, kind), OpKind::kAllGather,
                                      1024, false),
                  kind);
    }
}

TEST(ReductionSelection, UnsupportedForcedAlgorithmFallsBackToTheAutomaticChoice) {
    EXPECT_EQ(ChooseAllReduce(Context(4, OpKind::kAllReduce, AlgoKind::kPairwise),
                              OpKind::kAllReduce, 1024),
              AlgoKind::kMesh);
    EXPECT_EQ(ChooseScatterGather(Context(8, OpKind::kAllGather, AlgoKind::kRecursiveHD),
                                  OpKind::kAllGather, 8 * kMiB, false),
              AlgoKind::kRing);
    EXPECT_EQ(ChooseScatterGather(Context(4, OpKind::kReduceScatter, AlgoKind::kStar),
                                  OpKind::kReduceScatter, 1024, true),
              AlgoKind::kMesh);
}

TEST(ReductionSelection, DeterministicReductionsAlwaysUseTheRankOrderedMesh) {
    EXPECT_EQ(ChooseAllReduce(Context(8, OpKind::kAllReduce, AlgoKind::kRing, true),
                              OpKind::kAllReduce, 64 * kMiB),
              AlgoKind::kMesh);
    EXPECT_EQ(ChooseScatterGather(Context(8, OpKind::kReduceScatter, AlgoKind::kRing, true),
                                  OpKind::kReduceScatter, 8 * kMiB, true),
              AlgoKind::kMesh);
    // Gathers do not reduce: deterministic mode leaves them alone.
    EXPECT_EQ(ChooseScatterGather(Context(8, OpKind::kAllGather, AlgoKind::kRing, true),
                                  OpKind::kAllGather, 1024, false),
              AlgoKind::kRing);
}

TEST(ReductionSelection, AutomaticChoiceFollowsTheMeasuredThresholds) {
    EXPECT_EQ(ChooseAllReduce(Context(2), OpKind::kAllReduce, 64 * kMiB), AlgoKind::kMesh);
    EXPECT_EQ(ChooseAllReduce(Context(8), OpKind::kAllReduce, 16 * kMiB), AlgoKind::kMesh);
    EXPECT_EQ(ChooseAllReduce(Context(8), OpKind::kAllReduce, 32 * kMiB), AlgoKind::kRing);
    EXPECT_EQ(ChooseScatterGather(Context(4), OpKind::kReduceScatter, 16 * kMiB, true),
              AlgoKind::kMesh);
    EXPECT_EQ(ChooseScatterGather(Context(8), OpKind::kReduceScatter, 4 * kMiB - 1, true),
              AlgoKind::kMesh);
    EXPECT_EQ(ChooseScatterGather(Context(8), OpKind::kReduceScatter, 4 * kMiB, true),
              AlgoKind::kRing);
    EXPECT_EQ(ChooseScatterGather(Context(8), OpKind::kAllGather, 4 * kMiB, false),
              AlgoKind::kRing);
}

TEST(ReductionSelection, OneShotMeshWhileEachRankReadsAtMostHalfAMebibyte) {
    EXPECT_TRUE(AllReduceMeshOneShot(256 * 1024, 3));
    EXPECT_FALSE(AllReduceMeshOneShot(256 * 1024 + 4, 3));
    EXPECT_TRUE(AllReduceMeshOneShot(64 * 1024, 8));
    EXPECT_FALSE(AllReduceMeshOneShot(128 * 1024, 8));
}

}  // namespace
}  // namespace hcclcpu::algorithm::test
