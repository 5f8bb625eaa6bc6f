// What the baseline programs share with hccl_test: its command line (-b -e -f -n -w -np), its
// table (same columns, same order, '|'-separated), nccl-tests' bus-bandwidth factors, its
// message sizes (all-gather: the gathered bytes) and a result check with exact float sums.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hcclcpu::compare {

enum class Op { kAllReduce, kAllGather, kBroadcast };

struct Options {
    Op op = Op::kAllReduce;
    std::size_t minBytes = 8;
    std::size_t maxBytes = 64u << 20;
    std::size_t factor = 2;
    int iters = 20;
    int warmup = 5;
    int nranks = 0;  // -np, used by the programs that launch their own processes
};

// Parses "<op> [-b 8] [-e 16M] [-f 2] [-n 20] [-w 5] [-np 4]" (sizes take K/M/G suffixes).
// Prints the problem and returns nullopt on bad input.
std::optional<Options> parseOptions(int argc, char **argv, const char *usage);

// -b, -b*f, ... up to -e inclusive.
std::vector<std::size_t> sizeSequence(const Options &o);

const char *opName(Op op);

// Elements each rank contributes for a message of `bytes` (float32). For all-gather the message
// is the whole gathered buffer, as in nccl-tests, so each rank sends bytes / nranks.
std::size_t sendElements(Op op, std::size_t bytes, int nranks);
std::size_t recvElements(Op op, std::size_t bytes, int nranks);

// nccl-tests: all-reduce 2(n-1)/n, all-gather (n-1)/n, broadcast 1.
double busFactor(Op op, int nranks);

// Input of `rank`, chosen so that float sums over up to 64 ranks are exact.
float inputValue(int rank, std::size_t i);
// What element i of the receive buffer must hold afterwards (root of broadcast: rank 0).
float expectedValue(Op op, int nranks, std::size_t sendCount, std::size_t i);

void printHeader(const char *who, const Options &o, int nranks);
// avgUs is the slowest rank's mean time per operation.
void printRow(std::size_t bytes, double avgUs, Op op, int nranks, bool ok);

}  // namespace hcclcpu::compare
