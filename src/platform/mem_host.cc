#include "mem_host_pub.h"

#include <cstdint>
#include <new>

#include "common/log.h"
#include "runtime/runtime.h"

namespace hccl {

namespace rt = hcclcpu::rt;

namespace {

bool pointsInto(const void *ptr, const void *base, u64 size) {
    auto p = reinterpret_cast<uintptr_t>(ptr);
    auto b = reinterpret_cast<uintptr_t>(base);
    return base != nullptr && p >= b && p - b < size;
}

}  // namespace

HostMem::HostMem(void *ptr, u64 size, bool owner, bool isRtsMem)
    : ptr_(ptr), size_(size), isRtsMem_(isRtsMem) {
    if (owner && ptr != nullptr) {
        owned_ = ptr;
        ownedSize_ = size;
    }
}

HostMem::HostMem(const HostMem &that) : ptr_(that.ptr_), size_(that.size_) {}

HostMem::HostMem(HostMem &&that) noexcept
    : ptr_(that.ptr_),
      size_(that.size_),
      owned_(that.owned_),
      ownedSize_(that.ownedSize_),
      isRtsMem_(that.isRtsMem_) {
    that.ptr_ = nullptr;
    that.size_ = 0;
    that.owned_ = nullptr;
    that.ownedSize_ = 0;
}

HostMem::~HostMem() {
    release();
}

HostMem &HostMem::operator=(const HostMem &that) {
    if (this == &that) return *this;
    if (!pointsInto(that.ptr_, owned_, ownedSize_)) release();
    ptr_ = that.ptr_;
    size_ = that.size_;
    return *this;
}

HostMem &HostMem::operator=(HostMem &&that) noexcept {
    if (this == &that) return *this;
    if (that.owned_ == nullptr) {
        // Moving a view is copying it (an owner keeps an allocation the view points into).
        *this = static_cast<const HostMem &>(that);
    } else {
        release();
        ptr_ = that.ptr_;
        size_ = that.size_;
        owned_ = that.owned_;
        ownedSize_ = that.ownedSize_;
        isRtsMem_ = that.isRtsMem_;
    }
    that.ptr_ = nullptr;
    that.size_ = 0;
    that.owned_ = nullptr;
    that.ownedSize_ = 0;
    return *this;
}

void HostMem::release() {
    if (owned_ == nullptr) return;
    if (isRtsMem_) {
        rt::Err err = rt::hostFree(owned_);
        if (err != rt::Err::kOk)
            HCPU_ERROR("host mem: free of {} failed: runtime error {}", owned_, rt::errName(err));
    } else {
        delete[] static_cast<uint8_t *>(owned_);
    }
    owned_ = nullptr;
    ownedSize_ = 0;
}

HostMem HostMem::range(u64 offset, u64 size) const {
    if (ptr_ == nullptr || offset > size_ || size > size_ - offset) {
        HCPU_ERROR(
            "host mem range: offset[{}] + size[{}] exceeds the memory (ptr {}, size {}), "
            "return an empty HostMem",
            offset, size, ptr_, size_);
        return HostMem();
    }
    return HostMem(static_cast<uint8_t *>(ptr_) + offset, size, false);
}

void HostMem::free() {
    if (owned_ == nullptr) {
        if (ptr_ != nullptr)
            HCPU_WARN("host mem: free of {} ignored: this object does not own it", ptr_);
        return;
    }
    release();
    ptr_ = nullptr;
}

HostMem HostMem::alloc(u64 size, bool isRtsMem) {
    void *ptr = nullptr;
    if (isRtsMem) {
        rt::Err err = rt::hostMalloc(size, &ptr);
        if (err != rt::Err::kOk || ptr == nullptr) {
            HCPU_ERROR("host mem: alloc of {} bytes failed: runtime error {}", size,
                       rt::errName(err));
            return HostMem();
        }
    } else {
        if (size == 0) {
            HCPU_ERROR("host mem: alloc of 0 bytes, return an empty HostMem");
            return HostMem();
        }
        ptr = new (std::nothrow) uint8_t[size]();
        if (ptr == nullptr) {
            HCPU_ERROR("host mem: alloc of {} bytes failed: out of memory", size);
            return HostMem();
        }
    }
    return HostMem(ptr, size, true, isRtsMem);
}

HostMem HostMem::create(void *ptr, u64 size) {
    return HostMem(ptr, size, false, false);
}

}  // namespace hccl
