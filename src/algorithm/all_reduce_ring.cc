#include "algorithm/reduce_helpers.h"
#include "algorithm/reduction_templates.h"
#include "log.h"

namespace hcclcpu::algorithm {

HcclResult AllReduceRing::RunAsync(u32 rank, u32 rankSize, const std::vector<LINK> &links) {
    CHK_RET(CheckLinks(rank, rankSize, links));
    if (rankSize == 1) {
        return CopyBytes(dispatcher_, stream_, outputMem_.ptr(), inputMem_.ptr(),
                         count_ * unitSize_);
    }
    // The reduce-scatter leaves block `rank` in outputMem_ at its offset, where the all-gather
    // expects it.
    const std::vector<Slice> blocks = EvenSlices(count_, rankSize, unitSize_);
    ReduceScatterRing reduceScatter(dispatcher_);
    CHK_RET(reduceScatter.Prepare(inputMem_, outputMem_, scratchMem_, count_, dataType_, stream_,
                                  reductionOp_, root_, blocks));
    CHK_RET(reduceScatter.RunAsync(rank, rankSize, links));
    AllGatherRing allGather(dispatcher_);
    CHK_RET(allGather.Prepare(inputMem_, outputMem_, scratchMem_, count_, dataType_, stream_,
                              reductionOp_, root_, blocks));
    return allGather.RunAsync(rank, rankSize, links);
}

}  // namespace hcclcpu::algorithm
