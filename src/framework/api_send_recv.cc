// Point-to-point entry points and the barrier: HcclSend, HcclRecv, HcclBatchSendRecv,
// HcclBarrier. A rank cannot send to or receive from itself (HCCL_E_PARA): there is no link to
// self, and a synchronous send to oneself could never complete.
#include "algorithm/executors.h"
#include "common/log.h"
#include "framework/api_guard.h"
#include "framework/op_call.h"
#include "framework/op_checks.h"
#include "hccl/hccl.h"

namespace fw = hcclcpu::framework;
namespace alg = hcclcpu::algorithm;

#define FW_CHECK(expr)                                                         \
    do {                                                                       \
        if (HcclResult check_ = (expr); check_ != HCCL_SUCCESS) return check_; \
    } while (0)

namespace {

HcclResult checkPeer(const char *api, const char *name, uint32_t peer, const fw::OpCall &call) {
    FW_CHECK(fw::checkRank(api, name, peer, call.size()));
    if (peer != call.rank()) return HCCL_SUCCESS;
    HCPU_ERROR("{}: {} {} is the calling rank itself (no send or receive to self)", api, name,
               peer);
    return HCCL_E_PARA;
}

HcclResult checkItem(const char *api, uint32_t index, const HcclSendRecvItem &item,
                     const fw::OpCall &call) {
    if (item.sendRecvType != HCCL_SEND && item.sendRecvType != HCCL_RECV) {
        HCPU_ERROR("{}: item {}: sendRecvType {} is neither HCCL_SEND nor HCCL_RECV", api, index,
                   static_cast<int>(item.sendRecvType));
        return HCCL_E_PARA;
    }
    if (item.buf == nullptr && item.count > 0) {
        HCPU_ERROR("{}: item {}: buf is null with count {}", api, index, item.count);
        return HCCL_E_PTR;
    }
    if (item.count > fw::kMaxCount) {
        HCPU_ERROR("{}: item {}: count {} exceeds the maximum {:#x}", api, index, item.count,
                   fw::kMaxCount);
        return HCCL_E_PARA;
    }
    FW_CHECK(fw::checkMoveType(api, "dataType", item.dataType));
    if (item.remoteRank >= call.size() || item.remoteRank == call.rank()) {
        HCPU_ERROR("{}: item {}: remoteRank {} is {} (rank {} of {})", api, index, item.remoteRank,
                   item.remoteRank == call.rank() ? "the calling rank itself" : "not a rank",
                   call.rank(), call.size());
        return HCCL_E_PARA;
    }
    return HCCL_SUCCESS;
}

}  // namespace

extern "C" {

HcclResult HcclSend(void *sendBuf, uint64_t count, HcclDataType dataType, uint32_t destRank,
                    HcclComm comm, aclrtStream stream) {
    const char *api = __func__;
    return fw::guarded(api, [&] {
        if (count == 0) return HCCL_SUCCESS;
        if (comm == nullptr) return fw::nullArgument(api, "comm");
        if (stream == nullptr) return fw::nullArgument(api, "stream");
        if (sendBuf == nullptr) return fw::nullArgument(api, "sendBuf");
        FW_CHECK(fw::checkCount(api, "count", count));
        FW_CHECK(fw::checkMoveType(api, "dataType", dataType));
        fw::OpCall call(api, comm, stream);
        FW_CHECK(call.status());
        FW_CHECK(checkPeer(api, "destRank", destRank, call));
        return call.run([&](const alg::OpContext &ctx) {
            return alg::Send(ctx, sendBuf, count, dataType, destRank);
        });
    });
}

HcclResult HcclRecv(void *recvBuf, uint64_t count, HcclDataType dataType, uint32_t srcRank,
                    HcclComm comm, aclrtStream stream) {
    const char *api = __func__;
    return fw::guarded(api, [&] {
        if (count == 0) return HCCL_SUCCESS;
        if (comm == nullptr) return fw::nullArgument(api, "comm");
        if (stream == nullptr) return fw::nullArgument(api, "stream");
        if (recvBuf == nullptr) return fw::nullArgument(api, "recvBuf");
        FW_CHECK(fw::checkCount(api, "count", count));
        FW_CHECK(fw::checkMoveType(api, "dataType", dataType));
        fw::OpCall call(api, comm, stream);
        FW_CHECK(call.status());
        FW_CHECK(checkPeer(api, "srcRank", srcRank, call));
        return call.run([&](const alg::OpContext &ctx) {
            return alg::Recv(ctx, recvBuf, count, dataType, srcRank);
        });
    });
}

HcclResult HcclBatchSendRecv(HcclSendRecvItem *sendRecvInfo, uint32_t itemNum, HcclComm comm,
                             aclrtStream stream) {
    const char *api = __func__;
    return fw::guarded(api, [&] {
        if (itemNum == 0) return HCCL_SUCCESS;
        if (comm == nullptr) return fw::nullArgument(api, "comm");
        if (stream == nullptr) return fw::nullArgument(api, "stream");
        if (sendRecvInfo == nullptr) return fw::nullArgument(api, "sendRecvInfo");
        fw::OpCall call(api, comm, stream);
        FW_CHECK(call.status());
        for (uint32_t i = 0; i < itemNum; ++i)
            FW_CHECK(checkItem(api, i, sendRecvInfo[i], call));
        return call.run([&](const alg::OpContext &ctx) {
            return alg::BatchSendRecv(ctx, sendRecvInfo, itemNum);
        });
    });
}

HcclResult HcclBarrier(HcclComm comm, aclrtStream stream) {
    const char *api = __func__;
    return fw::guarded(api, [&] {
        if (comm == nullptr) return fw::nullArgument(api, "comm");
        if (stream == nullptr) return fw::nullArgument(api, "stream");
        fw::OpCall call(api, comm, stream);
        FW_CHECK(call.status());
        return call.run([&](const alg::OpContext &ctx) { return alg::Barrier(ctx); });
    });
}

}  // extern "C"
