// P2P links between thread ranks running the handshakes of spec platform_api.md §5.3 with real
// data: the ring step (all-gather), the direct-read mesh (all-gather and one-shot all-reduce),
// send/receive in read and write mode, user notifies, DataReceivedAck, the inverted
// TxDone/RxDone, the reports of every link, and a wait nobody records.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include <fmt/format.h>

#include "common/clock.h"
#include "transport_test_util.h"

namespace hcclcpu::platform::test {
namespace {

using hccl::LINK;
using hccl::TaskPara;
using hccl::TaskType;
using hccl::UserMemType;

u8 pattern(u32 rank, u64 i) {
    return static_cast<u8>(rank * 37 + i * 11 + 1);
}

void fill(void *dst, u64 bytes, u32 rank) {
    auto *p = static_cast<u8 *>(dst);
    for (u64 i = 0; i < bytes; ++i)
        p[i] = pattern(rank, i);
}

// The first byte where [p, p + bytes) differs from rank's pattern, or -1.
s64 firstMismatch(const void *p, u64 bytes, u32 rank) {
    const auto *b = static_cast<const u8 *>(p);
    for (u64 i = 0; i < bytes; ++i)
        if (b[i] != pattern(rank, i)) return static_cast<s64>(i);
    return -1;
}

u64 offsetOf(const TaskPara &report) {
    return report.notify.notifyID & 0xFFFFFFFFULL;
}
u32 rankOf(const TaskPara &report) {
    return static_cast<u32>(report.notify.notifyID >> 32);
}

// ExecuteBarrier(pre, aft) of alg_template_base.cc.
HcclResult executeBarrier(const LINK &pre, const LINK &aft, hccl::Stream &stream) {
    CHK_RET(pre->TxAck(stream));
    CHK_RET(aft->RxAck(stream));
    CHK_RET(aft->TxDataSignal(stream));
    return pre->RxDataSignal(stream);
}

// ---- ring all-gather ---------------------------------------------------------------------------

struct RingCase {
    u32 ranks;
    u32 linkAttribute;
};

std::string ringCaseName(const ::testing::TestParamInfo<RingCase> &info) {
    return std::to_string(info.param.ranks) + "Ranks" +
           ((info.param.linkAttribute & kLinkAttributeRead) ? "ReadMode" : "WriteMode");
}

class RingAllGather : public ::testing::TestWithParam<RingCase> {
  protected:
    static constexpr u64 kSlice = 4096 + 12;  // not a multiple of any vector width
    LinkSetFixture set_;
};

// The ring step of §5.3, as all_gather_ring issues it: TxAck left, RxAck right, TxAsync right,
// RxAsync left, then the final ExecuteBarrier. Slice r starts in rank r's OUTPUT at r * slice.
TEST_P(RingAllGather, EveryRankEndsWithEverySlice) {
    const u32 n = GetParam().ranks;
    LinkSetOptions options;
    options.linkAttribute = GetParam().linkAttribute;
    set_.create(n, n * kSlice, options);
    LinkSet &links = set_.links();
    for (u32 r = 0; r < n; ++r)
        fill(LinkSetFixture::as<u8>(links.Output(r), r * kSlice), kSlice, r);

    HcclResult ret = links.RunRanks([&](u32 rank, hccl::Stream &stream) {
        std::vector<LINK> mine = links.Links(rank);
        const LINK &left = mine[(rank + n - 1) % n];
        const LINK &right = mine[(rank + 1) % n];
        u8 *out = LinkSetFixture::as<u8>(links.Output(rank));
        for (u32 step = 0; step + 1 < n; ++step) {
            const u64 txSlice = (rank + n - step) % n;
            const u64 rxSlice = (rank + 2 * n - step - 1) % n;
            CHK_RET(left->TxAck(stream));
            CHK_RET(right->RxAck(stream));
            std::vector<hccl::TxMemoryInfo> tx{
                {UserMemType::OUTPUT_MEM, txSlice * kSlice, out + txSlice * kSlice, kSlice}};
            CHK_RET(right->TxAsync(tx, stream));
            std::vector<hccl::RxMemoryInfo> rx{
                {UserMemType::OUTPUT_MEM, rxSlice * kSlice, out + rxSlice * kSlice, kSlice}};
            CHK_RET(left->RxAsync(rx, stream));
            CHK_RET(left->RxWaitDone(stream));
            CHK_RET(right->TxWaitDone(stream));
        }
        return executeBarrier(left, right, stream);
    });
    ASSERT_EQ(ret, HCCL_SUCCESS);
    for (u32 r = 0; r < n; ++r)
        for (u32 slice = 0; slice < n; ++slice)
            EXPECT_EQ(firstMismatch(LinkSetFixture::as<u8>(links.Output(r), slice * kSlice), kSlice,
                                    slice),
                      -1)
                << "rank " << r << " slice " << slice;
}

INSTANTIATE_TEST_SUITE_P(
    Ranks, RingAllGather,
    ::testing::Values(RingCase{2, kLinkAttributeDefault}, RingCase{4, kLinkAttributeDefault},
                      RingCase{8, kLinkAttributeDefault}, RingCase{2, kLinkAttributeWrite},
                      RingCase{4, kLinkAttributeWrite}, RingCase{8, kLinkAttributeWrite}),
    ringCaseName);

// ---- direct-read mesh --------------------------------------------------------------------------

class DirectReadMesh : public ::testing::TestWithParam<u32> {
  protected:
    LinkSetFixture set_;
};

// Ack pair with every peer, GetRemoteMem, reads of every peer's INPUT, DataSignal pair.
TEST_P(DirectReadMesh, AllGatherByD2DCopiesFromPeers) {
    const u32 n = GetParam();
    constexpr u64 kSlice = 3000;
    set_.create(n, n * kSlice);
    LinkSet &links = set_.links();
    for (u32 r = 0; r < n; ++r)
        fill(links.Input(r).ptr(), kSlice, r);

    HcclResult ret = links.RunRanks([&](u32 rank, hccl::Stream &stream) {
        HcclDispatcher dispatcher = links.Dispatcher(rank);
        std::vector<LINK> mine = links.Links(rank);
        hccl::DeviceMem out = links.Output(rank);
        hccl::DeviceMem own = out.range(rank * kSlice, kSlice);
        CHK_RET(HcclD2DMemcpyAsync(dispatcher, own, links.Input(rank).range(0, kSlice), stream));
        for (u32 peer = 0; peer < n; ++peer) {
            if (peer == rank) continue;
            CHK_RET(mine[peer]->TxAck(stream));
            CHK_RET(mine[peer]->RxAck(stream));
        }
        for (u32 peer = 0; peer < n; ++peer) {
            if (peer == rank) continue;
            void *remote = nullptr;
            CHK_RET(mine[peer]->GetRemoteMem(UserMemType::INPUT_MEM, &remote));
            hccl::DeviceMem dst = out.range(peer * kSlice, kSlice);
            hccl::DeviceMem src = hccl::DeviceMem::create(remote, kSlice);
            CHK_RET(
                HcclD2DMemcpyAsync(dispatcher, dst, src, stream, peer, mine[peer]->GetLinkType()));
        }
        for (u32 peer = 0; peer < n; ++peer) {
            if (peer == rank) continue;
            CHK_RET(mine[peer]->TxDataSignal(stream));
            CHK_RET(mine[peer]->RxDataSignal(stream));
        }
        return HCCL_SUCCESS;
    });
    ASSERT_EQ(ret, HCCL_SUCCESS);
    for (u32 r = 0; r < n; ++r)
        for (u32 slice = 0; slice < n; ++slice)
            EXPECT_EQ(firstMismatch(LinkSetFixture::as<u8>(links.Output(r), slice * kSlice), kSlice,
                                    slice),
                      -1)
                << "rank " << r << " slice " << slice;
}

// all_reduce_mesh_oneshot: copy INPUT to OUTPUT, then inline-reduce every peer's INPUT, read
// through the link, into the local OUTPUT.
TEST_P(DirectReadMesh, OneShotAllReduceSumByInlineReduceFromPeers) {
    const u32 n = GetParam();
    constexpr u64 kCount = 1000 + 3;
    set_.create(n, kCount * sizeof(float));
    LinkSet &links = set_.links();
    for (u32 r = 0; r < n; ++r)
        for (u64 i = 0; i < kCount; ++i)
            LinkSetFixture::as<float>(links.Input(r))[i] = static_cast<float>(r * 1000 + i);

    HcclResult ret = links.RunRanks([&](u32 rank, hccl::Stream &stream) {
        HcclDispatcher dispatcher = links.Dispatcher(rank);
        std::vector<LINK> mine = links.Links(rank);
        hccl::DeviceMem out = links.Output(rank);
        CHK_RET(HcclD2DMemcpyAsync(dispatcher, out, links.Input(rank), stream));
        for (u32 peer = 0; peer < n; ++peer) {
            if (peer == rank) continue;
            CHK_RET(mine[peer]->TxAck(stream));
            CHK_RET(mine[peer]->RxAck(stream));
        }
        for (u32 peer = 0; peer < n; ++peer) {
            if (peer == rank) continue;
            void *remote = nullptr;
            CHK_RET(mine[peer]->GetRemoteMem(UserMemType::INPUT_MEM, &remote));
            CHK_RET(HcclReduceAsync(dispatcher, remote, kCount, HCCL_DATA_TYPE_FP32,
                                    HCCL_REDUCE_SUM, stream, out.ptr(), peer,
                                    mine[peer]->GetLinkType(), INLINE_REDUCE_BIT));
        }
        for (u32 peer = 0; peer < n; ++peer) {
            if (peer == rank) continue;
            CHK_RET(mine[peer]->TxDataSignal(stream));
            CHK_RET(mine[peer]->RxDataSignal(stream));
        }
        return HCCL_SUCCESS;
    });
    ASSERT_EQ(ret, HCCL_SUCCESS);
    for (u32 r = 0; r < n; ++r) {
        const float *out = LinkSetFixture::as<float>(links.Output(r));
        u64 wrong = 0;
        for (u64 i = 0; i < kCount; ++i) {
            const float expected = static_cast<float>(1000 * n * (n - 1) / 2 + n * i);
            if (out[i] != expected && wrong++ == 0)
                ADD_FAILURE() << "rank " << r << " element " << i << ": " << out[i]
                              << " != " << expected;
        }
        EXPECT_EQ(wrong, 0u) << "rank " << r;
    }
}

INSTANTIATE_TEST_SUITE_P(Ranks, DirectReadMesh, ::testing::Values(2u, 4u, 8u),
                         [](const ::testing::TestParamInfo<u32> &info) {
                             return std::to_string(info.param) + "Ranks";
                         });

// ---- send / receive ----------------------------------------------------------------------------

class SendReceive : public ::testing::Test {
  protected:
    static constexpr u64 kBytes = 1 << 16;
    static constexpr u64 kOffset = 512;
    LinkSetFixture set_;
};

// send_receive.cc in read mode: the sender's data must already sit in its own OUTPUT at the
// offset; TxAsync ignores src and the receiver pulls.
TEST_F(SendReceive, ReadModeReceiverPullsFromSendersBufferAndTxAsyncIgnoresSrc) {
    set_.create(2, kOffset + kBytes);
    LinkSet &links = set_.links();
    fill(LinkSetFixture::as<u8>(links.Output(0), kOffset), kBytes, 0);
    fill(links.Input(0).ptr(), kBytes, 5);  // what TxAsync's src points to: never sent
    u8 *received = LinkSetFixture::as<u8>(links.Input(1));

    ASSERT_EQ(links.RunRanks([&](u32 rank, hccl::Stream &stream) {
        LINK link = links.Links(rank)[1 - rank];
        CHK_RET(link->TxAck(stream));
        CHK_RET(link->RxAck(stream));
        if (rank == 0) {
            CHK_RET(link->TxAsync(UserMemType::OUTPUT_MEM, kOffset, links.Input(0).ptr(), kBytes,
                                  stream));
            return link->RxAsync(UserMemType::OUTPUT_MEM, 0, nullptr, 0, stream);
        }
        CHK_RET(link->RxAsync(UserMemType::OUTPUT_MEM, kOffset, received, kBytes, stream));
        return link->TxAsync(UserMemType::OUTPUT_MEM, 0, nullptr, 0, stream);
    }),
              HCCL_SUCCESS);
    EXPECT_EQ(firstMismatch(received, kBytes, 0), -1);
    // The only copy is the receiver's, from the sender's OUTPUT + offset, reported on its link.
    for (const TaskPara &report : set_.reports(0))
        EXPECT_NE(report.type, TaskType::TASK_SDMA);
    u64 copies = 0;
    for (const TaskPara &report : set_.reports(1)) {
        if (report.type != TaskType::TASK_SDMA) continue;
        ++copies;
        EXPECT_EQ(report.dma.src, LinkSetFixture::as<u8>(links.Output(0), kOffset));
        EXPECT_EQ(report.dma.dst, received);
        EXPECT_EQ(report.dma.size, kBytes);
        EXPECT_EQ(report.dma.remoteUserRank, 0u);
        EXPECT_EQ(report.dma.linkType, links.Links(1)[0]->GetLinkType());
    }
    EXPECT_EQ(copies, 1u);
}

// Write mode (linkAttribute bit 1 clear): the receiver acks first and waits in RxAsync; the
// sender waits for the ack, writes into the receiver's buffer + offset and records its data
// notify. RxAsync copies nothing.
TEST_F(SendReceive, WriteModeSenderWritesIntoReceiversBufferAndRxAsyncOnlyWaits) {
    LinkSetOptions options;
    options.linkAttribute = kLinkAttributeWrite;
    set_.create(2, kOffset + kBytes, options);
    LinkSet &links = set_.links();
    fill(links.Input(0).ptr(), kBytes, 3);
    u8 *notTouched = LinkSetFixture::as<u8>(links.Input(1));

    ASSERT_EQ(links.RunRanks([&](u32 rank, hccl::Stream &stream) {
        LINK link = links.Links(rank)[1 - rank];
        if (rank == 0) {
            CHK_RET(link->RxAck(stream));
            return link->TxAsync(UserMemType::OUTPUT_MEM, kOffset, links.Input(0).ptr(), kBytes,
                                 stream);
        }
        CHK_RET(link->TxAck(stream));
        return link->RxAsync(UserMemType::OUTPUT_MEM, kOffset, notTouched, kBytes, stream);
    }),
              HCCL_SUCCESS);
    EXPECT_EQ(firstMismatch(LinkSetFixture::as<u8>(links.Output(1), kOffset), kBytes, 3), -1);
    for (u64 i = 0; i < kBytes; ++i)
        ASSERT_EQ(notTouched[i], 0) << "byte " << i;
    for (const TaskPara &report : set_.reports(1))
        EXPECT_NE(report.type, TaskType::TASK_SDMA);
    auto sender = set_.reports(0);
    ASSERT_EQ(sender.size(), 3u);  // wait ack, copy, record data
    EXPECT_EQ(sender[0].type, TaskType::TASK_NOTIFY_WAIT);
    EXPECT_EQ(sender[1].type, TaskType::TASK_SDMA);
    EXPECT_EQ(sender[1].dma.dst, LinkSetFixture::as<u8>(links.Output(1), kOffset));
    EXPECT_EQ(sender[1].dma.remoteUserRank, 1u);
    EXPECT_EQ(sender[2].type, TaskType::TASK_NOTIFY_RECORD);
    EXPECT_EQ(rankOf(sender[2]), 1u);
}

// The batch send/receive executor: TxPrepare/TxData/TxDone against RxPrepare/RxData/RxDone. The
// names of Done are inverted: the sender's TxDone waits, the receiver's RxDone records.
TEST_F(SendReceive, BatchHalvesWithInvertedTxDoneAndRxDone) {
    set_.create(2, kOffset + kBytes);
    LinkSet &links = set_.links();
    fill(LinkSetFixture::as<u8>(links.Input(0), kOffset), kBytes, 6);
    u8 *received = LinkSetFixture::as<u8>(links.Output(1));

    ASSERT_EQ(links.RunRanks([&](u32 rank, hccl::Stream &stream) {
        LINK link = links.Links(rank)[1 - rank];
        if (rank == 0) {
            CHK_RET(link->TxPrepare(stream));
            CHK_RET(link->TxData(UserMemType::INPUT_MEM, kOffset, links.Input(0).ptr(), kBytes,
                                 stream));
            return link->TxDone(stream);
        }
        CHK_RET(link->RxPrepare(stream));
        CHK_RET(link->RxData(UserMemType::INPUT_MEM, kOffset, received, kBytes, stream));
        return link->RxDone(stream);
    }),
              HCCL_SUCCESS);
    EXPECT_EQ(firstMismatch(received, kBytes, 6), -1);
    auto sender = set_.reports(0);
    ASSERT_EQ(sender.size(), 2u);
    EXPECT_EQ(sender[0].type, TaskType::TASK_NOTIFY_RECORD);  // TxPrepare = TxAck
    EXPECT_EQ(sender[1].type, TaskType::TASK_NOTIFY_WAIT);    // TxDone = RxDataSignal
    EXPECT_EQ(rankOf(sender[1]), 0u);
    auto receiver = set_.reports(1);
    ASSERT_EQ(receiver.size(), 3u);
    EXPECT_EQ(receiver[0].type, TaskType::TASK_NOTIFY_WAIT);    // RxPrepare = RxAck
    EXPECT_EQ(receiver[1].type, TaskType::TASK_SDMA);           // RxData
    EXPECT_EQ(receiver[2].type, TaskType::TASK_NOTIFY_RECORD);  // RxDone = TxDataSignal
    EXPECT_EQ(rankOf(receiver[2]), 0u);
    // The sender's TxDone waited on exactly the notify the receiver's RxDone recorded; its
    // TxPrepare recorded the notify the receiver's RxPrepare waited on.
    EXPECT_EQ(offsetOf(sender[1]), offsetOf(receiver[2]));
    EXPECT_EQ(offsetOf(sender[0]), offsetOf(receiver[0]));
}

// ---- DataReceivedAck and user notifies ---------------------------------------------------------

TEST(DataReceivedAck, IsTheFourStepTwoWayBarrier) {
    LinkSetFixture set;
    set.create(2, 4096);
    LinkSet &links = set.links();
    ASSERT_EQ(links.RunRanks([&](u32 rank, hccl::Stream &stream) {
        return links.Links(rank)[1 - rank]->DataReceivedAck(stream);
    }),
              HCCL_SUCCESS);
    for (u32 rank = 0; rank < 2; ++rank) {
        const u32 peer = 1 - rank;
        auto mine = set.reports(rank);
        auto theirs = set.reports(peer);
        ASSERT_EQ(mine.size(), 4u);
        ASSERT_EQ(theirs.size(), 4u);
        const TaskType expected[] = {TaskType::TASK_NOTIFY_RECORD, TaskType::TASK_NOTIFY_WAIT,
                                     TaskType::TASK_NOTIFY_RECORD, TaskType::TASK_NOTIFY_WAIT};
        for (int i = 0; i < 4; ++i)
            EXPECT_EQ(mine[i].type, expected[i]) << "rank " << rank << " task " << i;
        // Records carry the peer's rank, waits the own rank and the peer separately.
        EXPECT_EQ(rankOf(mine[0]), peer);
        EXPECT_EQ(rankOf(mine[1]), rank);
        EXPECT_EQ(mine[1].notify.remoteUserRank, peer);
        // TxAck records the notify the peer's RxAck waits on, TxDataSignal the one its
        // RxDataSignal waits on; the two are different notifies.
        EXPECT_EQ(offsetOf(mine[0]), offsetOf(theirs[1]));
        EXPECT_EQ(offsetOf(mine[2]), offsetOf(theirs[3]));
        EXPECT_NE(offsetOf(mine[1]), offsetOf(mine[3]));
    }
}

// ExecuteBarrier(pre, aft, idx) style: a user notify orders a peer's read after this rank's
// write, and another one answers.
TEST(UserNotify, PostAndWaitOrderAPeerReadAfterAWrite) {
    LinkSetFixture set;
    constexpr u64 kBytes = 1 << 15;
    set.create(2, kBytes);
    LinkSet &links = set.links();
    fill(links.Input(0).ptr(), kBytes, 9);

    ASSERT_EQ(links.RunRanks([&](u32 rank, hccl::Stream &stream) {
        HcclDispatcher dispatcher = links.Dispatcher(rank);
        LINK link = links.Links(rank)[1 - rank];
        if (rank == 0) {
            hccl::DeviceMem out = links.Output(0);
            CHK_RET(HcclD2DMemcpyAsync(dispatcher, out, links.Input(0), stream));
            CHK_RET(link->Post(2, stream));
            return link->Wait(0, stream);
        }
        CHK_RET(link->Wait(2, stream));
        void *remote = nullptr;
        CHK_RET(link->GetRemoteMem(UserMemType::OUTPUT_MEM, &remote));
        hccl::DeviceMem dst = links.Output(1);
        CHK_RET(HcclD2DMemcpyAsync(dispatcher, dst, hccl::DeviceMem::create(remote, kBytes), stream,
                                   0, link->GetLinkType()));
        return link->Post(0, stream);
    }),
              HCCL_SUCCESS);
    EXPECT_EQ(firstMismatch(links.Output(1).ptr(), kBytes, 9), -1);
    auto writer = set.reports(0);
    auto reader = set.reports(1);
    ASSERT_EQ(writer.size(), 3u);  // copy, record user 2 of rank 1, wait user 0
    ASSERT_EQ(reader.size(), 3u);  // wait user 2, copy, record user 0 of rank 0
    EXPECT_EQ(writer[1].type, TaskType::TASK_NOTIFY_RECORD);
    EXPECT_EQ(rankOf(writer[1]), 1u);
    EXPECT_EQ(reader[0].type, TaskType::TASK_NOTIFY_WAIT);
    EXPECT_EQ(rankOf(reader[0]), 1u);
    EXPECT_EQ(reader[0].notify.remoteUserRank, 0u);
    EXPECT_EQ(offsetOf(writer[1]), offsetOf(reader[0]));
    EXPECT_EQ(offsetOf(reader[2]), offsetOf(writer[2]));
}

// ---- the reports of a link ---------------------------------------------------------------------

// Every task a link issues names the peer, and its copies carry the link's type. 8 ranks in a
// ring use SIO (0-1), HCCS (1-2) and PCIE (3-4) links.
TEST(LinkReports, EveryReportOfALinkCarriesItsLinkTypeAndRemoteRank) {
    constexpr u32 n = 8;
    constexpr u64 kSlice = 256;
    LinkSetFixture set;
    set.create(n, n * kSlice);
    LinkSet &links = set.links();
    ASSERT_EQ(links.RunRanks([&](u32 rank, hccl::Stream &stream) {
        std::vector<LINK> mine = links.Links(rank);
        const LINK &left = mine[(rank + n - 1) % n];
        const LINK &right = mine[(rank + 1) % n];
        u8 *out = LinkSetFixture::as<u8>(links.Output(rank));
        for (u32 step = 0; step + 1 < n; ++step) {
            const u64 tx = (rank + n - step) % n, rx = (rank + 2 * n - step - 1) % n;
            CHK_RET(left->TxAck(stream));
            CHK_RET(right->RxAck(stream));
            CHK_RET(right->TxAsync(UserMemType::OUTPUT_MEM, tx * kSlice, out + tx * kSlice, kSlice,
                                   stream));
            CHK_RET(left->RxAsync(UserMemType::OUTPUT_MEM, rx * kSlice, out + rx * kSlice, kSlice,
                                  stream));
        }
        return executeBarrier(left, right, stream);
    }),
              HCCL_SUCCESS);
    std::vector<bool> seen(256, false);
    for (u32 rank = 0; rank < n; ++rank) {
        std::vector<LINK> mine = links.Links(rank);
        const u32 left = (rank + n - 1) % n, right = (rank + 1) % n;
        u32 copies = 0, records = 0, waits = 0;
        for (const TaskPara &report : set.reports(rank)) {
            switch (report.type) {
                case TaskType::TASK_SDMA:
                    ++copies;
                    ASSERT_EQ(report.dma.remoteUserRank, left) << "rank " << rank;
                    EXPECT_EQ(report.dma.linkType, mine[left]->GetLinkType());
                    EXPECT_EQ(report.dma.linkType, LinkSet::TopologyLinkType(rank, left));
                    seen[static_cast<int>(report.dma.linkType)] = true;
                    break;
                case TaskType::TASK_NOTIFY_RECORD:
                    ++records;
                    EXPECT_TRUE(rankOf(report) == left || rankOf(report) == right);
                    EXPECT_EQ(report.notify.remoteUserRank, rankOf(report));
                    break;
                case TaskType::TASK_NOTIFY_WAIT:
                    ++waits;
                    EXPECT_EQ(rankOf(report), rank);
                    EXPECT_TRUE(report.notify.remoteUserRank == left ||
                                report.notify.remoteUserRank == right);
                    break;
                default:
                    ADD_FAILURE() << "unexpected task type " << static_cast<int>(report.type);
            }
        }
        EXPECT_EQ(copies, n - 1) << "rank " << rank;
        EXPECT_EQ(records, 2 * (n - 1) + 2) << "rank " << rank;
        EXPECT_EQ(waits, 2 * (n - 1) + 2) << "rank " << rank;
    }
    EXPECT_TRUE(seen[static_cast<int>(hccl::LinkType::LINK_SIO)]);
    EXPECT_TRUE(seen[static_cast<int>(hccl::LinkType::LINK_HCCS)]);
    EXPECT_TRUE(seen[static_cast<int>(hccl::LinkType::LINK_PCIE)]);
}

// ---- a wait nobody records ---------------------------------------------------------------------

// HCCL_EXEC_TIMEOUT (read when the dispatchers are created) bounds every link wait: the rank
// fails after that long, the failure names the rank, its stream and the notify, and no rank
// hangs.
TEST(LinkWait, WaitNoOneRecordsFailsAtExecTimeoutNamingRankStreamAndNotify) {
    LinkSetFixture set;
    {
        ScopedEnv timeout("HCCL_EXEC_TIMEOUT", "1");
        set.create(2, 4096);
    }
    LinkSet &links = set.links();
    s32 streamId = -1;
    const s64 start = nowNs();
    testing::internal::CaptureStderr();
    HcclResult ret = links.RunRanks([&](u32 rank, hccl::Stream &stream) {
        if (rank == 1) return HCCL_SUCCESS;  // never acknowledges
        streamId = stream.id();
        return links.Links(0)[1]->RxAck(stream);
    });
    const std::string log = testing::internal::GetCapturedStderr();
    const double seconds = static_cast<double>(nowNs() - start) / 1e9;
    EXPECT_EQ(ret, HCCL_E_TIMEOUT);
    EXPECT_GE(seconds, 0.9);
    EXPECT_LT(seconds, 30.0);
    auto reports = set.reports(0);
    ASSERT_EQ(reports.size(), 1u);
    EXPECT_EQ(reports[0].type, TaskType::TASK_NOTIFY_WAIT);
    EXPECT_EQ(rankOf(reports[0]), 0u);
    EXPECT_EQ(reports[0].notify.remoteUserRank, 1u);
    EXPECT_NE(reports[0].stream, nullptr);
    EXPECT_NE(log.find(fmt::format("rank 0 (device 0): stream {} failed", streamId)),
              std::string::npos)
        << log;
    EXPECT_NE(log.find(fmt::format("offset 0x{:x}", offsetOf(reports[0]))), std::string::npos)
        << log;
}

}  // namespace
}  // namespace hcclcpu::platform::test
