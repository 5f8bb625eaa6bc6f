// Small helpers for benchmarks that report medians of individual operations.
#pragma once

#include <sys/types.h>

#include <algorithm>
#include <cstdint>
#include <vector>

namespace hcclcpu::bench {

inline double median(std::vector<double> v) {
    if (v.empty()) return 0;
    std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
    return v[v.size() / 2];
}

// Median round trip (ns) of a ping-pong between two threads that sleep on futexes: the baseline a
// notify hand-off must not lose to.
double futexPingPongNs(int rounds);
// Round trips of a ping-pong between two processes blocking on futexes in a shared page: the
// median (a typical hand-off) and the mean (the pace, including the rare long ones). The forked
// child only touches that page and exits, so this is safe in a process that already runs threads.
// `parentCpu` / `childCpu` >= 0 pin the calling thread (for the run) and the child to a CPU.
struct RoundTrips {
    double medianNs;
    double meanNs;
};
RoundTrips processFutexPingPong(int rounds, int parentCpu = -1, int childCpu = -1);

// Restricts a thread (0: the calling one) to one CPU, or lets it run anywhere again (cpu < 0).
void pinThread(pid_t tid, int cpu);
// The same for every thread of a process.
void pinProcess(pid_t pid, int cpu);

}  // namespace hcclcpu::bench
