// device_demo: the emulated devices and the dispatcher at work, written like HCCL algorithm code.
//
// One thread per device (as CANN programs run). Every device:
//   1. copies a host pattern to device memory (HcclMemcpyAsync, HOST_TO_DEVICE) on its main stream;
//   2. hands over to a second stream with a LocalNotify;
//   3. there, reduces its input with its right neighbour's (read directly from the neighbour's
//      device memory after the neighbour signals it is ready, HcclSignalRecord/Wait across devices)
//      in five data types, inline (SDMA) and TBE paths;
//   4. signals back, copies the results to the host, synchronizes;
// and the host checks every element against a reference computed independently. Then device 0's
// copy bandwidth is measured next to plain memcpy's.
#include <barrier>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>

#include "acl/acl.h"
#include "dispatcher.h"
#include "hccl/hccl_types.h"
#include "local_notify.h"
#include "stream_pub.h"

namespace {

#define CHECK(call)                                                                    \
    do {                                                                               \
        auto rc_ = (call);                                                             \
        if (rc_ != 0) {                                                                \
            std::fprintf(stderr, "%s:%d: %s returned %d\n", __FILE__, __LINE__, #call, \
                         static_cast<int>(rc_));                                       \
            std::exit(1);                                                              \
        }                                                                              \
    } while (0)

struct Options {
    int devices = 8;
    size_t elements = 1 << 18;  // per data type
    int iterations = 20;
    size_t bandwidthBytes = 64 << 20;
};

struct DType {
    HcclDataType type;
    const char *name;
    size_t size;
    bool inlineReduce;  // inline (SDMA) path; else the TBE path
};
const DType kTypes[] = {
    {HCCL_DATA_TYPE_FP32, "fp32", 4, true},  {HCCL_DATA_TYPE_FP16, "fp16", 2, true},
    {HCCL_DATA_TYPE_BFP16, "bf16", 2, true}, {HCCL_DATA_TYPE_INT32, "int32", 4, false},
    {HCCL_DATA_TYPE_INT8, "int8", 1, false},
};
constexpr int kTypeCount = sizeof(kTypes) / sizeof(kTypes[0]);

// ---- reference arithmetic, independent of the library --------------------------------------
float bf16ToFloat(uint16_t b) {
    uint32_t bits = uint32_t{b} << 16;
    float f;
    std::memcpy(&f, &bits, 4);
    return f;
}
uint16_t floatToBf16(float f) {  // round to nearest even (no NaN in this demo's data)
    uint32_t bits;
    std::memcpy(&bits, &f, 4);
    return static_cast<uint16_t>((bits + 0x7fff + ((bits >> 16) & 1)) >> 16);
}

// The value element i of device d holds in iteration it, as a small float.
float patternValue(int d, size_t i, int it) {
    return static_cast<float>(static_cast<int>((i * 7 + d * 13 + it * 3) % 61) - 30) * 0.25f;
}

void fillPattern(const DType &t, void *dst, int d, size_t n, int it) {
    for (size_t i = 0; i < n; ++i) {
        float v = patternValue(d, i, it);
        switch (t.type) {
            case HCCL_DATA_TYPE_FP32:
                static_cast<float *>(dst)[i] = v;
                break;
            case HCCL_DATA_TYPE_FP16:
                static_cast<uint16_t *>(dst)[i] = aclFloatToFloat16(v);
                break;
            case HCCL_DATA_TYPE_BFP16:
                static_cast<uint16_t *>(dst)[i] = floatToBf16(v);
                break;
            case HCCL_DATA_TYPE_INT32:
                static_cast<int32_t *>(dst)[i] = static_cast<int32_t>(v * 4);
                break;
            default:
                static_cast<int8_t *>(dst)[i] = static_cast<int8_t>(v * 4);
                break;
        }
    }
}

// Index of the first element where got != mine + neighbour's, or n when all match.
size_t firstMismatch(const DType &t, const void *got, int d, int right, size_t n, int it) {
    std::vector<uint8_t> a(n * t.size), b(n * t.size);
    fillPattern(t, a.data(), d, n, it);
    fillPattern(t, b.data(), right, n, it);
    for (size_t i = 0; i < n; ++i) {
        bool ok = true;
        switch (t.type) {
            case HCCL_DATA_TYPE_FP32:
                ok =
                    static_cast<const float *>(got)[i] ==
                    reinterpret_cast<float *>(a.data())[i] + reinterpret_cast<float *>(b.data())[i];
                break;
            case HCCL_DATA_TYPE_FP16: {
                auto *x = reinterpret_cast<uint16_t *>(a.data());
                auto *y = reinterpret_cast<uint16_t *>(b.data());
                ok = static_cast<const uint16_t *>(got)[i] ==
                     aclFloatToFloat16(aclFloat16ToFloat(x[i]) + aclFloat16ToFloat(y[i]));
                break;
            }
            case HCCL_DATA_TYPE_BFP16: {
                auto *x = reinterpret_cast<uint16_t *>(a.data());
                auto *y = reinterpret_cast<uint16_t *>(b.data());
                ok = static_cast<const uint16_t *>(got)[i] ==
                     floatToBf16(bf16ToFloat(x[i]) + bf16ToFloat(y[i]));
                break;
            }
            case HCCL_DATA_TYPE_INT32:
                ok = static_cast<const int32_t *>(got)[i] ==
                     reinterpret_cast<int32_t *>(a.data())[i] +
                         reinterpret_cast<int32_t *>(b.data())[i];
                break;
            default:
                ok = static_cast<const int8_t *>(got)[i] ==
                     static_cast<int8_t>(reinterpret_cast<int8_t *>(a.data())[i] +
                                         reinterpret_cast<int8_t *>(b.data())[i]);
                break;
        }
        if (!ok) return i;
    }
    return n;
}

// ---- task reports ---------------------------------------------------------------------------
struct TaskCounts {
    std::mutex mutex;
    std::map<std::string, uint64_t> byType;
    uint64_t remoteTasks = 0;  // tasks that carried a peer rank and link type
};

void onTaskReport(void *user, void *param, u32 length) {
    auto *counts = static_cast<TaskCounts *>(user);
    const auto &task = *static_cast<hccl::TaskPara *>(param);
    static const char *kNames[] = {"sdma copy",     "rdma",        "inline reduce", "tbe reduce",
                                   "notify record", "notify wait", "host",          "graph"};
    auto type = static_cast<unsigned>(task.type);
    std::lock_guard lock(counts->mutex);
    counts->byType[type < 8 ? kNames[type] : "other"]++;
    if (task.type == hccl::TaskType::TASK_REDUCE_INLINE &&
        task.reduce.remoteUserRank != INVALID_VALUE_RANKID)
        counts->remoteTasks++;
}

// ---- one device ------------------------------------------------------------------------------
struct Shared {
    Options opt;
    std::vector<void *> inputs;  // per device: inputs of every type
    std::vector<std::shared_ptr<hccl::LocalNotify>>
        ready;  // per device: "right neighbour is ready"
    std::unique_ptr<std::barrier<>> barrier;
    TaskCounts counts;
    std::atomic<int> failures{0};
};

size_t typeOffset(const Options &o, int t) {
    size_t off = 0;
    for (int k = 0; k < t; ++k)
        off += o.elements * kTypes[k].size;
    return off;
}

void runDevice(Shared &sh, int d) {
    const Options &o = sh.opt;
    const int n = o.devices, right = (d + 1) % n, left = (d + n - 1) % n;
    CHECK(aclrtSetDevice(d));
    HcclDispatcher disp = nullptr;
    CHECK(HcclDispatcherInit(DispatcherType::DISPATCHER_NORMAL, d, &disp));
    CHECK(RegisterLoadTaskCallBack(disp, &sh.counts, onTaskReport));
    hccl::Stream mainStream(hccl::StreamType::STREAM_TYPE_ONLINE, true);
    hccl::Stream aux(hccl::StreamType::STREAM_TYPE_ONLINE);
    auto toAux = std::make_shared<hccl::LocalNotify>(),
         toMain = std::make_shared<hccl::LocalNotify>();
    CHECK(toAux->Init());
    CHECK(toMain->Init());
    sh.ready[d] = std::make_shared<hccl::LocalNotify>();
    CHECK(sh.ready[d]->Init());

    const size_t total = typeOffset(o, kTypeCount);
    void *host = nullptr, *acc = nullptr, *hostOut = nullptr;
    CHECK(aclrtMallocHost(&host, total));
    CHECK(aclrtMallocHost(&hostOut, total));
    CHECK(aclrtMalloc(&sh.inputs[d], total, ACL_MEM_MALLOC_HUGE_FIRST));
    CHECK(aclrtMalloc(&acc, total, ACL_MEM_MALLOC_HUGE_FIRST));
    auto *in = static_cast<char *>(sh.inputs[d]);
    sh.barrier->arrive_and_wait();  // every device's input and notify exist

    for (int it = 0; it < o.iterations; ++it) {
        for (int t = 0; t < kTypeCount; ++t)
            fillPattern(kTypes[t], static_cast<char *>(host) + typeOffset(o, t), d, o.elements, it);
        // 1. host -> device on the main stream, then let the aux stream run.
        CHECK(HcclMemcpyAsync(disp, in, total, host, total,
                              HcclRtMemcpyKind::HCCL_RT_MEMCPY_KIND_HOST_TO_DEVICE, mainStream,
                              INVALID_VALUE_RANKID, hccl::LinkType::LINK_ONCHIP));
        CHECK(hccl::LocalNotify::Post(mainStream, disp, toAux));
        CHECK(hccl::LocalNotify::Wait(aux, disp, toAux));
        // 2. tell the left neighbour my input is ready; wait until the right one's is.
        CHECK(HcclSignalRecord(disp, sh.ready[left]->ptr(), aux, left, INVALID_U64, -1, false, 0));
        CHECK(HcclSignalWait(disp, sh.ready[d]->ptr(), aux, d, right, -1, false));
        // 3. acc = mine + right neighbour's, reading the neighbour's memory directly.
        auto *peer = static_cast<char *>(sh.inputs[right]);
        for (int t = 0; t < kTypeCount; ++t) {
            size_t off = typeOffset(o, t), bytes = o.elements * kTypes[t].size;
            CHECK(HcclMemcpyAsync(disp, static_cast<char *>(acc) + off, bytes, in + off, bytes,
                                  HcclRtMemcpyKind::HCCL_RT_MEMCPY_KIND_DEVICE_TO_DEVICE, aux,
                                  INVALID_VALUE_RANKID, hccl::LinkType::LINK_ONCHIP));
            CHECK(HcclReduceAsync(disp, peer + off, o.elements, kTypes[t].type, HCCL_REDUCE_SUM,
                                  aux, static_cast<char *>(acc) + off, right,
                                  hccl::LinkType::LINK_HCCS,
                                  kTypes[t].inlineReduce ? INLINE_REDUCE_BIT : 0));
        }
        // 4. back to main, results to the host.
        CHECK(hccl::LocalNotify::Post(aux, disp, toMain));
        CHECK(hccl::LocalNotify::Wait(mainStream, disp, toMain));
        CHECK(HcclMemcpyAsync(disp, hostOut, total, acc, total,
                              HcclRtMemcpyKind::HCCL_RT_MEMCPY_KIND_DEVICE_TO_HOST, mainStream,
                              INVALID_VALUE_RANKID, hccl::LinkType::LINK_ONCHIP));
        CHECK(aclrtSynchronizeStream(aux.ptr()));
        CHECK(aclrtSynchronizeStream(mainStream.ptr()));
        for (int t = 0; t < kTypeCount; ++t) {
            size_t bad = firstMismatch(kTypes[t], static_cast<char *>(hostOut) + typeOffset(o, t),
                                       d, right, o.elements, it);
            if (bad != o.elements) {
                std::fprintf(stderr, "device %d iteration %d: %s mismatch at element %zu\n", d, it,
                             kTypes[t].name, bad);
                sh.failures++;
            }
        }
        sh.barrier->arrive_and_wait();  // nobody rewrites its input while a neighbour reads it
    }

    CHECK(aclrtFree(acc));
    CHECK(aclrtFreeHost(host));
    CHECK(aclrtFreeHost(hostOut));
    sh.barrier->arrive_and_wait();
    CHECK(aclrtFree(sh.inputs[d]));
    sh.ready[d].reset();
    toAux.reset();
    toMain.reset();
    CHECK(HcclDispatcherDestroy(disp));
}

// Device 0: HcclMemcpyAsync + synchronize against memcpy on the same buffers.
void measureBandwidth(const Options &o) {
    CHECK(aclrtSetDevice(0));
    HcclDispatcher disp = nullptr;
    CHECK(HcclDispatcherInit(DispatcherType::DISPATCHER_NORMAL, 0, &disp));
    hccl::Stream stream(hccl::StreamType::STREAM_TYPE_ONLINE, true);
    void *src = nullptr, *dst = nullptr;
    CHECK(aclrtMalloc(&src, o.bandwidthBytes, ACL_MEM_MALLOC_HUGE_FIRST));
    CHECK(aclrtMalloc(&dst, o.bandwidthBytes, ACL_MEM_MALLOC_HUGE_FIRST));
    std::memset(src, 1, o.bandwidthBytes);
    std::memset(dst, 2, o.bandwidthBytes);
    using Clock = std::chrono::steady_clock;
    auto seconds = [](auto a, auto b) { return std::chrono::duration<double>(b - a).count(); };
    constexpr int kReps = 10;
    double bestCopy = 1e9, bestMemcpy = 1e9;
    for (int r = 0; r < kReps; ++r) {
        auto a = Clock::now();
        std::memcpy(dst, src, o.bandwidthBytes);
        auto b = Clock::now();
        CHECK(HcclMemcpyAsync(disp, dst, o.bandwidthBytes, src, o.bandwidthBytes,
                              HcclRtMemcpyKind::HCCL_RT_MEMCPY_KIND_DEVICE_TO_DEVICE, stream,
                              INVALID_VALUE_RANKID, hccl::LinkType::LINK_ONCHIP));
        CHECK(aclrtSynchronizeStream(stream.ptr()));
        auto c = Clock::now();
        bestMemcpy = std::min(bestMemcpy, seconds(a, b));
        bestCopy = std::min(bestCopy, seconds(b, c));
    }
    double gb = static_cast<double>(o.bandwidthBytes) / 1e9;
    std::printf("copy bandwidth, %zu MiB device-to-device (best of %d):\n", o.bandwidthBytes >> 20,
                kReps);
    std::printf("  HcclMemcpyAsync + synchronize  %6.1f GB/s\n", gb / bestCopy);
    std::printf("  memcpy                         %6.1f GB/s\n", gb / bestMemcpy);
    std::printf("  ratio                          %6.2fx\n", bestMemcpy / bestCopy);
    CHECK(aclrtFree(src));
    CHECK(aclrtFree(dst));
    CHECK(HcclDispatcherDestroy(disp));
}

}  // namespace

int main(int argc, char **argv) {
    Options o;
    CLI::App app{"hccl-cpu device demo: a verified task mix on every emulated device"};
    app.add_option("-n,--devices", o.devices, "devices (one thread each)")
        ->check(CLI::Range(2, 64));
    app.add_option("-e,--elements", o.elements, "elements per data type")
        ->check(CLI::Range(1, 1 << 26));
    app.add_option("-i,--iterations", o.iterations, "rounds of the task mix")
        ->check(CLI::Range(1, 100000));
    app.add_option("-b,--bandwidth-mib", o.bandwidthBytes, "bytes for the bandwidth check (MiB)")
        ->transform([](std::string s) { return std::to_string(std::stoull(s) << 20); });
    CLI11_PARSE(app, argc, argv);

    CHECK(aclInit(nullptr));
    uint32_t available = 0;
    CHECK(aclrtGetDeviceCount(&available));
    if (static_cast<uint32_t>(o.devices) > available) {
        std::fprintf(stderr, "asked for %d devices, %u exist (HCCL_CPU_DEVICE_COUNT)\n", o.devices,
                     available);
        return 1;
    }
    std::printf("hccl-cpu device demo: %d devices, %d iterations, %zu elements x %d data types\n",
                o.devices, o.iterations, o.elements, kTypeCount);

    Shared sh;
    sh.opt = o;
    sh.inputs.resize(o.devices);
    sh.ready.resize(o.devices);
    sh.barrier = std::make_unique<std::barrier<>>(o.devices);
    auto start = std::chrono::steady_clock::now();
    std::vector<std::thread> threads;
    for (int d = 0; d < o.devices; ++d)
        threads.emplace_back(runDevice, std::ref(sh), d);
    for (auto &t : threads)
        t.join();
    double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

    uint64_t tasks = 0;
    std::printf("tasks issued (from the task reports):\n");
    for (const auto &[name, count] : sh.counts.byType) {
        std::printf("  %-14s %8llu\n", name.c_str(), static_cast<unsigned long long>(count));
        tasks += count;
    }
    std::printf("  %-14s %8llu in %.2f s (%llu inline reduces read a peer device)\n", "total",
                static_cast<unsigned long long>(tasks), elapsed,
                static_cast<unsigned long long>(sh.counts.remoteTasks));
    if (sh.failures != 0) {
        std::printf("VERIFICATION FAILED: %d mismatches\n", sh.failures.load());
        return 1;
    }
    std::printf(
        "verified: every element of every data type on every device matches the reference\n");
    measureBandwidth(o);
    CHECK(aclFinalize());
    return 0;
}
