// Barrier: a dissemination barrier over the links, without data. In step s (distance d = 2^s,
// s = 0 .. ceil(log2 n) - 1) rank r completes one empty round towards r+d and one from r-d
// (p2p_rounds.h): the round from r-d ends only when r-d has reached step s. After step s rank r
// knows that ranks r-1 .. r-(2^(s+1)-1) have entered the barrier, so after the last step it knows
// it of every rank. ceil(log2 n) steps instead of n-1; a step is a RunTransfers call, so its
// deadlock freedom follows from p2p_rounds.h.
#include "algorithm/dm_executor_util.h"
#include "algorithm/executors.h"
#include "log.h"

namespace hcclcpu::algorithm {

using namespace dm;  // NOLINT(google-build-using-namespace): the shared helpers

HcclResult Barrier(const OpContext &ctx) {
    CHK_RET(CheckContext(ctx, "barrier"));
    if (ctx.rankSize == 1) return HCCL_SUCCESS;
    Stream stream = ctx.stream;
    const u32 n = ctx.rankSize;
    for (u32 distance = 1; distance < n; distance *= 2) {
        Transfer to, from;
        to.link = (*ctx.links)[(ctx.rank + distance) % n];
        from.link = (*ctx.links)[(ctx.rank + n - distance) % n];
        std::vector<Transfer> sends{to}, recvs{from};
        CHK_RET(RunTransfers(ctx.dispatcher, sends, recvs, stream, true));
    }
    return HCCL_SUCCESS;
}

}  // namespace hcclcpu::algorithm
