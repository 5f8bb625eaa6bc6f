// Runs a function in N forked processes (ranks 0..N-1) and waits for them, with a deadline, so
// the baselines need no launcher of their own and never hang.
#pragma once

#include <functional>

namespace hcclcpu::compare {

// Each child calls body(rank) and exits with its return value. Returns 0 when every child
// exited 0; otherwise the first failing status (124 when the deadline passed: every child that
// is still running is killed).
int runForked(int nranks, int timeoutSeconds, const std::function<int(int rank)> &body);

}  // namespace hcclcpu::compare
