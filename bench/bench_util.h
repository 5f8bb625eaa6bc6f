// Small helpers for benchmarks that report medians of individual operations.
#pragma once

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
struct RoundTrips {
    double medianNs;
    double meanNs;
};
RoundTrips processFutexPingPong(int rounds);

}  // namespace hcclcpu::bench
