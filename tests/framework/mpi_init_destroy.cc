// hccl_test's shape under mpirun: rank 0 makes the root info, MPI_Bcast ships the blob to every
// process, each process inits its rank on device (rank % devices), checks it, destroys it.
// Exit status 0 when every rank succeeded.
#include <mpi.h>

#include <cstdio>

#include "hccl/hccl.h"

namespace {

int check(bool ok, int rank, const char *what) {
    if (!ok) std::fprintf(stderr, "mpi rank %d: %s failed\n", rank, what);
    return ok ? 0 : 1;
}

}  // namespace

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank = 0, size = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    uint32_t devices = 0;
    aclrtGetDeviceCount(&devices);
    int failures = check(aclrtSetDevice(rank % static_cast<int>(devices)) == ACL_SUCCESS, rank,
                         "aclrtSetDevice");

    for (int iteration = 0; iteration < 3; ++iteration) {
        HcclRootInfo root;
        if (rank == 0 && HcclGetRootInfo(&root) != HCCL_SUCCESS) {
            failures += check(false, rank, "HcclGetRootInfo");
            std::snprintf(root.internal, sizeof(root.internal), "invalid");
        }
        MPI_Bcast(&root, HCCL_ROOT_INFO_BYTES, MPI_CHAR, 0, MPI_COMM_WORLD);
        HcclComm comm = nullptr;
        HcclResult r = HcclCommInitRootInfo(static_cast<uint32_t>(size), &root,
                                            static_cast<uint32_t>(rank), &comm);
        failures += check(r == HCCL_SUCCESS, rank, "HcclCommInitRootInfo");
        if (r != HCCL_SUCCESS) break;
        uint32_t rankSize = 0, rankId = 0;
        failures += check(HcclGetRankSize(comm, &rankSize) == HCCL_SUCCESS &&
                              rankSize == static_cast<uint32_t>(size),
                          rank, "HcclGetRankSize");
        failures += check(
            HcclGetRankId(comm, &rankId) == HCCL_SUCCESS && rankId == static_cast<uint32_t>(rank),
            rank, "HcclGetRankId");
        failures += check(HcclCommDestroy(comm) == HCCL_SUCCESS, rank, "HcclCommDestroy");
        MPI_Barrier(MPI_COMM_WORLD);
    }
    aclrtResetDevice(rank % static_cast<int>(devices));

    int total = 0;
    MPI_Allreduce(&failures, &total, 1, MPI_INT, MPI_SUM, MPI_COMM_WORLD);
    if (rank == 0) std::printf("mpi rendezvous: %d ranks, %d failures\n", size, total);
    MPI_Finalize();
    return total == 0 ? 0 : 1;
}
