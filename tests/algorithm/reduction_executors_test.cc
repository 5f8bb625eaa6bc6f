// The reduction and gather executors on 1..8 thread ranks: staging through small CCL buffers,
// pieces, V layouts, Reduce's root, forced algorithms and deterministic mode, checked against a
// host reference.
#include <gtest/gtest.h>

#include <functional>
#include <memory>

#include "algorithm/executors.h"
#include "reduction_test_util.h"

namespace hcclcpu::algorithm::test {
namespace {

constexpr u64 kCclBytes = 64 * 1024;
constexpr u64 kLargeBytes = 1024 * 1024;  // 16 times the CCL buffer
constexpr u8 kPoison = 0xCD;

AlgoConfig Forced(OpKind op, AlgoKind kind, bool deterministic = false) {
    AlgoConfig config;
    config.perOp[static_cast<size_t>(op)] = kind;
    config.deterministic = deterministic;
    return config;
}

class ReductionExecutors : public ::testing::TestWithParam<u32> {
  protected:
    void SetUp() override { ranks_ = std::make_unique<ThreadRanks>(GetParam(), kCclBytes); }
    u32 n() const { return GetParam(); }

    HcclResult Run(const AlgoConfig &algo,
                   const std::function<HcclResult(const OpContext &, u32)> &op) {
        return ranks_->set().RunRanks([&](u32 rank, hccl::Stream &stream) {
            return op(ranks_->Context(rank, stream, algo), rank);
        });
    }

    void AllReduce(TypeOp t, u64 count, const AlgoConfig &algo = {}) {
        const u32 unit = SIZE_TABLE[t.type];
        UserBuffers send(*ranks_, count * unit), recv(*ranks_, count * unit);
        for (u32 r = 0; r < n(); ++r) {
            FillRank(t.type, t.op, r, send.ptr(r), count);
            std::memset(recv.ptr(r), kPoison, count * unit);
        }
        ASSERT_EQ(Run(algo,
                      [&](const OpContext &ctx, u32 r) {
                          return algorithm::AllReduce(ctx, send.ptr(r), recv.ptr(r), count, t.type,
                                                      t.op);
                      }),
                  HCCL_SUCCESS)
            << Name(t) << " count " << count;
        for (u32 r = 0; r < n(); ++r)
            for (u64 i = 0; i < count; ++i)
                ASSERT_EQ(Decode(t.type, recv.ptr(r), i), Expected(t.type, t.op, n(), i))
                    << Name(t) << " count " << count << " rank " << r << " element " << i;
    }

    // counts/displs in elements, per rank block of the send buffer.
    void ReduceScatterV(TypeOp t, const std::vector<u64> &counts, const std::vector<u64> &displs,
                        bool vForm, const AlgoConfig &algo = {}) {
        const u32 unit = SIZE_TABLE[t.type];
        u64 total = 0;
        for (u32 j = 0; j < n(); ++j)
            total = std::max(total, displs[j] + counts[j]);
        u64 largest = *std::max_element(counts.begin(), counts.end());
        UserBuffers send(*ranks_, total * unit), recv(*ranks_, largest * unit + unit);
        for (u32 r = 0; r < n(); ++r) {
            FillRank(t.type, t.op, r, send.ptr(r), total);
            std::memset(recv.ptr(r), kPoison, largest * unit + unit);
        }
        ASSERT_EQ(Run(algo,
                      [&](const OpContext &ctx, u32 r) {
                          if (!vForm)
                              return algorithm::ReduceScatter(ctx, send.ptr(r), recv.ptr(r),
                                                              counts[0], t.type, t.op);
                          return algorithm::ReduceScatterV(ctx, send.ptr(r), counts.data(),
                                                           displs.data(), recv.ptr(r), counts[r],
                                                           t.type, t.op);
                      }),
                  HCCL_SUCCESS)
            << Name(t);
        for (u32 r = 0; r < n(); ++r) {
            for (u64 e = 0; e < counts[r]; ++e)
                ASSERT_EQ(Decode(t.type, recv.ptr(r), e),
                          Expected(t.type, t.op, n(), displs[r] + e))
                    << Name(t) << " rank " << r << " element " << e;
            EXPECT_EQ(recv.bytes(r)[counts[r] * unit], kPoison) << "written past recvCount";
        }
    }
    void ReduceScatter(TypeOp t, u64 recvCount, const AlgoConfig &algo = {}) {
        std::vector<u64> counts(n(), recvCount), displs(n());
        for (u32 j = 0; j < n(); ++j)
            displs[j] = j * recvCount;
        ReduceScatterV(t, counts, displs, false, algo);
    }

    void AllGatherV(HcclDataType type, const std::vector<u64> &counts,
                    const std::vector<u64> &displs, bool vForm, const AlgoConfig &algo = {}) {
        const u32 unit = SIZE_TABLE[type];
        u64 total = 0;
        for (u32 j = 0; j < n(); ++j)
            total = std::max(total, displs[j] + counts[j]);
        const u64 largest = *std::max_element(counts.begin(), counts.end());
        UserBuffers send(*ranks_, largest * unit), recv(*ranks_, total * unit);
        for (u32 r = 0; r < n(); ++r) {
            FillRank(type, HCCL_REDUCE_SUM, r, send.ptr(r), counts[r], displs[r]);
            std::memset(recv.ptr(r), kPoison, total * unit);
        }
        ASSERT_EQ(Run(algo,
                      [&](const OpContext &ctx, u32 r) {
                          if (!vForm)
                              return algorithm::AllGather(ctx, send.ptr(r), recv.ptr(r), counts[0],
                                                          type);
                          return algorithm::AllGatherV(ctx, send.ptr(r), counts[r], recv.ptr(r),
                                                       counts.data(), displs.data(), type);
                      }),
                  HCCL_SUCCESS);
        std::vector<bool> covered(total, false);
        for (u32 j = 0; j < n(); ++j)
            for (u64 e = 0; e < counts[j]; ++e)
                covered[displs[j] + e] = true;
        for (u32 r = 0; r < n(); ++r) {
            for (u32 j = 0; j < n(); ++j)
                for (u64 e = 0; e < counts[j]; ++e)
                    ASSERT_EQ(Decode(type, recv.ptr(r), displs[j] + e),
                              static_cast<double>(Value(type, HCCL_REDUCE_SUM, j, displs[j] + e)))
                        << "rank " << r << " block " << j << " element " << e;
            for (u64 g = 0; g < total; ++g)
                if (!covered[g]) {
                    ASSERT_EQ(recv.bytes(r)[g * unit], kPoison) << "gap " << g;
                }
        }
    }
    void AllGather(HcclDataType type, u64 sendCount, const AlgoConfig &algo = {}) {
        std::vector<u64> counts(n(), sendCount), displs(n());
        for (u32 j = 0; j < n(); ++j)
            displs[j] = j * sendCount;
        AllGatherV(type, counts, displs, false, algo);
    }

    void Reduce(TypeOp t, u64 count, u32 root, const AlgoConfig &algo = {}) {
        const u32 unit = SIZE_TABLE[t.type];
        UserBuffers send(*ranks_, count * unit), recv(*ranks_, count * unit);
        for (u32 r = 0; r < n(); ++r) {
            FillRank(t.type, t.op, r, send.ptr(r), count);
            std::memset(recv.ptr(r), kPoison, count * unit);
        }
        ASSERT_EQ(Run(algo,
                      [&](const OpContext &ctx, u32 r) {
                          return algorithm::Reduce(ctx, send.ptr(r), recv.ptr(r), count, t.type,
                                                   t.op, root);
                      }),
                  HCCL_SUCCESS);
        for (u32 r = 0; r < n(); ++r)
            for (u64 i = 0; i < count; ++i) {
                if (r == root) {
                    ASSERT_EQ(Decode(t.type, recv.ptr(r), i), Expected(t.type, t.op, n(), i))
                        << Name(t) << " element " << i;
                } else {
                    for (u32 b = 0; b < unit; ++b)
                        ASSERT_EQ(recv.bytes(r)[i * unit + b], kPoison) << "non-root " << r;
                }
            }
    }

    // Counts for the V forms: uneven, one rank empty, with gaps between the blocks.
    void VLayout(u64 scale, std::vector<u64> &counts, std::vector<u64> &displs) {
        counts.assign(n(), 0);
        displs.assign(n(), 0);
        u64 at = 0;
        for (u32 j = 0; j < n(); ++j) {
            counts[j] = (j == 1) ? 0 : scale + (j * 7919) % (scale / 2 + 1);
            displs[j] = at + 3;
            at = displs[j] + counts[j];
        }
    }

    std::unique_ptr<ThreadRanks> ranks_;
};

TEST_P(ReductionExecutors, AllReduceMatchesTheReferenceForEveryTypeAndOp) {
    for (TypeOp t : SupportedTypeOps())
        AllReduce(t, 37 * n() + 3);
}

TEST_P(ReductionExecutors, AllReduceOfOneElement) {
    AllReduce({HCCL_DATA_TYPE_FP32, HCCL_REDUCE_MAX}, 1);
}

TEST_P(ReductionExecutors, AllReduceLargerThanTheCclBufferWithEveryAlgorithm) {
    const u64 count = kLargeBytes / 4 + 5;
    for (AlgoKind kind :
         {AlgoKind::kAuto, AlgoKind::kRing, AlgoKind::kMesh, AlgoKind::kRecursiveHD})
        AllReduce({HCCL_DATA_TYPE_INT32, HCCL_REDUCE_SUM}, count, Forced(OpKind::kAllReduce, kind));
    AllReduce({HCCL_DATA_TYPE_FP64, HCCL_REDUCE_PROD}, kLargeBytes / 8 + 1);
}

TEST_P(ReductionExecutors, AllReduceWithAnUnsupportedForcedAlgorithmFallsBack) {
    AllReduce({HCCL_DATA_TYPE_INT8, HCCL_REDUCE_SUM}, 100,
              Forced(OpKind::kAllReduce, AlgoKind::kPairwise));
}

TEST_P(ReductionExecutors, ReduceScatterMatchesTheReferenceForEveryTypeAndOp) {
    for (TypeOp t : SupportedTypeOps())
        ReduceScatter(t, 37);
    ReduceScatter({HCCL_DATA_TYPE_BFP16, HCCL_REDUCE_SUM}, 1);
}

TEST_P(ReductionExecutors, ReduceScatterLargerThanTheCclBufferWithEveryAlgorithm) {
    const u64 recvCount = kLargeBytes / 4 / n() + 3;
    for (AlgoKind kind : {AlgoKind::kAuto, AlgoKind::kRing, AlgoKind::kMesh})
        ReduceScatter({HCCL_DATA_TYPE_FP32, HCCL_REDUCE_SUM}, recvCount,
                      Forced(OpKind::kReduceScatter, kind));
    ReduceScatter({HCCL_DATA_TYPE_INT64, HCCL_REDUCE_MIN}, kLargeBytes / 8 / n() + 1,
                  Forced(OpKind::kReduceScatter, AlgoKind::kRing));
}

TEST_P(ReductionExecutors, ReduceScatterVWithUnevenBlocksAndGaps) {
    std::vector<u64> counts, displs;
    for (u64 scale : {u64{5}, u64{40000}}) {
        VLayout(scale, counts, displs);
        for (AlgoKind kind : {AlgoKind::kRing, AlgoKind::kMesh}) {
            ReduceScatterV({HCCL_DATA_TYPE_INT32, HCCL_REDUCE_SUM}, counts, displs, true,
                           Forced(OpKind::kReduceScatter, kind));
            ReduceScatterV({HCCL_DATA_TYPE_FP16, HCCL_REDUCE_PROD}, counts, displs, true,
                           Forced(OpKind::kReduceScatter, kind));
        }
    }
}

TEST_P(ReductionExecutors, AllGatherPlacesEveryRanksBlock) {
    for (HcclDataType type : {HCCL_DATA_TYPE_INT8, HCCL_DATA_TYPE_BFP16, HCCL_DATA_TYPE_UINT64}) {
        AllGather(type, 37);
        AllGather(type, 1);
    }
}

TEST_P(ReductionExecutors, AllGatherLargerThanTheCclBufferWithEveryAlgorithm) {
    for (AlgoKind kind : {AlgoKind::kAuto, AlgoKind::kRing, AlgoKind::kMesh})
        AllGather(HCCL_DATA_TYPE_FP32, kLargeBytes / 4 / n() + 3, Forced(OpKind::kAllGather, kind));
}

TEST_P(ReductionExecutors, AllGatherVWithUnevenBlocksAndGaps) {
    std::vector<u64> counts, displs;
    for (u64 scale : {u64{5}, u64{40000}}) {
        VLayout(scale, counts, displs);
        for (AlgoKind kind : {AlgoKind::kRing, AlgoKind::kMesh})
            AllGatherV(HCCL_DATA_TYPE_INT16, counts, displs, true,
                       Forced(OpKind::kAllGather, kind));
    }
}

TEST_P(ReductionExecutors, ReduceWritesOnlyTheRootsRecv) {
    for (TypeOp t : SupportedTypeOps())
        Reduce(t, 37 * n() + 3, n() - 1);
    Reduce({HCCL_DATA_TYPE_FP32, HCCL_REDUCE_SUM}, 1, 0);
    Reduce({HCCL_DATA_TYPE_INT32, HCCL_REDUCE_MAX}, kLargeBytes / 4 + 1, n() / 2,
           Forced(OpKind::kReduce, AlgoKind::kRing));
}

TEST_P(ReductionExecutors, ZeroCountsIssueNothingAndSucceed) {
    UserBuffers buffers(*ranks_, 64);
    std::vector<u64> zeros(n(), 0);
    ASSERT_EQ(
        Run({},
            [&](const OpContext &ctx, u32 r) {
                void *b = buffers.ptr(r);
                CHK_RET(algorithm::AllReduce(ctx, b, b, 0, HCCL_DATA_TYPE_FP32, HCCL_REDUCE_SUM));
                CHK_RET(
                    algorithm::ReduceScatter(ctx, b, b, 0, HCCL_DATA_TYPE_FP32, HCCL_REDUCE_SUM));
                CHK_RET(algorithm::AllGather(ctx, b, b, 0, HCCL_DATA_TYPE_FP32));
                CHK_RET(algorithm::AllGatherV(ctx, b, 0, b, zeros.data(), zeros.data(),
                                              HCCL_DATA_TYPE_FP32));
                return algorithm::Reduce(ctx, b, b, 0, HCCL_DATA_TYPE_FP32, HCCL_REDUCE_SUM, 0);
            }),
        HCCL_SUCCESS);
}

// Operations of different templates issued back to back on one stream, without a host wait in
// between: each template must leave the links' notifies consumed for the next one.
TEST_P(ReductionExecutors, BackToBackOperationsOfDifferentAlgorithmsShareTheLinks) {
    struct Step {
        OpKind kind;
        AlgoKind algo;
        TypeOp t;
    };
    const std::vector<Step> steps = {
        {OpKind::kAllReduce, AlgoKind::kRing, {HCCL_DATA_TYPE_INT32, HCCL_REDUCE_SUM}},
        {OpKind::kReduceScatter, AlgoKind::kMesh, {HCCL_DATA_TYPE_FP32, HCCL_REDUCE_SUM}},
        {OpKind::kAllReduce, AlgoKind::kRecursiveHD, {HCCL_DATA_TYPE_INT64, HCCL_REDUCE_PROD}},
        {OpKind::kAllGather, AlgoKind::kRing, {HCCL_DATA_TYPE_INT8, HCCL_REDUCE_SUM}},
        {OpKind::kAllReduce, AlgoKind::kMesh, {HCCL_DATA_TYPE_FP16, HCCL_REDUCE_MAX}},
        {OpKind::kReduceScatter, AlgoKind::kRing, {HCCL_DATA_TYPE_INT32, HCCL_REDUCE_MIN}},
        {OpKind::kAllGather, AlgoKind::kMesh, {HCCL_DATA_TYPE_FP64, HCCL_REDUCE_SUM}},
        {OpKind::kReduce, AlgoKind::kRecursiveHD, {HCCL_DATA_TYPE_FP32, HCCL_REDUCE_PROD}},
        {OpKind::kAllReduce, AlgoKind::kRing, {HCCL_DATA_TYPE_BFP16, HCCL_REDUCE_SUM}},
    };
    const u64 count = 7001;  // elements per operation (per block for reduce-scatter/all-gather)
    std::vector<std::unique_ptr<UserBuffers>> send, recv;
    for (const Step &step : steps) {
        const u32 unit = SIZE_TABLE[step.t.type];
        send.push_back(std::make_unique<UserBuffers>(*ranks_, count * n() * unit));
        recv.push_back(std::make_unique<UserBuffers>(*ranks_, count * n() * unit));
        for (u32 r = 0; r < n(); ++r) {
            FillRank(step.t.type, step.t.op, r, send.back()->ptr(r), count * n());
            std::memset(recv.back()->ptr(r), kPoison, count * n() * unit);
        }
    }
    ASSERT_EQ(ranks_->set().RunRanks([&](u32 r, hccl::Stream &stream) {
        for (size_t i = 0; i < steps.size(); ++i) {
            const Step &step = steps[i];
            OpContext ctx = ranks_->Context(r, stream, Forced(step.kind, step.algo));
            void *in = send[i]->ptr(r);
            void *out = recv[i]->ptr(r);
            switch (step.kind) {
                case OpKind::kAllReduce:
                    CHK_RET(algorithm::AllReduce(ctx, in, out, count, step.t.type, step.t.op));
                    break;
                case OpKind::kReduce:
                    CHK_RET(algorithm::Reduce(ctx, in, out, count, step.t.type, step.t.op, 0));
                    break;
                case OpKind::kReduceScatter:
                    CHK_RET(algorithm::ReduceScatter(ctx, in, out, count, step.t.type, step.t.op));
                    break;
                default:
                    CHK_RET(algorithm::AllGather(
                        ctx, static_cast<u8 *>(in) + r * count * SIZE_TABLE[step.t.type], out,
                        count, step.t.type));
                    break;
            }
        }
        return HCCL_SUCCESS;
    }),
              HCCL_SUCCESS);
    for (size_t i = 0; i < steps.size(); ++i) {
        const Step &step = steps[i];
        for (u32 r = 0; r < n(); ++r) {
            const void *out = recv[i]->ptr(r);
            for (u64 e = 0; e < count; ++e) {
                double expected = 0;
                u64 at = e;
                switch (step.kind) {
                    case OpKind::kAllGather:
                        for (u32 j = 0; j < n(); ++j)
                            ASSERT_EQ(Decode(step.t.type, out, j * count + e),
                                      static_cast<double>(
                                          Value(step.t.type, step.t.op, j, j * count + e)))
                                << "step " << i << " rank " << r;
                        continue;
                    case OpKind::kReduceScatter:
                        expected = Expected(step.t.type, step.t.op, n(), r * count + e);
                        break;
                    case OpKind::kReduce:
                        if (r != 0) continue;
                        expected = Expected(step.t.type, step.t.op, n(), e);
                        break;
                    default:
                        expected = Expected(step.t.type, step.t.op, n(), e);
                        break;
                }
                ASSERT_EQ(Decode(step.t.type, out, at), expected)
                    << "step " << i << " rank " << r << " element " << e;
            }
        }
    }
}

// fp32 random data: not exact, so any change of the reduction order changes bits.
TEST_P(ReductionExecutors, DeterministicReductionsAreBitIdenticalAcrossRunsAndAlgorithms) {
    for (u64 count : {u64{1000}, kLargeBytes / 4 + 7}) {
        UserBuffers send(*ranks_, count * 4), recv(*ranks_, count * 4);
        std::mt19937 random(42);
        std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
        std::vector<std::vector<float>> data(n(), std::vector<float>(count));
        for (u32 r = 0; r < n(); ++r) {
            for (float &x : data[r])
                x = dist(random) * 1000.0f;
            std::memcpy(send.ptr(r), data[r].data(), count * 4);
        }
        std::vector<float> rankOrder(count);  // ((x0 + x1) + x2) + ...
        for (u64 i = 0; i < count; ++i) {
            float acc = data[0][i];
            for (u32 r = 1; r < n(); ++r)
                acc += data[r][i];
            rankOrder[i] = acc;
        }
        for (AlgoKind kind : {AlgoKind::kRing, AlgoKind::kRecursiveHD, AlgoKind::kMesh,
                              AlgoKind::kAuto, AlgoKind::kRing}) {
            std::memset(recv.ptr(0), 0, count * 4);
            ASSERT_EQ(Run(Forced(OpKind::kAllReduce, kind, true),
                          [&](const OpContext &ctx, u32 r) {
                              return algorithm::AllReduce(ctx, send.ptr(r), recv.ptr(r), count,
                                                          HCCL_DATA_TYPE_FP32, HCCL_REDUCE_SUM);
                          }),
                      HCCL_SUCCESS);
            for (u32 r = 0; r < n(); ++r)
                ASSERT_EQ(std::memcmp(recv.ptr(r), rankOrder.data(), count * 4), 0)
                    << "all-reduce, algorithm " << static_cast<int>(kind) << " rank " << r;
        }
        const u64 block = count / n();
        for (AlgoKind kind : {AlgoKind::kRing, AlgoKind::kMesh}) {
            ASSERT_EQ(Run(Forced(OpKind::kReduceScatter, kind, true),
                          [&](const OpContext &ctx, u32 r) {
                              return algorithm::ReduceScatter(ctx, send.ptr(r), recv.ptr(r), block,
                                                              HCCL_DATA_TYPE_FP32, HCCL_REDUCE_SUM);
                          }),
                      HCCL_SUCCESS);
            for (u32 r = 0; r < n(); ++r)
                ASSERT_EQ(std::memcmp(recv.ptr(r), rankOrder.data() + r * block, block * 4), 0)
                    << "reduce-scatter, algorithm " << static_cast<int>(kind) << " rank " << r;
        }
    }
}

INSTANTIATE_TEST_SUITE_P(Ranks, ReductionExecutors, ::testing::Values(1u, 2u, 3u, 4u, 8u),
                         [](const ::testing::TestParamInfo<u32> &info) {
                             return std::to_string(info.param) + "Ranks";
                         });

}  // namespace
}  // namespace hcclcpu::algorithm::test
