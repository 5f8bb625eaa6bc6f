// prepareCall, apart from issue() so that the unit tests use it without the HCCL calls.
#include "issue.h"

namespace hccltest {

Call prepareCall(const Shape &shape, uint32_t rank, HcclReduceOp reduceOp, uint32_t root,
                 void *send, void *recv) {
    Call c;
    c.shape = shape;
    c.rank = rank;
    c.reduceOp = reduceOp;
    c.root = root;
    c.send = send;
    c.recv = recv;
    uint32_t n = shape.ranks;
    switch (shape.op) {
        case OpId::kAllGatherV:
            c.recvCounts = shape.blocks;
            c.recvDispls = shape.packedDispls();
            break;
        case OpId::kReduceScatterV:
            c.sendCounts = shape.blocks;
            c.sendDispls = shape.packedDispls();
            break;
        case OpId::kAlltoAllV:
            c.sendCounts = shape.sendCounts(rank);
            c.sendDispls = shape.sendDispls(rank);
            c.recvCounts = shape.recvCounts(rank);
            c.recvDispls = shape.recvDispls(rank);
            break;
        case OpId::kAlltoAllVC:
            for (uint32_t from = 0; from < n; ++from)
                for (uint32_t to = 0; to < n; ++to)
                    c.matrix.push_back(shape.pairCount(from, to));
            break;
        case OpId::kBatchSendRecv:
            c.items.push_back({HCCL_SEND, send, shape.count, shape.dataType, (rank + 1) % n});
            c.items.push_back({HCCL_RECV, recv, shape.count, shape.dataType, (rank + n - 1) % n});
            break;
        default:
            break;
    }
    return c;
}

}  // namespace hccltest
