// Ranks as threads of one process, as in the vendor examples: one root info shared by N threads,
// thread i on device i (spec/public_api.md §3.2). Also the root's rejection of bad hellos,
// crafted on raw sockets against a real root.
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "framework/communicator.h"
#include "framework/rendezvous.h"
#include "framework/wire.h"
#include "framework_test_util.h"

namespace hcclcpu::framework::test {
namespace {

void expectCommunicator(uint32_t n, const std::vector<HcclComm> &comms) {
    std::string firstName;
    for (uint32_t rank = 0; rank < n; ++rank) {
        uint32_t size = 0, id = UINT32_MAX;
        ASSERT_EQ(HcclGetRankSize(comms[rank], &size), HCCL_SUCCESS);
        ASSERT_EQ(HcclGetRankId(comms[rank], &id), HCCL_SUCCESS);
        EXPECT_EQ(size, n);
        EXPECT_EQ(id, rank);
        char name[COMM_NAME_MAX_LENGTH];
        ASSERT_EQ(HcclGetCommName(comms[rank], name), HCCL_SUCCESS);
        if (rank == 0) firstName = name;
        EXPECT_EQ(firstName, name) << "every rank of a communicator has the same name";
        Communicator *c = findCommunicator(comms[rank], "test");
        ASSERT_NE(c, nullptr);
        EXPECT_EQ(c->device(), static_cast<int32_t>(rank));
        EXPECT_EQ(c->bootstrap().peer(rank).device, static_cast<int32_t>(rank));
    }
}

class ThreadRanks : public ::testing::TestWithParam<uint32_t> {};

TEST_P(ThreadRanks, InitReportsSizeRankAndOneName) {
    const uint32_t n = GetParam();
    HcclRootInfo root = makeRootInfo();
    std::vector<HcclResult> results;
    std::vector<HcclComm> comms;
    initRanks(n, root, results, comms);
    for (uint32_t rank = 0; rank < n; ++rank)
        ASSERT_EQ(results[rank], HCCL_SUCCESS) << "rank " << rank;
    expectCommunicator(n, comms);
    destroyAll(comms);
}

TEST_P(ThreadRanks, RanksMayJoinInAnyOrderAndLate) {
    const uint32_t n = GetParam();
    HcclRootInfo root = makeRootInfo();
    std::vector<HcclResult> results(n, HCCL_E_RESERVED);
    std::vector<HcclComm> comms(n, nullptr);
    runRanks(n, [&](uint32_t rank) {
        // Highest rank first, each 20 ms after the previous.
        std::this_thread::sleep_for(std::chrono::milliseconds(20 * (n - 1 - rank)));
        results[rank] = HcclCommInitRootInfo(n, &root, rank, &comms[rank]);
    });
    for (uint32_t rank = 0; rank < n; ++rank)
        ASSERT_EQ(results[rank], HCCL_SUCCESS) << "rank " << rank;
    expectCommunicator(n, comms);
    destroyAll(comms);
}

TEST_P(ThreadRanks, InitAllCreatesOneRankPerDevice) {
    const uint32_t n = GetParam();
    std::vector<int32_t> devices;
    for (uint32_t i = 0; i < n; ++i)
        devices.push_back(static_cast<int32_t>(n - 1 - i));  // rank i on device n-1-i
    std::vector<HcclComm> comms(n, nullptr);
    ASSERT_EQ(HcclCommInitAll(n, devices.data(), comms.data()), HCCL_SUCCESS);
    for (uint32_t rank = 0; rank < n; ++rank) {
        uint32_t id = UINT32_MAX, size = 0;
        EXPECT_EQ(HcclGetRankId(comms[rank], &id), HCCL_SUCCESS);
        EXPECT_EQ(HcclGetRankSize(comms[rank], &size), HCCL_SUCCESS);
        EXPECT_EQ(id, rank);
        EXPECT_EQ(size, n);
        EXPECT_EQ(findCommunicator(comms[rank], "test")->device(), devices[rank]);
    }
    destroyAll(comms);
}

INSTANTIATE_TEST_SUITE_P(Ranks, ThreadRanks, ::testing::Values(2u, 4u, 8u));

TEST(InitDestroyLoop, HundredIterationsOfTwoRanksLeakNoDescriptor) {
    // Warm-up: the first communicator creates lazily made process state (devices, loggers).
    {
        HcclRootInfo root = makeRootInfo();
        std::vector<HcclResult> results;
        std::vector<HcclComm> comms;
        initRanks(2, root, results, comms);
        destroyAll(comms);
    }
    const int before = openFdCount();
    for (int i = 0; i < 100; ++i) {
        HcclRootInfo root = makeRootInfo();
        std::vector<HcclResult> results;
        std::vector<HcclComm> comms;
        initRanks(2, root, results, comms);
        ASSERT_EQ(results[0], HCCL_SUCCESS) << "iteration " << i;
        ASSERT_EQ(results[1], HCCL_SUCCESS) << "iteration " << i;
        // Use the bootstrap so that connections exist when the communicators are destroyed.
        runRanks(2, [&](uint32_t rank) {
            EXPECT_EQ(findCommunicator(comms[rank], "test")->bootstrap().barrier(), HCCL_SUCCESS);
        });
        destroyAll(comms);
    }
    EXPECT_EQ(rootListenerCount(), 0u);
    EXPECT_EQ(openFdCount(), before);
}

TEST(InitDestroyLoop, InitAllLoopLeaksNoDescriptor) {
    int32_t devices[4] = {0, 1, 2, 3};
    HcclComm comms[4];
    ASSERT_EQ(HcclCommInitAll(4, devices, comms), HCCL_SUCCESS);
    for (HcclComm comm : comms)
        ASSERT_EQ(HcclCommDestroy(comm), HCCL_SUCCESS);
    const int before = openFdCount();
    for (int i = 0; i < 20; ++i) {
        ASSERT_EQ(HcclCommInitAll(4, devices, comms), HCCL_SUCCESS);
        for (HcclComm comm : comms)
            ASSERT_EQ(HcclCommDestroy(comm), HCCL_SUCCESS);
    }
    EXPECT_EQ(openFdCount(), before);
}

TEST(Rendezvous, SeveralRootInfosFromOneThreadAreIndependent) {
    // hccl_test-style: one thread makes several root infos, switching devices.
    HcclRootInfo roots[2];
    for (int d = 0; d < 2; ++d) {
        ASSERT_EQ(aclrtSetDevice(d), ACL_SUCCESS);
        ASSERT_EQ(HcclGetRootInfo(&roots[d]), HCCL_SUCCESS);
        aclrtResetDevice(d);
    }
    std::vector<HcclResult> results(4, HCCL_E_RESERVED);
    std::vector<HcclComm> comms(4, nullptr);
    runRanks(4, [&](uint32_t device) {
        // Devices 0,1 form communicator A; 2,3 form B.
        uint32_t group = device / 2, rank = device % 2;
        results[device] = HcclCommInitRootInfo(2, &roots[group], rank, &comms[device]);
    });
    for (HcclResult r : results)
        EXPECT_EQ(r, HCCL_SUCCESS);
    char a[COMM_NAME_MAX_LENGTH], b[COMM_NAME_MAX_LENGTH];
    ASSERT_EQ(HcclGetCommName(comms[0], a), HCCL_SUCCESS);
    ASSERT_EQ(HcclGetCommName(comms[2], b), HCCL_SUCCESS);
    EXPECT_STRNE(a, b);
    destroyAll(comms);
}

TEST(Rendezvous, AFailingRankAbortsTheRootSoTheOthersFailFast) {
    // Rank 1's thread has no device: it fails at once, and since the root lives in this process
    // the rank waiting for it is told so instead of waiting for HCCL_CONNECT_TIMEOUT (120 s).
    HcclRootInfo root = makeRootInfo();
    HcclResult results[2] = {HCCL_E_RESERVED, HCCL_E_RESERVED};
    HcclComm comms[2] = {nullptr, nullptr};
    auto start = std::chrono::steady_clock::now();
    std::thread rank0([&] {
        ASSERT_EQ(aclrtSetDevice(0), ACL_SUCCESS);
        results[0] = HcclCommInitRootInfo(2, &root, 0, &comms[0]);
        aclrtResetDevice(0);
    });
    std::thread rank1([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        results[1] = HcclCommInitRootInfo(2, &root, 1, &comms[1]);
    });
    rank0.join();
    rank1.join();
    EXPECT_EQ(results[1], HCCL_E_RUNTIME);
    EXPECT_EQ(results[0], HCCL_E_RUNTIME);
    EXPECT_EQ(comms[0], nullptr);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
}

// ---- rejection of bad hellos ----------------------------------------------------------------

// Talks to a real root over a raw socket.
class RawClient {
  public:
    explicit RawClient(const SocketAddress &root) {
        EXPECT_TRUE(connectTo(root, Deadline::afterMs(5000), &fd_).ok());
    }
    void sendBytes(const std::vector<uint8_t> &bytes) {
        ASSERT_EQ(::send(fd_.get(), bytes.data(), bytes.size(), MSG_NOSIGNAL),
                  static_cast<ssize_t>(bytes.size()));
    }
    void sendFrame(uint32_t type, const std::vector<uint8_t> &payload) {
        ASSERT_TRUE(framework::sendFrame(fd_.get(), type, payload.data(), payload.size(),
                                         Deadline::afterMs(5000))
                        .ok());
    }
    // The root's answer: the code of its reject frame, or -1 when it closed without one.
    int rejection() {
        uint32_t type = 0;
        std::vector<uint8_t> payload;
        IoResult io = recvFrame(fd_.get(), 4096, Deadline::afterMs(5000), &type, &payload);
        if (!io.ok() || type != kFrameReject) return -1;
        WireReader r(payload.data(), payload.size());
        return static_cast<int>(r.u32());
    }
    // After rejecting, the root closes the connection.
    bool closedByRoot() {
        uint32_t type = 0;
        std::vector<uint8_t> payload;
        return recvFrame(fd_.get(), 4096, Deadline::afterMs(5000), &type, &payload).status ==
               IoStatus::kClosed;
    }

  private:
    UniqueFd fd_;
};

class Rejection : public ::testing::Test {
  protected:
    static constexpr uint32_t kRanks = 4;

    void SetUp() override {
        root_ = makeRootInfo();
        ASSERT_EQ(decodeRootInfo(&root_, &info_), HCCL_SUCCESS);
        results_.assign(kRanks, HCCL_E_RESERVED);
        comms_.assign(kRanks, nullptr);
        // Ranks 0..2 join now; rank 3 only after the bad hellos.
        for (uint32_t rank = 0; rank + 1 < kRanks; ++rank)
            threads_.emplace_back([this, rank] { runRank(rank); });
        ASSERT_TRUE(eventually([&] {
            auto stats = rootListenerStats(info_.uniqueId);
            return stats && stats->joined == kRanks - 1;
        }));
    }
    void TearDown() override {
        threads_.emplace_back([this] { runRank(kRanks - 1); });
        for (std::thread &t : threads_)
            t.join();
        for (uint32_t rank = 0; rank < kRanks; ++rank)
            EXPECT_EQ(results_[rank], HCCL_SUCCESS) << "rank " << rank;
        destroyAll(comms_);
    }
    void runRank(uint32_t rank) {
        ASSERT_EQ(aclrtSetDevice(static_cast<int32_t>(rank)), ACL_SUCCESS);
        results_[rank] = HcclCommInitRootInfo(kRanks, &root_, rank, &comms_[rank]);
        aclrtResetDevice(static_cast<int32_t>(rank));
    }
    // A hello that the root would accept for rank 3.
    Hello goodHello() {
        Hello hello;
        hello.secret = info_.secret;
        hello.nRanks = kRanks;
        hello.self.rank = kRanks - 1;
        hello.self.address = *SocketAddress::parse("127.0.0.1", 9);
        return hello;
    }
    uint32_t rejected() { return rootListenerStats(info_.uniqueId)->rejected; }
    void expectRejected(const std::vector<uint8_t> &bytes, bool asFrame, int code) {
        uint32_t before = rejected();
        RawClient client(info_.address);
        if (asFrame)
            client.sendFrame(kFrameHello, bytes);
        else
            client.sendBytes(bytes);
        EXPECT_EQ(client.rejection(), code);
        EXPECT_TRUE(client.closedByRoot());
        EXPECT_EQ(rejected(), before + 1);
        EXPECT_EQ(rootListenerStats(info_.uniqueId)->joined, kRanks - 1);
    }

    HcclRootInfo root_;
    RootInfo info_;
    std::vector<HcclResult> results_;
    std::vector<HcclComm> comms_;
    std::vector<std::thread> threads_;
};

TEST_F(Rejection, WrongSecretIsRejected) {
    Hello hello = goodHello();
    hello.secret[0] ^= 1;
    expectRejected(encodeHello(hello), true, HCCL_E_PARA);
}

TEST_F(Rejection, WrongProtocolVersionIsRejected) {
    Hello hello = goodHello();
    hello.protocolVersion = kProtocolVersion + 1;
    expectRejected(encodeHello(hello), true, HCCL_E_NOT_SUPPORT);
}

TEST_F(Rejection, DuplicateRankIsRejected) {
    Hello hello = goodHello();
    hello.self.rank = 1;
    expectRejected(encodeHello(hello), true, HCCL_E_PARA);
}

TEST_F(Rejection, OutOfRangeRankIsRejected) {
    Hello hello = goodHello();
    hello.self.rank = kRanks;
    expectRejected(encodeHello(hello), true, HCCL_E_PARA);
    hello.nRanks = 0;
    hello.self.rank = 0;
    expectRejected(encodeHello(hello), true, HCCL_E_PARA);
}

TEST_F(Rejection, NRanksMismatchIsRejected) {
    Hello hello = goodHello();
    hello.nRanks = kRanks + 1;
    expectRejected(encodeHello(hello), true, HCCL_E_PARA);
}

TEST_F(Rejection, TruncatedHelloIsRejected) {
    std::vector<uint8_t> bytes = encodeHello(goodHello());
    bytes.resize(bytes.size() - 3);
    expectRejected(bytes, true, HCCL_E_PARA);
}

TEST_F(Rejection, HelloWithTrailingBytesIsRejected) {
    std::vector<uint8_t> bytes = encodeHello(goodHello());
    bytes.push_back(0);
    expectRejected(bytes, true, HCCL_E_PARA);
}

TEST_F(Rejection, GarbageWithoutTheFrameMagicIsRejected) {
    expectRejected(std::vector<uint8_t>(32, 0x41), false, HCCL_E_PARA);
}

TEST_F(Rejection, FrameLongerThanTheLimitIsRejectedBeforeItsPayload) {
    // A header announcing 1 GiB: rejected from the header alone.
    WireWriter w;
    w.u32(kFrameMagic);
    w.u32(kFrameHello);
    w.u64(1ULL << 30);
    expectRejected(w.bytes(), false, HCCL_E_PARA);
}

TEST_F(Rejection, WrongFrameTypeIsRejected) {
    uint32_t before = rejected();
    RawClient client(info_.address);
    client.sendFrame(kFrameTable, encodeHello(goodHello()));
    EXPECT_EQ(client.rejection(), HCCL_E_PARA);
    EXPECT_EQ(rejected(), before + 1);
}

TEST_F(Rejection, HelloCutOffByAClosedConnectionIsRejected) {
    uint32_t before = rejected();
    {
        RawClient client(info_.address);
        std::vector<uint8_t> header(8, 0);
        WireWriter w;
        w.u32(kFrameMagic);
        w.u32(kFrameHello);
        w.u64(100);
        client.sendBytes(w.bytes());  // then closes without the payload
    }
    EXPECT_TRUE(eventually([&] { return rejected() == before + 1; }));
}

TEST_F(Rejection, AllCasesInARowLeaveTheGoodRanksUntouched) {
    Hello secret = goodHello(), version = goodHello(), duplicate = goodHello(), range = goodHello(),
          count = goodHello();
    secret.secret[15] ^= 0x80;
    version.protocolVersion = 0;
    duplicate.self.rank = 0;
    range.self.rank = 1000;
    count.nRanks = 2;
    count.self.rank = 1;
    for (const Hello &hello : {secret, version, duplicate, range, count}) {
        RawClient client(info_.address);
        client.sendFrame(kFrameHello, encodeHello(hello));
        EXPECT_NE(client.rejection(), -1);
    }
    // TearDown checks that all four real ranks still get their communicator.
}

}  // namespace
}  // namespace hcclcpu::framework::test
