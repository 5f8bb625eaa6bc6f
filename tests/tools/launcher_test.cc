// -np's launcher: host collectives between the child processes, and failures that end the job
// instead of hanging it.
#include <gtest/gtest.h>

#include <sched.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <vector>

#include "launcher.h"

namespace hccltest {
namespace {

using Clock = std::chrono::steady_clock;

LaunchOptions ranks(uint32_t n, uint32_t timeoutSeconds = 60) {
    return {n, timeoutSeconds};
}

TEST(HcclTestLauncher, EveryRankRunsWithItsRankAndSize) {
    int rc = runProcesses(ranks(4), [](Group &g) {
        uint64_t rankSum = g.rank();
        bool ok = g.size() == 4 && g.sum(&rankSum) && rankSum == 0 + 1 + 2 + 3;
        return ok ? 0 : 1;
    });
    EXPECT_EQ(rc, 0);
}

TEST(HcclTestLauncher, BroadcastDeliversTheRootsBytes) {
    int rc = runProcesses(ranks(3), [](Group &g) {
        char blob[4108];
        std::memset(blob, static_cast<int>(g.rank()), sizeof(blob));
        if (!g.broadcast(blob, sizeof(blob), 2)) return 1;
        for (char c : blob)
            if (c != 2) return 1;
        return 0;
    });
    EXPECT_EQ(rc, 0);
}

TEST(HcclTestLauncher, MaxAndBarrierCombineAllRanks) {
    int rc = runProcesses(ranks(3), [](Group &g) {
        double t = 10.0 + g.rank();
        bool ok = g.barrier() && g.max(&t) && t == 12.0 && g.barrier();
        return ok ? 0 : 1;
    });
    EXPECT_EQ(rc, 0);
}

TEST(HcclTestLauncher, ARankThatFailsEndsTheJobAndTheOthersAreStopped) {
    auto start = Clock::now();
    int rc = runProcesses(ranks(3), [](Group &g) {
        if (g.rank() == 1) return 3;
        g.barrier();  // never completes: rank 1 is gone
        pause();      // a rank blocked forever (as in an HCCL wait on a dead peer)
        return 0;
    });
    EXPECT_EQ(rc, 1);
    EXPECT_LT(Clock::now() - start, std::chrono::seconds(10));
}

TEST(HcclTestLauncher, ARankThatCompletesButFailsLetsTheOthersFinish) {
    LaunchOptions options = ranks(3);
    options.completedButFailedStatus = 3;
    int rc = runProcesses(options, [](Group &g) {
        if (!g.barrier()) return 1;
        if (g.rank() == 0) return 3;
        usleep(200 * 1000);  // still running when rank 0 has exited
        return 0;
    });
    EXPECT_EQ(rc, 3);
}

TEST(HcclTestLauncher, ARankKilledByASignalEndsTheJob) {
    int rc = runProcesses(ranks(2), [](Group &g) {
        if (g.rank() == 0) raise(SIGKILL);
        pause();
        return 0;
    });
    EXPECT_EQ(rc, 1);
}

TEST(HcclTestLauncher, ARankLeavingWhileOthersWaitEndsTheJob) {
    int rc = runProcesses(ranks(2), [](Group &g) {
        if (g.rank() == 0) return 0;  // success, but rank 1 waits for it
        g.barrier();
        return 0;
    });
    EXPECT_EQ(rc, 1);
}

TEST(HcclTestLauncher, MismatchedHostCollectivesEndTheJob) {
    int rc = runProcesses(ranks(2), [](Group &g) {
        double t = 1;
        bool ok = g.rank() == 0 ? g.barrier() : g.max(&t);
        return ok ? 0 : 1;
    });
    EXPECT_EQ(rc, 1);
}

// Rank r runs on exactly one CPU, the (r mod n)-th of the n this test may use; without binding
// every rank keeps them all.
TEST(HcclTestLauncher, BindToCorePinsRankRToTheRthUsableCpuModuloTheirCount) {
    cpu_set_t usable;
    ASSERT_EQ(sched_getaffinity(0, sizeof(usable), &usable), 0);
    std::vector<int> cpus;
    for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu)
        if (CPU_ISSET(cpu, &usable)) cpus.push_back(cpu);
    LaunchOptions options = ranks(3);
    options.bindToCore = true;
    int rc = runProcesses(options, [&](Group &g) {
        cpu_set_t mine;
        if (sched_getaffinity(0, sizeof(mine), &mine) != 0) return 1;
        const int expected = cpus[g.rank() % cpus.size()];
        return CPU_COUNT(&mine) == 1 && CPU_ISSET(expected, &mine) ? 0 : 1;
    });
    EXPECT_EQ(rc, 0);
    rc = runProcesses(ranks(2), [&](Group &) {
        cpu_set_t mine;
        if (sched_getaffinity(0, sizeof(mine), &mine) != 0) return 1;
        return CPU_EQUAL(&mine, &usable) ? 0 : 1;
    });
    EXPECT_EQ(rc, 0);
}

TEST(HcclTestLauncher, RanksWithoutProgressAreStoppedAfterTheTimeout) {
    auto start = Clock::now();
    int rc = runProcesses(ranks(2, 1), [](Group &) {
        pause();
        return 0;
    });
    EXPECT_EQ(rc, 1);
    EXPECT_LT(Clock::now() - start, std::chrono::seconds(10));
}

}  // namespace
}  // namespace hccltest
