#include "ops.h"

#include <algorithm>
#include <cmath>

#include "dtype.h"

namespace hccltest {

namespace {

const OpInfo kOps[] = {
    // id, name, function, reduces, rooted, blocked, twoRanks
    {OpId::kAllReduce, "all_reduce", "HcclAllReduce", true, false, false, false},
    {OpId::kAllGather, "all_gather", "HcclAllGather", false, false, true, false},
    {OpId::kAllGatherV, "all_gather_v", "HcclAllGatherV", false, false, true, false},
    {OpId::kReduceScatter, "reduce_scatter", "HcclReduceScatter", true, false, true, false},
    {OpId::kReduceScatterV, "reduce_scatter_v", "HcclReduceScatterV", true, false, true, false},
    {OpId::kBroadcast, "broadcast", "HcclBroadcast", false, true, false, false},
    {OpId::kReduce, "reduce", "HcclReduce", true, true, false, false},
    {OpId::kScatter, "scatter", "HcclScatter", false, true, true, false},
    {OpId::kAlltoAll, "alltoall", "HcclAlltoAll", false, false, true, false},
    {OpId::kAlltoAllV, "alltoallv", "HcclAlltoAllV", false, false, true, false},
    {OpId::kAlltoAllVC, "alltoallvc", "HcclAlltoAllVC", false, false, true, false},
    {OpId::kSendRecv, "send_recv", "HcclSend/HcclRecv", false, false, false, true},
    {OpId::kBatchSendRecv, "batch_send_recv", "HcclBatchSendRecv", false, false, false, true},
};

uint64_t mix(uint64_t x) {  // splitmix64's finalizer: neighbouring inputs, unrelated outputs
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

uint64_t hashOf(uint32_t rank, uint64_t k) {
    return mix(k * 0x100000001b3ull + rank);
}

double reduceInput(HcclReduceOp op, const DataTypeInfo &type, uint32_t ranks, uint32_t rank,
                   uint64_t k) {
    uint64_t h = hashOf(rank, k);
    if (op == HCCL_REDUCE_PROD) {
        double sign = (type.isSigned && h % 3 == 0) ? -1.0 : 1.0;
        return (k % ranks == rank) ? 2.0 * sign : sign;
    }
    return static_cast<double>(h % 4) - (type.isSigned ? 1.0 : 0.0);
}

double combine(HcclReduceOp op, double a, double b) {
    switch (op) {
        case HCCL_REDUCE_PROD:
            return a * b;
        case HCCL_REDUCE_MAX:
            return std::max(a, b);
        case HCCL_REDUCE_MIN:
            return std::min(a, b);
        default:
            return a + b;
    }
}

bool isAlltoAllV(OpId op) {
    return op == OpId::kAlltoAllV || op == OpId::kAlltoAllVC;
}

}  // namespace

const OpInfo &opInfo(OpId op) {
    return kOps[static_cast<size_t>(op)];
}

const OpInfo *findOp(std::string_view name) {
    if (name.size() > 5 && name.substr(name.size() - 5) == "_test") name.remove_suffix(5);
    for (const auto &op : kOps)
        if (name == op.name) return &op;
    return nullptr;
}

std::string opNames() {
    std::string names;
    for (const auto &op : kOps)
        names += std::string(names.empty() ? "" : ", ") + op.name;
    return names;
}

double busBandwidthFactor(OpId op, uint32_t ranks) {
    double n = ranks;
    switch (op) {
        case OpId::kAllReduce:
            return 2.0 * (n - 1) / n;
        case OpId::kAllGather:
        case OpId::kAllGatherV:
        case OpId::kReduceScatter:
        case OpId::kReduceScatterV:
        case OpId::kScatter:
        case OpId::kAlltoAll:
        case OpId::kAlltoAllV:
        case OpId::kAlltoAllVC:
            return (n - 1) / n;
        default:
            return 1.0;  // broadcast, reduce, send/recv
    }
}

Shape makeShape(OpId op, uint64_t bytes, HcclDataType dataType, uint32_t ranks) {
    Shape s;
    s.op = op;
    s.dataType = dataType;
    s.ranks = ranks;
    uint64_t elementSize = dataTypeInfo(dataType).size;
    uint64_t parts = opInfo(op).blocked ? ranks : 1;
    s.count = std::max<uint64_t>(1, bytes / (elementSize * parts));
    s.bytes = s.count * elementSize * parts;
    if (op == OpId::kAllGatherV || op == OpId::kReduceScatterV || isAlltoAllV(op)) {
        uint64_t skew = s.count / 2;
        s.blocks.assign(ranks, s.count);
        for (uint32_t k = 0; k + 1 < ranks; k += 2) {
            s.blocks[k] += skew;
            s.blocks[k + 1] -= skew;
        }
    }
    return s;
}

uint64_t Shape::pairCount(uint32_t from, uint32_t to) const {
    return blocks[(to + ranks - from) % ranks];
}

uint64_t Shape::sendCount(uint32_t rank) const {
    switch (op) {
        case OpId::kAllGather:
        case OpId::kScatter:
            return op == OpId::kScatter ? count * ranks : count;
        case OpId::kAllGatherV:
            return blocks[rank];
        case OpId::kReduceScatter:
        case OpId::kReduceScatterV:
        case OpId::kAlltoAll:
        case OpId::kAlltoAllV:
        case OpId::kAlltoAllVC:
            return count * ranks;  // the circulant's rows add up to this
        default:
            return count;
    }
}

uint64_t Shape::recvCount(uint32_t rank) const {
    switch (op) {
        case OpId::kAllGather:
        case OpId::kAllGatherV:
        case OpId::kAlltoAll:
        case OpId::kAlltoAllV:
        case OpId::kAlltoAllVC:
            return count * ranks;
        case OpId::kReduceScatterV:
            return blocks[rank];
        default:
            return count;  // reduce_scatter, scatter: one block
    }
}

std::vector<uint64_t> Shape::packedDispls() const {
    std::vector<uint64_t> displs(ranks, 0);
    for (uint32_t k = 1; k < ranks; ++k)
        displs[k] = displs[k - 1] + blocks[k - 1];
    return displs;
}

std::vector<uint64_t> Shape::sendCounts(uint32_t rank) const {
    std::vector<uint64_t> counts(ranks);
    for (uint32_t to = 0; to < ranks; ++to)
        counts[to] = pairCount(rank, to);
    return counts;
}

std::vector<uint64_t> Shape::recvCounts(uint32_t rank) const {
    std::vector<uint64_t> counts(ranks);
    for (uint32_t from = 0; from < ranks; ++from)
        counts[from] = pairCount(from, rank);
    return counts;
}

std::vector<uint64_t> Shape::sendDispls(uint32_t rank) const {
    std::vector<uint64_t> displs(ranks, 0);
    for (uint32_t to = 1; to < ranks; ++to)
        displs[to] = displs[to - 1] + pairCount(rank, to - 1);
    return displs;
}

std::vector<uint64_t> Shape::recvDispls(uint32_t rank) const {
    std::vector<uint64_t> displs(ranks, 0);
    if (op == OpId::kAlltoAllVC) {  // packed in rank order, by definition
        for (uint32_t from = 1; from < ranks; ++from)
            displs[from] = displs[from - 1] + pairCount(from - 1, rank);
        return displs;
    }
    for (uint32_t from = ranks - 1; from-- > 0;)  // reverse rank order
        displs[from] = displs[from + 1] + pairCount(from + 1, rank);
    return displs;
}

double inputValue(const Shape &s, HcclReduceOp reduceOp, uint32_t rank, uint64_t k) {
    const DataTypeInfo &type = dataTypeInfo(s.dataType);
    if (opInfo(s.op).reduces) return reduceInput(reduceOp, type, s.ranks, rank, k);
    return static_cast<double>(hashOf(rank, k) % static_cast<uint64_t>(type.maxExact));
}

Expectation::Expectation(const Shape &shape, HcclReduceOp reduceOp, uint32_t root, uint32_t me)
    : shape_(shape), reduceOp_(reduceOp), root_(root), me_(me) {
    if (shape.op == OpId::kAllGatherV) {
        recvDispls_ = shape.packedDispls();
        recvCounts_ = shape.blocks;
    } else if (isAlltoAllV(shape.op)) {
        recvDispls_ = shape.recvDispls(me);
        recvCounts_ = shape.recvCounts(me);
        for (uint32_t r = 0; r < shape.ranks; ++r)
            peerSendDispls_.push_back(shape.sendDispls(r)[me]);
    } else if (shape.op == OpId::kReduceScatterV) {
        recvDispls_ = shape.packedDispls();  // of the input blocks
    }
}

double Expectation::reduced(uint64_t k) const {
    double acc = input(0, k);
    for (uint32_t r = 1; r < shape_.ranks; ++r)
        acc = combine(reduceOp_, acc, input(r, k));
    return acc;
}

uint32_t Expectation::blockHolding(uint64_t i) const {
    for (uint32_t r = 0; r < shape_.ranks; ++r)
        if (i >= recvDispls_[r] && i - recvDispls_[r] < recvCounts_[r]) return r;
    return 0;  // not reached for i < recvCount
}

std::optional<double> Expectation::at(uint64_t i) const {
    const Shape &s = shape_;
    switch (s.op) {
        case OpId::kAllReduce:
            return reduced(i);
        case OpId::kReduce:
            if (me_ != root_) return std::nullopt;
            return reduced(i);
        case OpId::kReduceScatter:
            return reduced(me_ * s.count + i);
        case OpId::kReduceScatterV:
            return reduced(recvDispls_[me_] + i);
        case OpId::kAllGather:
            return input(static_cast<uint32_t>(i / s.count), i % s.count);
        case OpId::kAllGatherV: {
            uint32_t from = blockHolding(i);
            return input(from, i - recvDispls_[from]);
        }
        case OpId::kBroadcast:
            return input(root_, i);
        case OpId::kScatter:
            return input(root_, me_ * s.count + i);
        case OpId::kAlltoAll:
            return input(static_cast<uint32_t>(i / s.count), me_ * s.count + i % s.count);
        case OpId::kAlltoAllV:
        case OpId::kAlltoAllVC: {
            uint32_t from = blockHolding(i);
            return input(from, peerSendDispls_[from] + (i - recvDispls_[from]));
        }
        case OpId::kSendRecv:
        case OpId::kBatchSendRecv:
            return input((me_ + s.ranks - 1) % s.ranks, i);
        default:
            return std::nullopt;
    }
}

}  // namespace hccltest
