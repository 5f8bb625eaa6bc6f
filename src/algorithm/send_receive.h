// Point-to-point transfers: the send_receive pattern of platform_api §4 (read mode), one
// direction of a link per transfer, for Send, Recv and BatchSendRecv.
//
// Buffer layout, the same for every point-to-point operation so that any send pairs with any
// receive: the CCL input (inputMem_) is cut into rankSize equal regions (RegionBytes), region d
// holding data for peer d. The sender fills its region for the receiver round by round and the
// receiver pulls from there straight into its user buffer (p2p_rounds.h). Several items of the
// same direction form one byte stream in item order.
//
// All directions of one run advance together, round k of every direction before round k+1 of
// any (RunTransfers), so sends and receives of one run never block each other: a ring of "send
// to next + receive from previous" completes. The deadlock-freedom argument (p2p_rounds.h)
// needs every peer to run the matching directions in its current operation.
//
// A direction to the rank itself is a local copy from its send items to its receive items.
#pragma once

#include <vector>

#include "algorithm/alg_template_base.h"
#include "algorithm/p2p_rounds.h"

namespace hcclcpu::algorithm {

struct PeerSpans {
    u32 peer = 0;
    std::vector<dm::Span> spans;  // user memory, in order
};

class SendReceive : public AlgTemplateBase {
  public:
    using AlgTemplateBase::AlgTemplateBase;
    using AlgTemplateBase::Prepare;
    // inputMem: the CCL input (the same size on every rank). At most one entry per peer in each
    // list.
    HcclResult Prepare(const DeviceMem &inputMem, const Stream &stream,
                       std::vector<PeerSpans> sends, std::vector<PeerSpans> recvs);
    HcclResult RunAsync(u32 rank, u32 rankSize, const std::vector<LINK> &links) override;

  private:
    HcclResult CopyToSelf(const std::vector<dm::Span> &from, const std::vector<dm::Span> &to);

    std::vector<PeerSpans> sends_;
    std::vector<PeerSpans> recvs_;
};

}  // namespace hcclcpu::algorithm
