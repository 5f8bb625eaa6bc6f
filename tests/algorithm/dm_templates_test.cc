// The data-movement templates run directly over a LinkSet (no executor): BroadcastRing,
// BroadcastStar, ScatterRing, ScatterMesh, AlltoAllVPairwise and SendReceive, for 1, 2, 3, 4 and 8
// ranks and every root, checked byte by byte.
#include <algorithm>
#include <memory>

#include "algorithm/alltoallv_pairwise.h"
#include "algorithm/broadcast_ring.h"
#include "algorithm/broadcast_star.h"
#include "algorithm/scatter_mesh.h"
#include "algorithm/scatter_ring.h"
#include "algorithm/send_receive.h"
#include "dm_test_util.h"

namespace hcclcpu::algorithm::test {
namespace {

class Templates : public ::testing::TestWithParam<u32> {};

template <typename T>
void CheckBroadcast(u32 rankSize, u64 cclBytes, u64 count, HcclDataType type) {
    Ranks ranks;
    ranks.create(rankSize, cclBytes);
    const u32 n = ranks.size();
    const u64 bytes = count * UnitOf(type);
    for (u32 root = 0; root < n; ++root) {
        const u32 tag = 100 + root;
        FillPattern(ranks.set().Input(root).ptr(), bytes, tag, root);
        ASSERT_EQ(ranks.run([&](u32 rank, const OpContext &ctx) {
            T t(ctx.dispatcher);
            CHK_RET(t.Prepare(ctx.cclInput, ctx.cclOutput, DeviceMem(), count, type, ctx.stream,
                              HCCL_REDUCE_RESERVED, root));
            return t.RunAsync(rank, n, *ctx.links);
        }),
                  HCCL_SUCCESS);
        for (u32 r = 0; r < n; ++r)
            EXPECT_EQ(FirstMismatch(ranks.set().Output(r).ptr(), bytes, tag, root), -1)
                << "rank " << r << " root " << root;
    }
}

template <typename T>
void CheckScatter(u32 rankSize, u64 count, HcclDataType type, bool withSlices) {
    Ranks ranks;
    ranks.create(rankSize, 1 << 20);
    const u32 n = ranks.size();
    const u64 blockBytes = count * UnitOf(type);
    // With slices: block i at a gap-separated, odd place.
    std::vector<Slice> slices;
    if (withSlices)
        for (u32 i = 0; i < n; ++i)
            slices.push_back({i * (blockBytes + 24) + 8, blockBytes});
    auto blockOffset = [&](u32 i) { return withSlices ? slices[i].offset : i * blockBytes; };
    for (u32 root = 0; root < n; ++root) {
        const u32 tag = 200 + root;
        for (u32 i = 0; i < n; ++i)
            FillPattern(static_cast<u8 *>(ranks.set().Input(root).ptr()) + blockOffset(i),
                        blockBytes, tag, i);
        ASSERT_EQ(ranks.run([&](u32 rank, const OpContext &ctx) {
            T t(ctx.dispatcher);
            CHK_RET(t.Prepare(ctx.cclInput, ctx.cclOutput, DeviceMem(), count, type, ctx.stream,
                              HCCL_REDUCE_RESERVED, root, slices));
            return t.RunAsync(rank, n, *ctx.links);
        }),
                  HCCL_SUCCESS);
        for (u32 r = 0; r < n; ++r)
            EXPECT_EQ(FirstMismatch(static_cast<u8 *>(ranks.set().Output(r).ptr()) + blockOffset(r),
                                    blockBytes, tag, r),
                      -1)
                << "rank " << r << " root " << root;
    }
}

TEST_P(Templates, BroadcastStarGivesEveryRankTheRootsData) {
    CheckBroadcast<BroadcastStar>(GetParam(), kSmallCcl, 3001, HCCL_DATA_TYPE_FP16);
}

TEST_P(Templates, BroadcastRingGivesEveryRankTheRootsData) {
    CheckBroadcast<BroadcastRing>(GetParam(), kSmallCcl, 3001, HCCL_DATA_TYPE_FP16);
}

TEST_P(Templates, BroadcastRingPipelinesMessagesOfManyChunks) {
    const u64 count = (2 * BroadcastRing::kChunkBytes + 1000) / 8 + 1;  // three chunks, ragged
    CheckBroadcast<BroadcastRing>(GetParam(), 1 << 20, count, HCCL_DATA_TYPE_INT64);
}

TEST_P(Templates, BroadcastOfNothingSucceeds) {
    CheckBroadcast<BroadcastStar>(GetParam(), kSmallCcl, 0, HCCL_DATA_TYPE_INT8);
    CheckBroadcast<BroadcastRing>(GetParam(), kSmallCcl, 0, HCCL_DATA_TYPE_INT8);
}

TEST_P(Templates, ScatterMeshDeliversBlockIToRankI) {
    CheckScatter<ScatterMesh>(GetParam(), 1001, HCCL_DATA_TYPE_INT32, false);
    CheckScatter<ScatterMesh>(GetParam(), 77, HCCL_DATA_TYPE_INT8, true);
}

TEST_P(Templates, ScatterRingDeliversBlockIToRankI) {
    CheckScatter<ScatterRing>(GetParam(), 1001, HCCL_DATA_TYPE_INT32, false);
    CheckScatter<ScatterRing>(GetParam(), 77, HCCL_DATA_TYPE_INT8, true);
}

TEST_P(Templates, ScatterOfEmptyBlocksSucceeds) {
    CheckScatter<ScatterMesh>(GetParam(), 0, HCCL_DATA_TYPE_INT8, false);
    CheckScatter<ScatterRing>(GetParam(), 0, HCCL_DATA_TYPE_INT8, false);
}

// Rank r sends (r + 1) * 100 + j elements to rank j, through regions of a 64 KiB CCL input, so
// the larger pairs take several rounds.
TEST_P(Templates, AlltoAllVPairwiseMovesEveryPairsBlock) {
    Ranks ranks;
    ranks.create(GetParam(), kSmallCcl);
    const u32 n = ranks.size();
    constexpr u32 kUnit = 4;
    auto count = [](u32 from, u32 to) { return u64{(from + 1) * 3000 + to}; };
    std::vector<std::vector<u64>> sc(n), sd(n), rc(n), rd(n);
    u64 maxBytes = 0;
    for (u32 r = 0; r < n; ++r) {
        u64 s = 0, d = 0;
        for (u32 j = 0; j < n; ++j) {
            sc[r].push_back(count(r, j));
            sd[r].push_back(s);
            s += count(r, j);
            rc[r].push_back(count(j, r));
            rd[r].push_back(d);
            d += count(j, r);
        }
        maxBytes = std::max({maxBytes, s * kUnit, d * kUnit});
    }
    std::vector<u8 *> send = ranks.alloc(maxBytes), recv = ranks.alloc(maxBytes);
    for (u32 r = 0; r < n; ++r)
        for (u32 j = 0; j < n; ++j)
            FillPattern(send[r] + sd[r][j] * kUnit, sc[r][j] * kUnit, 300 + j, r);
    ASSERT_EQ(ranks.run([&](u32 rank, const OpContext &ctx) {
        AlltoAllVPairwise t(ctx.dispatcher);
        CHK_RET(t.Prepare(ctx.cclInput, HCCL_DATA_TYPE_FP32, ctx.stream,
                          {send[rank], sc[rank].data(), sd[rank].data(), recv[rank],
                           rc[rank].data(), rd[rank].data()}));
        return t.RunAsync(rank, n, *ctx.links);
    }),
              HCCL_SUCCESS);
    for (u32 r = 0; r < n; ++r)
        for (u32 i = 0; i < n; ++i)
            EXPECT_EQ(FirstMismatch(recv[r] + rd[r][i] * kUnit, rc[r][i] * kUnit, 300 + r, i), -1)
                << "rank " << r << " from " << i;
}

// Every rank sends to the next and receives from the previous in one run, in two items each
// way: the ring completes and the items of one direction arrive in order.
TEST_P(Templates, SendReceiveRingOfSplitItemsCompletes) {
    Ranks ranks;
    ranks.create(GetParam(), kSmallCcl);
    const u32 n = ranks.size();
    constexpr u64 kBytes = 100000;  // several rounds of a 64 KiB / n region
    std::vector<u8 *> send = ranks.alloc(kBytes), recv = ranks.alloc(kBytes);
    for (u32 r = 0; r < n; ++r)
        FillPattern(send[r], kBytes, 400, r);
    ASSERT_EQ(ranks.run([&](u32 rank, const OpContext &ctx) {
        const u32 next = (rank + 1) % n, prev = (rank + n - 1) % n;
        SendReceive t(ctx.dispatcher);
        std::vector<PeerSpans> sends{{next, {{send[rank], 777}, {send[rank] + 777, kBytes - 777}}}};
        std::vector<PeerSpans> recvs{{prev, {{recv[rank], 50000}, {recv[rank] + 50000, 50000}}}};
        CHK_RET(t.Prepare(ctx.cclInput, ctx.stream, sends, recvs));
        return t.RunAsync(rank, n, *ctx.links);
    }),
              HCCL_SUCCESS);
    for (u32 r = 0; r < n; ++r)
        EXPECT_EQ(FirstMismatch(recv[r], kBytes, 400, (r + n - 1) % n), -1) << "rank " << r;
}

TEST_P(Templates, SendReceiveRejectsTwoEntriesForOneDirection) {
    Ranks ranks;
    ranks.create(GetParam(), kSmallCcl);
    const u32 n = ranks.size();
    std::vector<u8 *> buf = ranks.alloc(64);
    ASSERT_EQ(ranks.run([&](u32 rank, const OpContext &ctx) {
        SendReceive t(ctx.dispatcher);
        const u32 peer = (rank + 1) % n;
        std::vector<PeerSpans> twice{{peer, {{buf[rank], 8}}}, {peer, {{buf[rank] + 8, 8}}}};
        CHK_RET(t.Prepare(ctx.cclInput, ctx.stream, twice, {}));
        EXPECT_EQ(t.RunAsync(rank, n, *ctx.links), HCCL_E_PARA);
        CHK_RET(t.Prepare(ctx.cclInput, ctx.stream, {}, twice));
        EXPECT_EQ(t.RunAsync(rank, n, *ctx.links), HCCL_E_PARA);
        return HCCL_SUCCESS;
    }),
              HCCL_SUCCESS);
}

INSTANTIATE_TEST_SUITE_P(RankSizes, Templates, ::testing::Values(1u, 2u, 3u, 4u, 8u),
                         [](const ::testing::TestParamInfo<u32> &info) {
                             return std::to_string(info.param) + "Ranks";
                         });

}  // namespace
}  // namespace hcclcpu::algorithm::test
