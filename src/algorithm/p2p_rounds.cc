#include "algorithm/p2p_rounds.h"

#include <algorithm>

#include "log.h"

namespace hcclcpu::algorithm::dm {

namespace {

// Calls fn(spanPtr, offsetInRange, bytes) for every part of the byte range [begin, begin + len)
// of the concatenation of `spans`.
template <typename Fn>
HcclResult ForEachPiece(const std::vector<Span> &spans, u64 begin, u64 len, Fn &&fn) {
    u64 spanStart = 0;
    for (const Span &span : spans) {
        const u64 spanEnd = spanStart + span.bytes;
        const u64 from = std::max(begin, spanStart);
        const u64 to = std::min(begin + len, spanEnd);
        if (from < to) CHK_RET(fn(span.ptr + (from - spanStart), from - begin, to - from));
        spanStart = spanEnd;
        if (spanStart >= begin + len) break;
    }
    return HCCL_SUCCESS;
}

u64 RoundBytes(const Transfer &t, u64 round) {
    const u64 begin = round * t.regionBytes;
    return std::min(t.regionBytes, t.totalBytes - begin);
}

// Fills the sender's region with round `round`.
HcclResult Stage(HcclDispatcher dispatcher, Transfer &t, u64 round, Stream &stream) {
    if (t.spans.empty()) return HCCL_SUCCESS;  // the data already sits in the region
    return ForEachPiece(t.spans, round * t.regionBytes, RoundBytes(t, round),
                        [&](u8 *src, u64 at, u64 bytes) {
                            DeviceMem dst = DeviceMem::create(t.regionPtr + at, bytes);
                            DeviceMem from = DeviceMem::create(src, bytes);
                            return HcclD2DMemcpyAsync(dispatcher, dst, from, stream);
                        });
}

// Waits for round `round` and pulls it from the sender's region into the spans.
HcclResult Pull(Transfer &t, u64 round, Stream &stream) {
    std::vector<hccl::RxMemoryInfo> reads;
    CHK_RET(ForEachPiece(t.spans, round * t.regionBytes, RoundBytes(t, round),
                         [&](u8 *dst, u64 at, u64 bytes) {
                             reads.push_back({t.mem, t.regionOffset + at, dst, bytes});
                             return HCCL_SUCCESS;
                         }));
    return t.link->RxAsync(reads, stream);
}

HcclResult CheckTransfer(const Transfer &t, const char *side) {
    if (t.link == nullptr) {
        HCCL_ERROR("%s transfer without a link", side);
        return HCCL_E_PTR;
    }
    if (t.regionBytes == 0 && t.totalBytes != 0) {
        HCCL_ERROR("%s transfer of %llu bytes with an empty region", side,
                   static_cast<unsigned long long>(t.totalBytes));
        return HCCL_E_PARA;
    }
    return HCCL_SUCCESS;
}

}  // namespace

HcclResult RecvRound(const LINK &link, UserMemType mem, u64 offset, void *dst, u64 len,
                     Stream &stream) {
    CHK_RET(link->TxAck(stream));
    if (dst == nullptr || len == 0) return link->RxDataSignal(stream);
    return link->RxAsync(mem, offset, dst, len, stream);
}

HcclResult SendRound(const LINK &link, UserMemType mem, u64 offset, u64 len, Stream &stream) {
    CHK_RET(link->RxAck(stream));
    return link->TxAsync(mem, offset, nullptr, len, stream);
}

HcclResult CloseChain(const LINK &prev, const LINK &next, Stream &stream) {
    if (prev != nullptr) CHK_RET(prev->TxAck(stream));
    if (next != nullptr) {
        CHK_RET(next->RxAck(stream));
        CHK_RET(next->TxDataSignal(stream));
    }
    if (prev != nullptr) CHK_RET(prev->RxDataSignal(stream));
    return HCCL_SUCCESS;
}

HcclResult StageFirstRounds(HcclDispatcher dispatcher, std::vector<Transfer> &sends,
                            Stream &stream) {
    for (Transfer &t : sends)
        if (t.Rounds() > 0) CHK_RET(Stage(dispatcher, t, 0, stream));
    return HCCL_SUCCESS;
}

HcclResult RunTransfers(HcclDispatcher dispatcher, std::vector<Transfer> &sends,
                        std::vector<Transfer> &recvs, Stream &stream, bool firstRoundsStaged) {
    u64 lastRound = 0;  // the closing round of the longest direction
    for (const Transfer &t : sends) {
        CHK_RET(CheckTransfer(t, "send"));
        if (!t.spans.empty() && t.regionPtr == nullptr) {
            HCCL_ERROR("send transfer with data but no region");
            return HCCL_E_PTR;
        }
        if (t.spans.empty() && t.totalBytes > t.regionBytes) {
            HCCL_ERROR("send transfer of %llu bytes in place in a region of %llu bytes",
                       static_cast<unsigned long long>(t.totalBytes),
                       static_cast<unsigned long long>(t.regionBytes));
            return HCCL_E_PARA;
        }
        lastRound = std::max(lastRound, t.Rounds());
    }
    for (const Transfer &t : recvs) {
        CHK_RET(CheckTransfer(t, "receive"));
        lastRound = std::max(lastRound, t.Rounds());
    }
    if (!firstRoundsStaged) CHK_RET(StageFirstRounds(dispatcher, sends, stream));

    for (u64 k = 0; k <= lastRound; ++k) {
        for (Transfer &t : recvs)
            if (k <= t.Rounds()) CHK_RET(t.link->TxAck(stream));
        for (Transfer &t : sends) {
            const u64 rounds = t.Rounds();
            if (k > rounds) continue;
            CHK_RET(t.link->RxAck(stream));
            if (k == rounds) {
                CHK_RET(t.link->TxDataSignal(stream));  // closing round
                continue;
            }
            if (k > 0) CHK_RET(Stage(dispatcher, t, k, stream));
            CHK_RET(t.link->TxAsync(t.mem, t.regionOffset, nullptr, RoundBytes(t, k), stream));
        }
        for (Transfer &t : recvs) {
            const u64 rounds = t.Rounds();
            if (k > rounds) continue;
            if (k == rounds)
                CHK_RET(t.link->RxDataSignal(stream));  // closing round
            else
                CHK_RET(Pull(t, k, stream));
        }
    }
    return HCCL_SUCCESS;
}

u64 RegionBytes(u64 bufferBytes, u32 parts) {
    if (parts == 0) return 0;
    const u64 even = bufferBytes / parts;
    return even >= 64 ? even / 64 * 64 : even;
}

}  // namespace hcclcpu::algorithm::dm
