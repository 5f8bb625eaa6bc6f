#include "framework/comm_resources.h"

#include <cstring>
#include <vector>

#include "common/env.h"
#include "common/log.h"
#include "dispatcher.h"

namespace hcclcpu::framework {

namespace {

platform::DirectControl *directControl(const hccl::DeviceMem &input, u64 bufferBytes) {
    return reinterpret_cast<platform::DirectControl *>(static_cast<u8 *>(input.ptr()) +
                                                       platform::DirectControlOffset(bufferBytes));
}

}  // namespace

HcclResult CommResources::prepareLocal(const ResourceRequest &request) {
    device_ = request.device;
    execTimeoutS_ = request.execTimeoutS;
    HcclResult r =
        HcclDispatcherInit(DispatcherType::DISPATCHER_NORMAL, request.device, &dispatcher_);
    if (r != HCCL_SUCCESS) {
        HCPU_ERROR("rank {} of {}: cannot create the dispatcher on device {}: error {}",
                   request.rank, request.size, request.device, static_cast<int>(r));
        dispatcher_ = nullptr;
        return r;
    }
    // The communicator's exec timeout (config > HCCL_EXEC_TIMEOUT > 1836 s) bounds every wait.
    HcclSetNotifyWaitMode(dispatcher_, SyncMode::CONFIGURABLE_TIMEWAITSYNCMODE);
    HcclSetExecTimeOut(dispatcher_, request.execTimeoutS);
    // Pages are allocated on first touch: an operation uses as much of the buffers as its
    // message needs, and populating 2 x 200 MB per rank up front took seconds per communicator.
    // The input allocation also holds this rank's direct-access block, after the buffer.
    const u64 directBytes =
        platform::DirectControlOffset(request.bufferBytes) + platform::kDirectControlBytes;
    for (hccl::DeviceMem *buffer : {&input_, &output_}) {
        void *ptr = nullptr;
        const u64 bytes = buffer == &input_ ? directBytes : request.bufferBytes;
        if (rt::Err err = rt::deviceMallocLazy(bytes, &ptr); err != rt::Err::kOk) {
            HCPU_ERROR("rank {} of {}: cannot allocate a CCL buffer of {} bytes on device {}: {}",
                       request.rank, request.size, request.bufferBytes, request.device,
                       rt::errName(err));
            return HCCL_E_MEMORY;
        }
        *buffer = hccl::DeviceMem(ptr, request.bufferBytes, /*owner=*/true);
    }
    platform::DirectControlInit(directControl(input_, request.bufferBytes), request.rank);
    if (rt::Err err = rt::eventCreate(&opDone_, 0); err != rt::Err::kOk) {
        HCPU_ERROR("rank {} of {}: cannot create the operation-order event: {}", request.rank,
                   request.size, rt::errName(err));
        opDone_ = nullptr;
        return HCCL_E_RUNTIME;
    }
    return HCCL_SUCCESS;
}

namespace {

// Every rank's `local` result of a step, exchanged with a ring allGather (which also means every
// rank got this far): the first failure of any rank, or HCCL_SUCCESS.
HcclResult agree(Bootstrap &bootstrap, const ResourceRequest &request, HcclResult local,
                 const char *step) {
    if (request.size == 1) return local;
    uint32_t mine = static_cast<uint32_t>(local);
    std::vector<std::vector<uint8_t>> all;
    HcclResult r = bootstrap.allGather(&mine, sizeof(mine), all);
    if (r != HCCL_SUCCESS) {
        HCPU_ERROR("rank {} of {}: exchanging the outcome of {} failed: error {}", request.rank,
                   request.size, step, static_cast<int>(r));
        return local != HCCL_SUCCESS ? local : r;
    }
    if (local != HCCL_SUCCESS) return local;
    for (uint32_t peer = 0; peer < request.size; ++peer) {
        uint32_t theirs = 0;
        if (all[peer].size() == sizeof(theirs))
            std::memcpy(&theirs, all[peer].data(), sizeof(theirs));
        if (theirs != HCCL_SUCCESS) {
            HCPU_ERROR("rank {} of {}: rank {} failed {} (error {})", request.rank, request.size,
                       peer, step, theirs);
            return static_cast<HcclResult>(theirs);
        }
    }
    return HCCL_SUCCESS;
}

}  // namespace

HcclResult CommResources::open(const ResourceRequest &request, Bootstrap &bootstrap,
                               std::unique_ptr<CommResources> *resources) {
    std::unique_ptr<CommResources> made(new CommResources);
    // Everyone learns whether everyone is ready before anyone waits in the link set-up.
    HcclResult r = agree(bootstrap, request, made->prepareLocal(request),
                         "creating its dispatcher and buffers");
    if (r != HCCL_SUCCESS) return r;

    hcclcpu::ProcessLinkOptions options;
    options.device = request.device;
    options.dispatcher = made->dispatcher_;
    options.input = made->input_;
    options.output = made->output_;
    options.connectTimeoutS = static_cast<u32>(request.connectTimeoutS);
    r = hcclcpu::LinkSet::CreateForProcess(request.size, request.rank, request.jobId,
                                           request.bufferBytes, options, made->linkSet_);
    if (r != HCCL_SUCCESS) {
        HCPU_ERROR("rank {} of {}: setting up the links (job {}) failed: error {}", request.rank,
                   request.size, request.jobId, static_cast<int>(r));
        made->linkSet_ = nullptr;
    }
    // A rank's link set-up ends when it has swapped its messages with every peer, possibly
    // before a peer has finished reading them (and opened this rank's notifies): no rank may
    // return, and perhaps destroy its links at once, until every rank is connected.
    r = agree(bootstrap, request, r, "the link set-up");
    if (r != HCCL_SUCCESS) return r;
    made->links_ = made->linkSet_->Links(request.rank);
    made->openDirect(request, bootstrap);
    *resources = std::move(made);
    return HCCL_SUCCESS;
}

// Direct kernels need every rank to have direct access (they all choose alike): each rank checks
// its peers' blocks and that it may map their memory, and the ranks agree. Without it the
// communicator runs every operation with templates.
void CommResources::openDirect(const ResourceRequest &request, Bootstrap &bootstrap) {
    if (request.size < 2 || !env::flag("HCCL_CPU_DIRECT", true)) return;
    std::string why;
    const bool mine = platform::DirectPeers::Create(
        request.rank, directControl(input_, request.bufferBytes), links_, request.bufferBytes,
        request.execTimeoutS, linkSet_, &direct_, &why);
    const uint8_t flag = mine ? 1 : 0;
    std::vector<std::vector<uint8_t>> all;
    bool everyone = bootstrap.allGather(&flag, sizeof(flag), all) == HCCL_SUCCESS;
    for (uint32_t peer = 0; everyone && peer < all.size(); ++peer)
        everyone = all[peer].size() == 1 && all[peer][0] == 1;
    if (!mine)
        HCPU_WARN("rank {} of {}: no direct access to the peers: {}", request.rank, request.size,
                  why);
    if (!everyone) direct_.reset();
}

CommResources::~CommResources() {
    if (opDone_ != nullptr && anyOp_) {
        // Links and buffers must not go while an operation may still use them.
        int64_t limitMs = execTimeoutS_ > 0 ? int64_t{execTimeoutS_} * 1000 : -1;
        if (rt::Err err = rt::eventSynchronize(opDone_, limitMs); err != rt::Err::kOk)
            HCPU_WARN(
                "device {}: waiting for the last operation before releasing the "
                "communicator failed: {}",
                device_, rt::errName(err));
    }
    direct_.reset();
    links_.clear();
    hcclcpu::LinkSet::Destroy(linkSet_);
    input_.free();
    output_.free();
    if (dispatcher_ != nullptr) HcclDispatcherDestroy(dispatcher_);
    if (opDone_ != nullptr) rt::eventDestroy(opDone_);
}

HcclResult CommResources::linkError() const {
    return linkSet_ != nullptr ? linkSet_->AsyncError(nullptr) : HCCL_SUCCESS;
}

HcclResult CommResources::orderAfterPrevious(rt::Stream *stream, uint32_t rank) {
    if (!anyOp_ || lastStream_ == stream || lastDoneHere_) return HCCL_SUCCESS;
    if (rt::Err err = rt::enqueueEventWait(stream, opDone_); err != rt::Err::kOk) {
        HCPU_ERROR("rank {}: ordering stream {} after the previous operation failed: {}", rank,
                   rt::streamId(stream), rt::errName(err));
        return HCCL_E_RUNTIME;
    }
    return HCCL_SUCCESS;
}

const hccl::Stream &CommResources::streamView(rt::Stream *stream) {
    if (view_.ptr() != stream) view_ = hccl::Stream(static_cast<rtStream_t>(stream), true);
    return view_;
}

HcclResult CommResources::markDoneHere(rt::Stream *stream) {
    anyOp_ = true;
    lastStream_ = stream;
    lastDoneHere_ = true;
    return HCCL_SUCCESS;
}

HcclResult CommResources::markDone(rt::Stream *stream, uint32_t rank) {
    anyOp_ = true;
    lastStream_ = stream;
    lastDoneHere_ = false;
    if (rt::Err err = rt::enqueueEventRecord(stream, opDone_); err != rt::Err::kOk) {
        HCPU_ERROR("rank {}: recording the end of an operation on stream {} failed: {}", rank,
                   rt::streamId(stream), rt::errName(err));
        lastStream_ = nullptr;  // the next operation cannot rely on the record
        return HCCL_E_RUNTIME;
    }
    return HCCL_SUCCESS;
}

}  // namespace hcclcpu::framework
