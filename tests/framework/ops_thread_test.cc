// Operations end to end, ranks as threads of this process (HcclCommInitAll), CCL buffers of
// 1 MB (HCCL_BUFFSIZE=1).
#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "framework_test_util.h"
#include "ops_test_util.h"

namespace hcclcpu::framework::test {
namespace {

constexpr uint64_t kCount = 1000;

class EveryOp : public ::testing::TestWithParam<std::tuple<uint32_t, size_t>> {};

TEST_P(EveryOp, GivesTheDocumentedResult) {
    const auto [n, index] = GetParam();
    NamedCheck op = allOpChecks()[index];
    ThreadWorld world(n);
    world.run([&](uint32_t rank, HcclComm comm, aclrtStream stream) {
        op.check(rank, n, comm, stream, kCount);
    });
}

INSTANTIATE_TEST_SUITE_P(Ranks, EveryOp,
                         ::testing::Combine(::testing::Values(2u, 4u),
                                            ::testing::Range(size_t{0}, allOpChecks().size())),
                         [](const ::testing::TestParamInfo<EveryOp::ParamType> &info) {
                             return std::string(allOpChecks()[std::get<1>(info.param)].name) + "_" +
                                    std::to_string(std::get<0>(info.param)) + "ranks";
                         });

TEST(Ops, AllOperationsInARowOnOneStream) {
    ThreadWorld world(4);
    world.run([&](uint32_t rank, HcclComm comm, aclrtStream stream) {
        for (const NamedCheck &op : allOpChecks())
            op.check(rank, 4, comm, stream, 257);
    });
}

// 3 MB messages through 1 MB CCL buffers: executors work in pieces.
TEST(Ops, MessagesLargerThanTheCclBuffersArePiped) {
    const uint64_t count = 3 * 1024 * 1024 / sizeof(int32_t);
    ThreadWorld world(2);
    world.run([&](uint32_t rank, HcclComm comm, aclrtStream stream) {
        checkAllReduce(rank, 2, comm, stream, count);
        checkBroadcast(rank, 2, comm, stream, count);
        checkAllGather(rank, 2, comm, stream, count);
        checkReduceScatter(rank, 2, comm, stream, count);
        checkAlltoAll(rank, 2, comm, stream, count);
        checkSendRecv(rank, 2, comm, stream, count);
    });
}

// HCCL_CPU_DIRECT=0: every operation runs with templates (the path of a communicator whose ranks
// cannot map each other's memory), including messages larger than the CCL buffers.
TEST(Templates, WithoutDirectAccessEveryOperationAndPipedMessagesStayCorrect) {
    setenv("HCCL_CPU_DIRECT", "0", 1);
    ThreadWorld world(4);
    unsetenv("HCCL_CPU_DIRECT");
    const uint64_t large = 3 * 1024 * 1024 / sizeof(int32_t);
    world.run([&](uint32_t rank, HcclComm comm, aclrtStream stream) {
        for (const NamedCheck &op : allOpChecks())
            op.check(rank, 4, comm, stream, kCount);
        checkAllReduce(rank, 4, comm, stream, large);
        checkBroadcast(rank, 4, comm, stream, large);
        checkAllGather(rank, 4, comm, stream, large);
    });
}

TEST(Direct, EdgeSizesInPlaceCallsAndFreshBuffersGiveTheDocumentedResult) {
    for (uint32_t n : {2u, 3u, 4u}) {
        SCOPED_TRACE(std::to_string(n) + " ranks");
        ThreadWorld world(n);
        world.run([&](uint32_t rank, HcclComm comm, aclrtStream stream) {
            checkDirectEdges(rank, n, comm, stream);
        });
    }
}

TEST(Direct, PipelinedSmallOperationsSeeWhatTheStreamDidBeforeThem) {
    for (uint32_t n : {2u, 4u}) {
        SCOPED_TRACE(std::to_string(n) + " ranks");
        ThreadWorld world(n);
        world.run([&](uint32_t rank, HcclComm comm, aclrtStream stream) {
            checkPipelinedBatch(rank, n, comm, stream);
        });
    }
}

// The direct all-reduce and the deterministic mesh template reduce in rank order: the same bits
// for random fp32 data, through the slots (small) and through the user buffers (large).
TEST(Direct, AllReduceIsBitIdenticalToTheDeterministicTemplates) {
    const uint32_t n = 3;
    setenv("HCCL_CPU_DIRECT", "0", 1);
    setenv("HCCL_DETERMINISTIC", "true", 1);
    ThreadWorld templates(n);
    unsetenv("HCCL_CPU_DIRECT");
    unsetenv("HCCL_DETERMINISTIC");
    ThreadWorld direct(n);
    for (uint64_t count : {uint64_t{1000}, uint64_t{300001}}) {
        std::vector<std::vector<uint32_t>> results(2 * n);
        for (ThreadWorld *world : {&templates, &direct}) {
            const size_t base = world == &templates ? 0 : n;
            world->run([&](uint32_t rank, HcclComm comm, aclrtStream stream) {
                std::vector<float> host(count);
                uint32_t state = 12345u + rank;
                for (float &x : host) {
                    state = state * 1664525u + 1013904223u;
                    x = static_cast<float>(state >> 8) / 16777216.0f - 0.5f;
                }
                void *in = nullptr;
                void *out = nullptr;
                ASSERT_EQ(aclrtMalloc(&in, count * 4, ACL_MEM_MALLOC_HUGE_FIRST), ACL_SUCCESS);
                ASSERT_EQ(aclrtMalloc(&out, count * 4, ACL_MEM_MALLOC_HUGE_FIRST), ACL_SUCCESS);
                ASSERT_EQ(
                    aclrtMemcpy(in, count * 4, host.data(), count * 4, ACL_MEMCPY_HOST_TO_DEVICE),
                    ACL_SUCCESS);
                ASSERT_EQ(HcclAllReduce(in, out, count, HCCL_DATA_TYPE_FP32, HCCL_REDUCE_SUM, comm,
                                        stream),
                          HCCL_SUCCESS);
                ASSERT_EQ(aclrtSynchronizeStream(stream), ACL_SUCCESS);
                results[base + rank].resize(count);
                ASSERT_EQ(aclrtMemcpy(results[base + rank].data(), count * 4, out, count * 4,
                                      ACL_MEMCPY_DEVICE_TO_HOST),
                          ACL_SUCCESS);
                aclrtFree(in);
                aclrtFree(out);
            });
        }
        for (uint32_t rank = 0; rank < n; ++rank) {
            EXPECT_EQ(results[rank], results[n + rank]) << "rank " << rank << ", count " << count;
            EXPECT_EQ(results[rank], results[0]) << "rank " << rank << ", count " << count;
        }
    }
}

// One host thread issues for every rank in turn (as single-threaded programs with
// HcclCommInitAll do): a small operation cannot finish on the issuing thread before the later
// ranks have issued theirs, so it goes on as a stream task; every result is still right.
TEST(Direct, OneThreadIssuingForEveryRankInTurnCompletes) {
    const uint32_t n = 3;
    ThreadWorld world(n);
    std::vector<std::unique_ptr<DeviceInts>> in, out;
    std::vector<aclrtStream> streams(n, nullptr);
    const uint64_t count = 1000;
    for (uint32_t rank = 0; rank < n; ++rank) {
        ASSERT_EQ(aclrtSetDevice(static_cast<int32_t>(rank)), ACL_SUCCESS);
        ASSERT_EQ(aclrtCreateStream(&streams[rank]), ACL_SUCCESS);
        in.push_back(std::make_unique<DeviceInts>(count));
        out.push_back(std::make_unique<DeviceInts>(count));
        in[rank]->fill([&](size_t i) { return static_cast<int32_t>(rank * 10 + i % 7); });
    }
    for (int round = 0; round < 3; ++round)
        for (uint32_t rank = 0; rank < n; ++rank) {
            ASSERT_EQ(aclrtSetDevice(static_cast<int32_t>(rank)), ACL_SUCCESS);
            ASSERT_EQ(HcclAllReduce(in[rank]->ptr(), out[rank]->ptr(), count, HCCL_DATA_TYPE_INT32,
                                    HCCL_REDUCE_SUM, world.comm(rank), streams[rank]),
                      HCCL_SUCCESS);
        }
    for (uint32_t rank = 0; rank < n; ++rank) {
        ASSERT_EQ(aclrtSetDevice(static_cast<int32_t>(rank)), ACL_SUCCESS);
        ASSERT_EQ(aclrtSynchronizeStream(streams[rank]), ACL_SUCCESS);
        mismatches("allreduce", out[rank]->get(),
                   [](size_t i) { return static_cast<int32_t>(30 + 3 * (i % 7)); });
        EXPECT_EQ(aclrtDestroyStream(streams[rank]), ACL_SUCCESS);
        in[rank].reset();
        out[rank].reset();
        aclrtResetDevice(static_cast<int32_t>(rank));
    }
}

// Rank 1 never issues: rank 0's kernel gives up at the exec timeout, synchronize reports it.
TEST(Direct, AWaitForARankThatNeverIssuesFailsAtTheExecTimeout) {
    setenv("HCCL_EXEC_TIMEOUT", "1", 1);
    ThreadWorld world(2);
    unsetenv("HCCL_EXEC_TIMEOUT");
    world.run([&](uint32_t rank, HcclComm comm, aclrtStream stream) {
        if (rank != 0) return;
        const uint64_t count = 100000;
        DeviceInts in(count), out(count);
        ASSERT_EQ(HcclAllReduce(in.ptr(), out.ptr(), count, HCCL_DATA_TYPE_INT32, HCCL_REDUCE_SUM,
                                comm, stream),
                  HCCL_SUCCESS);
        const auto start = std::chrono::steady_clock::now();
        EXPECT_NE(aclrtSynchronizeStream(stream), ACL_SUCCESS);
        const auto waited = std::chrono::steady_clock::now() - start;
        EXPECT_GE(waited, std::chrono::milliseconds(900));
        EXPECT_LT(waited, std::chrono::seconds(5));
    });
}

// The second operation reads what the first wrote, on another stream; only the second stream
// is synchronised. It is right only if the second waited for the first.
TEST(Ops, OperationsOnTwoStreamsOfOneCommunicatorRunInIssueOrder) {
    const uint32_t n = 2;
    const uint64_t count = 200000;
    ThreadWorld world(n);
    world.run([&](uint32_t rank, HcclComm comm, aclrtStream first) {
        aclrtStream second = nullptr;
        ASSERT_EQ(aclrtCreateStream(&second), ACL_SUCCESS);
        DeviceInts in(count), mid(count), out(count);
        in.fill([&](size_t i) { return static_cast<int32_t>(rank + i % 100); });
        for (int round = 0; round < 3; ++round) {
            ASSERT_EQ(HcclAllReduce(in.ptr(), mid.ptr(), count, HCCL_DATA_TYPE_INT32,
                                    HCCL_REDUCE_SUM, comm, first),
                      HCCL_SUCCESS);
            ASSERT_EQ(HcclAllReduce(mid.ptr(), out.ptr(), count, HCCL_DATA_TYPE_INT32,
                                    HCCL_REDUCE_SUM, comm, second),
                      HCCL_SUCCESS);
            ASSERT_EQ(aclrtSynchronizeStream(second), ACL_SUCCESS);
            mismatches("second allreduce", out.get(), [&](size_t i) {
                return static_cast<int32_t>(n * (1 + n * (i % 100)));  // n * Σ_r (r + i%100)
            });
        }
        EXPECT_EQ(aclrtSynchronizeStream(first), ACL_SUCCESS);
        EXPECT_EQ(aclrtDestroyStream(second), ACL_SUCCESS);
    });
}

TEST(Ops, TwoCommunicatorsWorkAtTheSameTime) {
    ThreadWorld a(2), b(2);
    a.run([&](uint32_t rank, HcclComm commA, aclrtStream streamA) {
        aclrtStream streamB = nullptr;
        ASSERT_EQ(aclrtCreateStream(&streamB), ACL_SUCCESS);
        HcclComm commB = b.comm(rank);
        const uint64_t count = 100000;
        DeviceInts inA(count), outA(count), inB(count), outB(count * 2);
        inA.fill([&](size_t i) { return static_cast<int32_t>(rank * 10 + i % 10); });
        inB.fill([&](size_t i) { return static_cast<int32_t>(rank * 100000 + i % 1000); });
        for (int round = 0; round < 3; ++round) {
            ASSERT_EQ(HcclAllReduce(inA.ptr(), outA.ptr(), count, HCCL_DATA_TYPE_INT32,
                                    HCCL_REDUCE_SUM, commA, streamA),
                      HCCL_SUCCESS);
            ASSERT_EQ(
                HcclAllGather(inB.ptr(), outB.ptr(), count, HCCL_DATA_TYPE_INT32, commB, streamB),
                HCCL_SUCCESS);
        }
        ASSERT_EQ(aclrtSynchronizeStream(streamA), ACL_SUCCESS);
        ASSERT_EQ(aclrtSynchronizeStream(streamB), ACL_SUCCESS);
        mismatches("comm a", outA.get(),
                   [](size_t i) { return static_cast<int32_t>(10 + 2 * (i % 10)); });
        mismatches("comm b", outB.get(), [&](size_t j) {
            return static_cast<int32_t>((j / count) * 100000 + (j % count) % 1000);
        });
        EXPECT_EQ(aclrtDestroyStream(streamB), ACL_SUCCESS);
    });
}

// Two host threads per rank issue into one communicator at once, each on its own stream. Their
// operations are identical (same operation, count and data), so however the calls interleave,
// every rank issues the same sequence; the communicator serialises them.
TEST(Ops, SeveralHostThreadsMayIssueIntoOneCommunicator) {
    const uint32_t n = 2;
    const uint64_t count = 20000;
    ThreadWorld world(n);
    world.run([&](uint32_t rank, HcclComm comm, aclrtStream) {
        std::vector<std::thread> issuers;
        for (int t = 0; t < 2; ++t)
            issuers.emplace_back([&] {
                ASSERT_EQ(aclrtSetDevice(static_cast<int32_t>(rank)), ACL_SUCCESS);
                aclrtStream stream = nullptr;
                ASSERT_EQ(aclrtCreateStream(&stream), ACL_SUCCESS);
                DeviceInts in(count), out(count);
                in.fill([](size_t i) { return static_cast<int32_t>(i % 300); });
                for (int round = 0; round < 10; ++round) {
                    EXPECT_EQ(HcclAllReduce(in.ptr(), out.ptr(), count, HCCL_DATA_TYPE_INT32,
                                            HCCL_REDUCE_SUM, comm, stream),
                              HCCL_SUCCESS);
                }
                EXPECT_EQ(aclrtSynchronizeStream(stream), ACL_SUCCESS);
                mismatches("allreduce", out.get(),
                           [&](size_t i) { return static_cast<int32_t>(n * (i % 300)); });
                EXPECT_EQ(aclrtDestroyStream(stream), ACL_SUCCESS);
                aclrtResetDevice(static_cast<int32_t>(rank));
            });
        for (std::thread &t : issuers)
            t.join();
    });
}

class ForcedAlgo : public ::testing::TestWithParam<const char *> {
  protected:
    void TearDown() override { unsetenv("HCCL_ALGO"); }
};

TEST_P(ForcedAlgo, EveryOperationStaysCorrect) {
    setenv("HCCL_ALGO", GetParam(), 1);
    ThreadWorld world(4);
    world.run([&](uint32_t rank, HcclComm comm, aclrtStream stream) {
        for (const NamedCheck &op : allOpChecks())
            op.check(rank, 4, comm, stream, 3000);
    });
}

INSTANTIATE_TEST_SUITE_P(Algorithms, ForcedAlgo,
                         ::testing::Values("level0:NA;level1:ring", "level0:NA;level1:H-D_R",
                                           "level0:NA;level1:mesh", "level0:NA;level1:star",
                                           "level0:NA;level1:pairwise",
                                           "allreduce=level0:NA;level1:H-D_R/"
                                           "alltoall=level0:NA;level1:pairwise"),
                         [](const ::testing::TestParamInfo<const char *> &info) {
                             return "algo" + std::to_string(info.index);
                         });

}  // namespace
}  // namespace hcclcpu::framework::test
