#include "common/cpu_load.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <charconv>
#include <cstdint>

#include "common/clock.h"

namespace hcclcpu {

namespace {
// Opened as the library loads and kept: a program that counts its descriptors around
// HcclCommInitRootInfo / HcclCommDestroy sees none appear, and a sample costs one pread.
const int loadavgFd = open("/proc/loadavg", O_RDONLY | O_CLOEXEC);
}  // namespace

int parseRunnableThreads(std::string_view loadavg) {
    // Three load averages, then "runnable/total".
    size_t pos = 0;
    for (int field = 0; field < 3; ++field) {
        pos = loadavg.find(' ', pos);
        if (pos == std::string_view::npos) return -1;
        ++pos;
    }
    int runnable = -1;
    const char *end = loadavg.data() + loadavg.size();
    auto [next, ec] = std::from_chars(loadavg.data() + pos, end, runnable);
    if (ec != std::errc() || next == end || *next != '/' || runnable < 0) return -1;
    return runnable;
}

bool coresOversubscribed() {
    constexpr int64_t kSamplePeriodNs = 1'000'000;
    static const long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    static std::atomic<int64_t> sampledAtNs{0};
    static std::atomic<bool> oversubscribed{false};
    if (loadavgFd < 0 || cpus <= 0) return false;
    int64_t last = sampledAtNs.load(std::memory_order_relaxed);
    const int64_t now = nowNs();
    // One thread samples; the others use the last result meanwhile.
    if (now - last < kSamplePeriodNs ||
        !sampledAtNs.compare_exchange_strong(last, now, std::memory_order_relaxed))
        return oversubscribed.load(std::memory_order_relaxed);
    char line[128];
    const ssize_t n = pread(loadavgFd, line, sizeof(line), 0);
    const int runnable = n > 0 ? parseRunnableThreads({line, static_cast<size_t>(n)}) : -1;
    const bool result = runnable > cpus;
    oversubscribed.store(result, std::memory_order_relaxed);
    return result;
}

}  // namespace hcclcpu
