// Links between two processes (LinkSet::CreateForProcess): this process is rank 0, a re-executed
// child is rank 1.
//   - Notify ping-pong through the link: rank 0 TxDataSignal then RxDataSignal, rank 1 the
//     reverse; the median round trip next to a raw futex ping-pong between two processes measured
//     in the same run (the floor the link must not lose to).
//   - The same with two busy processes sharing the two cores (more runnable threads than cores),
//     the ranks and the futex pair placed alike: by the scheduler, on one CPU, on two.
//   - RxAsync pulling 1 MiB .. 256 MiB from the peer's OUTPUT buffer (one copy, straight from its
//     memory) next to a local memcpy of the same size.
// The child takes commands over a socketpair; every wait has a deadline.
#include <benchmark/benchmark.h>

#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "bench_util.h"
#include "common/clock.h"
#include "hccl_cpu_links.h"
#include "log.h"
#include "runtime/runtime.h"
#include "stream_pub.h"
#include "transport_pub.h"

namespace hcclcpu::bench {
namespace {

constexpr int kRounds = 5000;
constexpr u64 kMaxCopy = 256 << 20;
constexpr uint8_t kPeerByte = 0x3c;

enum class Command : uint64_t { kStop = 0, kPingPong = 1, kSignal = 2 };
struct Message {
    Command command;
    uint64_t rounds;
};

pid_t spawnSelf(std::vector<std::string> args) {
    std::vector<char *> argv;
    for (std::string &a : args)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = fork();
    if (pid == 0) {
        // Only exec: the parent may already have threads. The child holds its own end of the
        // socket too, so it would never see EOF if the parent died.
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        execv("/proc/self/exe", argv.data());
        _exit(127);
    }
    return pid;
}

// ---- rank 1: the child ------------------------------------------------------------------------

int peerMain(int sock, const std::string &jobId) {
    LinkSet *links = nullptr;
    if (LinkSet::CreateForProcess(2, 1, jobId, kMaxCopy, links) != HCCL_SUCCESS) return 1;
    std::memset(links->Output(1).ptr(), kPeerByte, kMaxCopy);
    Message ready{Command::kSignal, 0};  // rank 0 measures nothing before this
    if (send(sock, &ready, sizeof(ready), MSG_NOSIGNAL) != sizeof(ready)) return 1;
    hccl::LINK link = links->Links(1)[0];
    HcclResult result = links->RunRanks([&](u32 rank, hccl::Stream &stream) {
        Message message{};
        while (recv(sock, &message, sizeof(message), MSG_WAITALL) == sizeof(message) &&
               message.command != Command::kStop) {
            if (message.command == Command::kPingPong) {
                for (uint64_t i = 0; i < message.rounds; ++i) {
                    CHK_RET(link->RxDataSignal(stream));
                    CHK_RET(link->TxDataSignal(stream));
                }
            } else {
                CHK_RET(link->TxDataSignal(stream));
            }
            CHK_RET(links->Synchronize(rank, stream));
            if (send(sock, &message, sizeof(message), MSG_NOSIGNAL) != sizeof(message))
                return HCCL_E_INTERNAL;
        }
        return HCCL_SUCCESS;
    });
    LinkSet::Destroy(links);
    return result == HCCL_SUCCESS ? 0 : 2;
}

// ---- rank 0: this process ---------------------------------------------------------------------

struct Peer {
    Peer() {
        int pair[2];
        socketpair(AF_UNIX, SOCK_STREAM, 0, pair);  // the child inherits pair[1]
        const std::string jobId = "link-bench-" + std::to_string(getpid());
        pid = spawnSelf({"link_bench_peer", "--peer", std::to_string(pair[1]), jobId});
        close(pair[1]);
        sock = pair[0];
        if (LinkSet::CreateForProcess(2, 0, jobId, kMaxCopy, links) != HCCL_SUCCESS) std::abort();
        link = links->Links(0)[1];
        rt::setDevice(links->Device(0));
        stream = hccl::Stream(hccl::StreamType::STREAM_TYPE_ONLINE, true);
        answered();  // the child has filled its OUTPUT buffer (256 MiB: ~0.1-0.4 s)
    }
    ~Peer() {
        Message stop{Command::kStop, 0};
        send(sock, &stop, sizeof(stop), MSG_NOSIGNAL);
        waitpid(pid, nullptr, 0);
        close(sock);
        link.reset();
        stream = hccl::Stream();
        LinkSet::Destroy(links);
        rt::resetDevice(0);
    }
    void ask(Command command, uint64_t rounds) {
        Message message{command, rounds};
        send(sock, &message, sizeof(message), MSG_NOSIGNAL);
    }
    void answered() {
        Message message{};
        if (recv(sock, &message, sizeof(message), MSG_WAITALL) != sizeof(message)) std::abort();
    }
    rt::Stream *rtStream() const { return static_cast<rt::Stream *>(stream.ptr()); }

    pid_t pid;
    int sock;
    LinkSet *links = nullptr;
    hccl::LINK link;
    hccl::Stream stream;
};
Peer &peer() {
    static Peer p;
    return p;
}

// Where the scheduler may run the two ranks (every thread of each): -1 anywhere. With busy
// processes on every core, placement decides a hand-off's cost: a futex ping-pong between two
// processes on one CPU takes ~12 us a round trip here, ~55 us when they are on two CPUs that each
// run a busy process (every wake-up an inter-processor interrupt and a preemption). Left to the
// scheduler, a freshly forked pair (the futex baseline) starts on one CPU while two long-lived
// processes may sit on two, so the pinned runs compare like with like.
struct Placement {
    int rank0Cpu;
    int rank1Cpu;
    const char *label;
};
constexpr Placement kAnywhere{-1, -1, "placed by the scheduler"};
constexpr Placement kPlacements[] = {
    kAnywhere, {0, 0, "both ranks on CPU 0"}, {0, 1, "ranks on CPUs 0 and 1"}};

// `baselineEachIteration`: measure the futex baseline right before every iteration of ours, so
// both see the same conditions (with busy processes around, both vary 4x from run to run). Medians
// say what a typical hand-off costs, means what pace the ping-pong keeps (rare long hand-offs, a
// time slice lost to a busy process, count there).
void pingPong(benchmark::State &state, bool baselineEachIteration, Placement placement) {
    Peer &p = peer();
    static std::vector<int64_t> stamps;
    std::vector<double> roundTrips, means, futexMedians, futexMeans;
    auto futexBaseline = [&] {
        RoundTrips futex = processFutexPingPong(kRounds, placement.rank0Cpu, placement.rank1Cpu);
        futexMedians.push_back(futex.medianNs);
        futexMeans.push_back(futex.meanNs);
    };
    auto place = [&](bool pin) {
        if (placement.rank0Cpu < 0) return;
        pinProcess(getpid(), pin ? placement.rank0Cpu : -1);
        pinProcess(p.pid, pin ? placement.rank1Cpu : -1);
    };
    state.SetLabel(placement.label);
    if (!baselineEachIteration) futexBaseline();
    for (auto _ : state) {
        if (baselineEachIteration) {
            state.PauseTiming();
            futexBaseline();
            state.ResumeTiming();
        }
        place(true);
        p.ask(Command::kPingPong, kRounds);
        stamps.clear();
        stamps.reserve(kRounds);
        for (int i = 0; i < kRounds; ++i) {
            rt::enqueueHostFunc(
                p.rtStream(), [](void *) { stamps.push_back(nowNs()); }, nullptr);
            p.link->TxDataSignal(p.stream);
            p.link->RxDataSignal(p.stream);
        }
        if (p.links->Synchronize(0, p.stream) != HCCL_SUCCESS) std::abort();
        p.answered();
        place(false);
        for (size_t i = 1; i < stamps.size(); ++i)
            roundTrips.push_back(static_cast<double>(stamps[i] - stamps[i - 1]));
        means.push_back(static_cast<double>(stamps.back() - stamps.front()) /
                        static_cast<double>(stamps.size() - 1));
    }
    const double ours = median(roundTrips);
    const double futexNs = median(futexMedians);
    state.counters["median_round_trip_ns"] = ours;
    state.counters["futex_round_trip_ns"] = futexNs;
    state.counters["futex_over_ours"] = futexNs / ours;
    state.counters["mean_round_trip_ns"] = median(means);
    state.counters["futex_mean_round_trip_ns"] = median(futexMeans);
    state.counters["futex_over_ours_mean"] = median(futexMeans) / median(means);
}

void BM_LinkNotifyPingPong(benchmark::State &state) {
    pingPong(state, false, kAnywhere);
}

// The same with more runnable threads than cores: two busy processes (ranks computing, say) share
// the two cores with the ping-pong. A wait must then cost about what a futex hand-off costs, not a
// spinner's time slice. The argument picks a Placement.
void BM_LinkNotifyPingPongOversubscribed(benchmark::State &state) {
    const Placement placement = kPlacements[state.range(0)];
    if (placement.rank1Cpu >= sysconf(_SC_NPROCESSORS_ONLN)) {
        state.SkipWithError("needs two CPUs");
        return;
    }
    std::vector<pid_t> burners;
    for (int i = 0; i < 2; ++i) {
        pid_t pid = fork();
        if (pid == 0) {
            prctl(PR_SET_PDEATHSIG, SIGKILL);  // never outlive the benchmark
            for (uint64_t spin = 0;; ++spin)
                benchmark::DoNotOptimize(spin);
        }
        burners.push_back(pid);
    }
    pingPong(state, true, placement);
    for (pid_t pid : burners) {
        kill(pid, SIGKILL);
        waitpid(pid, nullptr, 0);
    }
}

// Pulling the peer's OUTPUT into local memory with RxAsync (read mode: wait on the data notify,
// which the peer has recorded already, then one copy) vs memcpy between two local buffers.
void BM_LinkRxAsyncVsMemcpy(benchmark::State &state) {
    Peer &p = peer();
    const size_t bytes = static_cast<size_t>(state.range(0));
    void *dst = nullptr, *local = nullptr;
    rt::deviceMalloc(bytes, &dst);
    rt::deviceMalloc(bytes, &local);
    std::memset(dst, 1, bytes);
    std::memset(local, 2, bytes);
    double oursNs = 0, memcpyNs = 0;
    for (auto _ : state) {
        p.ask(Command::kSignal, 1);
        p.answered();
        int64_t t0 = nowNs();
        std::memcpy(dst, local, bytes);
        benchmark::ClobberMemory();
        int64_t t1 = nowNs();
        p.link->RxAsync(hccl::UserMemType::OUTPUT_MEM, 0, dst, bytes, p.stream);
        if (p.links->Synchronize(0, p.stream) != HCCL_SUCCESS) std::abort();
        int64_t t2 = nowNs();
        memcpyNs += static_cast<double>(t1 - t0);
        oursNs += static_cast<double>(t2 - t1);
        state.SetIterationTime(static_cast<double>(t2 - t1) / 1e9);
    }
    const auto *got = static_cast<const uint8_t *>(dst);
    if (got[0] != kPeerByte || got[bytes - 1] != kPeerByte) state.SkipWithError("wrong data");
    state.counters["ratio"] = memcpyNs / oursNs;
    state.counters["ours_GBps"] = static_cast<double>(state.iterations() * bytes) / oursNs;
    state.counters["memcpy_GBps"] = static_cast<double>(state.iterations() * bytes) / memcpyNs;
    rt::deviceFree(dst);
    rt::deviceFree(local);
}

BENCHMARK(BM_LinkNotifyPingPong)->Iterations(3)->UseRealTime();
BENCHMARK(BM_LinkNotifyPingPongOversubscribed)->DenseRange(0, 2)->Iterations(9)->UseRealTime();
BENCHMARK(BM_LinkRxAsyncVsMemcpy)->RangeMultiplier(4)->Range(1 << 20, 256 << 20)->UseManualTime();

}  // namespace
}  // namespace hcclcpu::bench

int main(int argc, char **argv) {
    if (argc == 4 && std::string(argv[1]) == "--peer")
        return hcclcpu::bench::peerMain(std::stoi(argv[2]), argv[3]);
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
