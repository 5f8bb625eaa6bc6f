// Send, Recv and BatchSendRecv: the SendReceive template over the CCL input regions
// (send_receive.h). A send finishes only after the receiver has pulled every byte (its closing
// round), so the sender's next operation starts after the peer has received: HcclSend is
// synchronous, as documented.
#include <map>

#include "algorithm/dm_executor_util.h"
#include "algorithm/executors.h"
#include "algorithm/send_receive.h"
#include "log.h"

namespace hcclcpu::algorithm {

using namespace dm;  // NOLINT(google-build-using-namespace): the shared helpers

namespace {

HcclResult RunSendReceive(const OpContext &ctx, std::vector<PeerSpans> sends,
                          std::vector<PeerSpans> recvs) {
    u64 cclBytes = ctx.cclInput.size();
    if (ctx.rankSize > 1) CHK_RET(CommonBufferBytes(ctx, UserMemType::INPUT_MEM, cclBytes));
    Stream stream = ctx.stream;
    SendReceive transfers(ctx.dispatcher);
    CHK_RET(transfers.Prepare(ctx.cclInput.range(0, cclBytes), stream, std::move(sends),
                              std::move(recvs)));
    static const std::vector<LINK> kNoLinks;
    return transfers.RunAsync(ctx.rank, ctx.rankSize, ctx.rankSize > 1 ? *ctx.links : kNoLinks);
}

HcclResult OnePeer(const OpContext &ctx, const char *op, void *buf, u64 count,
                   HcclDataType dataType, u32 peer, bool isSend) {
    CHK_RET(CheckContext(ctx, op));
    u32 unit = 0;
    CHK_RET(UnitSizeOf(dataType, op, unit));
    if (peer >= ctx.rankSize || peer == ctx.rank) {
        HCCL_ERROR("%s: peer %u is not another rank of %u (this is rank %u)", op, peer,
                   ctx.rankSize, ctx.rank);
        return HCCL_E_PARA;
    }
    if (buf == nullptr && count > 0) {
        HCCL_ERROR("%s: null buffer for %llu elements", op, count);
        return HCCL_E_PTR;
    }
    std::vector<PeerSpans> one{{peer, {{static_cast<u8 *>(buf), count * unit}}}};
    if (isSend) return RunSendReceive(ctx, std::move(one), {});
    return RunSendReceive(ctx, {}, std::move(one));
}

}  // namespace

HcclResult Send(const OpContext &ctx, const void *send, u64 count, HcclDataType dataType,
                u32 destRank) {
    return OnePeer(ctx, "send", const_cast<void *>(send), count, dataType, destRank, true);
}

HcclResult Recv(const OpContext &ctx, void *recv, u64 count, HcclDataType dataType, u32 srcRank) {
    return OnePeer(ctx, "recv", recv, count, dataType, srcRank, false);
}

HcclResult BatchSendRecv(const OpContext &ctx, const HcclSendRecvItem *items, u32 itemNum) {
    CHK_RET(CheckContext(ctx, "batch send/recv"));
    if (itemNum == 0) return HCCL_SUCCESS;
    if (items == nullptr) {
        HCCL_ERROR("batch send/recv: null items for %u items", itemNum);
        return HCCL_E_PTR;
    }
    // Items of one direction become one byte stream, in item order.
    std::map<u32, std::vector<Span>> sends, recvs;
    for (u32 i = 0; i < itemNum; ++i) {
        const HcclSendRecvItem &item = items[i];
        u32 unit = 0;
        CHK_RET(UnitSizeOf(item.dataType, "batch send/recv", unit));
        if (item.sendRecvType != HCCL_SEND && item.sendRecvType != HCCL_RECV) {
            HCCL_ERROR("batch send/recv: item %u has type %d, neither send nor recv", i,
                       static_cast<int>(item.sendRecvType));
            return HCCL_E_PARA;
        }
        if (item.remoteRank >= ctx.rankSize) {
            HCCL_ERROR("batch send/recv: item %u names rank %u of %u", i, item.remoteRank,
                       ctx.rankSize);
            return HCCL_E_PARA;
        }
        if (item.buf == nullptr && item.count > 0) {
            HCCL_ERROR("batch send/recv: item %u has a null buffer for %llu elements", i,
                       static_cast<unsigned long long>(item.count));
            return HCCL_E_PTR;
        }
        auto &directions = item.sendRecvType == HCCL_SEND ? sends : recvs;
        directions[item.remoteRank].push_back({static_cast<u8 *>(item.buf), item.count * unit});
    }
    std::vector<PeerSpans> sendList, recvList;
    for (auto &[peer, spans] : sends)
        sendList.push_back({peer, std::move(spans)});
    for (auto &[peer, spans] : recvs)
        recvList.push_back({peer, std::move(spans)});
    return RunSendReceive(ctx, std::move(sendList), std::move(recvList));
}

}  // namespace hcclcpu::algorithm
