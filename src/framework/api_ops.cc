// Collective entry points: HcclAllReduce, HcclBroadcast, HcclReduceScatter[V], HcclAllGather[V],
// HcclReduce, HcclScatter, HcclAlltoAll[V][C]. Arguments are checked in the vendor's order
// (spec public_api §3.3): a zero count succeeds at once, then null pointers (HCCL_E_PTR), counts
// (HCCL_E_PARA), data types and reduce ops (HCCL_E_NOT_SUPPORT), the communicator and stream,
// ranks, alignment and in-place use (HCCL_E_PARA).
#include <numeric>
#include <vector>

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

// Arrays of counts or displacements come as const void * of uint64 elements.
const u64 *u64s(const void *array) {
    return static_cast<const u64 *>(array);
}

HcclResult checkCounts(const char *api, const char *name, const u64 *counts, uint32_t n,
                       uint64_t *total) {
    *total = 0;
    for (uint32_t i = 0; i < n; ++i) {
        if (counts[i] > fw::kMaxCount) {
            HCPU_ERROR("{}: {}[{}] = {} exceeds the maximum {:#x}", api, name, i, counts[i],
                       fw::kMaxCount);
            return HCCL_E_PARA;
        }
        *total += counts[i];
    }
    return HCCL_SUCCESS;
}

// The reductions' common checks, up to the communicator.
HcclResult checkReduceCall(const char *api, const void *sendBuf, const void *recvBuf,
                           uint64_t count, const char *countName, HcclDataType dataType,
                           HcclReduceOp op, HcclComm comm, aclrtStream stream) {
    if (comm == nullptr) return fw::nullArgument(api, "comm");
    if (stream == nullptr) return fw::nullArgument(api, "stream");
    if (sendBuf == nullptr) return fw::nullArgument(api, "sendBuf");
    if (recvBuf == nullptr) return fw::nullArgument(api, "recvBuf");
    FW_CHECK(fw::checkCount(api, countName, count));
    FW_CHECK(fw::checkReduction(api, dataType, op));
    FW_CHECK(fw::checkAligned(api, "sendBuf", sendBuf, dataType));
    return fw::checkAligned(api, "recvBuf", recvBuf, dataType);
}

}  // namespace

extern "C" {

HcclResult HcclAllReduce(void *sendBuf, void *recvBuf, uint64_t count, HcclDataType dataType,
                         HcclReduceOp op, HcclComm comm, aclrtStream stream) {
    const char *api = __func__;
    return fw::guarded(api, [&] {
        if (count == 0) return HCCL_SUCCESS;
        FW_CHECK(
            checkReduceCall(api, sendBuf, recvBuf, count, "count", dataType, op, comm, stream));
        fw::OpCall call(api, comm, stream);
        FW_CHECK(call.status());
        return call.run([&](const alg::OpContext &ctx) {
            return alg::AllReduce(ctx, sendBuf, recvBuf, count, dataType, op);
        });
    });
}

HcclResult HcclReduce(void *sendBuf, void *recvBuf, uint64_t count, HcclDataType dataType,
                      HcclReduceOp op, uint32_t root, HcclComm comm, aclrtStream stream) {
    const char *api = __func__;
    return fw::guarded(api, [&] {
        if (count == 0) return HCCL_SUCCESS;
        FW_CHECK(
            checkReduceCall(api, sendBuf, recvBuf, count, "count", dataType, op, comm, stream));
        fw::OpCall call(api, comm, stream);
        FW_CHECK(call.status());
        FW_CHECK(fw::checkRank(api, "root", root, call.size()));
        return call.run([&](const alg::OpContext &ctx) {
            return alg::Reduce(ctx, sendBuf, recvBuf, count, dataType, op, root);
        });
    });
}

HcclResult HcclReduceScatter(void *sendBuf, void *recvBuf, uint64_t recvCount,
                             HcclDataType dataType, HcclReduceOp op, HcclComm comm,
                             aclrtStream stream) {
    const char *api = __func__;
    return fw::guarded(api, [&] {
        if (recvCount == 0) return HCCL_SUCCESS;
        FW_CHECK(checkReduceCall(api, sendBuf, recvBuf, recvCount, "recvCount", dataType, op, comm,
                                 stream));
        fw::OpCall call(api, comm, stream);
        FW_CHECK(call.status());
        return call.run([&](const alg::OpContext &ctx) {
            return alg::ReduceScatter(ctx, sendBuf, recvBuf, recvCount, dataType, op);
        });
    });
}

// recvCount may be 0 on some ranks while others receive: the call returns at once only when
// every block is empty (the counts are the same on all ranks).
HcclResult HcclReduceScatterV(void *sendBuf, const void *sendCounts, const void *sendDispls,
                              void *recvBuf, uint64_t recvCount, HcclDataType dataType,
                              HcclReduceOp op, HcclComm comm, aclrtStream stream) {
    const char *api = __func__;
    return fw::guarded(api, [&] {
        if (comm == nullptr) return fw::nullArgument(api, "comm");
        if (stream == nullptr) return fw::nullArgument(api, "stream");
        if (sendCounts == nullptr) return fw::nullArgument(api, "sendCounts");
        if (sendDispls == nullptr) return fw::nullArgument(api, "sendDispls");
        FW_CHECK(fw::checkCount(api, "recvCount", recvCount));
        fw::OpCall call(api, comm, stream);
        FW_CHECK(call.status());
        uint64_t total = 0;
        FW_CHECK(checkCounts(api, "sendCounts", u64s(sendCounts), call.size(), &total));
        if (total == 0) return HCCL_SUCCESS;
        if (sendBuf == nullptr) return fw::nullArgument(api, "sendBuf");
        if (recvBuf == nullptr && recvCount > 0) return fw::nullArgument(api, "recvBuf");
        FW_CHECK(fw::checkReduction(api, dataType, op));
        const u64 mine = u64s(sendCounts)[call.rank()];
        if (recvCount != mine) {
            HCPU_ERROR("{}: rank {}: recvCount {} differs from sendCounts[{}] = {}", api,
                       call.rank(), recvCount, call.rank(), mine);
            return HCCL_E_PARA;
        }
        FW_CHECK(fw::checkAligned(api, "sendBuf", sendBuf, dataType));
        FW_CHECK(fw::checkAligned(api, "recvBuf", recvBuf, dataType));
        FW_CHECK(fw::checkNotInPlace(api, sendBuf, recvBuf));
        return call.run([&](const alg::OpContext &ctx) {
            return alg::ReduceScatterV(ctx, sendBuf, u64s(sendCounts), u64s(sendDispls), recvBuf,
                                       recvCount, dataType, op);
        });
    });
}

HcclResult HcclAllGather(void *sendBuf, void *recvBuf, uint64_t sendCount, HcclDataType dataType,
                         HcclComm comm, aclrtStream stream) {
    const char *api = __func__;
    return fw::guarded(api, [&] {
        if (sendCount == 0) return HCCL_SUCCESS;
        if (comm == nullptr) return fw::nullArgument(api, "comm");
        if (stream == nullptr) return fw::nullArgument(api, "stream");
        if (sendBuf == nullptr) return fw::nullArgument(api, "sendBuf");
        if (recvBuf == nullptr) return fw::nullArgument(api, "recvBuf");
        FW_CHECK(fw::checkCount(api, "sendCount", sendCount));
        FW_CHECK(fw::checkMoveType(api, "dataType", dataType));
        fw::OpCall call(api, comm, stream);
        FW_CHECK(call.status());
        return call.run([&](const alg::OpContext &ctx) {
            return alg::AllGather(ctx, sendBuf, recvBuf, sendCount, dataType);
        });
    });
}

// sendCount may be 0 on some ranks: the call returns at once only when every block is empty.
HcclResult HcclAllGatherV(void *sendBuf, uint64_t sendCount, void *recvBuf, const void *recvCounts,
                          const void *recvDispls, HcclDataType dataType, HcclComm comm,
                          aclrtStream stream) {
    const char *api = __func__;
    return fw::guarded(api, [&] {
        if (comm == nullptr) return fw::nullArgument(api, "comm");
        if (stream == nullptr) return fw::nullArgument(api, "stream");
        if (recvCounts == nullptr) return fw::nullArgument(api, "recvCounts");
        if (recvDispls == nullptr) return fw::nullArgument(api, "recvDispls");
        FW_CHECK(fw::checkCount(api, "sendCount", sendCount));
        fw::OpCall call(api, comm, stream);
        FW_CHECK(call.status());
        uint64_t total = 0;
        FW_CHECK(checkCounts(api, "recvCounts", u64s(recvCounts), call.size(), &total));
        if (total == 0) return HCCL_SUCCESS;
        if (sendBuf == nullptr && sendCount > 0) return fw::nullArgument(api, "sendBuf");
        if (recvBuf == nullptr) return fw::nullArgument(api, "recvBuf");
        FW_CHECK(fw::checkMoveType(api, "dataType", dataType));
        const u64 mine = u64s(recvCounts)[call.rank()];
        if (sendCount != mine) {
            HCPU_ERROR("{}: rank {}: sendCount {} differs from recvCounts[{}] = {}", api,
                       call.rank(), sendCount, call.rank(), mine);
            return HCCL_E_PARA;
        }
        FW_CHECK(fw::checkNotInPlace(api, sendBuf, recvBuf));
        return call.run([&](const alg::OpContext &ctx) {
            return alg::AllGatherV(ctx, sendBuf, sendCount, recvBuf, u64s(recvCounts),
                                   u64s(recvDispls), dataType);
        });
    });
}

HcclResult HcclBroadcast(void *buf, uint64_t count, HcclDataType dataType, uint32_t root,
                         HcclComm comm, aclrtStream stream) {
    const char *api = __func__;
    return fw::guarded(api, [&] {
        if (count == 0) return HCCL_SUCCESS;
        if (comm == nullptr) return fw::nullArgument(api, "comm");
        if (stream == nullptr) return fw::nullArgument(api, "stream");
        if (buf == nullptr) return fw::nullArgument(api, "buf");
        FW_CHECK(fw::checkCount(api, "count", count));
        FW_CHECK(fw::checkMoveType(api, "dataType", dataType));
        fw::OpCall call(api, comm, stream);
        FW_CHECK(call.status());
        FW_CHECK(fw::checkRank(api, "root", root, call.size()));
        return call.run([&](const alg::OpContext &ctx) {
            return alg::Broadcast(ctx, buf, count, dataType, root);
        });
    });
}

// sendBuf is read on the root only and may be null elsewhere.
HcclResult HcclScatter(void *sendBuf, void *recvBuf, uint64_t recvCount, HcclDataType dataType,
                       uint32_t root, HcclComm comm, aclrtStream stream) {
    const char *api = __func__;
    return fw::guarded(api, [&] {
        if (recvCount == 0) return HCCL_SUCCESS;
        if (comm == nullptr) return fw::nullArgument(api, "comm");
        if (stream == nullptr) return fw::nullArgument(api, "stream");
        if (recvBuf == nullptr) return fw::nullArgument(api, "recvBuf");
        FW_CHECK(fw::checkCount(api, "recvCount", recvCount));
        FW_CHECK(fw::checkMoveType(api, "dataType", dataType));
        fw::OpCall call(api, comm, stream);
        FW_CHECK(call.status());
        FW_CHECK(fw::checkRank(api, "root", root, call.size()));
        if (call.rank() == root && sendBuf == nullptr) return fw::nullArgument(api, "sendBuf");
        return call.run([&](const alg::OpContext &ctx) {
            return alg::Scatter(ctx, call.rank() == root ? sendBuf : nullptr, recvBuf, recvCount,
                                dataType, root);
        });
    });
}

HcclResult HcclAlltoAll(const void *sendBuf, uint64_t sendCount, HcclDataType sendType,
                        const void *recvBuf, uint64_t recvCount, HcclDataType recvType,
                        HcclComm comm, aclrtStream stream) {
    const char *api = __func__;
    return fw::guarded(api, [&] {
        if (sendCount == 0 && recvCount == 0) return HCCL_SUCCESS;
        if (comm == nullptr) return fw::nullArgument(api, "comm");
        if (stream == nullptr) return fw::nullArgument(api, "stream");
        if (sendBuf == nullptr) return fw::nullArgument(api, "sendBuf");
        if (recvBuf == nullptr) return fw::nullArgument(api, "recvBuf");
        FW_CHECK(fw::checkCount(api, "sendCount", sendCount));
        FW_CHECK(fw::checkCount(api, "recvCount", recvCount));
        FW_CHECK(fw::checkMoveType(api, "sendType", sendType));
        FW_CHECK(fw::checkMoveType(api, "recvType", recvType));
        if (recvCount != sendCount || recvType != sendType) {
            HCPU_ERROR("{}: recvCount {} / recvType {} must equal sendCount {} / sendType {}", api,
                       recvCount, fw::dataTypeName(recvType), sendCount,
                       fw::dataTypeName(sendType));
            return HCCL_E_PARA;
        }
        FW_CHECK(fw::checkNotInPlace(api, sendBuf, recvBuf));
        fw::OpCall call(api, comm, stream);
        FW_CHECK(call.status());
        std::vector<u64> counts(call.size(), sendCount), displs(call.size());
        for (uint32_t i = 0; i < call.size(); ++i)
            displs[i] = i * sendCount;
        return call.run([&](const alg::OpContext &ctx) {
            return alg::AlltoAllV(ctx, sendBuf, counts.data(), displs.data(),
                                  const_cast<void *>(recvBuf), counts.data(), displs.data(),
                                  sendType);
        });
    });
}

namespace {

// AlltoAllV and AlltoAllVC after their arrays are known: types, buffers, then the executor.
HcclResult alltoAllV(const char *api, fw::OpCall &call, const void *sendBuf,
                     const std::vector<u64> &sendCounts, const std::vector<u64> &sendDispls,
                     HcclDataType sendType, const void *recvBuf, const std::vector<u64> &recvCounts,
                     const std::vector<u64> &recvDispls, HcclDataType recvType) {
    uint64_t sendTotal = 0, recvTotal = 0;
    FW_CHECK(checkCounts(api, "sendCounts", sendCounts.data(), call.size(), &sendTotal));
    FW_CHECK(checkCounts(api, "recvCounts", recvCounts.data(), call.size(), &recvTotal));
    if (sendBuf == nullptr && sendTotal > 0) return fw::nullArgument(api, "sendBuf");
    if (recvBuf == nullptr && recvTotal > 0) return fw::nullArgument(api, "recvBuf");
    FW_CHECK(fw::checkMoveType(api, "sendType", sendType));
    FW_CHECK(fw::checkMoveType(api, "recvType", recvType));
    if (recvType != sendType) {
        HCPU_ERROR("{}: recvType {} must equal sendType {}", api, fw::dataTypeName(recvType),
                   fw::dataTypeName(sendType));
        return HCCL_E_PARA;
    }
    FW_CHECK(fw::checkNotInPlace(api, sendBuf, recvBuf));
    return call.run([&](const alg::OpContext &ctx) {
        return alg::AlltoAllV(ctx, sendBuf, sendCounts.data(), sendDispls.data(),
                              const_cast<void *>(recvBuf), recvCounts.data(), recvDispls.data(),
                              sendType);
    });
}

}  // namespace

HcclResult HcclAlltoAllV(const void *sendBuf, const void *sendCounts, const void *sdispls,
                         HcclDataType sendType, const void *recvBuf, const void *recvCounts,
                         const void *rdispls, HcclDataType recvType, HcclComm comm,
                         aclrtStream stream) {
    const char *api = __func__;
    return fw::guarded(api, [&] {
        if (comm == nullptr) return fw::nullArgument(api, "comm");
        if (stream == nullptr) return fw::nullArgument(api, "stream");
        if (sendCounts == nullptr) return fw::nullArgument(api, "sendCounts");
        if (sdispls == nullptr) return fw::nullArgument(api, "sdispls");
        if (recvCounts == nullptr) return fw::nullArgument(api, "recvCounts");
        if (rdispls == nullptr) return fw::nullArgument(api, "rdispls");
        fw::OpCall call(api, comm, stream);
        FW_CHECK(call.status());
        // Each rank knows only its own counts, so even an all-zero rank takes part.
        const uint32_t n = call.size();
        std::vector<u64> sc(u64s(sendCounts), u64s(sendCounts) + n);
        std::vector<u64> sd(u64s(sdispls), u64s(sdispls) + n);
        std::vector<u64> rc(u64s(recvCounts), u64s(recvCounts) + n);
        std::vector<u64> rd(u64s(rdispls), u64s(rdispls) + n);
        return alltoAllV(api, call, sendBuf, sc, sd, sendType, recvBuf, rc, rd, recvType);
    });
}

// The packed layout of the count matrix M (spec): sends to j start at Σ_{k<j} M[me][k]; data
// from i lands at Σ_{k<i} M[k][me]. A matrix of zeros returns at once (every rank sees it).
HcclResult HcclAlltoAllVC(const void *sendBuf, const void *sendCountMatrix, HcclDataType sendType,
                          const void *recvBuf, HcclDataType recvType, HcclComm comm,
                          aclrtStream stream) {
    const char *api = __func__;
    return fw::guarded(api, [&] {
        if (comm == nullptr) return fw::nullArgument(api, "comm");
        if (stream == nullptr) return fw::nullArgument(api, "stream");
        if (sendCountMatrix == nullptr) return fw::nullArgument(api, "sendCountMatrix");
        fw::OpCall call(api, comm, stream);
        FW_CHECK(call.status());
        const uint32_t n = call.size(), me = call.rank();
        const u64 *matrix = u64s(sendCountMatrix);
        uint64_t all = 0;
        for (uint64_t i = 0; i < uint64_t{n} * n; ++i) {
            if (matrix[i] > fw::kMaxCount) {
                HCPU_ERROR("{}: sendCountMatrix[{}][{}] = {} exceeds the maximum {:#x}", api, i / n,
                           i % n, matrix[i], fw::kMaxCount);
                return HCCL_E_PARA;
            }
            all += matrix[i];
        }
        if (all == 0) return HCCL_SUCCESS;
        std::vector<u64> sc(n), sd(n), rc(n), rd(n);
        for (uint32_t j = 0; j < n; ++j) {
            sc[j] = matrix[uint64_t{me} * n + j];
            rc[j] = matrix[uint64_t{j} * n + me];
            if (j > 0) {
                sd[j] = sd[j - 1] + sc[j - 1];
                rd[j] = rd[j - 1] + rc[j - 1];
            }
        }
        return alltoAllV(api, call, sendBuf, sc, sd, sendType, recvBuf, rc, rd, recvType);
    });
}

}  // extern "C"
