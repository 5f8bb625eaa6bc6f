#include "mpi_group.h"

#include <cstdio>
#include <cstdlib>

#ifdef HCCL_TEST_WITH_MPI
#include <mpi.h>
#endif

namespace hccltest {

bool launchedByMpirun() {
    return std::getenv("OMPI_COMM_WORLD_SIZE") != nullptr;
}

#ifdef HCCL_TEST_WITH_MPI

namespace {

uint32_t environmentNumber(const char *name, uint32_t fallback) {
    const char *v = std::getenv(name);
    return v ? static_cast<uint32_t>(std::strtoul(v, nullptr, 10)) : fallback;
}

class MpiGroup final : public Group {
  public:
    MpiGroup(int *argc, char ***argv) {
        MPI_Init(argc, argv);
        int rank = 0, size = 1;
        MPI_Comm_rank(MPI_COMM_WORLD, &rank);
        MPI_Comm_size(MPI_COMM_WORLD, &size);
        rank_ = static_cast<uint32_t>(rank);
        size_ = static_cast<uint32_t>(size);
        localRank_ = environmentNumber("OMPI_COMM_WORLD_LOCAL_RANK", rank_);
    }
    ~MpiGroup() override { MPI_Finalize(); }

    uint32_t rank() const override { return rank_; }
    uint32_t size() const override { return size_; }
    uint32_t localRank() const override { return localRank_; }

    bool broadcast(void *data, size_t bytes, uint32_t root) override {
        return MPI_Bcast(data, static_cast<int>(bytes), MPI_CHAR, static_cast<int>(root),
                         MPI_COMM_WORLD) == MPI_SUCCESS;
    }
    bool max(double *value) override {
        return MPI_Allreduce(MPI_IN_PLACE, value, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD) ==
               MPI_SUCCESS;
    }
    bool sum(uint64_t *value) override {
        return MPI_Allreduce(MPI_IN_PLACE, value, 1, MPI_UINT64_T, MPI_SUM, MPI_COMM_WORLD) ==
               MPI_SUCCESS;
    }
    bool barrier() override { return MPI_Barrier(MPI_COMM_WORLD) == MPI_SUCCESS; }
    [[noreturn]] void abort(int exitCode) override {
        std::fflush(nullptr);
        MPI_Abort(MPI_COMM_WORLD, exitCode == 0 ? 1 : exitCode);
        std::exit(exitCode == 0 ? 1 : exitCode);
    }

  private:
    uint32_t rank_ = 0;
    uint32_t size_ = 1;
    uint32_t localRank_ = 0;
};

}  // namespace

std::unique_ptr<Group> makeMpiGroup(int *argc, char ***argv) {
    return std::make_unique<MpiGroup>(argc, argv);
}

#else

std::unique_ptr<Group> makeMpiGroup(int *, char ***) {
    std::fprintf(stderr,
                 "hccl_test: started by mpirun, but built without MPI (Open MPI's "
                 "libopenmpi-dev was not found); use -np instead\n");
    return nullptr;
}

#endif

}  // namespace hccltest
