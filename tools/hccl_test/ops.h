// The operations hccl_test measures: names, bus-bandwidth factors, the element layout of one
// run (Shape), the values every rank's input holds and the values its output must hold.
//
// Sizes follow nccl-tests: the data size of allreduce, broadcast, reduce and send/recv is the
// buffer; of allgather(v), reducescatter(v), scatter and alltoall(v,vc) it is the larger buffer
// (rank count x block), so a block is size / ranks and the bus-bandwidth factors below apply.
//
// The "v" operations use unequal blocks that still add up to the data size: block k holds
// count ± count/2 elements (alternating; the last is `count` when the rank count is odd).
// alltoallv(c) sends w[(j - i) mod n] elements from rank i to rank j, so every rank sends and
// receives the data size; alltoallv places received blocks in reverse rank order, to exercise
// the displacements.
//
// Values: data-movement operations carry a hash of (rank, element) below the type's exact-integer
// limit, so a misplaced or stale element is caught. Reductions carry small integers (sum, max,
// min: -1..2, 0..3 unsigned; prod: ±1 and one ±2 per element), so results are exact in every type
// up to 63 ranks (int8 sums), 128 (bf16) and 1024 (fp16).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hccl/hccl_types.h"

namespace hccltest {

enum class OpId {
    kAllReduce,
    kAllGather,
    kAllGatherV,
    kReduceScatter,
    kReduceScatterV,
    kBroadcast,
    kReduce,
    kScatter,
    kAlltoAll,
    kAlltoAllV,
    kAlltoAllVC,
    kSendRecv,       // ring: every rank sends to the next and receives from the previous
    kBatchSendRecv,  // the same ring in one HcclBatchSendRecv
    kCount
};

struct OpInfo {
    OpId id;
    const char *name;  // first argument of hccl_test; "<name>_test" is its alias binary
    const char *hcclFunction;
    bool reduces;   // takes -o
    bool rooted;    // takes -r
    bool blocked;   // the data size is split into one block per rank
    bool twoRanks;  // needs at least two ranks
};

const OpInfo &opInfo(OpId op);
// By operation name or alias binary name ("all_reduce" or "all_reduce_test").
const OpInfo *findOp(std::string_view name);
std::string opNames();

// busbw = algbw * factor (nccl-tests' definitions).
double busBandwidthFactor(OpId op, uint32_t ranks);

struct Shape {
    OpId op = OpId::kAllReduce;
    HcclDataType dataType = HCCL_DATA_TYPE_FP32;
    uint32_t ranks = 1;
    uint64_t count = 0;            // elements of the buffer, or of one block for blocked operations
    uint64_t bytes = 0;            // the data size this shape reports
    std::vector<uint64_t> blocks;  // "v" operations: block k's element count

    uint64_t sendCount(uint32_t rank) const;  // elements of rank's input buffer
    uint64_t recvCount(uint32_t rank) const;  // elements of rank's output buffer
    // alltoallv(c): elements rank `from` sends to rank `to`.
    uint64_t pairCount(uint32_t from, uint32_t to) const;
    // "v" operations: where block / peer data starts, in elements.
    std::vector<uint64_t> packedDispls() const;             // of blocks, in order
    std::vector<uint64_t> sendDispls(uint32_t rank) const;  // alltoallv(c)
    std::vector<uint64_t> recvDispls(uint32_t rank) const;  // alltoallv(c)
    std::vector<uint64_t> sendCounts(uint32_t rank) const;  // alltoallv(c)
    std::vector<uint64_t> recvCounts(uint32_t rank) const;  // alltoallv(c)
};

// At least one element per buffer (or block).
Shape makeShape(OpId op, uint64_t bytes, HcclDataType dataType, uint32_t ranks);

// Element k of rank's input buffer (the buffer of broadcast, the root's input of scatter).
double inputValue(const Shape &shape, HcclReduceOp reduceOp, uint32_t rank, uint64_t k);
// The values rank `me`'s output must hold. Built once per check: the displacements are
// computed here, not per element.
class Expectation {
  public:
    Expectation(const Shape &shape, HcclReduceOp reduceOp, uint32_t root, uint32_t me);
    // Element i, or nullopt when it is not defined (reduce, not the root).
    std::optional<double> at(uint64_t i) const;

  private:
    double input(uint32_t rank, uint64_t k) const { return inputValue(shape_, reduceOp_, rank, k); }
    double reduced(uint64_t k) const;
    uint32_t blockHolding(uint64_t i) const;  // "v" operations: the block of output element i

    Shape shape_;
    HcclReduceOp reduceOp_;
    uint32_t root_;
    uint32_t me_;
    std::vector<uint64_t> recvDispls_;  // where block r starts in the output ("v" operations)
    std::vector<uint64_t> recvCounts_;
    std::vector<uint64_t> peerSendDispls_;  // alltoallv(c): where rank r's block for me starts
};

}  // namespace hccltest
