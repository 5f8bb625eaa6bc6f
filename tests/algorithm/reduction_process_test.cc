// The reduction executors with ranks in separate processes (LinkSet::CreateForProcess): peers'
// buffers are imported memory, read by the inline reduce, the TBE reduce (int64 PROD, read
// straight from the peer by the mesh) and the copies.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "algorithm/executors.h"
#include "platform/process_ranks_util.h"
#include "reduction_test_util.h"

namespace hcclcpu::algorithm::test {
namespace {

constexpr u64 kCclBytes = 64 * 1024;
constexpr u64 kCount = 50001;  // about 6 CCL buffers of int64

AlgoConfig Forced(OpKind op, AlgoKind kind) {
    AlgoConfig config;
    config.perOp[static_cast<size_t>(op)] = kind;
    return config;
}

// One rank: every all-reduce algorithm with inline and TBE types, a reduce-scatter and an
// all-gather; prints what failed, returns the exit code.
int RankMain(u32 rankSize, u32 rank, const std::string &jobId) {
    LinkSet *set = nullptr;
    if (LinkSet::CreateForProcess(rankSize, rank, jobId, kCclBytes, set) != HCCL_SUCCESS) return 2;
    int failures = 0;
    const std::vector<hccl::LINK> links = set->Links(rank);
    HcclResult ret = set->RunRanks([&](u32 r, hccl::Stream &stream) {
        OpContext ctx;
        ctx.rank = r;
        ctx.rankSize = rankSize;
        ctx.dispatcher = set->Dispatcher(r);
        ctx.stream = stream;
        ctx.cclInput = set->Input(r);
        ctx.cclOutput = set->Output(r);
        ctx.links = &links;
        hccl::DeviceMem send = hccl::DeviceMem::alloc(kCount * rankSize * 8);
        hccl::DeviceMem recv = hccl::DeviceMem::alloc(kCount * rankSize * 8);
        if (!send || !recv) return HCCL_E_MEMORY;
        auto check = [&](const char *what, HcclDataType type, HcclReduceOp op, u64 count,
                         u64 first) {
            for (u64 e = 0; e < count; ++e)
                if (Decode(type, recv.ptr(), e) != Expected(type, op, rankSize, first + e)) {
                    std::printf("%s: element %llu wrong\n", what,
                                static_cast<unsigned long long>(e));
                    ++failures;
                    return;
                }
        };
        for (AlgoKind kind : {AlgoKind::kRing, AlgoKind::kMesh, AlgoKind::kRecursiveHD})
            for (TypeOp t : {TypeOp{HCCL_DATA_TYPE_INT64, HCCL_REDUCE_PROD},
                             TypeOp{HCCL_DATA_TYPE_FP32, HCCL_REDUCE_SUM}}) {
                ctx.algo = Forced(OpKind::kAllReduce, kind);
                FillRank(t.type, t.op, r, send.ptr(), kCount);
                CHK_RET(AllReduce(ctx, send.ptr(), recv.ptr(), kCount, t.type, t.op));
                CHK_RET(set->Synchronize(r, stream));
                check("all-reduce", t.type, t.op, kCount, 0);
            }
        for (AlgoKind kind : {AlgoKind::kRing, AlgoKind::kMesh}) {
            ctx.algo = Forced(OpKind::kReduceScatter, kind);
            FillRank(HCCL_DATA_TYPE_INT64, HCCL_REDUCE_SUM, r, send.ptr(), kCount * rankSize);
            CHK_RET(ReduceScatter(ctx, send.ptr(), recv.ptr(), kCount, HCCL_DATA_TYPE_INT64,
                                  HCCL_REDUCE_SUM));
            CHK_RET(set->Synchronize(r, stream));
            check("reduce-scatter", HCCL_DATA_TYPE_INT64, HCCL_REDUCE_SUM, kCount, r * kCount);
        }
        ctx.algo = Forced(OpKind::kAllGather, AlgoKind::kRing);
        FillRank(HCCL_DATA_TYPE_FP64, HCCL_REDUCE_SUM, r, send.ptr(), kCount, r * kCount);
        CHK_RET(AllGather(ctx, send.ptr(), recv.ptr(), kCount, HCCL_DATA_TYPE_FP64));
        CHK_RET(set->Synchronize(r, stream));
        for (u64 g = 0; g < kCount * rankSize; ++g)
            if (Decode(HCCL_DATA_TYPE_FP64, recv.ptr(), g) !=
                static_cast<double>(
                    Value(HCCL_DATA_TYPE_FP64, HCCL_REDUCE_SUM, static_cast<u32>(g / kCount), g))) {
                std::printf("all-gather: element %llu wrong\n", static_cast<unsigned long long>(g));
                ++failures;
                break;
            }
        std::printf("checked %d failures\n", failures);
        return HCCL_SUCCESS;
    });
    LinkSet::Destroy(set);
    if (ret != HCCL_SUCCESS) std::printf("run failed: %d\n", static_cast<int>(ret));
    return ret == HCCL_SUCCESS && failures == 0 ? 0 : 1;
}

TEST(ReductionProcessRanks, ExecutorsMatchTheReferenceAcrossThreeProcesses) {
    platform::test::RankProcesses ranks("reductions", 3, {"HCCL_EXEC_TIMEOUT=60"});
    ranks.start();
    ranks.expectAllSucceed(120000);
    for (u32 r = 0; r < 3; ++r)
        EXPECT_NE(ranks.out(r).find("checked 0 failures"), std::string::npos) << ranks.transcript();
}

}  // namespace
}  // namespace hcclcpu::algorithm::test

int main(int argc, char **argv) {
    if (argc == 6 && std::string(argv[1]) == hcclcpu::platform::test::kRankFlag)
        return hcclcpu::algorithm::test::RankMain(static_cast<u32>(std::stoul(argv[3])),
                                                  static_cast<u32>(std::stoul(argv[4])), argv[5]);
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
