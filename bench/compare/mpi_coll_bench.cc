// Open MPI baseline for hccl_test: the same operations, sizes and table, one process per rank
// (mpirun -np N). Each size: warm-up, barrier, -n back-to-back operations; the time reported is
// the slowest rank's mean, as hccl_test reports it.
#include <mpi.h>

#include <cstdio>
#include <vector>

#include "coll_common.h"

namespace {

using hcclcpu::compare::Op;

void runOnce(Op op, float *send, float *recv, std::size_t count) {
    switch (op) {
        case Op::kAllReduce:
            MPI_Allreduce(send, recv, static_cast<int>(count), MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
            break;
        case Op::kAllGather:
            MPI_Allgather(send, static_cast<int>(count), MPI_FLOAT, recv, static_cast<int>(count),
                          MPI_FLOAT, MPI_COMM_WORLD);
            break;
        case Op::kBroadcast:
            MPI_Bcast(recv, static_cast<int>(count), MPI_FLOAT, 0, MPI_COMM_WORLD);
            break;
    }
}

bool resultIsRight(Op op, const std::vector<float> &recv, int nranks, std::size_t sendCount) {
    for (std::size_t i = 0; i < recv.size(); ++i) {
        if (recv[i] != hcclcpu::compare::expectedValue(op, nranks, sendCount, i)) {
            return false;
        }
    }
    return true;
}

}  // namespace

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank = 0, nranks = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &nranks);
    auto options = hcclcpu::compare::parseOptions(
        argc, argv,
        "mpirun -np N mpi_coll_bench all_reduce|all_gather|broadcast "
        "[-b 8] [-e 64M] [-f 2] [-n 20] [-w 5]");
    if (!options) {
        MPI_Finalize();
        return 2;
    }
    const Op op = options->op;
    if (rank == 0) {
        hcclcpu::compare::printHeader("Open MPI", *options, nranks);
    }
    bool allOk = true;
    for (std::size_t bytes : hcclcpu::compare::sizeSequence(*options)) {
        std::size_t sendCount = hcclcpu::compare::sendElements(op, bytes, nranks);
        std::size_t recvCount = hcclcpu::compare::recvElements(op, bytes, nranks);
        std::vector<float> send(sendCount), recv(recvCount);
        for (std::size_t i = 0; i < sendCount; ++i) {
            send[i] = hcclcpu::compare::inputValue(rank, i);
        }
        // Broadcast is in place: the root's buffer holds the data, the others something else.
        for (std::size_t i = 0; i < recvCount; ++i) {
            recv[i] = op == Op::kBroadcast && rank == 0 ? send[i] : -1.0f;
        }
        for (int i = 0; i < options->warmup; ++i) {
            runOnce(op, send.data(), recv.data(), sendCount);
        }
        MPI_Barrier(MPI_COMM_WORLD);
        double start = MPI_Wtime();
        for (int i = 0; i < options->iters; ++i) {
            runOnce(op, send.data(), recv.data(), sendCount);
        }
        double mine = (MPI_Wtime() - start) * 1e6 / options->iters;
        int ok = resultIsRight(op, recv, nranks, sendCount) ? 1 : 0;
        double slowest = 0;
        int all = 0;
        MPI_Reduce(&mine, &slowest, 1, MPI_DOUBLE, MPI_MAX, 0, MPI_COMM_WORLD);
        MPI_Reduce(&ok, &all, 1, MPI_INT, MPI_MIN, 0, MPI_COMM_WORLD);
        if (rank == 0) {
            hcclcpu::compare::printRow(recvCount * sizeof(float), slowest, op, nranks, all == 1);
            allOk = allOk && all == 1;
        }
    }
    MPI_Finalize();
    return allOk ? 0 : 1;
}
