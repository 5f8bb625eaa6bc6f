// Spinning before sleeping: a futex hand-off costs ~10-20 us on these machines, a spin < 1 us.
// With more runnable threads than cores, a pure spin starves the thread it waits for, so after a
// short pure phase the spinner yields its core on every round.
#pragma once

#include <sched.h>

#include <cstdint>

#include "common/clock.h"
#include "common/futex.h"

namespace hcclcpu {

// Polls ready() for up to budgetNs; true as soon as it holds. After pureSpinNs every round
// yields the core.
template <typename Ready>
bool spinUntil(Ready &&ready, int64_t budgetNs, int64_t pureSpinNs = 2000) {
    const int64_t start = nowNs();
    for (uint32_t i = 1;; ++i) {
        if (ready()) return true;
        if (pureSpinNs <= 0) {  // oversubscribed: every miss gives the core away
            sched_yield();
            if ((i & 15) == 0 && nowNs() - start >= budgetNs) return false;
            continue;
        }
        if ((i & 15) != 0) {
            cpuRelax();
            continue;
        }
        int64_t elapsed = nowNs() - start;
        if (elapsed >= budgetNs) return false;
        if (elapsed >= pureSpinNs) sched_yield();
    }
}

}  // namespace hcclcpu
