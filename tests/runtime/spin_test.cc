// AdaptiveSpin: spinning turns itself off when a spin loses its core, and back on later.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "common/clock.h"
#include "common/spin.h"

namespace hcclcpu {
namespace {

constexpr int64_t kBudgetNs = 5'000'000;  // long enough to tell a spin from no spin

// How long one spin() that never succeeds takes.
int64_t spinTime(AdaptiveSpin &spin) {
    const int64_t start = nowNs();
    EXPECT_FALSE(spin.spin([] { return false; }));
    return nowNs() - start;
}

TEST(AdaptiveSpin, SpinsForItsBudgetThenGivesUp) {
    AdaptiveSpin spin(kBudgetNs);
    EXPECT_GE(spinTime(spin), kBudgetNs);
    // (A fresh one: on a virtual machine a 5 ms spin sometimes loses its core to the host.)
    AdaptiveSpin fresh(kBudgetNs);
    int polls = 0;
    EXPECT_TRUE(fresh.spin([&] { return ++polls == 3; }));
    EXPECT_EQ(polls, 3);
}

TEST(AdaptiveSpin, ASpinThatLostItsCoreTurnsSpinningOffForAWhile) {
    AdaptiveSpin spin(kBudgetNs);
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
    AdaptiveSpin spin(0);
    EXPECT_LT(spinTime(spin), 1'000'000);
    EXPECT_TRUE(spin.spin([] { return true; }));
}

}  // namespace
}  // namespace hcclcpu
