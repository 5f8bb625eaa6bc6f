// What a communicator needs to run operations: the rank's dispatcher, its two CCL buffers, the
// links to every other rank, and the event that orders its operations across streams.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "framework/bootstrap.h"
#include "hccl/hccl_types.h"
#include "hccl_cpu_links.h"
#include "platform/direct_peers.h"
#include "runtime/runtime.h"

namespace hcclcpu::framework {

struct ResourceRequest {
    uint32_t rank = 0;
    uint32_t size = 1;
    int32_t device = -1;
    uint64_t bufferBytes = 0;  // each CCL buffer
    int32_t execTimeoutS = 0;  // every notify wait of the communicator; 0: never
    std::string jobId;         // unique per communicator, identical on its ranks
    int32_t connectTimeoutS = 0;
};

class CommResources {
  public:
    // Collective over the communicator's ranks, on the rank's thread with its device current.
    // The ranks first agree (over the bootstrap) that each could make its dispatcher and
    // buffers, so one rank's failure (out of memory, say) fails every rank at once instead of
    // leaving them in the link set-up until HCCL_CONNECT_TIMEOUT; after the link set-up they
    // agree again, so that no rank returns (and may destroy its links) while a peer is still
    // connecting to it. Both exchanges are ring allGathers (connections r -> r+1 only).
    static HcclResult open(const ResourceRequest &request, Bootstrap &bootstrap,
                           std::unique_ptr<CommResources> *resources);
    // Waits (bounded by the exec timeout) for the last operation, then releases the links,
    // buffers, dispatcher and event, in that order.
    ~CommResources();
    CommResources(const CommResources &) = delete;
    CommResources &operator=(const CommResources &) = delete;

    HcclDispatcher dispatcher() const { return dispatcher_; }
    const hccl::DeviceMem &input() const { return input_; }
    const hccl::DeviceMem &output() const { return output_; }
    const std::vector<hccl::LINK> &links() const { return links_; }
    // Direct access to the peers' memory, or nullptr (see platform/direct_peers.h).
    platform::DirectPeers *direct() const { return direct_.get(); }
    // HCCL_E_REMOTE once a peer process died.
    HcclResult linkError() const;

    // Stream order between operations of the communicator (callers hold the operation lock):
    // before an operation, its stream waits for the previous operation when that one ran on
    // another stream; after it, the operation's completion is recorded.
    HcclResult orderAfterPrevious(rt::Stream *stream, uint32_t rank);
    HcclResult markDone(rt::Stream *stream, uint32_t rank);
    // The operation completed on the issuing thread (nothing was issued): nothing to record, and
    // the next operation, on any stream, need not wait for it.
    HcclResult markDoneHere(rt::Stream *stream);
    // A non-owning hccl::Stream of `stream`, kept while operations keep coming on it (making one
    // allocates; callers hold the operation lock).
    const hccl::Stream &streamView(rt::Stream *stream);

  private:
    CommResources() = default;
    HcclResult prepareLocal(const ResourceRequest &request);
    void openDirect(const ResourceRequest &request, Bootstrap &bootstrap);

    int32_t device_ = -1;
    int32_t execTimeoutS_ = 0;
    HcclDispatcher dispatcher_ = nullptr;
    hccl::DeviceMem input_;
    hccl::DeviceMem output_;
    hcclcpu::LinkSet *linkSet_ = nullptr;
    std::vector<hccl::LINK> links_;
    std::unique_ptr<platform::DirectPeers> direct_;
    rt::Event *opDone_ = nullptr;       // recorded after every operation
    rt::Stream *lastStream_ = nullptr;  // the stream of the last operation
    bool anyOp_ = false;
    bool lastDoneHere_ = false;  // the last operation completed on its issuing thread
    hccl::Stream view_;
};

}  // namespace hcclcpu::framework
