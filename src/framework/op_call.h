// One call of an operation entry point, after its argument checks: the communicator (marked busy
// for the call), the stream (checked to belong to the communicator's device), and run(), which
// issues the operation in the communicator's order.
//
// Ordering. Operations of a communicator share its CCL buffers and its links' notifies, so they
// must run one after the other, in the order they were issued, even when issued on different
// streams: run() holds the communicator's operation lock while it issues, makes the stream wait
// for the previous operation when that one was issued on another stream, and records the
// operation's completion afterwards.
#pragma once

#include "acl/acl.h"
#include "algorithm/op_context.h"
#include "framework/communicator.h"
#include "hccl/hccl_types.h"

namespace hcclcpu::framework {

class OpCall {
  public:
    // Looks `comm` up (a handle that is not a live communicator: HCCL_E_PARA) and checks
    // `stream` (not a stream, or one of another device: HCCL_E_PARA). comm and stream are not
    // null (checked before).
    OpCall(const char *api, HcclComm comm, aclrtStream stream);
    ~OpCall();
    OpCall(const OpCall &) = delete;
    OpCall &operator=(const OpCall &) = delete;

    HcclResult status() const { return status_; }
    uint32_t rank() const { return comm_->rank(); }
    uint32_t size() const { return comm_->size(); }

    // body(const algorithm::OpContext &) issues the operation; its failure is logged here.
    template <typename Body>
    HcclResult run(Body &&body) {
        std::lock_guard lock(comm_->opMutex());
        HcclResult result = comm_->resources().orderAfterPrevious(stream_, rank());
        if (result != HCCL_SUCCESS) return result;
        algorithm::OpContext ctx = context();
        bool ranHere = false;
        ctx.ranHere = &ranHere;
        result = body(static_cast<const algorithm::OpContext &>(ctx));
        HcclResult recorded = ranHere ? comm_->resources().markDoneHere(stream_)
                                      : comm_->resources().markDone(stream_, rank());
        if (ctx.direct != nullptr) ctx.direct->OperationIssued(stream_);
        if (result != HCCL_SUCCESS) {
            failed(result);
            return result;
        }
        return recorded;
    }

  private:
    algorithm::OpContext context() const;
    void failed(HcclResult result) const;

    const char *api_;
    Communicator *comm_ = nullptr;
    rt::Stream *stream_ = nullptr;
    HcclResult status_ = HCCL_SUCCESS;
};

}  // namespace hcclcpu::framework
