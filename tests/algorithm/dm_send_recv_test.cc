// Send, Recv, BatchSendRecv and Barrier on 2, 3, 4 and 8 ranks (and 1 where it means anything),
// through 64 KiB CCL buffers with 1 MiB messages. Checked byte by byte; the ordering promises
// (a send ends after the peer received, a barrier holds everyone until the last rank arrives) are
// checked with event timestamps on the streams.
#include <algorithm>
#include <chrono>
#include <random>
#include <thread>

#include "dm_test_util.h"

namespace hcclcpu::algorithm::test {
namespace {

constexpr u64 kMiB = 1 << 20;

// Records an event on the stream (created on the calling rank's device) and keeps it.
class Stamps {
  public:
    explicit Stamps(u32 rankSize) : events_(rankSize) {}
    ~Stamps() {
        for (auto &rank : events_)
            for (aclrtEvent e : rank)
                aclrtDestroyEvent(e);
    }
    HcclResult record(u32 rank, const OpContext &ctx) {
        aclrtEvent e = nullptr;
        if (aclrtCreateEvent(&e) != ACL_SUCCESS) return HCCL_E_RUNTIME;
        events_[rank].push_back(e);
        return aclrtRecordEvent(e, ctx.stream.ptr()) == ACL_SUCCESS ? HCCL_SUCCESS : HCCL_E_RUNTIME;
    }
    // Milliseconds from stamp `a` of rank ra to stamp `b` of rank rb (negative: b came first).
    double elapsed(u32 ra, size_t a, u32 rb, size_t b) {
        float forward = 0, backward = 0;
        EXPECT_EQ(aclrtEventElapsedTime(&forward, events_[ra][a], events_[rb][b]), ACL_SUCCESS);
        EXPECT_EQ(aclrtEventElapsedTime(&backward, events_[rb][b], events_[ra][a]), ACL_SUCCESS);
        // One of the two is a wrapped-around difference when it is negative.
        return forward <= backward ? forward : -static_cast<double>(backward);
    }

  private:
    std::vector<std::vector<aclrtEvent>> events_;
};

class PointToPoint : public ::testing::TestWithParam<u32> {
  protected:
    void SetUp() override { ranks_.create(GetParam()); }
    Ranks ranks_;
};

TEST_P(PointToPoint, PairsOfSendAndRecvMoveMessagesLargerThanTheCclBuffer) {
    const u32 n = ranks_.size();
    for (HcclDataType type :
         {HCCL_DATA_TYPE_INT8, HCCL_DATA_TYPE_FP16, HCCL_DATA_TYPE_INT32, HCCL_DATA_TYPE_UINT64}) {
        const u64 count = kMiB / UnitOf(type) + 3;
        const u64 bytes = count * UnitOf(type);
        std::vector<u8 *> buf = ranks_.alloc(bytes);
        for (u32 r = 0; r < n; ++r)
            FillPattern(buf[r], bytes, 10 + type, r);
        // Rank 2k sends to 2k+1; an odd last rank stays out.
        ASSERT_EQ(ranks_.run([&](u32 rank, const OpContext &ctx) {
            if (rank % 2 == 0 && rank + 1 < n) return Send(ctx, buf[rank], count, type, rank + 1);
            if (rank % 2 == 1) return Recv(ctx, buf[rank], count, type, rank - 1);
            return HCCL_SUCCESS;
        }),
                  HCCL_SUCCESS);
        for (u32 r = 1; r < n; r += 2)
            EXPECT_EQ(FirstMismatch(buf[r], bytes, 10 + type, r - 1), -1) << "rank " << r;
        if (n % 2 == 1) {
            EXPECT_EQ(FirstMismatch(buf[n - 1], bytes, 10 + type, n - 1), -1);
        }
    }
}

// Rank 0 sends; every other rank receives from its predecessor and passes it on.
TEST_P(PointToPoint, AChainOfRecvThenSendRelaysAMessage) {
    const u32 n = ranks_.size();
    std::vector<u8 *> buf = ranks_.alloc(kMiB);
    FillPattern(buf[0], kMiB, 20, 0);
    ASSERT_EQ(ranks_.run([&](u32 rank, const OpContext &ctx) {
        if (rank > 0) CHK_RET(Recv(ctx, buf[rank], kMiB, HCCL_DATA_TYPE_INT8, rank - 1));
        if (rank + 1 < n) CHK_RET(Send(ctx, buf[rank], kMiB, HCCL_DATA_TYPE_INT8, rank + 1));
        return HCCL_SUCCESS;
    }),
              HCCL_SUCCESS);
    for (u32 r = 0; r < n; ++r)
        EXPECT_EQ(FirstMismatch(buf[r], kMiB, 20, 0), -1) << "rank " << r;
}

// The receiver starts 150 ms late: the sender's stream passes its Send only after the receiver's
// stream reached its Recv.
TEST_P(PointToPoint, SendCompletesOnlyAfterThePeerHasReceived) {
    std::vector<u8 *> buf = ranks_.alloc(4096);
    Stamps stamps(ranks_.size());
    ASSERT_EQ(ranks_.run([&](u32 rank, const OpContext &ctx) {
        if (rank == 0) {
            CHK_RET(Send(ctx, buf[rank], 4096, HCCL_DATA_TYPE_INT8, 1));
            return stamps.record(rank, ctx);
        }
        if (rank == 1) {
            std::this_thread::sleep_for(std::chrono::milliseconds(150));
            CHK_RET(stamps.record(rank, ctx));
            return Recv(ctx, buf[rank], 4096, HCCL_DATA_TYPE_INT8, 0);
        }
        return HCCL_SUCCESS;
    }),
              HCCL_SUCCESS);
    EXPECT_GE(stamps.elapsed(1, 0, 0, 0), 0.0) << "the send ended before the receive began";
}

// Every rank sends to the next and receives from the previous in one call; even ranks list the
// send first, odd ranks the receive.
TEST_P(PointToPoint, BatchRingOfSendToNextAndRecvFromPrevDoesNotDeadlock) {
    const u32 n = ranks_.size();
    for (HcclDataType type :
         {HCCL_DATA_TYPE_UINT8, HCCL_DATA_TYPE_BFP16, HCCL_DATA_TYPE_FP32, HCCL_DATA_TYPE_INT64}) {
        const u64 count = kMiB / UnitOf(type) + 1;
        const u64 bytes = count * UnitOf(type);
        std::vector<u8 *> send = ranks_.alloc(bytes), recv = ranks_.alloc(bytes);
        for (u32 r = 0; r < n; ++r)
            FillPattern(send[r], bytes, 30 + type, r);
        ASSERT_EQ(ranks_.run([&](u32 rank, const OpContext &ctx) {
            HcclSendRecvItem sendItem{HCCL_SEND, send[rank], count, type, (rank + 1) % n};
            HcclSendRecvItem recvItem{HCCL_RECV, recv[rank], count, type, (rank + n - 1) % n};
            HcclSendRecvItem items[2] = {sendItem, recvItem};
            if (rank % 2 == 1) std::swap(items[0], items[1]);
            return BatchSendRecv(ctx, items, 2);
        }),
                  HCCL_SUCCESS);
        for (u32 r = 0; r < n; ++r)
            EXPECT_EQ(FirstMismatch(recv[r], bytes, 30 + type, (r + n - 1) % n), -1)
                << "rank " << r;
    }
}

// Every rank exchanges with every rank (itself too) in one call, items shuffled, random sizes
// including zero, and two items for one peer that arrive in order.
TEST_P(PointToPoint, BatchWithEveryPeerInAnyItemOrderDeliversEverything) {
    const u32 n = ranks_.size();
    auto bytesOf = [](u32 from, u32 to) { return u64((from * 7 + to * 13) % 5) * 30011; };
    constexpr u64 kSplit = 1000;  // the first item of each direction
    std::vector<u8 *> send = ranks_.alloc(5 * 30011 * n), recv = ranks_.alloc(5 * 30011 * n);
    for (u32 r = 0; r < n; ++r)
        for (u32 j = 0; j < n; ++j)
            FillPattern(send[r] + j * 5 * 30011, bytesOf(r, j), 40 + j, r);
    ASSERT_EQ(ranks_.run([&](u32 rank, const OpContext &ctx) {
        std::vector<HcclSendRecvItem> items;
        for (u32 j = 0; j < n; ++j) {
            u8 *s = send[rank] + j * 5 * 30011;
            u8 *d = recv[rank] + j * 5 * 30011;
            const u64 out = bytesOf(rank, j), in = bytesOf(j, rank);
            if (out > kSplit) {
                items.push_back({HCCL_SEND, s, kSplit, HCCL_DATA_TYPE_INT8, j});
                items.push_back({HCCL_SEND, s + kSplit, out - kSplit, HCCL_DATA_TYPE_INT8, j});
            } else {
                items.push_back({HCCL_SEND, s, out, HCCL_DATA_TYPE_INT8, j});
            }
            items.push_back({HCCL_RECV, d, in, HCCL_DATA_TYPE_INT8, j});
        }
        // Shuffle, then put the two send items of each split direction back in order.
        std::mt19937 rng(rank + 1);
        std::shuffle(items.begin(), items.end(), rng);
        for (u32 j = 0; j < n; ++j) {
            std::vector<size_t> at;
            for (size_t k = 0; k < items.size(); ++k)
                if (items[k].sendRecvType == HCCL_SEND && items[k].remoteRank == j) at.push_back(k);
            if (at.size() == 2 && items[at[0]].count != kSplit)
                std::swap(items[at[0]], items[at[1]]);
        }
        return BatchSendRecv(ctx, items.data(), static_cast<u32>(items.size()));
    }),
              HCCL_SUCCESS);
    for (u32 r = 0; r < n; ++r)
        for (u32 i = 0; i < n; ++i)
            EXPECT_EQ(FirstMismatch(recv[r] + i * 5 * 30011, bytesOf(i, r), 40 + r, i), -1)
                << "rank " << r << " from " << i;
}

// A batch is matched by plain Send and Recv calls of its peers.
TEST_P(PointToPoint, BatchItemsPairWithPlainSendAndRecv) {
    const u32 n = ranks_.size();
    if (n < 3) GTEST_SKIP() << "needs three ranks";
    std::vector<u8 *> a = ranks_.alloc(kMiB), b = ranks_.alloc(kMiB);
    FillPattern(a[0], kMiB, 50, 0);
    FillPattern(a[2], kMiB, 51, 2);
    ASSERT_EQ(ranks_.run([&](u32 rank, const OpContext &ctx) {
        if (rank == 0) {
            HcclSendRecvItem items[2] = {{HCCL_RECV, b[0], kMiB, HCCL_DATA_TYPE_INT8, 2},
                                         {HCCL_SEND, a[0], kMiB, HCCL_DATA_TYPE_INT8, 1}};
            return BatchSendRecv(ctx, items, 2);
        }
        if (rank == 1) return Recv(ctx, b[1], kMiB, HCCL_DATA_TYPE_INT8, 0);
        if (rank == 2) return Send(ctx, a[2], kMiB, HCCL_DATA_TYPE_INT8, 0);
        return HCCL_SUCCESS;
    }),
              HCCL_SUCCESS);
    EXPECT_EQ(FirstMismatch(b[0], kMiB, 51, 2), -1);
    EXPECT_EQ(FirstMismatch(b[1], kMiB, 50, 0), -1);
}

TEST_P(PointToPoint, BadArgumentsAreRejected) {
    const u32 n = ranks_.size();
    std::vector<u8 *> buf = ranks_.alloc(64);
    ASSERT_EQ(ranks_.run([&](u32 rank, const OpContext &ctx) {
        EXPECT_EQ(Send(ctx, buf[rank], 4, HCCL_DATA_TYPE_INT8, rank), HCCL_E_PARA);
        EXPECT_EQ(Recv(ctx, buf[rank], 4, HCCL_DATA_TYPE_INT8, n), HCCL_E_PARA);
        EXPECT_EQ(Send(ctx, nullptr, 4, HCCL_DATA_TYPE_INT8, (rank + 1) % n),
                  n > 1 ? HCCL_E_PTR : HCCL_E_PARA);
        EXPECT_EQ(Recv(ctx, buf[rank], 4, HCCL_DATA_TYPE_RESERVED, (rank + 1) % n), HCCL_E_PARA);
        HcclSendRecvItem bad{HCCL_SEND, buf[rank], 4, HCCL_DATA_TYPE_INT8, n};
        EXPECT_EQ(BatchSendRecv(ctx, &bad, 1), HCCL_E_PARA);
        bad = {HCCL_SEND_RECV_RESERVED, buf[rank], 4, HCCL_DATA_TYPE_INT8, 0};
        EXPECT_EQ(BatchSendRecv(ctx, &bad, 1), HCCL_E_PARA);
        bad = {HCCL_RECV, nullptr, 4, HCCL_DATA_TYPE_INT8, 0};
        EXPECT_EQ(BatchSendRecv(ctx, &bad, 1), HCCL_E_PTR);
        EXPECT_EQ(BatchSendRecv(ctx, nullptr, 1), HCCL_E_PTR);
        EXPECT_EQ(BatchSendRecv(ctx, nullptr, 0), HCCL_SUCCESS);
        return HCCL_SUCCESS;
    }),
              HCCL_SUCCESS);
}

// The late rank reaches the barrier 150 ms after the others: every other rank's stream passes
// the barrier only after the late one reached it.
TEST_P(PointToPoint, BarrierHoldsEveryRankUntilTheLastArrives) {
    const u32 n = ranks_.size();
    for (u32 late : {0u, n - 1}) {
        Stamps stamps(n);
        ASSERT_EQ(ranks_.run([&](u32 rank, const OpContext &ctx) {
            if (rank == late) std::this_thread::sleep_for(std::chrono::milliseconds(150));
            CHK_RET(stamps.record(rank, ctx));  // stamp 0: arrival
            CHK_RET(Barrier(ctx));
            return stamps.record(rank, ctx);  // stamp 1: departure
        }),
                  HCCL_SUCCESS);
        for (u32 r = 0; r < n; ++r)
            EXPECT_GE(stamps.elapsed(late, 0, r, 1), 0.0)
                << "rank " << r << " left before rank " << late << " arrived";
    }
}

TEST_P(PointToPoint, BarriersBackToBackComplete) {
    ASSERT_EQ(ranks_.run([&](u32, const OpContext &ctx) {
        for (int i = 0; i < 20; ++i)
            CHK_RET(Barrier(ctx));
        return HCCL_SUCCESS;
    }),
              HCCL_SUCCESS);
}

INSTANTIATE_TEST_SUITE_P(RankSizes, PointToPoint, ::testing::Values(2u, 3u, 4u, 8u),
                         [](const ::testing::TestParamInfo<u32> &info) {
                             return std::to_string(info.param) + "Ranks";
                         });

// One rank: the batch's items to and from itself are a local copy; a barrier returns.
TEST(PointToPointOneRank, BatchToItselfCopiesAndBarrierReturns) {
    Ranks ranks;
    ranks.create(1);
    std::vector<u8 *> a = ranks.alloc(kMiB), b = ranks.alloc(kMiB);
    FillPattern(a[0], kMiB, 60, 0);
    ASSERT_EQ(ranks.run([&](u32, const OpContext &ctx) {
        HcclSendRecvItem items[3] = {{HCCL_RECV, b[0], kMiB, HCCL_DATA_TYPE_INT8, 0},
                                     {HCCL_SEND, a[0], 100, HCCL_DATA_TYPE_INT8, 0},
                                     {HCCL_SEND, a[0] + 100, kMiB - 100, HCCL_DATA_TYPE_INT8, 0}};
        CHK_RET(BatchSendRecv(ctx, items, 3));
        return Barrier(ctx);
    }),
              HCCL_SUCCESS);
    EXPECT_EQ(FirstMismatch(b[0], kMiB, 60, 0), -1);
}

}  // namespace
}  // namespace hcclcpu::algorithm::test
