// hccl_test's command line: the operation, sizes, data type, reduction, root, iterations, check,
// and -np for the built-in launcher.
//
// A small hand parser rather than CLI11: hccl_test's syntax has the single-dash, two-letter
// option `-np`, which CLI11 cannot name (its short options are one character), and sizes with
// K/M/G suffixes; the parser below is shorter than the adaptations CLI11 would need.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ops.h"

namespace hccltest {

struct Options {
    OpId op = OpId::kAllReduce;
    uint64_t minBytes = 32ull << 20;
    uint64_t maxBytes = 32ull << 20;
    uint64_t stepFactor = 2;  // sizes grow by this factor ...
    bool stepFactorGiven = false;
    uint64_t stepBytes = 0;  // ... or by this many bytes (-i, when -f is not > 1)
    HcclDataType dataType = HCCL_DATA_TYPE_FP32;
    HcclReduceOp reduceOp = HCCL_REDUCE_SUM;
    uint32_t root = 0;
    uint32_t npusPerNode = 0;  // -p; 0: every rank on this node
    uint32_t iters = 20;
    uint32_t warmupIters = 5;
    bool check = true;
    // -z 1 (nccl-tests' --blocking): synchronize the stream after every timed operation, so the
    // time is one operation's latency rather than the pace of back-to-back ones.
    bool blocking = false;
    uint32_t processes = 0;  // -np; 0: not given
    bool bindToCore = true;  // --bind-to core|none: pin -np rank r to the (r mod n)-th usable CPU
};

struct ParseResult {
    std::optional<Options> options;  // set when the command line is valid
    bool help = false;               // -h: print usage() and exit 0
    std::string error;               // else: what is wrong
};

// argv[0]'s base name selects the operation when it is an alias ("all_reduce_test"); otherwise
// the first argument names it.
ParseResult parseArgs(int argc, const char *const *argv);
std::string usage(std::string_view program);

// "8", "64K", "4M", "1G" (K = 1024); nullopt when malformed or zero.
std::optional<uint64_t> parseBytes(std::string_view text);

// -b, then growing by -f (or -i) while not above -e.
std::vector<uint64_t> sizeSequence(const Options &options);

// What is wrong with the options for a job of `ranks` ranks ("" when nothing).
std::string validateForRanks(const Options &options, uint32_t ranks);

}  // namespace hccltest
