// The operations' shapes, bus-bandwidth factors and expected outputs. The expectations are
// checked against a plain simulation of each operation that moves the inputs block by block.
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "dtype.h"
#include "issue.h"
#include "ops.h"

namespace hccltest {
namespace {

using Buffers = std::vector<std::vector<double>>;  // per rank

TEST(HcclTestOps, BusBandwidthFactorsAreNcclTests) {
    EXPECT_DOUBLE_EQ(busBandwidthFactor(OpId::kAllReduce, 4), 1.5);
    EXPECT_DOUBLE_EQ(busBandwidthFactor(OpId::kAllReduce, 1), 0.0);
    for (OpId op :
         {OpId::kAllGather, OpId::kAllGatherV, OpId::kReduceScatter, OpId::kReduceScatterV,
          OpId::kScatter, OpId::kAlltoAll, OpId::kAlltoAllV, OpId::kAlltoAllVC})
        EXPECT_DOUBLE_EQ(busBandwidthFactor(op, 4), 0.75) << opInfo(op).name;
    for (OpId op : {OpId::kBroadcast, OpId::kReduce, OpId::kSendRecv, OpId::kBatchSendRecv})
        EXPECT_DOUBLE_EQ(busBandwidthFactor(op, 8), 1.0) << opInfo(op).name;
}

TEST(HcclTestOps, EveryOperationHasANameAndAnAlias) {
    for (int i = 0; i < static_cast<int>(OpId::kCount); ++i) {
        const OpInfo &op = opInfo(static_cast<OpId>(i));
        EXPECT_EQ(static_cast<int>(op.id), i);
        EXPECT_EQ(findOp(op.name), &op);
        EXPECT_EQ(findOp(std::string(op.name) + "_test"), &op);
    }
}

TEST(HcclTestOps, BufferOperationsUseTheWholeSize) {
    Shape s = makeShape(OpId::kAllReduce, 1024, HCCL_DATA_TYPE_FP16, 4);
    EXPECT_EQ(s.count, 512u);
    EXPECT_EQ(s.bytes, 1024u);
    EXPECT_EQ(s.sendCount(0), 512u);
    EXPECT_EQ(s.recvCount(3), 512u);
}

TEST(HcclTestOps, BlockedOperationsSplitTheSizeIntoOneBlockPerRank) {
    Shape s = makeShape(OpId::kAllGather, 64 << 10, HCCL_DATA_TYPE_FP32, 4);
    EXPECT_EQ(s.count, 4096u);
    EXPECT_EQ(s.bytes, 65536u);
    EXPECT_EQ(s.sendCount(1), 4096u);
    EXPECT_EQ(s.recvCount(1), 16384u);
    Shape rs = makeShape(OpId::kReduceScatter, 64 << 10, HCCL_DATA_TYPE_FP32, 4);
    EXPECT_EQ(rs.sendCount(0), 16384u);
    EXPECT_EQ(rs.recvCount(0), 4096u);
}

TEST(HcclTestOps, TooSmallSizesRoundUpToOneElementPerBlock) {
    Shape s = makeShape(OpId::kAlltoAll, 8, HCCL_DATA_TYPE_FP32, 4);
    EXPECT_EQ(s.count, 1u);
    EXPECT_EQ(s.bytes, 16u);
    EXPECT_EQ(makeShape(OpId::kAllReduce, 1, HCCL_DATA_TYPE_FP64, 4).bytes, 8u);
}

TEST(HcclTestOps, VBlocksAreUnequalButAddUpToTheSize) {
    for (uint32_t n = 1; n <= 9; ++n) {
        Shape s = makeShape(OpId::kAlltoAllV, 4096 * n, HCCL_DATA_TYPE_INT8, n);
        uint64_t total = 0;
        for (uint64_t b : s.blocks)
            total += b;
        EXPECT_EQ(total, s.count * n) << n;
        if (n >= 2) {
            EXPECT_NE(s.blocks[0], s.blocks[1]) << n;
        }
        for (uint32_t r = 0; r < n; ++r) {
            std::vector<uint64_t> sent = s.sendCounts(r), received = s.recvCounts(r);
            uint64_t sendTotal = 0, recvTotal = 0;
            for (uint32_t p = 0; p < n; ++p) {
                sendTotal += sent[p];
                recvTotal += received[p];
            }
            EXPECT_EQ(sendTotal, s.sendCount(r));
            EXPECT_EQ(recvTotal, s.recvCount(r));
        }
    }
}

// Runs the operation on host vectors, using only the call's counts and displacements.
Buffers simulate(const Shape &s, HcclReduceOp op, uint32_t root) {
    uint32_t n = s.ranks;
    Buffers in(n), out(n);
    for (uint32_t r = 0; r < n; ++r) {
        for (uint64_t k = 0; k < s.sendCount(r); ++k)
            in[r].push_back(inputValue(s, op, r, k));
        out[r].assign(s.recvCount(r), -1e300);
    }
    auto reduceAt = [&](uint64_t k) {
        std::vector<double> v;
        for (uint32_t r = 0; r < n; ++r)
            v.push_back(in[r][k]);
        double acc = v[0];
        for (uint32_t r = 1; r < n; ++r) {
            if (op == HCCL_REDUCE_SUM) acc += v[r];
            if (op == HCCL_REDUCE_PROD) acc *= v[r];
            if (op == HCCL_REDUCE_MAX) acc = std::max(acc, v[r]);
            if (op == HCCL_REDUCE_MIN) acc = std::min(acc, v[r]);
        }
        return acc;
    };
    for (uint32_t me = 0; me < n; ++me) {
        Call c = prepareCall(s, me, op, root, nullptr, nullptr);
        auto &o = out[me];
        switch (s.op) {
            case OpId::kAllReduce:
            case OpId::kReduce:
                for (uint64_t i = 0; i < s.count; ++i)
                    o[i] = reduceAt(i);
                break;
            case OpId::kReduceScatter:
                for (uint64_t i = 0; i < s.count; ++i)
                    o[i] = reduceAt(me * s.count + i);
                break;
            case OpId::kReduceScatterV:
                for (uint64_t i = 0; i < c.sendCounts[me]; ++i)
                    o[i] = reduceAt(c.sendDispls[me] + i);
                break;
            case OpId::kAllGather:
                for (uint32_t r = 0; r < n; ++r)
                    std::copy(in[r].begin(), in[r].end(), o.begin() + r * s.count);
                break;
            case OpId::kAllGatherV:
                for (uint32_t r = 0; r < n; ++r)
                    std::copy(in[r].begin(), in[r].end(), o.begin() + c.recvDispls[r]);
                break;
            case OpId::kBroadcast:
                o = in[root];
                break;
            case OpId::kScatter:
                std::copy_n(in[root].begin() + me * s.count, s.count, o.begin());
                break;
            case OpId::kAlltoAll:
                for (uint32_t r = 0; r < n; ++r)
                    std::copy_n(in[r].begin() + me * s.count, s.count, o.begin() + r * s.count);
                break;
            case OpId::kAlltoAllV:
                for (uint32_t r = 0; r < n; ++r) {
                    Call from = prepareCall(s, r, op, root, nullptr, nullptr);
                    std::copy_n(in[r].begin() + from.sendDispls[me], from.sendCounts[me],
                                o.begin() + c.recvDispls[r]);
                }
                break;
            case OpId::kAlltoAllVC: {  // packed, from the matrix alone
                auto m = [&](uint32_t i, uint32_t j) { return c.matrix[i * n + j]; };
                uint64_t at = 0;
                for (uint32_t r = 0; r < n; ++r) {
                    uint64_t from = 0;
                    for (uint32_t j = 0; j < me; ++j)
                        from += m(r, j);
                    std::copy_n(in[r].begin() + from, m(r, me), o.begin() + at);
                    at += m(r, me);
                }
                break;
            }
            case OpId::kSendRecv:
            case OpId::kBatchSendRecv:
                o = in[(me + n - 1) % n];
                break;
            default:
                break;
        }
    }
    return out;
}

TEST(HcclTestOps, ExpectedOutputsMatchASimulationOfEveryOperation) {
    for (int id = 0; id < static_cast<int>(OpId::kCount); ++id) {
        auto op = static_cast<OpId>(id);
        for (uint32_t n = opInfo(op).twoRanks ? 2 : 1; n <= 5; ++n) {
            for (HcclReduceOp red : {HCCL_REDUCE_SUM, HCCL_REDUCE_PROD, HCCL_REDUCE_MAX}) {
                if (!opInfo(op).reduces && red != HCCL_REDUCE_SUM) continue;
                uint32_t root = n - 1;
                Shape s = makeShape(op, 24 * n * 4, HCCL_DATA_TYPE_INT32, n);
                Buffers out = simulate(s, red, root);
                for (uint32_t me = 0; me < n; ++me) {
                    Expectation e(s, red, root, me);
                    for (uint64_t i = 0; i < s.recvCount(me); ++i) {
                        auto want = e.at(i);
                        if (op == OpId::kReduce && me != root) {
                            EXPECT_FALSE(want.has_value());
                            continue;
                        }
                        ASSERT_TRUE(want.has_value());
                        ASSERT_EQ(*want, out[me][i])
                            << opInfo(op).name << " n=" << n << " rank " << me << " element " << i;
                    }
                }
            }
        }
    }
}

TEST(HcclTestOps, MisplacedDataIsDetectable) {
    // Blocks of different ranks, and different blocks of one rank, hold different values.
    Shape s = makeShape(OpId::kAllGather, 4096, HCCL_DATA_TYPE_UINT8, 4);
    int same = 0;
    for (uint64_t k = 0; k < s.count; ++k) {
        same += inputValue(s, HCCL_REDUCE_SUM, 0, k) == inputValue(s, HCCL_REDUCE_SUM, 1, k);
        same += inputValue(s, HCCL_REDUCE_SUM, 0, k) == inputValue(s, HCCL_REDUCE_SUM, 0, k + 64);
    }
    EXPECT_LT(same, 20);
}

TEST(HcclTestOps, ReductionResultsAreExactInEveryType) {
    for (int t = 0; t < 12; ++t) {
        auto type = static_cast<HcclDataType>(t);
        for (HcclReduceOp red :
             {HCCL_REDUCE_SUM, HCCL_REDUCE_PROD, HCCL_REDUCE_MAX, HCCL_REDUCE_MIN}) {
            uint32_t n = 8;
            Shape s = makeShape(OpId::kAllReduce, 512 * dataTypeInfo(type).size, type, n);
            std::vector<unsigned char> element(8);
            for (uint32_t me : {0u, 7u}) {
                Expectation e(s, red, 0, me);
                for (uint64_t i = 0; i < s.count; ++i) {
                    for (uint32_t r = 0; r < n; ++r) {
                        double v = inputValue(s, red, r, i);
                        storeElement(element.data(), 0, type, v);
                        ASSERT_EQ(loadElement(element.data(), 0, type), v);
                    }
                    storeElement(element.data(), 0, type, *e.at(i));
                    ASSERT_EQ(loadElement(element.data(), 0, type), *e.at(i))
                        << dataTypeInfo(type).name << " op " << red;
                }
            }
        }
    }
}

TEST(HcclTestOps, DataMovementValuesAreExactInEveryType) {
    for (int t = 0; t < 12; ++t) {
        auto type = static_cast<HcclDataType>(t);
        Shape s = makeShape(OpId::kAllGather, 4096 * dataTypeInfo(type).size, type, 4);
        std::vector<unsigned char> element(8);
        for (uint64_t k = 0; k < s.count; ++k) {
            double v = inputValue(s, HCCL_REDUCE_SUM, 3, k);
            storeElement(element.data(), 0, type, v);
            ASSERT_EQ(loadElement(element.data(), 0, type), v) << dataTypeInfo(type).name;
        }
    }
}

}  // namespace
}  // namespace hccltest
