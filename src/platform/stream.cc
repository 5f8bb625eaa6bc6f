#include "stream_pub.h"

#include <deque>
#include <mutex>
#include <utility>

#include "common/log.h"
#include "runtime/runtime.h"

namespace hccl {

namespace rt = hcclcpu::rt;

// Only the virtual dispatcher touches the queue, so its mutex costs the normal task path nothing.
struct Stream::SharedState {
    std::atomic<bool> invalid{false};
    std::mutex taskLogicMutex;
    std::deque<TaskLogicInfo> taskLogicInfos;
};

Stream::Stream() = default;

Stream::Stream(const StreamType streamType, bool isMainStream) : isMainStream_(isMainStream) {
    // Offline, online and device streams are all the same kind of stream here.
    rt::Stream *created = nullptr;
    rt::Err err = rt::streamCreate(&created);
    if (err != rt::Err::kOk) {
        HCPU_ERROR("stream: create (type {}) failed: runtime error {}",
                   static_cast<int>(streamType), rt::errName(err));
        return;
    }
    stream_ = created;
    streamId_ = rt::streamId(created);
    owner_ = true;
    shared_ = std::make_shared<SharedState>();
}

Stream::Stream(const rtStream_t rtStream, bool isMainStream)
    : stream_(rtStream), isMainStream_(isMainStream) {
    if (rtStream == nullptr) return;
    auto *borrowed = static_cast<rt::Stream *>(rtStream);
    streamId_ = rt::streamValid(borrowed) ? rt::streamId(borrowed) : -1;
    shared_ = std::make_shared<SharedState>();
}

Stream::Stream(const Stream &that)
    : stream_(that.stream_),
      streamId_(that.streamId_),
      isMainStream_(that.isMainStream_),
      owner_(false),
      mode_(that.mode_),
      shared_(that.shared_) {}

Stream::Stream(Stream &&that) noexcept
    : stream_(that.stream_),
      streamId_(that.streamId_),
      isMainStream_(that.isMainStream_),
      owner_(that.owner_),
      mode_(that.mode_),
      shared_(std::move(that.shared_)) {
    that.stream_ = nullptr;
    that.streamId_ = -1;
    that.owner_ = false;
}

Stream::~Stream() {
    reset();
}

Stream &Stream::operator=(const Stream &that) {
    if (this == &that) return *this;
    // Assigning an alias of the stream this object owns keeps the ownership.
    if (!(owner_ && that.stream_ == stream_)) {
        reset();
        owner_ = false;
    }
    stream_ = that.stream_;
    streamId_ = that.streamId_;
    isMainStream_ = that.isMainStream_;
    mode_ = that.mode_;
    shared_ = that.shared_;
    return *this;
}

Stream &Stream::operator=(Stream &&that) noexcept {
    if (this == &that) return *this;
    if (!(owner_ && that.stream_ == stream_)) reset();
    stream_ = that.stream_;
    streamId_ = that.streamId_;
    isMainStream_ = that.isMainStream_;
    owner_ = owner_ || that.owner_;
    mode_ = that.mode_;
    shared_ = std::move(that.shared_);
    that.stream_ = nullptr;
    that.streamId_ = -1;
    that.owner_ = false;
    return *this;
}

void Stream::reset() {
    if (owner_ && stream_ != nullptr) {
        if (shared_) shared_->invalid.store(true, std::memory_order_release);
        rt::Err err = rt::streamDestroy(static_cast<rt::Stream *>(stream_));
        if (err != rt::Err::kOk)
            HCPU_WARN("stream {}: destroy failed: runtime error {}", streamId_, rt::errName(err));
    }
    owner_ = false;
    stream_ = nullptr;
    streamId_ = -1;
}

bool Stream::IsInvalid() const {
    return shared_ != nullptr && shared_->invalid.load(std::memory_order_acquire);
}

HcclResult Stream::SetMode(const u64 stmMode) {
    mode_ = stmMode;
    return HCCL_SUCCESS;
}

HcclResult Stream::GetMode(u64 *const stmMode) const {
    if (stmMode == nullptr) {
        HCPU_ERROR("stream {}: GetMode: stmMode is nullptr, return HCCL_E_PTR", streamId_);
        return HCCL_E_PTR;
    }
    *stmMode = mode_;
    return HCCL_SUCCESS;
}

HcclResult Stream::PushTaskLogicInfo(TaskLogicInfo &taskLogicInfo) {
    if (shared_ == nullptr || stream_ == nullptr) {
        HCPU_ERROR(
            "stream: PushTaskLogicInfo(type {}) on a stream without a runtime stream, "
            "return HCCL_E_PTR",
            static_cast<int>(taskLogicInfo.taskType));
        return HCCL_E_PTR;
    }
    if (IsInvalid()) {
        HCPU_ERROR(
            "stream {}: PushTaskLogicInfo(type {}) after the owner destroyed the stream, "
            "return HCCL_E_PTR",
            streamId_, static_cast<int>(taskLogicInfo.taskType));
        return HCCL_E_PTR;
    }
    std::lock_guard<std::mutex> lock(shared_->taskLogicMutex);
    shared_->taskLogicInfos.push_back(taskLogicInfo);
    return HCCL_SUCCESS;
}

HcclResult Stream::PopTaskLogicInfo(TaskLogicInfo &taskLogicInfo) {
    if (shared_ == nullptr || stream_ == nullptr) {
        HCPU_ERROR(
            "stream: PopTaskLogicInfo on a stream without a runtime stream, return "
            "HCCL_E_PTR");
        return HCCL_E_PTR;
    }
    std::lock_guard<std::mutex> lock(shared_->taskLogicMutex);
    if (shared_->taskLogicInfos.empty()) {
        // The normal end of a replay loop, hence not an error line.
        HCPU_DEBUG("stream {}: no task logic info left, return HCCL_E_UNAVAIL", streamId_);
        return HCCL_E_UNAVAIL;
    }
    taskLogicInfo = shared_->taskLogicInfos.front();
    shared_->taskLogicInfos.pop_front();
    return HCCL_SUCCESS;
}

}  // namespace hccl
