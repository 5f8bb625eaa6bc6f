// A CANN program as users write it for several processes: one MPI process per rank, the root
// info made by rank 0 and sent with MPI_Bcast, then all-reduce, all-gather and broadcast of
// float32, each checked on the host.
//
//   g++ -std=c++14 main.cc -IP/include -LP/lib64 -lhccl -lascendcl
//       $(mpicxx --showme:compile) $(mpicxx --showme:link)
//   mpirun -np 2 ./a.out
//
// Every rank exits non-zero when a call fails or any rank's result is wrong.
#include <mpi.h>

#include <cstdio>
#include <vector>

#include "acl/acl.h"
#include "hccl/hccl.h"

#define ACLCHECK(call)                                                                    \
    do {                                                                                  \
        aclError ret_ = (call);                                                           \
        if (ret_ != ACL_SUCCESS) {                                                        \
            std::printf("%s:%d: %s returned %d\n", __FILE__, __LINE__, #call, (int)ret_); \
            MPI_Abort(MPI_COMM_WORLD, 1);                                                 \
        }                                                                                 \
    } while (0)

#define HCCLCHECK(call)                                                                       \
    do {                                                                                      \
        HcclResult ret_ = (call);                                                             \
        if (ret_ != HCCL_SUCCESS) {                                                           \
            std::printf("%s:%d: %s returned %d (%s)\n", __FILE__, __LINE__, #call, (int)ret_, \
                        HcclGetErrorString(ret_));                                            \
            MPI_Abort(MPI_COMM_WORLD, 1);                                                     \
        }                                                                                     \
    } while (0)

namespace {

const uint64_t kCount = 1 << 18;  // elements each rank contributes (1 MiB of float32)

float Input(int rank, uint64_t i) {
    return (float)(rank + 1) + (float)(i % 5);
}

// Copies `count` floats from device memory and counts the elements that differ from expected(i).
template <typename Expected>
uint64_t CountWrong(const void *devBuf, uint64_t count, Expected expected, const char *what,
                    int rank) {
    std::vector<float> host(count);
    ACLCHECK(aclrtMemcpy(host.data(), count * sizeof(float), devBuf, count * sizeof(float),
                         ACL_MEMCPY_DEVICE_TO_HOST));
    uint64_t wrong = 0;
    for (uint64_t i = 0; i < count; ++i) {
        if (host[i] != expected(i)) {
            if (wrong == 0) {
                std::printf("rank %d: %s element %llu is %f, expected %f\n", rank, what,
                            (unsigned long long)i, host[i], expected(i));
            }
            ++wrong;
        }
    }
    std::printf("rank %d: %s of %llu floats: %s\n", rank, what, (unsigned long long)count,
                wrong == 0 ? "correct" : "WRONG");
    return wrong;
}

}  // namespace

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank = 0, rankSize = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &rankSize);

    ACLCHECK(aclInit(NULL));
    uint32_t devCount = 0;
    ACLCHECK(aclrtGetDeviceCount(&devCount));
    int32_t device = rank % (int32_t)devCount;
    ACLCHECK(aclrtSetDevice(device));

    HcclRootInfo rootInfo;
    if (rank == 0) {
        HCCLCHECK(HcclGetRootInfo(&rootInfo));
    }
    MPI_Bcast(&rootInfo, HCCL_ROOT_INFO_BYTES, MPI_CHAR, 0, MPI_COMM_WORLD);
    HcclComm comm = nullptr;
    HCCLCHECK(HcclCommInitRootInfo((uint32_t)rankSize, &rootInfo, (uint32_t)rank, &comm));
    aclrtStream stream = nullptr;
    ACLCHECK(aclrtCreateStream(&stream));

    const size_t bytes = kCount * sizeof(float);
    std::vector<float> host(kCount * rankSize);
    void *sendBuf = nullptr, *recvBuf = nullptr;
    ACLCHECK(aclrtMalloc(&sendBuf, bytes, ACL_MEM_MALLOC_HUGE_ONLY));
    ACLCHECK(aclrtMalloc(&recvBuf, bytes * rankSize, ACL_MEM_MALLOC_HUGE_ONLY));
    for (uint64_t i = 0; i < kCount; ++i)
        host[i] = Input(rank, i);
    ACLCHECK(aclrtMemcpy(sendBuf, bytes, host.data(), bytes, ACL_MEMCPY_HOST_TO_DEVICE));
    uint64_t wrong = 0;

    // All-reduce (sum): element i becomes the sum over ranks.
    HCCLCHECK(HcclAllReduce(sendBuf, recvBuf, kCount, HCCL_DATA_TYPE_FP32, HCCL_REDUCE_SUM, comm,
                            stream));
    ACLCHECK(aclrtSynchronizeStream(stream));
    wrong += CountWrong(
        recvBuf, kCount,
        [&](uint64_t i) {
            return (float)(rankSize * (rankSize + 1) / 2) + (float)rankSize * (float)(i % 5);
        },
        "all-reduce", rank);

    // All-gather: block r of the result is rank r's input.
    HCCLCHECK(HcclAllGather(sendBuf, recvBuf, kCount, HCCL_DATA_TYPE_FP32, comm, stream));
    ACLCHECK(aclrtSynchronizeStream(stream));
    wrong += CountWrong(
        recvBuf, kCount * rankSize,
        [&](uint64_t i) { return Input((int)(i / kCount), i % kCount); }, "all-gather", rank);

    // Broadcast from the last rank, in place in sendBuf.
    const uint32_t root = (uint32_t)rankSize - 1;
    HCCLCHECK(HcclBroadcast(sendBuf, kCount, HCCL_DATA_TYPE_FP32, root, comm, stream));
    ACLCHECK(aclrtSynchronizeStream(stream));
    wrong += CountWrong(
        sendBuf, kCount, [&](uint64_t i) { return Input((int)root, i); }, "broadcast", rank);

    HCCLCHECK(HcclCommDestroy(comm));
    ACLCHECK(aclrtFree(sendBuf));
    ACLCHECK(aclrtFree(recvBuf));
    ACLCHECK(aclrtDestroyStream(stream));
    ACLCHECK(aclrtResetDevice(device));
    ACLCHECK(aclFinalize());

    // Every rank reports the same verdict.
    unsigned long long mine = wrong, total = 0;
    MPI_Allreduce(&mine, &total, 1, MPI_UNSIGNED_LONG_LONG, MPI_SUM, MPI_COMM_WORLD);
    if (rank == 0) {
        std::printf("%s: %d ranks, %llu wrong elements\n", total == 0 ? "PASSED" : "FAILED",
                    rankSize, total);
    }
    MPI_Finalize();
    return total == 0 ? 0 : 1;
}
