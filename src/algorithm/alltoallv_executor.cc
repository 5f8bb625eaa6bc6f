// AlltoAllV (AlltoAll and AlltoAllVC arrive here as counts and displacements): pairwise steps
// through fixed regions of the CCL input, rounds per pair (alltoallv_pairwise.h). Pairwise is the
// only family: a configured ring/mesh/star falls back to it with a warning.
#include "algorithm/alltoallv_pairwise.h"
#include "algorithm/dm_executor_util.h"
#include "algorithm/executors.h"
#include "log.h"

namespace hcclcpu::algorithm {

using namespace dm;  // NOLINT(google-build-using-namespace): the shared helpers

HcclResult AlltoAllV(const OpContext &ctx, const void *send, const u64 *sendCounts,
                     const u64 *sendDispls, void *recv, const u64 *recvCounts,
                     const u64 *recvDispls, HcclDataType dataType) {
    CHK_RET(CheckContext(ctx, "alltoallv"));
    u32 unit = 0;
    CHK_RET(UnitSizeOf(dataType, "alltoallv", unit));
    (void)ConfiguredAlgo(ctx, OpKind::kAlltoAll, "alltoallv", {AlgoKind::kPairwise});
    u64 cclBytes = ctx.cclInput.size();
    if (ctx.rankSize > 1) CHK_RET(CommonBufferBytes(ctx, UserMemType::INPUT_MEM, cclBytes));

    Stream stream = ctx.stream;
    AlltoAllVPairwise pairwise(ctx.dispatcher);
    CHK_RET(pairwise.Prepare(ctx.cclInput.range(0, cclBytes), dataType, stream,
                             {send, sendCounts, sendDispls, recv, recvCounts, recvDispls}));
    static const std::vector<LINK> kNoLinks;
    return pairwise.RunAsync(ctx.rank, ctx.rankSize, ctx.rankSize > 1 ? *ctx.links : kNoLinks);
}

}  // namespace hcclcpu::algorithm
