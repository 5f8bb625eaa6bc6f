// A CANN program as users write it: one thread per device, the root info made on device 0 and
// shared through memory, an all-reduce of float32 on every device, result checked on the host.
//
//   g++ -std=c++14 main.cc -IP/include -LP/lib64 -lhccl -lascendcl -lpthread
//   ./a.out [threads]      (default: every device, aclrtGetDeviceCount)
//
// Exits non-zero when a call fails or a result is wrong.
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <vector>

#include "acl/acl.h"
#include "hccl/hccl.h"

#define ACLCHECK(call)                                                                    \
    do {                                                                                  \
        aclError ret_ = (call);                                                           \
        if (ret_ != ACL_SUCCESS) {                                                        \
            std::printf("%s:%d: %s returned %d\n", __FILE__, __LINE__, #call, (int)ret_); \
            return 1;                                                                     \
        }                                                                                 \
    } while (0)

#define HCCLCHECK(call)                                                                       \
    do {                                                                                      \
        HcclResult ret_ = (call);                                                             \
        if (ret_ != HCCL_SUCCESS) {                                                           \
            std::printf("%s:%d: %s returned %d (%s)\n", __FILE__, __LINE__, #call, (int)ret_, \
                        HcclGetErrorString(ret_));                                            \
            return 1;                                                                         \
        }                                                                                     \
    } while (0)

namespace {

const uint64_t kCount = 1 << 20;  // elements per device (4 MiB of float32)

struct ThreadContext {
    const HcclRootInfo *rootInfo;
    int32_t device;
    uint32_t rankSize;
};

// Rank r contributes r + 1 + (i % 5) at element i; every sum is exact in float32.
float Input(uint32_t rank, uint64_t i) {
    return (float)(rank + 1) + (float)(i % 5);
}

float Expected(uint32_t rankSize, uint64_t i) {
    return (float)(rankSize * (rankSize + 1) / 2) + (float)rankSize * (float)(i % 5);
}

int Sample(const ThreadContext &ctx) {
    ACLCHECK(aclrtSetDevice(ctx.device));
    aclrtStream stream = nullptr;
    ACLCHECK(aclrtCreateStream(&stream));

    HcclComm comm = nullptr;
    HCCLCHECK(HcclCommInitRootInfo(ctx.rankSize, ctx.rootInfo, (uint32_t)ctx.device, &comm));
    uint32_t rank = 0, rankSize = 0;
    HCCLCHECK(HcclGetRankId(comm, &rank));
    HCCLCHECK(HcclGetRankSize(comm, &rankSize));

    const size_t bytes = kCount * sizeof(float);
    void *hostBuf = nullptr, *sendBuf = nullptr, *recvBuf = nullptr;
    ACLCHECK(aclrtMallocHost(&hostBuf, bytes));
    ACLCHECK(aclrtMalloc(&sendBuf, bytes, ACL_MEM_MALLOC_HUGE_ONLY));
    ACLCHECK(aclrtMalloc(&recvBuf, bytes, ACL_MEM_MALLOC_HUGE_ONLY));
    float *host = (float *)hostBuf;
    for (uint64_t i = 0; i < kCount; ++i)
        host[i] = Input(rank, i);
    ACLCHECK(aclrtMemcpy(sendBuf, bytes, hostBuf, bytes, ACL_MEMCPY_HOST_TO_DEVICE));

    HCCLCHECK(HcclAllReduce(sendBuf, recvBuf, kCount, HCCL_DATA_TYPE_FP32, HCCL_REDUCE_SUM, comm,
                            stream));
    ACLCHECK(aclrtSynchronizeStream(stream));

    ACLCHECK(aclrtMemcpy(hostBuf, bytes, recvBuf, bytes, ACL_MEMCPY_DEVICE_TO_HOST));
    uint64_t wrong = 0;
    for (uint64_t i = 0; i < kCount; ++i) {
        if (host[i] != Expected(rankSize, i)) {
            if (wrong == 0) {
                std::printf("rank %u: element %llu is %f, expected %f\n", rank,
                            (unsigned long long)i, host[i], Expected(rankSize, i));
            }
            ++wrong;
        }
    }
    std::printf("rank %u of %u, device %d: all-reduce of %llu floats: %s (first %.0f %.0f %.0f)\n",
                rank, rankSize, ctx.device, (unsigned long long)kCount,
                wrong == 0 ? "correct" : "WRONG", host[0], host[1], host[2]);

    HCCLCHECK(HcclCommDestroy(comm));
    ACLCHECK(aclrtFree(sendBuf));
    ACLCHECK(aclrtFree(recvBuf));
    ACLCHECK(aclrtFreeHost(hostBuf));
    ACLCHECK(aclrtDestroyStream(stream));
    ACLCHECK(aclrtResetDevice(ctx.device));
    return wrong == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char **argv) {
    ACLCHECK(aclInit(NULL));
    uint32_t devCount = 0;
    ACLCHECK(aclrtGetDeviceCount(&devCount));
    uint32_t rankSize = devCount;
    if (argc > 1) rankSize = (uint32_t)std::atoi(argv[1]);
    if (rankSize < 1 || rankSize > devCount) {
        std::printf("usage: %s [threads: 1..%u]\n", argv[0], devCount);
        return 2;
    }

    // The root info comes from device 0 and is shared by every thread.
    int32_t rootDevice = 0;
    ACLCHECK(aclrtSetDevice(rootDevice));
    void *rootInfoBuf = nullptr;
    ACLCHECK(aclrtMallocHost(&rootInfoBuf, sizeof(HcclRootInfo)));
    HcclRootInfo *rootInfo = (HcclRootInfo *)rootInfoBuf;
    HCCLCHECK(HcclGetRootInfo(rootInfo));

    std::vector<ThreadContext> contexts(rankSize);
    std::vector<int> results(rankSize, 1);
    std::vector<std::thread> threads;
    for (uint32_t i = 0; i < rankSize; ++i) {
        contexts[i].rootInfo = rootInfo;
        contexts[i].device = (int32_t)i;
        contexts[i].rankSize = rankSize;
        threads.emplace_back([&contexts, &results, i] { results[i] = Sample(contexts[i]); });
    }
    int failed = 0;
    for (uint32_t i = 0; i < rankSize; ++i) {
        threads[i].join();
        failed += results[i] != 0;
    }

    ACLCHECK(aclrtFreeHost(rootInfoBuf));
    ACLCHECK(aclrtResetDevice(rootDevice));
    ACLCHECK(aclFinalize());
    std::printf("%s: %u threads, %d failed\n", failed == 0 ? "PASSED" : "FAILED", rankSize, failed);
    return failed == 0 ? 0 : 1;
}
