// Open MPI side of the communicator-creation comparison (mpirun -np 8 --oversubscribe):
// MPI_Init, then MPI_Comm_dup of the world (until every rank has it), then the first
// all-reduce on it. Times are the slowest rank's; "first call to last ready" spans processes
// (CLOCK_REALTIME, one host).
#include <mpi.h>

#include <cstdint>
#include <cstdio>
#include <ctime>

namespace {

double nowMs() {
    timespec ts{};
    clock_gettime(CLOCK_REALTIME, &ts);
    return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

}  // namespace

int main(int argc, char **argv) {
    double start = nowMs();
    MPI_Init(&argc, &argv);
    double inited = nowMs();
    MPI_Comm dup;
    MPI_Comm_dup(MPI_COMM_WORLD, &dup);
    MPI_Barrier(dup);
    double ready = nowMs();
    float one = 1.0f, sum = 0.0f;
    MPI_Allreduce(&one, &sum, 1, MPI_FLOAT, MPI_SUM, dup);
    double firstOp = nowMs();

    int rank = 0, nranks = 0;
    MPI_Comm_rank(dup, &rank);
    MPI_Comm_size(dup, &nranks);
    double mine[4] = {inited - start, ready - inited, firstOp - ready, ready};
    double slowest[4] = {};
    double earliestStart = 0;
    MPI_Reduce(mine, slowest, 4, MPI_DOUBLE, MPI_MAX, 0, dup);
    MPI_Reduce(&start, &earliestStart, 1, MPI_DOUBLE, MPI_MIN, 0, dup);
    int ok = sum == static_cast<float>(nranks);
    if (rank == 0) {
        std::printf(
            "Open MPI, %d ranks: MPI_Init %.2f ms, MPI_Comm_dup + barrier %.2f ms, "
            "first 4 B all-reduce %.3f ms, first MPI_Init call to last rank ready "
            "%.2f ms%s\n",
            nranks, slowest[0], slowest[1], slowest[2], slowest[3] - earliestStart,
            ok ? "" : " (all-reduce result WRONG)");
    }
    MPI_Comm_free(&dup);
    MPI_Finalize();
    return ok ? 0 : 1;
}
