// hccl_test: measures one HCCL operation over a range of sizes on every rank of a job and checks
// its results, with the command line and the table of the vendor's hccl_test (plus a bus
// bandwidth column). Ranks come from mpirun, from -np (processes of this machine), or are one.
//   hccl_test all_reduce -np 4 -b 8 -e 4M -f 4 -d fp32 -o sum -c 1
//   mpirun -np 4 all_reduce_test -b 8K -e 64M -f 2
#include <cstdio>
#include <cstdlib>
#include <string>

#include "bench.h"
#include "launcher.h"
#include "mpi_group.h"
#include "options.h"

namespace {

uint32_t timeoutSeconds() {
    const char *v = std::getenv("HCCL_TEST_TIMEOUT");
    return v ? static_cast<uint32_t>(std::strtoul(v, nullptr, 10)) : 600;
}

int usageError(const std::string &message) {
    std::fprintf(stderr, "hccl_test: %s (-h for help)\n", message.c_str());
    return hccltest::kExitUsage;
}

}  // namespace

int main(int argc, char **argv) {
    using namespace hccltest;
    ParseResult parsed = parseArgs(argc, argv);
    if (parsed.help) {
        std::printf("%s", usage(argv[0]).c_str());
        return 0;
    }
    if (!parsed.options) return usageError(parsed.error);
    const Options &options = *parsed.options;

    if (launchedByMpirun()) {
        if (options.processes != 0) return usageError("-np cannot be used under mpirun");
        std::unique_ptr<Group> group = makeMpiGroup(&argc, &argv);
        if (!group) return kExitError;
        std::string problem = validateForRanks(options, group->size());
        if (!problem.empty()) return group->rank() == 0 ? usageError(problem) : kExitUsage;
        return runRank(options, *group);
    }
    if (options.processes != 0) {
        std::string problem = validateForRanks(options, options.processes);
        if (!problem.empty()) return usageError(problem);
        // Every rank is on this machine: the root listens on loopback unless told otherwise.
        if (!std::getenv("HCCL_IF_IP") && !std::getenv("HCCL_SOCKET_IFNAME"))
            setenv("HCCL_IF_IP", "127.0.0.1", 1);
        return runProcesses(
            {options.processes, timeoutSeconds(), kExitCheckFailed, options.bindToCore},
            [&](Group &group) { return runRank(options, group); });
    }
    std::string problem = validateForRanks(options, 1);
    if (!problem.empty()) return usageError(problem);
    std::unique_ptr<Group> group = makeSingleRankGroup();
    return runRank(options, *group);
}
