// Times the reduction and gather templates on thread ranks, to choose the executors' thresholds
// (docs/ALGORITHMS.md). Not a test: prints one line per (op, ranks, bytes, template), the time
// per operation as the slowest rank sees it (issue to stream done), the best of 8 batches: the
// machine is shared, and the minimum is what is least disturbed by other work.
//
//     build/tests/algorithm/algorithm_reduction_bench [maxBytes] [ranks...]
#include <algorithm>
#include <barrier>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <vector>

#include "algorithm/reduction_templates.h"
#include "dtype_common.h"
#include "hccl_cpu_links.h"
#include "log.h"

using namespace hcclcpu::algorithm;
using hcclcpu::LinkSet;

namespace {

using Make = std::function<std::unique_ptr<AlgTemplateBase>(HcclDispatcher)>;
struct Candidate {
    const char *name;
    Make make;
};
enum class Kind { kAllReduce, kReduceScatter, kAllGather };

// Seconds per operation: the slowest rank, after a warm-up batch, best of 8 timed batches.
double Time(LinkSet &set, Kind kind, const Make &make, u64 bytes, u32 iterations) {
    const u32 n = set.RankSize();
    const u64 count = bytes / 4;  // fp32 sum
    std::vector<double> batches;
    for (int batch = 0; batch < 9; ++batch) {
        std::vector<double> perRank(n, 0);
        std::barrier start(n);
        HcclResult ret = set.RunRanks([&](u32 rank, hccl::Stream &stream) {
            std::unique_ptr<AlgTemplateBase> tpl = make(set.Dispatcher(rank));
            CHK_RET(tpl->Prepare(set.Input(rank), set.Output(rank), hccl::DeviceMem(), count,
                                 HCCL_DATA_TYPE_FP32, stream, HCCL_REDUCE_SUM));
            start.arrive_and_wait();
            auto t0 = std::chrono::steady_clock::now();
            for (u32 i = 0; i < iterations; ++i)
                CHK_RET(tpl->RunAsync(rank, n, set.Links(rank)));
            CHK_RET(set.Synchronize(rank, stream));
            perRank[rank] =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            return HCCL_SUCCESS;
        });
        if (ret != HCCL_SUCCESS) {
            std::fprintf(stderr, "run failed: %d\n", ret);
            std::exit(1);
        }
        if (batch > 0)
            batches.push_back(*std::max_element(perRank.begin(), perRank.end()) / iterations);
    }
    return *std::min_element(batches.begin(), batches.end());
}

}  // namespace

int main(int argc, char **argv) {
    u64 maxBytes = argc > 1 ? std::strtoull(argv[1], nullptr, 0) : (4u << 20);
    std::vector<u32> rankCounts;
    for (int i = 2; i < argc; ++i)
        rankCounts.push_back(static_cast<u32>(std::atoi(argv[i])));
    if (rankCounts.empty()) rankCounts = {2, 3, 4, 8};
    const std::vector<std::pair<Kind, std::vector<Candidate>>> ops = {
        {Kind::kAllReduce,
         {{"ring", [](HcclDispatcher d) { return std::make_unique<AllReduceRing>(d); }},
          {"mesh1", [](HcclDispatcher d) { return std::make_unique<AllReduceMesh>(d, true); }},
          {"mesh2", [](HcclDispatcher d) { return std::make_unique<AllReduceMesh>(d, false); }},
          {"hd", [](HcclDispatcher d) { return std::make_unique<AllReduceRecursiveHD>(d); }}}},
        {Kind::kReduceScatter,
         {{"ring", [](HcclDispatcher d) { return std::make_unique<ReduceScatterRing>(d); }},
          {"mesh", [](HcclDispatcher d) { return std::make_unique<ReduceScatterMesh>(d); }}}},
        {Kind::kAllGather,
         {{"ring", [](HcclDispatcher d) { return std::make_unique<AllGatherRing>(d); }},
          {"mesh", [](HcclDispatcher d) { return std::make_unique<AllGatherMesh>(d); }}}},
    };
    const char *names[] = {"allreduce", "reducescatter", "allgather"};
    std::printf("op ranks bytes template us_per_op\n");
    for (u32 n : rankCounts) {
        LinkSet *set = nullptr;
        if (LinkSet::Create(n, maxBytes * n, set) != HCCL_SUCCESS) return 1;
        for (const auto &[kind, candidates] : ops) {
            // all-reduce: bytes of the message; reduce-scatter/all-gather: bytes of one block.
            for (u64 bytes = 1024; bytes <= maxBytes; bytes *= 4) {
                const u32 iterations =
                    static_cast<u32>(std::clamp<u64>((8u << 20) / (bytes * n), 2, 200));
                for (const Candidate &c : candidates) {
                    double seconds = Time(*set, kind, c.make, bytes, iterations);
                    std::printf("%s %u %llu %s %.1f\n", names[static_cast<int>(kind)], n,
                                static_cast<unsigned long long>(bytes), c.name, seconds * 1e6);
                    std::fflush(stdout);
                }
            }
        }
        LinkSet::Destroy(set);
    }
    return 0;
}
