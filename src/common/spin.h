// Spinning before sleeping: a futex hand-off costs ~10-20 us on these machines, a spin < 1 us.
// With more runnable threads than cores, a pure spin starves the thread it waits for, so after a
// short pure phase the spinner yields its core on every round.
#pragma once

#include <sched.h>

#include <algorithm>
#include <atomic>
#include <cstdint>

#include "common/clock.h"
#include "common/cpu_load.h"
#include "common/futex.h"

namespace hcclcpu {

// Polls ready() for up to budgetNs; true as soon as it holds. After pureSpinNs every round
// yields the core. `longestGapNs`, if given, receives the longest time between two clock reads:
// far more than a round means the spinner lost its core to another thread meanwhile.
template <typename Ready>
bool spinUntil(Ready &&ready, int64_t budgetNs, int64_t pureSpinNs = 2000,
               int64_t *longestGapNs = nullptr) {
    const int64_t start = nowNs();
    int64_t last = start;
    auto elapsedNow = [&] {
        const int64_t now = nowNs();
        if (longestGapNs != nullptr && now - last > *longestGapNs) *longestGapNs = now - last;
        last = now;
        return now - start;
    };
    for (uint32_t i = 1;; ++i) {
        if (ready()) return true;
        if (pureSpinNs <= 0) {  // oversubscribed: every miss gives the core away
            sched_yield();
            if ((i & 15) == 0 && elapsedNow() >= budgetNs) return false;
            continue;
        }
        if ((i & 15) != 0) {
            cpuRelax();
            continue;
        }
        int64_t elapsed = elapsedNow();
        if (elapsed >= budgetNs) return false;
        if (elapsed >= pureSpinNs) sched_yield();
    }
}

// Spinning before sleeping pays only while a core is free for the thread that will answer.
// - No spin while more threads are runnable than there are CPUs (coresOversubscribed): the
//   spinner would hold a core someone waits for, and a yield hands it to a busy thread for a
//   whole time slice (3-4 ms under EEVDF), the stall a futex waiter never sees.
// - A spin that lost its core anyway (kLostCoreNs between two polls: another thread ran
//   meanwhile) turns spinning off for a while, twice as long each time it happens again (10 ms
//   to 1 s); a spin that kept its core resets that.
// Two processes on two free cores: a notify round trip stays ~1 us; with busy processes on the
// cores, waiters go to sleep at once, as a futex waiter does.
class AdaptiveSpin {
  public:
    using BusyProbe = bool (*)();
    explicit AdaptiveSpin(int64_t budgetNs, BusyProbe coresBusy = coresOversubscribed)
        : budgetNs_(budgetNs), coresBusy_(coresBusy) {}

    template <typename Ready>
    bool spin(Ready &&ready) {
        const int64_t now = nowNs();
        if (budgetNs_ <= 0 || now < offUntilNs_.load(std::memory_order_relaxed) || coresBusy_())
            return ready();
        int64_t gap = 0;
        const bool found = spinUntil(ready, budgetNs_, 2000, &gap);
        if (gap >= kLostCoreNs) {
            const int64_t offFor =
                std::min(2 * offForNs_.load(std::memory_order_relaxed), kMaxOffNs);
            offForNs_.store(offFor, std::memory_order_relaxed);
            offUntilNs_.store(nowNs() + offFor, std::memory_order_relaxed);
        } else {
            offForNs_.store(kMinOffNs / 2, std::memory_order_relaxed);
        }
        return found;
    }

  private:
    static constexpr int64_t kLostCoreNs = 50'000;
    static constexpr int64_t kMinOffNs = 10'000'000;
    static constexpr int64_t kMaxOffNs = 1'000'000'000;
    const int64_t budgetNs_;
    const BusyProbe coresBusy_;
    std::atomic<int64_t> offUntilNs_{0};
    std::atomic<int64_t> offForNs_{kMinOffNs / 2};
};

}  // namespace hcclcpu
