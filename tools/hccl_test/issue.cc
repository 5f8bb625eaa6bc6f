#include "issue.h"

namespace hccltest {

HcclResult issue(const Call &c, HcclComm comm, aclrtStream stream) {
    const Shape &s = c.shape;
    HcclDataType t = s.dataType;
    switch (s.op) {
        case OpId::kAllReduce:
            return HcclAllReduce(c.send, c.recv, s.count, t, c.reduceOp, comm, stream);
        case OpId::kAllGather:
            return HcclAllGather(c.send, c.recv, s.count, t, comm, stream);
        case OpId::kAllGatherV:
            return HcclAllGatherV(c.send, s.blocks[c.rank], c.recv, c.recvCounts.data(),
                                  c.recvDispls.data(), t, comm, stream);
        case OpId::kReduceScatter:
            return HcclReduceScatter(c.send, c.recv, s.count, t, c.reduceOp, comm, stream);
        case OpId::kReduceScatterV:
            return HcclReduceScatterV(c.send, c.sendCounts.data(), c.sendDispls.data(), c.recv,
                                      s.blocks[c.rank], t, c.reduceOp, comm, stream);
        case OpId::kBroadcast:
            return HcclBroadcast(c.send, s.count, t, c.root, comm, stream);
        case OpId::kReduce:
            return HcclReduce(c.send, c.recv, s.count, t, c.reduceOp, c.root, comm, stream);
        case OpId::kScatter:
            return HcclScatter(c.send, c.recv, s.count, t, c.root, comm, stream);
        case OpId::kAlltoAll:
            return HcclAlltoAll(c.send, s.count, t, c.recv, s.count, t, comm, stream);
        case OpId::kAlltoAllV:
            return HcclAlltoAllV(c.send, c.sendCounts.data(), c.sendDispls.data(), t, c.recv,
                                 c.recvCounts.data(), c.recvDispls.data(), t, comm, stream);
        case OpId::kAlltoAllVC:
            return HcclAlltoAllVC(c.send, c.matrix.data(), t, c.recv, t, comm, stream);
        case OpId::kSendRecv: {
            uint32_t next = (c.rank + 1) % s.ranks, prev = (c.rank + s.ranks - 1) % s.ranks;
            // Even ranks send first, odd ranks receive first: no cycle of waiting senders.
            bool sendFirst = c.rank % 2 == 0;
            HcclResult r = sendFirst ? HcclSend(c.send, s.count, t, next, comm, stream)
                                     : HcclRecv(c.recv, s.count, t, prev, comm, stream);
            if (r != HCCL_SUCCESS) return r;
            return sendFirst ? HcclRecv(c.recv, s.count, t, prev, comm, stream)
                             : HcclSend(c.send, s.count, t, next, comm, stream);
        }
        case OpId::kBatchSendRecv:
            return HcclBatchSendRecv(const_cast<HcclSendRecvItem *>(c.items.data()),
                                     static_cast<uint32_t>(c.items.size()), comm, stream);
        default:
            return HCCL_E_NOT_SUPPORT;
    }
}

}  // namespace hccltest
