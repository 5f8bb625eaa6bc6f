#include "algorithm/send_receive.h"

#include <algorithm>

#include "algorithm/dm_template_util.h"
#include "log.h"

namespace hcclcpu::algorithm {

using namespace dm;  // NOLINT(google-build-using-namespace): the shared helpers

namespace {
u64 TotalBytes(const std::vector<Span> &spans) {
    u64 total = 0;
    for (const Span &span : spans)
        total += span.bytes;
    return total;
}
}  // namespace

HcclResult SendReceive::Prepare(const DeviceMem &inputMem, const Stream &stream,
                                std::vector<PeerSpans> sends, std::vector<PeerSpans> recvs) {
    CHK_RET(AlgTemplateBase::Prepare(inputMem, DeviceMem(), DeviceMem(), 0, HCCL_DATA_TYPE_INT8,
                                     stream));
    sends_ = std::move(sends);
    recvs_ = std::move(recvs);
    return HCCL_SUCCESS;
}

HcclResult SendReceive::CopyToSelf(const std::vector<Span> &from, const std::vector<Span> &to) {
    if (TotalBytes(from) != TotalBytes(to)) {
        HCCL_ERROR("send/receive: %llu bytes sent to the rank itself but %llu received",
                   TotalBytes(from), TotalBytes(to));
        return HCCL_E_PARA;
    }
    size_t i = 0, j = 0;
    u64 atFrom = 0, atTo = 0;
    while (i < from.size() && j < to.size()) {
        const u64 len = std::min(from[i].bytes - atFrom, to[j].bytes - atTo);
        CHK_RET(LocalCopy(dispatcher_, to[j].ptr + atTo, from[i].ptr + atFrom, len, stream_));
        atFrom += len;
        atTo += len;
        if (atFrom == from[i].bytes) ++i, atFrom = 0;
        if (atTo == to[j].bytes) ++j, atTo = 0;
    }
    return HCCL_SUCCESS;
}

HcclResult SendReceive::RunAsync(u32 rank, u32 rankSize, const std::vector<LINK> &links) {
    CHK_RET(CheckRun("send/receive", rank, rankSize, links, 0, false));
    std::vector<Span> selfSend, selfRecv;
    for (const auto *list : {&sends_, &recvs_}) {
        std::vector<bool> seen(rankSize, false);
        for (const PeerSpans &item : *list) {
            if (item.peer >= rankSize) {
                HCCL_ERROR("send/receive: peer %u out of range for %u ranks", item.peer, rankSize);
                return HCCL_E_PARA;
            }
            // Two transfers of one direction would share its region and notifies.
            if (seen[item.peer]) {
                HCCL_ERROR("send/receive: two entries for one direction with peer %u", item.peer);
                return HCCL_E_PARA;
            }
            seen[item.peer] = true;
            for (const Span &span : item.spans) {
                if (span.ptr == nullptr && span.bytes > 0) {
                    HCCL_ERROR("send/receive: null buffer of %llu bytes for peer %u", span.bytes,
                               item.peer);
                    return HCCL_E_PTR;
                }
            }
        }
    }
    const u64 region = RegionBytes(inputMem_.size(), rankSize);
    if (region == 0) {
        HCCL_ERROR("send/receive: a CCL input of %llu bytes cannot hold %u regions",
                   inputMem_.size(), rankSize);
        return HCCL_E_PARA;
    }
    u8 *in = static_cast<u8 *>(inputMem_.ptr());
    std::vector<Transfer> sends, recvs;
    for (const PeerSpans &item : sends_) {
        if (item.peer == rank) {
            selfSend.insert(selfSend.end(), item.spans.begin(), item.spans.end());
            continue;
        }
        Transfer t;
        t.link = links[item.peer];
        t.regionOffset = item.peer * region;
        t.regionBytes = region;
        t.regionPtr = in + t.regionOffset;
        t.totalBytes = TotalBytes(item.spans);
        t.spans = item.spans;
        sends.push_back(std::move(t));
    }
    for (const PeerSpans &item : recvs_) {
        if (item.peer == rank) {
            selfRecv.insert(selfRecv.end(), item.spans.begin(), item.spans.end());
            continue;
        }
        Transfer t;
        t.link = links[item.peer];
        t.regionOffset = rank * region;
        t.regionBytes = region;
        t.totalBytes = TotalBytes(item.spans);
        t.spans = item.spans;
        recvs.push_back(std::move(t));
    }
    CHK_RET(CopyToSelf(selfSend, selfRecv));
    return RunTransfers(dispatcher_, sends, recvs, stream_, false);
}

}  // namespace hcclcpu::algorithm
