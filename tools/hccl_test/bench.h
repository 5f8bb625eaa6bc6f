// One rank of a hccl_test job: device, stream, communicator, buffers, then for every size the
// warm-up, the timed iterations and the check; rank 0 prints the table.
#pragma once

#include <string>

#include "group.h"
#include "options.h"

namespace hccltest {

// Exit statuses of hccl_test.
constexpr int kExitSuccess = 0;
constexpr int kExitError = 1;        // the runtime or HCCL failed, or a rank was lost
constexpr int kExitUsage = 2;        // bad command line
constexpr int kExitCheckFailed = 3;  // every size ran, some output was wrong

// The process exit status of this rank: kExitSuccess, or kExitCheckFailed. Failures of the
// runtime or HCCL end the whole job through group.abort(kExitError).
int runRank(const Options &options, Group &group);

// The table's header and one row (rank 0 prints them).
std::string tableHeader();
std::string tableRow(uint64_t bytes, double microseconds, double busFactor, const char *check);

}  // namespace hccltest
