// The ranks of a job started by Open MPI's mpirun (hccl_test's own launch): MPI_Init here,
// MPI_Finalize when the group ends, MPI_Abort on failure.
#pragma once

#include <memory>

#include "group.h"

namespace hccltest {

// OMPI_COMM_WORLD_SIZE is set: this process is a rank of an mpirun job.
bool launchedByMpirun();

// nullptr when the tool was built without MPI (the reason is printed).
std::unique_ptr<Group> makeMpiGroup(int *argc, char ***argv);

}  // namespace hccltest
