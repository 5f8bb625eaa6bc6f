// The AlltoAllV executor on 1, 2, 3, 4 and 8 ranks through 64 KiB CCL buffers: random count
// matrices with zeros, one huge pair, all zeros, AlltoAll-shaped counts for element sizes 1, 2, 4
// and 8, and operations back to back reusing the CCL buffers. Checked byte by byte, including
// that bytes outside the received blocks stay untouched.
#include <random>

#include "dm_test_util.h"

namespace hcclcpu::algorithm::test {
namespace {

constexpr u8 kUntouched = 0xA5;

class AlltoAllVTest : public ::testing::TestWithParam<u32> {
  protected:
    void SetUp() override { ranks_.create(GetParam()); }

    // m[i][j]: elements rank i sends to rank j. Blocks are laid out with a gap of `gap` elements
    // before each, so displacements matter.
    void Check(const std::vector<std::vector<u64>> &m, HcclDataType type, u32 tag, u64 gap = 3,
               const AlgoConfig &algo = {}) {
        const u32 n = ranks_.size();
        const u32 unit = UnitOf(type);
        std::vector<std::vector<u64>> sc(n), sd(n), rc(n), rd(n);
        std::vector<u64> sendBytes(n), recvBytes(n);
        u64 maxBytes = 1;
        for (u32 r = 0; r < n; ++r) {
            u64 s = 0, d = 0;
            for (u32 j = 0; j < n; ++j) {
                s += gap;
                sd[r].push_back(s);
                sc[r].push_back(m[r][j]);
                s += m[r][j];
                d += gap;
                rd[r].push_back(d);
                rc[r].push_back(m[j][r]);
                d += m[j][r];
            }
            sendBytes[r] = s * unit;
            recvBytes[r] = d * unit;
            maxBytes = std::max({maxBytes, sendBytes[r], recvBytes[r]});
        }
        std::vector<u8 *> send = ranks_.alloc(maxBytes), recv = ranks_.alloc(maxBytes);
        for (u32 r = 0; r < n; ++r) {
            std::memset(recv[r], kUntouched, maxBytes);
            for (u32 j = 0; j < n; ++j)
                FillPattern(send[r] + sd[r][j] * unit, sc[r][j] * unit, tag + j, r);
        }
        ASSERT_EQ(ranks_.run(
                      [&](u32 rank, const OpContext &ctx) {
                          return AlltoAllV(ctx, send[rank], sc[rank].data(), sd[rank].data(),
                                           recv[rank], rc[rank].data(), rd[rank].data(), type);
                      },
                      algo),
                  HCCL_SUCCESS);
        for (u32 r = 0; r < n; ++r) {
            std::vector<bool> inBlock(maxBytes, false);
            for (u32 i = 0; i < n; ++i) {
                ASSERT_EQ(FirstMismatch(recv[r] + rd[r][i] * unit, rc[r][i] * unit, tag + r, i), -1)
                    << "rank " << r << " from " << i << " type " << type;
                for (u64 b = 0; b < rc[r][i] * unit; ++b)
                    inBlock[rd[r][i] * unit + b] = true;
            }
            for (u64 b = 0; b < maxBytes; ++b)
                if (!inBlock[b]) {
                    ASSERT_EQ(recv[r][b], kUntouched) << "rank " << r << " byte " << b;
                }
        }
    }

    std::vector<std::vector<u64>> Matrix(u64 value) const {
        return std::vector<std::vector<u64>>(ranks_.size(), std::vector<u64>(ranks_.size(), value));
    }

    Ranks ranks_;
};

TEST_P(AlltoAllVTest, RandomCountMatricesWithZerosArriveIntact) {
    std::mt19937 rng(12345 + GetParam());
    for (int trial = 0; trial < 4; ++trial) {
        std::vector<std::vector<u64>> m = Matrix(0);
        for (auto &row : m)
            for (u64 &c : row)
                c = rng() % 3 == 0 ? 0 : rng() % 20000;  // up to 3 rounds a pair
        Check(m, trial % 2 ? HCCL_DATA_TYPE_FP16 : HCCL_DATA_TYPE_INT8, 10 * trial);
    }
}

TEST_P(AlltoAllVTest, OneHugePairAmongSmallOnesArrivesIntact) {
    const u32 n = ranks_.size();
    std::vector<std::vector<u64>> m = Matrix(5);
    m[0][n - 1] = (1 << 20) / 4 + 1;  // 1 MiB + 4 of FP32 through a region of 64 KiB / n
    m[n - 1][0] = 0;
    Check(m, HCCL_DATA_TYPE_FP32, 100);
}

TEST_P(AlltoAllVTest, AllZeroCountsSucceed) {
    Check(Matrix(0), HCCL_DATA_TYPE_INT32, 200);
}

TEST_P(AlltoAllVTest, AlltoAllShapedCountsWorkForEveryElementSize) {
    u32 tag = 300;
    for (HcclDataType type :
         {HCCL_DATA_TYPE_INT8, HCCL_DATA_TYPE_BFP16, HCCL_DATA_TYPE_UINT32, HCCL_DATA_TYPE_FP64})
        Check(Matrix(4099), type, tag += 10, 0);
}

TEST_P(AlltoAllVTest, ConfiguredFamiliesAllRunPairwise) {
    for (AlgoKind kind : {AlgoKind::kPairwise, AlgoKind::kRing, AlgoKind::kMesh})
        Check(Matrix(5000), HCCL_DATA_TYPE_INT16, 600 + static_cast<u32>(kind), 1,
              Algo(OpKind::kAlltoAll, kind));
}

TEST_P(AlltoAllVTest, ASelfCountThatDiffersFromTheReceiveCountIsRejected) {
    const u32 n = ranks_.size();
    std::vector<u8 *> buf = ranks_.alloc(64 * n);
    std::vector<u64> counts(n, 0), displs(n, 0), other(n, 0);
    ASSERT_EQ(ranks_.run([&](u32 rank, const OpContext &ctx) {
        std::vector<u64> sc = counts, rc = counts;
        sc[rank] = 2;
        rc[rank] = 3;
        EXPECT_EQ(AlltoAllV(ctx, buf[rank], sc.data(), displs.data(), buf[rank], rc.data(),
                            displs.data(), HCCL_DATA_TYPE_INT8),
                  HCCL_E_PARA);
        EXPECT_EQ(AlltoAllV(ctx, buf[rank], nullptr, displs.data(), buf[rank], rc.data(),
                            displs.data(), HCCL_DATA_TYPE_INT8),
                  HCCL_E_PTR);
        return HCCL_SUCCESS;
    }),
              HCCL_SUCCESS);
}

// Broadcast, AlltoAllV, Scatter, AlltoAllV, Send/Recv ring and Barrier issued back to back on
// each rank's stream, with no wait in between: each operation's closing rounds keep the next one
// from overwriting a CCL buffer a peer still reads.
TEST_P(AlltoAllVTest, OperationsBackToBackReuseTheCclBuffersSafely) {
    const u32 n = ranks_.size();
    constexpr u64 kBytes = 100000;  // every operation needs several pieces or rounds
    std::vector<u8 *> bcast = ranks_.alloc(kBytes), scatterIn = ranks_.alloc(kBytes * n),
                      scatterOut = ranks_.alloc(kBytes), a2aIn = ranks_.alloc(kBytes * n),
                      a2aOut1 = ranks_.alloc(kBytes * n), a2aOut2 = ranks_.alloc(kBytes * n),
                      ringOut = ranks_.alloc(kBytes);
    const u32 bcastRoot = n - 1, scatterRoot = n / 2;
    FillPattern(bcast[bcastRoot], kBytes, 500, bcastRoot);
    for (u32 i = 0; i < n; ++i)
        FillPattern(scatterIn[scatterRoot] + i * kBytes, kBytes, 501, i);
    for (u32 r = 0; r < n; ++r)
        for (u32 j = 0; j < n; ++j)
            FillPattern(a2aIn[r] + j * kBytes, kBytes, 510 + j, r);
    std::vector<u64> counts(n, kBytes), displs(n);
    for (u32 j = 0; j < n; ++j)
        displs[j] = j * kBytes;
    ASSERT_EQ(ranks_.run([&](u32 rank, const OpContext &ctx) {
        CHK_RET(Broadcast(ctx, bcast[rank], kBytes, HCCL_DATA_TYPE_INT8, bcastRoot));
        CHK_RET(AlltoAllV(ctx, a2aIn[rank], counts.data(), displs.data(), a2aOut1[rank],
                          counts.data(), displs.data(), HCCL_DATA_TYPE_INT8));
        CHK_RET(Scatter(ctx, scatterIn[rank], scatterOut[rank], kBytes, HCCL_DATA_TYPE_INT8,
                        scatterRoot));
        // The second exchange sends the broadcast message to everyone.
        std::vector<u64> zero(n, 0);
        CHK_RET(AlltoAllV(ctx, bcast[rank], counts.data(), zero.data(), a2aOut2[rank],
                          counts.data(), displs.data(), HCCL_DATA_TYPE_INT8));
        HcclSendRecvItem items[2] = {
            {HCCL_SEND, bcast[rank], kBytes, HCCL_DATA_TYPE_INT8, (rank + 1) % n},
            {HCCL_RECV, ringOut[rank], kBytes, HCCL_DATA_TYPE_INT8, (rank + n - 1) % n}};
        CHK_RET(BatchSendRecv(ctx, items, 2));
        return Barrier(ctx);
    }),
              HCCL_SUCCESS);
    for (u32 r = 0; r < n; ++r) {
        EXPECT_EQ(FirstMismatch(bcast[r], kBytes, 500, bcastRoot), -1) << "rank " << r;
        EXPECT_EQ(FirstMismatch(scatterOut[r], kBytes, 501, r), -1) << "rank " << r;
        EXPECT_EQ(FirstMismatch(ringOut[r], kBytes, 500, bcastRoot), -1) << "rank " << r;
        for (u32 i = 0; i < n; ++i) {
            EXPECT_EQ(FirstMismatch(a2aOut1[r] + i * kBytes, kBytes, 510 + r, i), -1)
                << "rank " << r << " from " << i;
            EXPECT_EQ(FirstMismatch(a2aOut2[r] + i * kBytes, kBytes, 500, bcastRoot), -1)
                << "rank " << r << " from " << i;
        }
    }
}

INSTANTIATE_TEST_SUITE_P(RankSizes, AlltoAllVTest, ::testing::Values(1u, 2u, 3u, 4u, 8u),
                         [](const ::testing::TestParamInfo<u32> &info) {
                             return std::to_string(info.param) + "Ranks";
                         });

}  // namespace
}  // namespace hcclcpu::algorithm::test
