#include "bench_util.h"

#include <sched.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <atomic>
#include <csignal>
#include <filesystem>
#include <new>
#include <string>
#include <thread>

#include "common/clock.h"
#include "common/futex.h"

namespace hcclcpu::bench {

double futexPingPongNs(int rounds) {
    std::atomic<uint32_t> ping{0}, pong{0};
    std::thread partner([&] {
        for (uint32_t i = 1; i <= static_cast<uint32_t>(rounds); ++i) {
            while (ping.load(std::memory_order_acquire) < i)
                futexWait(&ping, i - 1, 1'000'000'000);
            pong.store(i, std::memory_order_release);
            futexWake(&pong, 1);
        }
    });
    std::vector<double> samples;
    samples.reserve(rounds);
    for (uint32_t i = 1; i <= static_cast<uint32_t>(rounds); ++i) {
        int64_t start = nowNs();
        ping.store(i, std::memory_order_release);
        futexWake(&ping, 1);
        while (pong.load(std::memory_order_acquire) < i)
            futexWait(&pong, i - 1, 1'000'000'000);
        samples.push_back(static_cast<double>(nowNs() - start));
    }
    partner.join();
    return median(std::move(samples));
}

// Round trips of two processes blocking on futexes in a shared page (the baseline).
void pinThread(pid_t tid, int cpu) {
    cpu_set_t set;
    CPU_ZERO(&set);
    const long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    for (long c = 0; c < cpus; ++c)
        if (cpu < 0 || c == cpu) CPU_SET(c, &set);
    sched_setaffinity(tid, sizeof(set), &set);
}

void pinProcess(pid_t pid, int cpu) {
    std::error_code ec;
    for (const auto &task :
         std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/task", ec))
        pinThread(static_cast<pid_t>(std::stol(task.path().filename().string())), cpu);
}

RoundTrips processFutexPingPong(int rounds, int parentCpu, int childCpu) {
    void *page = mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    auto *ping = new (page) std::atomic<uint32_t>(0);
    auto *pong = new (static_cast<char *>(page) + 64) std::atomic<uint32_t>(0);
    pid_t child = fork();
    if (child == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);  // its waits loop until the parent pings
        if (childCpu >= 0) pinThread(0, childCpu);
        for (uint32_t i = 1; i <= static_cast<uint32_t>(rounds); ++i) {
            while (ping->load() < i)
                futexWait(ping, i - 1, 1'000'000'000, true);
            pong->store(i);
            futexWake(pong, 1, true);
        }
        _exit(0);
    }
    if (parentCpu >= 0) pinThread(0, parentCpu);
    std::vector<double> samples;
    const int64_t begin = nowNs();
    for (uint32_t i = 1; i <= static_cast<uint32_t>(rounds); ++i) {
        int64_t start = nowNs();
        ping->store(i);
        futexWake(ping, 1, true);
        while (pong->load() < i)
            futexWait(pong, i - 1, 1'000'000'000, true);
        samples.push_back(static_cast<double>(nowNs() - start));
    }
    const double meanNs = static_cast<double>(nowNs() - begin) / rounds;
    waitpid(child, nullptr, 0);
    if (parentCpu >= 0) pinThread(0, -1);
    munmap(page, 4096);
    return {median(std::move(samples)), meanNs};
}

}  // namespace hcclcpu::bench
