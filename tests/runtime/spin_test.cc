// AdaptiveSpin: spinning turns itself off when a spin loses its core, and back on later; no spin
// while the cores are oversubscribed (the machine's runnable-thread count, from /proc/loadavg).
#include <gtest/gtest.h>

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "common/cpu_load.h"
#include "common/spin.h"

namespace hcclcpu {
namespace {

constexpr int64_t kBudgetNs = 5'000'000;  // long enough to tell a spin from no spin
bool coresFree() {
    return false;
}
bool coresBusy() {
    return true;
}

// How long one spin() that never succeeds takes.
int64_t spinTime(AdaptiveSpin &spin) {
    const int64_t start = nowNs();
    EXPECT_FALSE(spin.spin([] { return false; }));
    return nowNs() - start;
}

TEST(AdaptiveSpin, SpinsForItsBudgetThenGivesUp) {
    AdaptiveSpin spin(kBudgetNs, coresFree);
    EXPECT_GE(spinTime(spin), kBudgetNs);
    // (A fresh one: on a virtual machine a 5 ms spin sometimes loses its core to the host.)
    AdaptiveSpin fresh(kBudgetNs, coresFree);
    int polls = 0;
    EXPECT_TRUE(fresh.spin([&] { return ++polls == 3; }));
    EXPECT_EQ(polls, 3);
}

TEST(AdaptiveSpin, ASpinThatLostItsCoreTurnsSpinningOffForAWhile) {
    AdaptiveSpin spin(kBudgetNs, coresFree);
    // A poll that takes 1 ms looks like a time slice lost to another thread.
    bool first = true;
    EXPECT_FALSE(spin.spin([&] {
        if (first) std::this_thread::sleep_for(std::chrono::milliseconds(1));
        first = false;
        return false;
    }));
    EXPECT_LT(spinTime(spin), kBudgetNs / 5);  // off: one poll, no spin
    bool polled = false;
    EXPECT_TRUE(spin.spin([&] { return polled = true; }));  // off still polls once
    EXPECT_TRUE(polled);
    std::this_thread::sleep_for(std::chrono::milliseconds(12));  // the first period is 10 ms
    EXPECT_GE(spinTime(spin), kBudgetNs);
}

TEST(AdaptiveSpin, ZeroBudgetNeverSpins) {
    AdaptiveSpin spin(0, coresFree);
    EXPECT_LT(spinTime(spin), 1'000'000);
    EXPECT_TRUE(spin.spin([] { return true; }));
}

TEST(AdaptiveSpin, NoSpinWhileTheCoresAreOversubscribed) {
    AdaptiveSpin spin(kBudgetNs, coresBusy);
    EXPECT_LT(spinTime(spin), kBudgetNs / 5);
    bool polled = false;
    EXPECT_TRUE(spin.spin([&] { return polled = true; }));  // still polls once
    EXPECT_TRUE(polled);
}

TEST(CpuLoad, ReadsTheRunnableCountOfALoadavgLine) {
    EXPECT_EQ(parseRunnableThreads("0.50 0.40 0.30 3/211 4242\n"), 3);
    EXPECT_EQ(parseRunnableThreads("12.00 9.10 8.00 117/3000 1"), 117);
    EXPECT_EQ(parseRunnableThreads(""), -1);
    EXPECT_EQ(parseRunnableThreads("0.50 0.40 0.30"), -1);
    EXPECT_EQ(parseRunnableThreads("0.50 0.40 0.30 x/211 4242"), -1);
    EXPECT_EQ(parseRunnableThreads("0.50 0.40 0.30 3"), -1);
    EXPECT_EQ(parseRunnableThreads("0.50 0.40 0.30 -3/211 4242"), -1);
}

TEST(CpuLoad, MoreBusyThreadsThanCoresAreSeen) {
    if (!std::ifstream("/proc/loadavg")) GTEST_SKIP() << "no /proc/loadavg";
    const long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    std::atomic<bool> stop{false};
    std::vector<std::thread> busy;
    for (long i = 0; i <= cpus; ++i)
        busy.emplace_back([&] {
            while (!stop.load(std::memory_order_relaxed)) {
            }
        });
    bool seen = false;  // sampled at most once per ms; give the scheduler time
    for (const int64_t deadline = nowNs() + 2'000'000'000; !seen && nowNs() < deadline;)
        seen = coresOversubscribed();
    stop = true;
    for (auto &t : busy)
        t.join();
    EXPECT_TRUE(seen) << cpus + 1 << " busy threads on " << cpus << " CPUs";
}

}  // namespace
}  // namespace hcclcpu
