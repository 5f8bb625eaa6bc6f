#include "framework/op_call.h"

#include "common/log.h"
#include "runtime/runtime.h"

namespace hcclcpu::framework {

OpCall::OpCall(const char *api, HcclComm comm, aclrtStream stream) : api_(api) {
    comm_ = acquireCommunicator(comm, api);
    if (comm_ == nullptr) {
        status_ = HCCL_E_PARA;
        return;
    }
    auto *rtStream = static_cast<rt::Stream *>(stream);
    if (!rt::streamValid(rtStream)) {
        HCPU_ERROR("{}: rank {}: {} is not a stream", api, comm_->rank(), stream);
        status_ = HCCL_E_PARA;
        return;
    }
    int32_t device = rt::streamDevice(rtStream);
    if (device != comm_->device()) {
        HCPU_ERROR("{}: rank {}: stream {} belongs to device {}, the communicator {} to device {}",
                   api, comm_->rank(), rt::streamId(rtStream), device, comm_->name(),
                   comm_->device());
        status_ = HCCL_E_PARA;
        return;
    }
    stream_ = rtStream;
}

OpCall::~OpCall() {
    if (comm_ != nullptr) comm_->leave();
}

algorithm::OpContext OpCall::context() const {
    CommResources &resources = comm_->resources();
    algorithm::OpContext ctx;
    ctx.rank = comm_->rank();
    ctx.rankSize = comm_->size();
    ctx.dispatcher = resources.dispatcher();
    ctx.stream = resources.streamView(stream_);
    ctx.cclInput = resources.input();
    ctx.cclOutput = resources.output();
    ctx.links = &resources.links();
    ctx.algo = comm_->algo();
    ctx.direct = resources.direct();
    return ctx;
}

void OpCall::failed(HcclResult result) const {
    HCPU_ERROR("{}: rank {} of {} (communicator {}): the operation failed: error {}", api_,
               comm_->rank(), comm_->size(), comm_->name(), static_cast<int>(result));
}

}  // namespace hcclcpu::framework
