#include "bench_util.h"

#include <atomic>
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

}  // namespace hcclcpu::bench
