// The ranks of one hccl_test job, as the tool (not HCCL) sees them: who am I, and the few
// host-side collectives the tool needs — ship the root info, agree on the slowest time, add up
// mismatches, line up before timing. Three kinds: one rank, Open MPI (mpirun), and processes
// started by -np (launcher.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

namespace hccltest {

class Group {
  public:
    virtual ~Group() = default;
    virtual uint32_t rank() const = 0;
    virtual uint32_t size() const = 0;
    virtual uint32_t localRank() const = 0;  // rank among the ranks of this node

    // Each returns false when the job cannot go on (a peer is gone).
    virtual bool broadcast(void *data, size_t bytes, uint32_t root) = 0;
    virtual bool max(double *value) = 0;  // in place: the largest over all ranks
    virtual bool sum(uint64_t *value) = 0;
    virtual bool barrier() = 0;
    // After a failure on this rank: end this rank so that the whole job ends, never hangs.
    [[noreturn]] virtual void abort(int exitCode) = 0;
};

std::unique_ptr<Group> makeSingleRankGroup();

}  // namespace hccltest
