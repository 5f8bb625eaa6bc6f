// HCCL_CONNECT_TIMEOUT bounds every wait of the rendezvous: a rank that cannot join gets a
// clear error within the bound, never a hang, and the root's thread and sockets go away.
// HCCL_CONNECT_TIMEOUT is 2 s in this binary (set before any thread exists).
#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <thread>
#include <vector>

#include "framework/rendezvous.h"
#include "framework_test_util.h"

namespace hcclcpu::framework::test {
namespace {

constexpr int kTimeoutS = 2;
// The error must arrive after about kTimeoutS, and surely before this.
constexpr auto kBound = std::chrono::seconds(kTimeoutS + 3);

class ShortTimeout : public ::testing::Environment {
  public:
    void SetUp() override { setenv("HCCL_CONNECT_TIMEOUT", "2", 1); }
};
::testing::Environment *const kShortTimeout = ::testing::AddGlobalTestEnvironment(new ShortTimeout);

using Clock = std::chrono::steady_clock;

TEST(ConnectTimeout, AMissingRankMakesTheOthersFailWithTimeoutWithinTheBound) {
    runRanks(3, [](uint32_t) {});  // the devices' own descriptors exist before counting
    const int before = openFdCount();
    HcclRootInfo root = makeRootInfo();
    std::vector<HcclResult> results(4, HCCL_E_RESERVED);
    std::vector<HcclComm> comms(4, nullptr);
    auto start = Clock::now();
    runRanks(3, [&](uint32_t rank) {  // rank 3 never comes
        results[rank] = HcclCommInitRootInfo(4, &root, rank, &comms[rank]);
    });
    auto elapsed = Clock::now() - start;
    for (uint32_t rank = 0; rank < 3; ++rank) {
        EXPECT_EQ(results[rank], HCCL_E_TIMEOUT) << "rank " << rank;
        EXPECT_EQ(comms[rank], nullptr);
    }
    EXPECT_GE(elapsed, std::chrono::milliseconds(kTimeoutS * 1000 - 100));
    EXPECT_LT(elapsed, kBound);
    EXPECT_TRUE(eventually([&] { return rootListenerCount() == 0; }));
    EXPECT_TRUE(eventually([&] { return openFdCount() == before; }))
        << openFdCount() << " descriptors open, " << before << " before";
}

TEST(ConnectTimeout, AnUnreachableRootIsTcpConnectWithinTheBound) {
    // A root info naming a port nobody listens on.
    UniqueFd probe;
    SocketAddress free;
    ASSERT_TRUE(listenOnFirstFree(*SocketAddress::parse("127.0.0.1"), {0}, &probe, &free).ok());
    probe.reset();
    RootInfo info;
    info.address = free;
    info.uniqueId = "nobody_listens";
    HcclRootInfo root;
    encodeRootInfo(info, &root);
    HcclResult result = HCCL_E_RESERVED;
    HcclComm comm = nullptr;
    auto start = Clock::now();
    runRanks(1, [&](uint32_t) { result = HcclCommInitRootInfo(2, &root, 1, &comm); });
    auto elapsed = Clock::now() - start;
    EXPECT_EQ(result, HCCL_E_TCP_CONNECT);
    EXPECT_EQ(comm, nullptr);
    EXPECT_GE(elapsed, std::chrono::milliseconds(kTimeoutS * 1000 - 100));
    EXPECT_LT(elapsed, kBound);
}

TEST(ConnectTimeout, AnUnusedRootGivesUpAndReleasesItsPort) {
    const int before = openFdCount();
    HcclRootInfo root = makeRootInfo();
    RootInfo info;
    ASSERT_EQ(decodeRootInfo(&root, &info), HCCL_SUCCESS);
    EXPECT_GT(openFdCount(), before);  // its listening socket and wake-up fd
    ASSERT_TRUE(eventually(
        [&] {
            auto stats = rootListenerStats(info.uniqueId);
            return stats && stats->finished;
        },
        kBound));
    EXPECT_EQ(openFdCount(), before);
    // The port is free again.
    UniqueFd again;
    SocketAddress bound;
    EXPECT_TRUE(listenOnFirstFree(info.address, {info.address.port}, &again, &bound).ok());
}

TEST(ConnectTimeout, ALoneRankOfThreeTimesOut) {
    HcclRootInfo root = makeRootInfo();
    HcclResult result = HCCL_E_RESERVED;
    HcclComm comm = nullptr;
    auto start = Clock::now();
    runRanks(1, [&](uint32_t) { result = HcclCommInitRootInfo(3, &root, 0, &comm); });
    EXPECT_EQ(result, HCCL_E_TIMEOUT);
    EXPECT_LT(Clock::now() - start, kBound);
}

}  // namespace
}  // namespace hcclcpu::framework::test
