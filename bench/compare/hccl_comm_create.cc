// hccl-cpu side of the communicator-creation comparison: N forked processes (one rank each,
// device rank % device count). Rank 0 calls HcclGetRootInfo and shares the blob through shared
// memory; every rank times HcclCommInitRootInfo until its communicator is returned, then its
// first 4 B all-reduce (where links may be built lazily). HCCL_BUFFSIZE comes from the
// environment. Times are the slowest rank's; "first call to last ready" spans processes
// (CLOCK_REALTIME, one host).
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <new>
#include <thread>

#include "fork_launcher.h"
#include "hccl/hccl.h"

namespace {

constexpr int kMaxRanks = 64;
constexpr int kTimeoutSeconds = 300;

struct RankTimes {
    double start = 0;     // before aclInit
    double device = 0;    // aclInit + aclrtSetDevice done
    double initCall = 0;  // HcclCommInitRootInfo called
    double ready = 0;     // HcclCommInitRootInfo returned
    double firstOp = 0;   // first all-reduce synchronized
    int firstOpResult = -1;
};

struct Shared {
    std::atomic<int> rootState{0};  // 0 not yet, 1 ready, 2 HcclGetRootInfo failed
    double getRootMs = 0;
    HcclRootInfo rootInfo;
    RankTimes ranks[kMaxRanks];
};

double nowMs() {
    timespec ts{};
    clock_gettime(CLOCK_REALTIME, &ts);
    return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

bool waitForRoot(Shared &shared) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (shared.rootState.load(std::memory_order_acquire) == 0) {
        if (std::chrono::steady_clock::now() > deadline) {
            return false;
        }
        std::this_thread::sleep_for(std::chrono::microseconds(50));
    }
    return shared.rootState.load(std::memory_order_acquire) == 1;
}

int firstAllReduce(HcclComm comm, int nranks) {
    aclrtStream stream = nullptr;
    void *send = nullptr, *recv = nullptr;
    if (aclrtCreateStream(&stream) != ACL_SUCCESS ||
        aclrtMalloc(&send, 64, ACL_MEM_MALLOC_HUGE_FIRST) != ACL_SUCCESS ||
        aclrtMalloc(&recv, 64, ACL_MEM_MALLOC_HUGE_FIRST) != ACL_SUCCESS) {
        return -2;
    }
    float one = 1.0f, sum = 0.0f;
    aclrtMemcpy(send, 64, &one, sizeof(one), ACL_MEMCPY_HOST_TO_DEVICE);
    int result = HcclAllReduce(send, recv, 1, HCCL_DATA_TYPE_FP32, HCCL_REDUCE_SUM, comm, stream);
    if (result == HCCL_SUCCESS) {
        result = aclrtSynchronizeStream(stream) == ACL_SUCCESS ? 0 : -3;
    }
    if (result == HCCL_SUCCESS) {
        aclrtMemcpy(&sum, sizeof(sum), recv, sizeof(sum), ACL_MEMCPY_DEVICE_TO_HOST);
        result = sum == static_cast<float>(nranks) ? 0 : -4;
    }
    aclrtFree(send);
    aclrtFree(recv);
    aclrtDestroyStream(stream);
    return result;
}

int runRank(Shared &shared, int nranks, int rank) {
    RankTimes &t = shared.ranks[rank];
    t.start = nowMs();
    uint32_t devices = 0;
    if (aclInit(nullptr) != ACL_SUCCESS || aclrtGetDeviceCount(&devices) != ACL_SUCCESS ||
        devices == 0 || aclrtSetDevice(static_cast<int32_t>(rank % devices)) != ACL_SUCCESS) {
        std::fprintf(stderr, "rank %d: device set-up failed\n", rank);
        if (rank == 0) {
            shared.rootState.store(2, std::memory_order_release);
        }
        return 3;
    }
    t.device = nowMs();
    if (rank == 0) {
        double before = nowMs();
        HcclResult r = HcclGetRootInfo(&shared.rootInfo);
        shared.getRootMs = nowMs() - before;
        shared.rootState.store(r == HCCL_SUCCESS ? 1 : 2, std::memory_order_release);
        if (r != HCCL_SUCCESS) {
            std::fprintf(stderr, "HcclGetRootInfo: %s\n", HcclGetErrorString(r));
            return 4;
        }
    } else if (!waitForRoot(shared)) {
        return 4;
    }
    HcclComm comm = nullptr;
    t.initCall = nowMs();
    HcclResult r = HcclCommInitRootInfo(static_cast<uint32_t>(nranks), &shared.rootInfo,
                                        static_cast<uint32_t>(rank), &comm);
    t.ready = nowMs();
    if (r != HCCL_SUCCESS) {
        std::fprintf(stderr, "rank %d: HcclCommInitRootInfo: %s\n", rank, HcclGetErrorString(r));
        return 5;
    }
    t.firstOpResult = firstAllReduce(comm, nranks);
    t.firstOp = nowMs();
    HcclCommDestroy(comm);
    aclrtResetDevice(static_cast<int32_t>(rank % devices));
    aclFinalize();
    return 0;
}

}  // namespace

int main(int argc, char **argv) {
    int nranks = 8;
    if (argc == 3 && std::strcmp(argv[1], "-np") == 0) {
        nranks = std::atoi(argv[2]);
    } else if (argc != 1) {
        std::fprintf(stderr,
                     "usage: hccl_comm_create [-np N]   (HCCL_BUFFSIZE from the "
                     "environment)\n");
        return 2;
    }
    if (nranks < 1 || nranks > kMaxRanks) {
        std::fprintf(stderr, "-np must be 1..%d\n", kMaxRanks);
        return 2;
    }
    setenv("HCCL_IF_IP", "127.0.0.1", 0);  // all ranks are on this host
    void *memory =
        mmap(nullptr, sizeof(Shared), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (memory == MAP_FAILED) {
        std::perror("mmap");
        return 1;
    }
    Shared &shared = *new (memory) Shared;
    int code = hcclcpu::compare::runForked(nranks, kTimeoutSeconds,
                                           [&](int rank) { return runRank(shared, nranks, rank); });
    const char *buffsize = std::getenv("HCCL_BUFFSIZE");
    if (code != 0) {
        std::printf("hccl-cpu, %d ranks, HCCL_BUFFSIZE=%s: FAILED (status %d)\n", nranks,
                    buffsize ? buffsize : "unset (200)", code);
        return 1;
    }
    double device = 0, init = 0, firstOp = 0, firstStart = shared.ranks[0].start, lastReady = 0;
    int firstOpResult = 0;
    for (int r = 0; r < nranks; ++r) {
        const RankTimes &t = shared.ranks[r];
        device = std::max(device, t.device - t.start);
        init = std::max(init, t.ready - t.initCall);
        firstOp = std::max(firstOp, t.firstOp - t.ready);
        firstStart = std::min(firstStart, t.start);
        lastReady = std::max(lastReady, t.ready);
        if (t.firstOpResult != 0) {
            firstOpResult = t.firstOpResult;
        }
    }
    char firstOpText[96];
    if (firstOpResult == 0) {
        std::snprintf(firstOpText, sizeof(firstOpText), "%.3f ms", firstOp);
    } else if (firstOpResult == HCCL_E_NOT_SUPPORT) {
        std::snprintf(firstOpText, sizeof(firstOpText), "not supported yet");
    } else {
        std::snprintf(firstOpText, sizeof(firstOpText), "FAILED (%d)", firstOpResult);
    }
    std::printf(
        "hccl-cpu, %d ranks, HCCL_BUFFSIZE=%s: aclInit + aclrtSetDevice %.2f ms, "
        "HcclGetRootInfo %.2f ms, HcclCommInitRootInfo %.2f ms, first 4 B all-reduce "
        "%s, first aclInit call to last rank ready %.2f ms\n",
        nranks, buffsize ? buffsize : "unset (200)", device, shared.getRootMs, init, firstOpText,
        lastReady - firstStart);
    munmap(memory, sizeof(Shared));
    return firstOpResult == 0 || firstOpResult == HCCL_E_NOT_SUPPORT ? 0 : 1;
}
