#include "stream_pub.h"

#include <utility>

#include "common/log.h"
#include "runtime/runtime.h"

namespace hccl {

namespace rt = hcclcpu::rt;

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
    invalid_ = std::make_shared<std::atomic<bool>>(false);
}

Stream::Stream(const rtStream_t rtStream, bool isMainStream)
    : stream_(rtStream), isMainStream_(isMainStream) {
    if (rtStream == nullptr) return;
    auto *borrowed = static_cast<rt::Stream *>(rtStream);
    streamId_ = rt::streamValid(borrowed) ? rt::streamId(borrowed) : -1;
    invalid_ = std::make_shared<std::atomic<bool>>(false);
}

Stream::Stream(const Stream &that)
    : stream_(that.stream_),
      streamId_(that.streamId_),
      isMainStream_(that.isMainStream_),
      owner_(false),
      mode_(that.mode_),
      invalid_(that.invalid_) {}

Stream::Stream(Stream &&that) noexcept
    : stream_(that.stream_),
      streamId_(that.streamId_),
      isMainStream_(that.isMainStream_),
      owner_(that.owner_),
      mode_(that.mode_),
      invalid_(std::move(that.invalid_)) {
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
    invalid_ = that.invalid_;
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
    invalid_ = std::move(that.invalid_);
    that.stream_ = nullptr;
    that.streamId_ = -1;
    that.owner_ = false;
    return *this;
}

void Stream::reset() {
    if (owner_ && stream_ != nullptr) {
        if (invalid_) invalid_->store(true, std::memory_order_release);
        rt::Err err = rt::streamDestroy(static_cast<rt::Stream *>(stream_));
        if (err != rt::Err::kOk)
            HCPU_WARN("stream {}: destroy failed: runtime error {}", streamId_, rt::errName(err));
    }
    owner_ = false;
    stream_ = nullptr;
    streamId_ = -1;
}

bool Stream::IsInvalid() const {
    return invalid_ != nullptr && invalid_->load(std::memory_order_acquire);
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

}  // namespace hccl
