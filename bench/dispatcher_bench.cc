// HcclMemcpyAsync and the notify path, each next to a baseline measured in the same run:
//   copy:     HcclMemcpyAsync + synchronize vs memcpy of the same buffers, 4 KiB ... 256 MiB
//   issue:    median cost of one HcclMemcpyAsync (enqueue only), 64 B
//   tasks/s:  sustained rate of 64 B copies
//   latency:  64 B copy, issue -> synchronize returns (median)
//   notify:   record/wait ping-pong between two streams vs a raw futex ping-pong of two threads
//   idle:     CPU used by a device with nothing to do, after its spin budget
#include <benchmark/benchmark.h>

#include <cstring>
#include <ctime>
#include <memory>
#include <thread>
#include <vector>

#include "acl/acl.h"
#include "bench_util.h"
#include "common/clock.h"
#include "dispatcher.h"
#include "local_notify.h"
#include "stream_pub.h"

namespace hcclcpu::bench {
namespace {

using hccl::LinkType;
constexpr auto kD2D = HcclRtMemcpyKind::HCCL_RT_MEMCPY_KIND_DEVICE_TO_DEVICE;

struct Device {
    Device() {
        aclrtSetDevice(0);
        HcclDispatcherInit(DispatcherType::DISPATCHER_NORMAL, 0, &dispatcher);
        stream = std::make_unique<hccl::Stream>(hccl::StreamType::STREAM_TYPE_ONLINE, true);
    }
    HcclDispatcher dispatcher = nullptr;
    std::unique_ptr<hccl::Stream> stream;
};
Device &device() {
    static Device d;
    return d;
}

void *deviceBuffer(size_t bytes) {
    device();
    void *p = nullptr;
    if (aclrtMalloc(&p, bytes, ACL_MEM_MALLOC_HUGE_FIRST) != ACL_SUCCESS) std::abort();
    std::memset(p, 1, bytes);  // no first-touch cost inside the loop
    return p;
}

HcclResult copyAsync(void *dst, const void *src, size_t bytes) {
    Device &d = device();
    return HcclMemcpyAsync(d.dispatcher, dst, bytes, src, bytes, kD2D, *d.stream,
                           INVALID_VALUE_RANKID, LinkType::LINK_ONCHIP);
}
void sync() {
    aclrtSynchronizeStream(device().stream->ptr());
}

// Blocks of memcpy and of HcclMemcpyAsync + synchronize alternate, so both see the same machine.
// Each has its own buffers: the copy runs on an engine thread, and sharing buffers would make each
// side pay for moving the other's cache lines between cores.
void BM_CopyVsMemcpy(benchmark::State &state) {
    const size_t bytes = static_cast<size_t>(state.range(0));
    void *src = deviceBuffer(bytes), *dst = deviceBuffer(bytes);
    void *memcpySrc = deviceBuffer(bytes), *memcpyDst = deviceBuffer(bytes);
    const int block = bytes >= (64 << 20) ? 1 : bytes >= (1 << 20) ? 8 : 64;
    double oursNs = 0, memcpyNs = 0;
    for (auto _ : state) {
        int64_t t0 = nowNs();
        for (int i = 0; i < block; ++i) {
            std::memcpy(memcpyDst, memcpySrc, bytes);
            benchmark::ClobberMemory();
        }
        int64_t t1 = nowNs();
        for (int i = 0; i < block; ++i) {
            copyAsync(dst, src, bytes);
            sync();
        }
        int64_t t2 = nowNs();
        memcpyNs += static_cast<double>(t1 - t0);
        oursNs += static_cast<double>(t2 - t1);
        state.SetIterationTime(static_cast<double>(t2 - t1) / 1e9 / block);
    }
    double total = static_cast<double>(state.iterations()) * block * static_cast<double>(bytes);
    state.counters["ours_GBps"] = total / oursNs;
    state.counters["memcpy_GBps"] = total / memcpyNs;
    state.counters["ratio"] = memcpyNs / oursNs;
    for (void *p : {src, dst, memcpySrc, memcpyDst})
        aclrtFree(p);
}

void BM_IssueCost(benchmark::State &state) {
    void *src = deviceBuffer(64), *dst = deviceBuffer(64);
    std::vector<double> perCall;
    for (auto _ : state) {
        int64_t start = nowNs();
        for (int i = 0; i < 16; ++i)
            copyAsync(dst, src, 64);
        perCall.push_back(static_cast<double>(nowNs() - start) / 16);
        if (perCall.size() % 64 == 0) {
            state.PauseTiming();
            sync();
            state.ResumeTiming();
        }
    }
    sync();
    state.counters["median_ns_per_call"] = median(perCall);
    aclrtFree(src);
    aclrtFree(dst);
}

void BM_TaskThroughput(benchmark::State &state) {
    void *src = deviceBuffer(64), *dst = deviceBuffer(64);
    constexpr int kTasks = 100000;
    for (auto _ : state) {
        for (int i = 0; i < kTasks; ++i)
            copyAsync(dst, src, 64);
        sync();
    }
    state.counters["tasks_per_s"] = benchmark::Counter(
        static_cast<double>(state.iterations()) * kTasks, benchmark::Counter::kIsRate);
    aclrtFree(src);
    aclrtFree(dst);
}

void BM_CopyLatency(benchmark::State &state) {
    void *src = deviceBuffer(64), *dst = deviceBuffer(64);
    std::vector<double> samples;
    for (auto _ : state) {
        int64_t start = nowNs();
        copyAsync(dst, src, 64);
        sync();
        samples.push_back(static_cast<double>(nowNs() - start));
    }
    state.counters["median_ns"] = median(samples);
    aclrtFree(src);
    aclrtFree(dst);
}

// Round trips are timestamped on stream a by a host function between two ping-pongs.
void BM_NotifyPingPong(benchmark::State &state) {
    Device &d = device();
    hccl::Stream &a = *d.stream;
    hccl::Stream b(hccl::StreamType::STREAM_TYPE_ONLINE);
    auto ping = std::make_shared<hccl::LocalNotify>(), pong = std::make_shared<hccl::LocalNotify>();
    ping->Init();
    pong->Init();
    aclrtEvent stamp = nullptr;
    aclrtCreateEvent(&stamp);
    constexpr int kRounds = 2000;
    const double futexNs = futexPingPongNs(kRounds);
    std::vector<double> roundTrips;
    for (auto _ : state) {
        std::vector<aclrtEvent> events(kRounds);
        for (auto &e : events)
            aclrtCreateEvent(&e);
        for (int i = 0; i < kRounds; ++i) {
            aclrtRecordEvent(events[i], a.ptr());
            hccl::LocalNotify::Post(a, d.dispatcher, ping);
            hccl::LocalNotify::Wait(a, d.dispatcher, pong);
            hccl::LocalNotify::Wait(b, d.dispatcher, ping);
            hccl::LocalNotify::Post(b, d.dispatcher, pong);
        }
        sync();
        aclrtSynchronizeStream(b.ptr());
        for (int i = 1; i < kRounds; ++i) {
            float ms = 0;
            aclrtEventElapsedTime(&ms, events[i - 1], events[i]);
            roundTrips.push_back(ms * 1e6);
        }
        for (auto &e : events)
            aclrtDestroyEvent(e);
    }
    const double ours = median(roundTrips);
    state.counters["median_round_trip_ns"] = ours;
    state.counters["futex_round_trip_ns"] = futexNs;
    state.counters["futex_over_ours"] = futexNs / ours;
    aclrtDestroyEvent(stamp);
}

// CPU time the process uses while its device has nothing to do (after the spin budget).
void BM_IdleCpu(benchmark::State &state) {
    void *src = deviceBuffer(64), *dst = deviceBuffer(64);
    auto cpuNs = [] {
        timespec ts;
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
        return static_cast<double>(ts.tv_sec) * 1e9 + static_cast<double>(ts.tv_nsec);
    };
    double used = 0, wall = 0;
    for (auto _ : state) {
        copyAsync(dst, src, 64);
        sync();
        std::this_thread::sleep_for(std::chrono::milliseconds(10));  // past the spin budget
        double c0 = cpuNs();
        int64_t w0 = nowNs();
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        used += cpuNs() - c0;
        wall += static_cast<double>(nowNs() - w0);
    }
    state.counters["idle_cpu_percent"] = 100.0 * used / wall;
    aclrtFree(src);
    aclrtFree(dst);
}

BENCHMARK(BM_CopyVsMemcpy)->RangeMultiplier(4)->Range(4 << 10, 256 << 20)->UseManualTime();
BENCHMARK(BM_IssueCost)->Iterations(20000);
BENCHMARK(BM_TaskThroughput)->UseRealTime();
BENCHMARK(BM_CopyLatency)->Iterations(20000)->UseRealTime();
BENCHMARK(BM_NotifyPingPong)->Iterations(3)->UseRealTime();
BENCHMARK(BM_IdleCpu)->Iterations(5)->UseRealTime();

}  // namespace
}  // namespace hcclcpu::bench

BENCHMARK_MAIN();
