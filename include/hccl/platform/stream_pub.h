// hccl::Stream: an owning or borrowed handle to a runtime stream (vendor stream_pub.h).
#ifndef HCCL_PLATFORM_STREAM_PUB_H
#define HCCL_PLATFORM_STREAM_PUB_H

#include <atomic>
#include <memory>

#include "hccl_common.h"
#include "task_logic_info_pub.h"

namespace hccl {

enum class StreamType {
    STREAM_TYPE_OFFLINE = 0,
    STREAM_TYPE_ONLINE = 1,
    STREAM_TYPE_DEVICE = 2,
    STREAM_TYPE_RESERVED = 3,
};

constexpr u32 HCCL_SQE_MAX_CNT = 2048;
constexpr u32 HCCL_SQE_SIZE = 64;

// Ownership: Stream(StreamType) creates and owns a runtime stream, destroyed with the owner.
// Stream(rtStream_t) borrows one. Copies are non-owning aliases that share the owner's state: the
// "invalid" flag, which the owner sets when it destroys the runtime stream, and the task records
// of a virtual dispatcher. Moves transfer ownership.
class Stream {
  public:
    Stream();  // no stream: ptr() == nullptr, main stream
    explicit Stream(const StreamType streamType, bool isMainStream = false);
    explicit Stream(const rtStream_t rtStream, bool isMainStream = true);
    Stream(const Stream &that);
    Stream(Stream &&that) noexcept;
    ~Stream();
    // An owner that is assigned another stream destroys its own first.
    Stream &operator=(const Stream &that);
    Stream &operator=(Stream &&that) noexcept;

    void *ptr() const { return stream_; }
    s32 id() const { return streamId_; }
    u32 sqId() const { return static_cast<u32>(streamId_); }
    u32 cqId() const { return 0; }
    u32 logicCqId() const { return 0; }
    bool IsMainStream() const { return isMainStream_; }
    operator bool() const { return stream_ != nullptr; }
    // True once the owning Stream has destroyed the runtime stream this object refers to.
    bool IsInvalid() const;
    HcclResult SetMode(const u64 stmMode);
    HcclResult GetMode(u64 *const stmMode) const;

    // The task records of a virtual dispatcher: a FIFO queue per Stream object, shared with its
    // copies (not with another Stream wrapping the same rtStream_t). Thread safe, but a stream's
    // tasks are meant to be issued by one thread. HCCL_E_PTR when this object has no runtime
    // stream (Stream(), moved-from) or, for a push, when the owner has destroyed it. Pop on an
    // empty queue returns HCCL_E_UNAVAIL and leaves taskLogicInfo unchanged.
    HcclResult PushTaskLogicInfo(TaskLogicInfo &taskLogicInfo);
    HcclResult PopTaskLogicInfo(TaskLogicInfo &taskLogicInfo);

  private:
    struct SharedState;  // what all copies of one stream share

    void reset();  // destroys an owned stream, then forgets it

    void *stream_ = nullptr;
    s32 streamId_ = -1;
    bool isMainStream_ = true;
    bool owner_ = false;
    u64 mode_ = 0;
    std::shared_ptr<SharedState> shared_;  // null without a runtime stream, or moved from
};

}  // namespace hccl

#endif  // HCCL_PLATFORM_STREAM_PUB_H
