#include "algorithm/reduce_helpers.h"
#include "algorithm/reduction_templates.h"
#include "log.h"

namespace hcclcpu::algorithm {

namespace {
u32 LargestPowerOfTwoAtMost(u32 n) {
    u32 power = 1;
    while (power * 2 <= n)
        power *= 2;
    return power;
}
}  // namespace

HcclResult AllReduceRecursiveHD::Exchange(const LINK &peer,
                                          const std::function<HcclResult()> &work) {
    CHK_RET(peer->TxAck(stream_));  // my data is in place
    CHK_RET(peer->RxAck(stream_));
    CHK_RET(work());
    CHK_RET(peer->TxDataSignal(stream_));  // I read what I needed of yours
    return peer->RxDataSignal(stream_);
}

HcclResult AllReduceRecursiveHD::RunAsync(u32 rank, u32 rankSize, const std::vector<LINK> &links) {
    CHK_RET(CheckLinks(rank, rankSize, links));
    const u64 bytes = count_ * unitSize_;
    u8 *input = BytePtr(inputMem_, 0);
    u8 *output = BytePtr(outputMem_, 0);
    if (rankSize == 1) return CopyBytes(dispatcher_, stream_, output, input, bytes);

    const u32 powerRanks = LargestPowerOfTwoAtMost(rankSize);
    const u32 extra = rankSize - powerRanks;
    const bool folded = rank < 2 * extra;
    const bool sitsOut = folded && rank % 2 == 0;
    auto reduceRange = [&](const LINK &peer, u64 offset, u64 size) -> HcclResult {
        u8 *peerInput = nullptr;
        CHK_RET(RemoteBase(peer, hccl::UserMemType::INPUT_MEM, peerInput));
        return ReduceInto(dispatcher_, stream_, input + offset, peerInput + offset,
                          size / unitSize_, dataType_, reductionOp_, peer, output + offset);
    };
    auto copyRange = [&](const LINK &peer, u8 *dst, u64 offset, u64 size) -> HcclResult {
        u8 *peerInput = nullptr;
        CHK_RET(RemoteBase(peer, hccl::UserMemType::INPUT_MEM, peerInput));
        return CopyBytes(dispatcher_, stream_, dst + offset, peerInput + offset, size, peer);
    };

    // Fold: the odd rank of each low pair takes its even partner's data in.
    if (folded) {
        const LINK &partner = links[rank ^ 1];
        CHK_RET(Exchange(
            partner, [&]() { return sitsOut ? HCCL_SUCCESS : reduceRange(partner, 0, bytes); }));
    }
    if (!sitsOut) {
        const u32 virtualRank = folded ? rank / 2 : rank - extra;
        auto realRank = [&](u32 v) { return v < extra ? 2 * v + 1 : v + extra; };
        const std::vector<Slice> blocks = EvenSlices(count_, powerRanks, unitSize_);
        auto rangeOf = [&](u32 first, u32 number) {
            const Slice &last = blocks[first + number - 1];
            return Slice{blocks[first].offset, last.offset + last.size - blocks[first].offset};
        };
        // Recursive halving: keep half of the current block range, reduce the partner's copy
        // of that half in; the partner does the same with the other half.
        u32 low = 0;
        for (u32 distance = powerRanks / 2; distance >= 1; distance /= 2) {
            if ((virtualRank & distance) != 0) low += distance;
            const Slice keep = rangeOf(low, distance);
            const LINK &partner = links[realRank(virtualRank ^ distance)];
            CHK_RET(
                Exchange(partner, [&]() { return reduceRange(partner, keep.offset, keep.size); }));
        }
        // Recursive doubling: fetch the partner's reduced blocks, doubling the range each time.
        for (u32 distance = 1; distance < powerRanks; distance *= 2) {
            const u32 partnerVirtual = virtualRank ^ distance;
            const Slice theirs = rangeOf(partnerVirtual & ~(distance - 1), distance);
            const LINK &partner = links[realRank(partnerVirtual)];
            CHK_RET(Exchange(
                partner, [&]() { return copyRange(partner, input, theirs.offset, theirs.size); }));
        }
        CHK_RET(CopyBytes(dispatcher_, stream_, output, input, bytes));
    }
    // Unfold: the even rank of each low pair reads the result from its partner.
    if (folded) {
        const LINK &partner = links[rank ^ 1];
        CHK_RET(Exchange(partner, [&]() {
            return sitsOut ? copyRange(partner, output, 0, bytes) : HCCL_SUCCESS;
        }));
    }
    return HCCL_SUCCESS;
}

}  // namespace hcclcpu::algorithm
