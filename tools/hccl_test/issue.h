// One HCCL call of the measured operation, with everything it needs prepared beforehand (count
// and displacement arrays, send/recv items), so that the timed loop only issues.
#pragma once

#include <vector>

#include "hccl/hccl.h"
#include "ops.h"

namespace hccltest {

struct Call {
    Shape shape;
    uint32_t rank = 0;
    HcclReduceOp reduceOp = HCCL_REDUCE_SUM;
    uint32_t root = 0;
    void *send = nullptr;
    void *recv = nullptr;
    std::vector<uint64_t> sendCounts, sendDispls, recvCounts, recvDispls;
    std::vector<uint64_t> matrix;         // alltoallvc: [from * ranks + to]
    std::vector<HcclSendRecvItem> items;  // batch_send_recv

    void *output() const { return shape.op == OpId::kBroadcast ? send : recv; }
};

Call prepareCall(const Shape &shape, uint32_t rank, HcclReduceOp reduceOp, uint32_t root,
                 void *send, void *recv);

// Issues the operation on `stream` (send_recv: a Send and a Recv, in an order that cannot
// deadlock a ring). Returns the first failing HcclResult.
HcclResult issue(const Call &call, HcclComm comm, aclrtStream stream);

}  // namespace hccltest
