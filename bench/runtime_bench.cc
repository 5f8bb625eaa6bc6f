// The emulated device at the runtime level: copy bandwidth vs memcpy, issue cost, task
// throughput, copy latency, notify ping-pong vs a raw futex ping-pong.
#include <benchmark/benchmark.h>

#include <cstring>
#include <vector>

#include "bench_util.h"
#include "common/clock.h"
#include "runtime/runtime.h"

namespace hcclcpu::rt {
namespace {

struct Fixture {
    Fixture() {
        setDevice(0);
        streamCreate(&stream);
    }
    Stream *stream = nullptr;
};
Fixture &fixture() {
    static Fixture f;
    return f;
}

void *deviceBuffer(size_t bytes) {
    fixture();  // the device must be set
    void *p = nullptr;
    if (deviceMalloc(bytes, &p) != Err::kOk) std::abort();
    std::memset(p, 1, bytes);  // warm: no first-touch cost in the loop
    return p;
}

void BM_Memcpy(benchmark::State &state) {
    size_t bytes = static_cast<size_t>(state.range(0));
    void *src = deviceBuffer(bytes), *dst = deviceBuffer(bytes);
    for (auto _ : state) {
        std::memcpy(dst, src, bytes);
        benchmark::ClobberMemory();
    }
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
    deviceFree(src);
    deviceFree(dst);
}

void BM_CopyAndSynchronize(benchmark::State &state) {
    size_t bytes = static_cast<size_t>(state.range(0));
    Stream *s = fixture().stream;
    void *src = deviceBuffer(bytes), *dst = deviceBuffer(bytes);
    for (auto _ : state) {
        enqueueCopy(s, dst, bytes, src, bytes, CopyKind::kDeviceToDevice);
        streamSynchronize(s);
    }
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
    deviceFree(src);
    deviceFree(dst);
}

// Median time of one enqueue (batches of 16 calls timed together, the clock read costs ~20 ns).
void BM_IssueCost(benchmark::State &state) {
    Stream *s = fixture().stream;
    void *src = deviceBuffer(64), *dst = deviceBuffer(64);
    std::vector<double> perCall;
    for (auto _ : state) {
        int64_t start = nowNs();
        for (int i = 0; i < 16; ++i)
            enqueueCopy(s, dst, 64, src, 64, CopyKind::kDeviceToDevice);
        perCall.push_back(static_cast<double>(nowNs() - start) / 16);
        if (perCall.size() % 64 == 0) {
            state.PauseTiming();
            streamSynchronize(s);
            state.ResumeTiming();
        }
    }
    streamSynchronize(s);
    state.counters["median_ns_per_call"] = bench::median(perCall);
    deviceFree(src);
    deviceFree(dst);
}

void BM_TaskThroughput(benchmark::State &state) {
    Stream *s = fixture().stream;
    void *src = deviceBuffer(64), *dst = deviceBuffer(64);
    constexpr int kTasks = 100000;
    for (auto _ : state) {
        for (int i = 0; i < kTasks; ++i)
            enqueueCopy(s, dst, 64, src, 64, CopyKind::kDeviceToDevice);
        streamSynchronize(s);
    }
    state.counters["tasks_per_s"] = benchmark::Counter(
        static_cast<double>(state.iterations()) * kTasks, benchmark::Counter::kIsRate);
    deviceFree(src);
    deviceFree(dst);
}

void BM_CopyLatency(benchmark::State &state) {
    Stream *s = fixture().stream;
    void *src = deviceBuffer(64), *dst = deviceBuffer(64);
    std::vector<double> samples;
    for (auto _ : state) {
        int64_t start = nowNs();
        enqueueCopy(s, dst, 64, src, 64, CopyKind::kDeviceToDevice);
        streamSynchronize(s);
        samples.push_back(static_cast<double>(nowNs() - start));
    }
    state.counters["median_ns"] = bench::median(samples);
    deviceFree(src);
    deviceFree(dst);
}

void BM_NotifyPingPong(benchmark::State &state) {
    Stream *a = fixture().stream, *b = nullptr;
    streamCreate(&b);
    Notify *n1 = nullptr, *n2 = nullptr;
    notifyCreate(0, &n1);
    notifyCreate(0, &n2);
    constexpr int kRounds = 2000;
    static std::vector<int64_t> stamps;
    double futexNs = bench::futexPingPongNs(kRounds);
    std::vector<double> roundTrips;
    for (auto _ : state) {
        stamps.clear();
        stamps.reserve(kRounds + 1);
        for (int i = 0; i < kRounds; ++i) {
            enqueueHostFunc(
                a, [](void *) { stamps.push_back(nowNs()); }, nullptr);
            enqueueNotifyRecord(a, n1);
            enqueueNotifyWait(a, n2, kNoTimeout);
            enqueueNotifyWait(b, n1, kNoTimeout);
            enqueueNotifyRecord(b, n2);
        }
        streamSynchronize(a);
        streamSynchronize(b);
        for (size_t i = 1; i < stamps.size(); ++i)
            roundTrips.push_back(static_cast<double>(stamps[i] - stamps[i - 1]));
    }
    double ours = bench::median(roundTrips);
    state.counters["median_round_trip_ns"] = ours;
    state.counters["futex_round_trip_ns"] = futexNs;
    state.counters["futex_over_ours"] = futexNs / ours;
    notifyDestroy(n1);
    notifyDestroy(n2);
    streamDestroy(b);
}

BENCHMARK(BM_Memcpy)->RangeMultiplier(4)->Range(4 << 10, 256 << 20)->UseRealTime();
BENCHMARK(BM_CopyAndSynchronize)->RangeMultiplier(4)->Range(4 << 10, 256 << 20)->UseRealTime();
BENCHMARK(BM_IssueCost)->Iterations(20000);
BENCHMARK(BM_TaskThroughput)->UseRealTime();
BENCHMARK(BM_CopyLatency)->Iterations(20000)->UseRealTime();
BENCHMARK(BM_NotifyPingPong)->Iterations(3)->UseRealTime();

}  // namespace
}  // namespace hcclcpu::rt

BENCHMARK_MAIN();
