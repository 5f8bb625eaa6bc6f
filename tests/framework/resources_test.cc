// Per-communicator resources with ranks as threads: dispatcher, CCL buffers and links made at
// creation and released at destruction, on every init path, without leaks.
#include <gtest/gtest.h>

#include <numeric>
#include <vector>

#include "framework/communicator.h"
#include "framework_test_util.h"
#include "hccl/hccl.h"
#include "ops_test_util.h"
#include "resource_counts.h"

namespace hcclcpu::framework::test {
namespace {

void initAllAndDestroy(uint32_t n) {
    std::vector<int32_t> devices(n);
    std::iota(devices.begin(), devices.end(), 0);
    std::vector<HcclComm> comms(n, nullptr);
    ASSERT_EQ(HcclCommInitAll(n, devices.data(), comms.data()), HCCL_SUCCESS);
    destroyAll(comms);
}

class InitAllLoop : public ::testing::TestWithParam<uint32_t> {};

TEST_P(InitAllLoop, CreatesAndReleasesLinksWithoutLeaks) {
    const uint32_t n = GetParam();
    initAllAndDestroy(n);  // the devices' engines start once, on first use
    ResourceCounts before = ResourceCounts::now();
    for (int i = 0; i < 5; ++i)
        initAllAndDestroy(n);
    expectSameCounts(before, ResourceCounts::now());
}

INSTANTIATE_TEST_SUITE_P(Ranks, InitAllLoop, ::testing::Values(2u, 4u, 8u));

TEST(Resources, EveryRankHasBuffersOfTheConfiguredSizeAndALinkToEveryPeer) {
    const uint32_t n = 4;
    std::vector<int32_t> devices(n);
    std::iota(devices.begin(), devices.end(), 0);
    std::vector<HcclComm> comms(n, nullptr);
    ASSERT_EQ(HcclCommInitAll(n, devices.data(), comms.data()), HCCL_SUCCESS);
    for (uint32_t rank = 0; rank < n; ++rank) {
        Communicator *comm = findCommunicator(comms[rank], "test");
        ASSERT_NE(comm, nullptr);
        CommResources &res = comm->resources();
        EXPECT_NE(res.dispatcher(), nullptr);
        EXPECT_EQ(res.input().size(), comm->cclBufferBytes());
        EXPECT_EQ(res.output().size(), comm->cclBufferBytes());
        EXPECT_EQ(comm->cclBufferBytes(), uint64_t{1} << 20);  // HCCL_BUFFSIZE=1
        ASSERT_EQ(res.links().size(), n);
        for (uint32_t peer = 0; peer < n; ++peer)
            EXPECT_EQ(res.links()[peer] == nullptr, peer == rank) << rank << "->" << peer;
    }
    destroyAll(comms);
}

TEST(Resources, RootInfoRanksAsThreadsGetLinksToo) {
    const uint32_t n = 3;
    HcclRootInfo root = makeRootInfo();
    std::vector<HcclResult> results;
    std::vector<HcclComm> comms;
    initRanks(n, root, results, comms);
    for (uint32_t r = 0; r < n; ++r)
        ASSERT_EQ(results[r], HCCL_SUCCESS) << r;
    runRanks(n, [&](uint32_t rank) {
        aclrtStream stream = nullptr;
        ASSERT_EQ(aclrtCreateStream(&stream), ACL_SUCCESS);
        checkAllReduce(rank, n, comms[rank], stream, 5000);
        EXPECT_EQ(aclrtDestroyStream(stream), ACL_SUCCESS);
    });
    destroyAll(comms);
}

TEST(Resources, ThreadRanksReportNoAsyncError) {
    ThreadWorld world(2);
    for (uint32_t rank = 0; rank < 2; ++rank) {
        HcclResult async = HCCL_E_INTERNAL;
        EXPECT_EQ(HcclGetCommAsyncError(world.comm(rank), &async), HCCL_SUCCESS);
        EXPECT_EQ(async, HCCL_SUCCESS);
    }
}

// A rank that cannot make its resources fails every rank at once, not at the link timeout.
// (Here: a malformed HCCL_ALGO fails before the rendezvous, and the root aborts the others.)
TEST(Resources, AFailedInitLeavesNothingBehind) {
    initAllAndDestroy(2);
    ResourceCounts before = ResourceCounts::now();
    setenv("HCCL_ALGO", "level1:nonsense", 1);
    std::vector<int32_t> devices{0, 1};
    std::vector<HcclComm> comms(2, nullptr);
    EXPECT_EQ(HcclCommInitAll(2, devices.data(), comms.data()), HCCL_E_PARA);
    unsetenv("HCCL_ALGO");
    expectSameCounts(before, ResourceCounts::now());
}

TEST(Resources, DestroyWaitsForTheLastOperation) {
    const uint32_t n = 2;
    std::vector<int32_t> devices{0, 1};
    std::vector<HcclComm> comms(n, nullptr);
    ASSERT_EQ(HcclCommInitAll(n, devices.data(), comms.data()), HCCL_SUCCESS);
    runRanks(n, [&](uint32_t rank) {
        aclrtStream stream = nullptr;
        ASSERT_EQ(aclrtCreateStream(&stream), ACL_SUCCESS);
        {
            DeviceInts in(1 << 18), out(1 << 18);
            ASSERT_EQ(HcclAllReduce(in.ptr(), out.ptr(), 1 << 18, HCCL_DATA_TYPE_INT32,
                                    HCCL_REDUCE_SUM, comms[rank], stream),
                      HCCL_SUCCESS);
            // Destroyed without synchronising: the links stay until the operation is done.
            EXPECT_EQ(HcclCommDestroy(comms[rank]), HCCL_SUCCESS);
            comms[rank] = nullptr;
            EXPECT_EQ(aclrtSynchronizeStream(stream), ACL_SUCCESS);
        }
        EXPECT_EQ(aclrtDestroyStream(stream), ACL_SUCCESS);
    });
}

}  // namespace
}  // namespace hcclcpu::framework::test
