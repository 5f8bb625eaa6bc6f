// Two processes ordering each other's streams: a notify ping-pong (record on one side, wait on the
// other, and back) between this process and a child, next to a raw futex ping-pong between two
// processes measured in the same run; and copying from a peer process's device memory (one copy,
// straight from its mapping) next to a local memcpy of the same size.
#include <benchmark/benchmark.h>

#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <atomic>
#include <cstring>
#include <string>
#include <vector>

#include "bench_util.h"
#include "common/clock.h"
#include "common/fd_passing.h"
#include "common/futex.h"
#include "runtime/runtime.h"

namespace hcclcpu::bench {
namespace {

using namespace hcclcpu::rt;

constexpr int kRounds = 5000;
constexpr size_t kMaxCopy = 256 << 20;

struct Offer {
    uint64_t notifyOffset;
    uint64_t memorySize;
    uint64_t memoryOffset;
};

// The peer process: answers every record with one, and exports a buffer to copy from.
int peerMain(int sock) {
    Notify *mine = nullptr;
    void *buf = nullptr;
    Stream *s = nullptr;
    if (setDevice(1) != Err::kOk || notifyCreate(1, &mine) != Err::kOk ||
        deviceMalloc(kMaxCopy, &buf) != Err::kOk || streamCreate(&s) != Err::kOk)
        return 1;
    std::memset(buf, 7, kMaxCopy);
    int memFd = -1;
    size_t size = 0, offset = 0;
    memoryExport(buf, &memFd, &size, &offset);
    Offer offer{notifyOffset(mine), size, offset};
    int fds[2] = {runtimeAreaFd(), memFd};
    Offer peer{};
    int got[kMaxPassedFds], n = 0;
    if (!sendWithFds(sock, &offer, sizeof(offer), fds, 2) ||
        !recvWithFds(sock, &peer, sizeof(peer), got, &n, 10000) || n != 1)
        return 2;
    PeerArea *area = nullptr;
    Notify *theirs = nullptr;
    if (peerAreaOpen(got[0], &area) != Err::kOk ||
        peerAreaNotify(area, peer.notifyOffset, &theirs) != Err::kOk)
        return 3;
    uint64_t rounds = 0;
    while (recv(sock, &rounds, sizeof(rounds), MSG_WAITALL) == sizeof(rounds) && rounds > 0) {
        for (uint64_t i = 0; i < rounds; ++i) {
            enqueueNotifyWait(s, mine, 60'000'000'000);
            enqueueNotifyRecord(s, theirs);
        }
        if (streamSynchronize(s) != Err::kOk) return 4;
        send(sock, &rounds, sizeof(rounds), MSG_NOSIGNAL);
    }
    return 0;
}

struct Peer {
    Peer() {
        int pair[2];
        socketpair(AF_UNIX, SOCK_STREAM, 0, pair);
        pid = fork();
        if (pid == 0) {
            close(pair[0]);
            std::string fd = std::to_string(pair[1]);
            execl("/proc/self/exe", "ipc_bench_peer", "--peer", fd.c_str(), nullptr);
            _exit(127);
        }
        close(pair[1]);
        sock = pair[0];
        setDevice(0);
        streamCreate(&stream);
        notifyCreate(0, &mine);
        Offer offer{};
        int fds[kMaxPassedFds], n = 0;
        if (!recvWithFds(sock, &offer, sizeof(offer), fds, &n, 10000) || n != 2) std::abort();
        peerAreaOpen(fds[0], &area);
        peerAreaNotify(area, offer.notifyOffset, &theirs);
        void *base = nullptr;
        memoryImport(fds[1], offer.memorySize, 1, &base);
        close(fds[0]);
        close(fds[1]);
        peerBuffer = static_cast<char *>(base) + offer.memoryOffset;
        Offer back{notifyOffset(mine), 0, 0};
        int areaFd = runtimeAreaFd();
        sendWithFds(sock, &back, sizeof(back), &areaFd, 1);
    }
    ~Peer() {
        uint64_t stop = 0;
        send(sock, &stop, sizeof(stop), MSG_NOSIGNAL);
        waitpid(pid, nullptr, 0);
        close(sock);
    }
    pid_t pid;
    int sock;
    Stream *stream = nullptr;
    Notify *mine = nullptr, *theirs = nullptr;
    PeerArea *area = nullptr;
    char *peerBuffer = nullptr;
};
Peer &peer() {
    static Peer p;
    return p;
}

void BM_ProcessNotifyPingPong(benchmark::State &state) {
    Peer &p = peer();
    const double futexNs = processFutexPingPong(kRounds).medianNs;
    static std::vector<int64_t> stamps;
    std::vector<double> roundTrips;
    for (auto _ : state) {
        uint64_t rounds = kRounds;
        send(p.sock, &rounds, sizeof(rounds), MSG_NOSIGNAL);
        stamps.clear();
        stamps.reserve(kRounds);
        for (int i = 0; i < kRounds; ++i) {
            enqueueHostFunc(
                p.stream, [](void *) { stamps.push_back(nowNs()); }, nullptr);
            enqueueNotifyRecord(p.stream, p.theirs);
            enqueueNotifyWait(p.stream, p.mine, 60'000'000'000);
        }
        streamSynchronize(p.stream);
        recv(p.sock, &rounds, sizeof(rounds), MSG_WAITALL);
        for (size_t i = 1; i < stamps.size(); ++i)
            roundTrips.push_back(static_cast<double>(stamps[i] - stamps[i - 1]));
    }
    double ours = median(roundTrips);
    state.counters["median_round_trip_ns"] = ours;
    state.counters["futex_round_trip_ns"] = futexNs;
    state.counters["futex_over_ours"] = futexNs / ours;
}

// Pulling from the peer's memory into ours on a stream, vs memcpy between two local buffers.
void BM_ProcessCopyVsMemcpy(benchmark::State &state) {
    Peer &p = peer();
    const size_t bytes = static_cast<size_t>(state.range(0));
    void *dst = nullptr, *local = nullptr;
    deviceMalloc(bytes, &dst);
    deviceMalloc(bytes, &local);
    std::memset(dst, 1, bytes);
    std::memset(local, 2, bytes);
    double oursNs = 0, memcpyNs = 0;
    for (auto _ : state) {
        int64_t t0 = nowNs();
        std::memcpy(dst, local, bytes);
        benchmark::ClobberMemory();
        int64_t t1 = nowNs();
        enqueueCopy(p.stream, dst, bytes, p.peerBuffer, bytes, CopyKind::kDeviceToDevice);
        streamSynchronize(p.stream);
        int64_t t2 = nowNs();
        memcpyNs += static_cast<double>(t1 - t0);
        oursNs += static_cast<double>(t2 - t1);
        state.SetIterationTime(static_cast<double>(t2 - t1) / 1e9);
    }
    state.counters["ratio"] = memcpyNs / oursNs;
    state.counters["ours_GBps"] = static_cast<double>(state.iterations() * bytes) / oursNs;
    deviceFree(dst);
    deviceFree(local);
}

BENCHMARK(BM_ProcessNotifyPingPong)->Iterations(3)->UseRealTime();
BENCHMARK(BM_ProcessCopyVsMemcpy)->RangeMultiplier(4)->Range(1 << 20, 256 << 20)->UseManualTime();

}  // namespace
}  // namespace hcclcpu::bench

int main(int argc, char **argv) {
    if (argc == 3 && std::string(argv[1]) == "--peer")
        return hcclcpu::bench::peerMain(std::stoi(argv[2]));
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
