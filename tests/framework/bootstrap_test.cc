// The bootstrap network every communicator has after init: allGather, barrier, point to point,
// with deadlines and clean errors when a peer disappears (framework/bootstrap.h).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <thread>
#include <vector>

#include "framework/communicator.h"
#include "framework/wire.h"
#include "framework_test_util.h"

namespace hcclcpu::framework::test {
namespace {

using Clock = std::chrono::steady_clock;

// n ranks of one communicator (HcclCommInitAll on devices 0..n-1).
class Ranks {
  public:
    explicit Ranks(uint32_t n) : comms_(n, nullptr) {
        std::vector<int32_t> devices;
        for (uint32_t i = 0; i < n; ++i)
            devices.push_back(static_cast<int32_t>(i));
        EXPECT_EQ(HcclCommInitAll(n, devices.data(), comms_.data()), HCCL_SUCCESS);
    }
    ~Ranks() { destroyAll(comms_); }
    Bootstrap &bootstrap(uint32_t rank) {
        return findCommunicator(comms_[rank], "test")->bootstrap();
    }
    HcclComm comm(uint32_t rank) { return comms_[rank]; }
    void destroy(uint32_t rank) {
        EXPECT_EQ(HcclCommDestroy(comms_[rank]), HCCL_SUCCESS);
        comms_[rank] = nullptr;
    }
    // fn(rank) on one thread per rank.
    void run(const std::function<void(uint32_t)> &fn) {
        std::vector<std::thread> threads;
        for (uint32_t rank = 0; rank < comms_.size(); ++rank)
            threads.emplace_back(fn, rank);
        for (std::thread &t : threads)
            t.join();
    }

  private:
    std::vector<HcclComm> comms_;
};

std::vector<uint8_t> blockOf(uint32_t rank) {
    return std::vector<uint8_t>(rank * 100 + 1, static_cast<uint8_t>(rank + 1));
}

class BootstrapRanks : public ::testing::TestWithParam<uint32_t> {};

TEST_P(BootstrapRanks, AllGatherCollectsEveryRanksBlockOfItsOwnSize) {
    const uint32_t n = GetParam();
    Ranks ranks(n);
    ranks.run([&](uint32_t rank) {
        std::vector<uint8_t> mine = blockOf(rank);
        std::vector<std::vector<uint8_t>> all;
        ASSERT_EQ(ranks.bootstrap(rank).allGather(mine.data(), mine.size(), all), HCCL_SUCCESS);
        ASSERT_EQ(all.size(), n);
        for (uint32_t r = 0; r < n; ++r)
            EXPECT_EQ(all[r], blockOf(r)) << "rank " << rank << " block " << r;
    });
}

TEST_P(BootstrapRanks, BarrierReleasesNoRankBeforeTheLastArrives) {
    const uint32_t n = GetParam();
    Ranks ranks(n);
    std::vector<Clock::time_point> arrived(n), left(n);
    ranks.run([&](uint32_t rank) {
        std::this_thread::sleep_for(std::chrono::milliseconds(30 * rank));
        arrived[rank] = Clock::now();
        EXPECT_EQ(ranks.bootstrap(rank).barrier(), HCCL_SUCCESS);
        left[rank] = Clock::now();
    });
    Clock::time_point last = *std::max_element(arrived.begin(), arrived.end());
    for (uint32_t rank = 0; rank < n; ++rank)
        EXPECT_GE(left[rank], last) << "rank " << rank;
}

TEST_P(BootstrapRanks, RingOfLargeMessagesDoesNotDeadlock) {
    // 4 MiB each way is more than the socket buffers hold: only sendRecv's simultaneous
    // progress lets every rank finish.
    const uint32_t n = GetParam();
    Ranks ranks(n);
    ranks.run([&](uint32_t rank) {
        std::vector<uint8_t> out(4 << 20, static_cast<uint8_t>(rank));
        std::vector<uint8_t> in;
        uint32_t next = (rank + 1) % n, prev = (rank + n - 1) % n;
        ASSERT_EQ(ranks.bootstrap(rank).sendRecv(next, out.data(), out.size(), prev, in),
                  HCCL_SUCCESS);
        ASSERT_EQ(in.size(), out.size());
        EXPECT_EQ(in.front(), prev);
        EXPECT_EQ(in.back(), prev);
    });
}

INSTANTIATE_TEST_SUITE_P(Ranks, BootstrapRanks, ::testing::Values(2u, 4u, 8u));

TEST(Bootstrap, OneRankCollectivesNeedNoPeer) {
    Ranks ranks(1);
    std::vector<std::vector<uint8_t>> all;
    uint8_t byte = 7;
    EXPECT_EQ(ranks.bootstrap(0).allGather(&byte, 1, all), HCCL_SUCCESS);
    ASSERT_EQ(all.size(), 1u);
    EXPECT_EQ(all[0], std::vector<uint8_t>{7});
    EXPECT_EQ(ranks.bootstrap(0).barrier(), HCCL_SUCCESS);
}

TEST(Bootstrap, MessagesFromOnePeerArriveInOrder) {
    Ranks ranks(2);
    ranks.run([&](uint32_t rank) {
        Bootstrap &b = ranks.bootstrap(rank);
        for (uint32_t i = 0; i < 50; ++i) {
            if (rank == 0) {
                EXPECT_EQ(b.send(1, &i, sizeof(i)), HCCL_SUCCESS);
            } else {
                uint32_t got = UINT32_MAX;
                ASSERT_EQ(b.recv(0, &got, sizeof(got)), HCCL_SUCCESS);
                EXPECT_EQ(got, i);
            }
        }
    });
}

TEST(Bootstrap, EmptyMessagesAreMessages) {
    Ranks ranks(2);
    ranks.run([&](uint32_t rank) {
        if (rank == 0) {
            EXPECT_EQ(ranks.bootstrap(0).send(1, nullptr, 0), HCCL_SUCCESS);
        } else {
            std::vector<uint8_t> got{1, 2, 3};
            EXPECT_EQ(ranks.bootstrap(1).recv(0, got), HCCL_SUCCESS);
            EXPECT_TRUE(got.empty());
        }
    });
}

TEST(Bootstrap, ThreadsTalkToDifferentPeersConcurrently) {
    // Rank 0 exchanges with ranks 1..3 from three threads at once (one thread per link).
    Ranks ranks(4);
    ranks.run([&](uint32_t rank) {
        Bootstrap &b = ranks.bootstrap(rank);
        if (rank != 0) {
            std::vector<uint8_t> got;
            uint8_t mine = static_cast<uint8_t>(rank);
            ASSERT_EQ(b.sendRecv(0, &mine, 1, 0, got), HCCL_SUCCESS);
            EXPECT_EQ(got, std::vector<uint8_t>{static_cast<uint8_t>(100 + rank)});
            return;
        }
        std::vector<std::thread> links;
        for (uint32_t peer = 1; peer < 4; ++peer)
            links.emplace_back([&b, peer] {
                uint8_t mine = static_cast<uint8_t>(100 + peer);
                std::vector<uint8_t> got;
                ASSERT_EQ(b.sendRecv(peer, &mine, 1, peer, got), HCCL_SUCCESS);
                EXPECT_EQ(got, std::vector<uint8_t>{static_cast<uint8_t>(peer)});
            });
        for (std::thread &t : links)
            t.join();
    });
}

TEST(Bootstrap, AddressingYourselfOrANonRankIsEPara) {
    Ranks ranks(2);
    std::vector<uint8_t> data;
    EXPECT_EQ(ranks.bootstrap(0).send(0, data), HCCL_E_PARA);
    EXPECT_EQ(ranks.bootstrap(0).send(2, data), HCCL_E_PARA);
    EXPECT_EQ(ranks.bootstrap(0).recv(5, data), HCCL_E_PARA);
    EXPECT_EQ(ranks.bootstrap(0).send(1, nullptr, 4), HCCL_E_PTR);
}

TEST(Bootstrap, ARecvOfTheWrongSizeIsEInternal) {
    Ranks ranks(2);
    ranks.run([&](uint32_t rank) {
        if (rank == 0) {
            uint64_t value = 1;
            EXPECT_EQ(ranks.bootstrap(0).send(1, &value, sizeof(value)), HCCL_SUCCESS);
        } else {
            uint32_t small = 0;
            EXPECT_EQ(ranks.bootstrap(1).recv(0, &small, sizeof(small)), HCCL_E_INTERNAL);
        }
    });
}

TEST(Bootstrap, RanksCallingDifferentOperationsGetEInternal) {
    Ranks ranks(2);
    ranks.run([&](uint32_t rank) {
        if (rank == 0) {
            EXPECT_EQ(ranks.bootstrap(0).barrier(), HCCL_E_INTERNAL);
        } else {
            uint8_t byte = 0;
            EXPECT_EQ(ranks.bootstrap(1).send(0, &byte, 1), HCCL_SUCCESS);
            std::vector<uint8_t> ignored;
            EXPECT_EQ(ranks.bootstrap(1).recv(0, ignored), HCCL_E_INTERNAL);  // the barrier's
        }
    });
}

TEST(Bootstrap, ARecvNobodyAnswersTimesOutAndTheConnectionStaysUsable) {
    Ranks ranks(2);
    // Connect first, so that the timeout is on a live connection.
    ranks.run([&](uint32_t rank) { EXPECT_EQ(ranks.bootstrap(rank).barrier(), HCCL_SUCCESS); });
    Bootstrap &b = ranks.bootstrap(0);
    b.setTimeoutMs(300);
    std::vector<uint8_t> got;
    auto start = Clock::now();
    EXPECT_EQ(b.recv(1, got), HCCL_E_TIMEOUT);
    auto elapsed = Clock::now() - start;
    EXPECT_GE(elapsed, std::chrono::milliseconds(290));
    EXPECT_LT(elapsed, std::chrono::seconds(3));
    uint8_t byte = 9;
    ASSERT_EQ(ranks.bootstrap(1).send(0, &byte, 1), HCCL_SUCCESS);
    EXPECT_EQ(b.recv(1, got), HCCL_SUCCESS);
    EXPECT_EQ(got, std::vector<uint8_t>{9});
}

TEST(Bootstrap, WaitingForAPeerThatNeverConnectsTimesOut) {
    Ranks ranks(2);
    Bootstrap &b = ranks.bootstrap(0);
    b.setTimeoutMs(200);
    std::vector<uint8_t> got;
    auto start = Clock::now();
    EXPECT_EQ(b.recv(1, got), HCCL_E_TIMEOUT);
    EXPECT_LT(Clock::now() - start, std::chrono::seconds(3));
}

TEST(Bootstrap, APeerThatWentAwayIsTcpTransferNamingIt) {
    Ranks ranks(2);
    ranks.run([&](uint32_t rank) { EXPECT_EQ(ranks.bootstrap(rank).barrier(), HCCL_SUCCESS); });
    ranks.destroy(1);
    Bootstrap &b = ranks.bootstrap(0);
    std::vector<uint8_t> got;
    auto start = Clock::now();
    EXPECT_EQ(b.recv(1, got), HCCL_E_TCP_TRANSFER);
    EXPECT_LT(Clock::now() - start, std::chrono::seconds(3));  // not the 120 s timeout
    EXPECT_EQ(b.broken(), HCCL_E_TCP_TRANSFER);
    EXPECT_EQ(b.recv(1, got), HCCL_E_TCP_TRANSFER);  // and stays so
    HcclResult async = HCCL_SUCCESS;
    EXPECT_EQ(HcclGetCommAsyncError(ranks.comm(0), &async), HCCL_SUCCESS);
    EXPECT_EQ(async, HCCL_E_TCP_TRANSFER);
}

// Creating a communicator already used the ring connections r -> r+1 (the ranks agree on their
// resources with an allGather); 0 -> 2 of three ranks is a connection still to be made.
TEST(Bootstrap, SendingToAPeerWhoseListenerIsGoneIsTcpConnect) {
    Ranks ranks(3);
    ranks.destroy(2);
    uint8_t byte = 0;
    auto start = Clock::now();
    EXPECT_EQ(ranks.bootstrap(0).send(2, &byte, 1), HCCL_E_TCP_CONNECT);
    EXPECT_LT(Clock::now() - start, std::chrono::seconds(3));
}

// Rank 1 -> rank 0 of three ranks is a new connection (see above), so rank 0 accepts while the
// strangers wait on its listener.
TEST(Bootstrap, StrangersOnTheListenerAreDroppedAndPeersStillGetThrough) {
    Ranks ranks(3);
    Bootstrap &b = ranks.bootstrap(0);
    // A connection with the wrong secret, and one that sends garbage.
    UniqueFd wrongSecret, garbage;
    ASSERT_TRUE(connectTo(b.self().address, Deadline::afterMs(2000), &wrongSecret).ok());
    ASSERT_TRUE(connectTo(b.self().address, Deadline::afterMs(2000), &garbage).ok());
    WireWriter hello;
    hello.u32(1);
    for (int i = 0; i < 16; ++i)
        hello.u8(0);
    hello.u32(1);
    hello.u32(0);
    ASSERT_TRUE(sendFrame(wrongSecret.get(), 0x100, hello.bytes().data(), hello.bytes().size(),
                          Deadline::afterMs(2000))
                    .ok());
    std::vector<uint8_t> junk(64, 0xee);
    ASSERT_EQ(::send(garbage.get(), junk.data(), junk.size(), MSG_NOSIGNAL), 64);
    ranks.run([&](uint32_t rank) {
        std::vector<uint8_t> got;
        uint8_t byte = 42;
        if (rank == 1) {
            EXPECT_EQ(ranks.bootstrap(1).send(0, &byte, 1), HCCL_SUCCESS);
        } else if (rank == 0) {
            EXPECT_EQ(b.recv(1, got), HCCL_SUCCESS);
        }
    });
    // Both strangers were closed by rank 0.
    uint32_t type;
    std::vector<uint8_t> payload;
    EXPECT_EQ(recvFrame(wrongSecret.get(), 64, Deadline::afterMs(2000), &type, &payload).status,
              IoStatus::kClosed);
    EXPECT_EQ(recvFrame(garbage.get(), 64, Deadline::afterMs(2000), &type, &payload).status,
              IoStatus::kClosed);
}

TEST(Bootstrap, PeerInfoTellsProcessAndHost) {
    Ranks ranks(2);
    const PeerInfo &a = ranks.bootstrap(0).peer(0);
    const PeerInfo &b = ranks.bootstrap(0).peer(1);
    EXPECT_TRUE(a.sameProcessAs(b));
    EXPECT_TRUE(a.sameHostAs(b));
    EXPECT_EQ(a.pid, static_cast<uint32_t>(getpid()));
    EXPECT_FALSE(a.bootId.empty());
    EXPECT_EQ(b.rank, 1u);
    EXPECT_EQ(b.device, 1);
}

}  // namespace
}  // namespace hcclcpu::framework::test
