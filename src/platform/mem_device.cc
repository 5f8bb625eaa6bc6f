#include "mem_device_pub.h"

#include <cstdint>

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

DeviceMem::DeviceMem(void *ptr, u64 size, bool owner) : ptr_(ptr), size_(size) {
    if (owner && ptr != nullptr) {
        owned_ = ptr;
        ownedSize_ = size;
    }
}

DeviceMem::DeviceMem(const DeviceMem &that) : ptr_(that.ptr_), size_(that.size_) {}

DeviceMem::DeviceMem(DeviceMem &&that) noexcept
    : ptr_(that.ptr_), size_(that.size_), owned_(that.owned_), ownedSize_(that.ownedSize_) {
    that.ptr_ = nullptr;
    that.size_ = 0;
    that.owned_ = nullptr;
    that.ownedSize_ = 0;
}

DeviceMem::~DeviceMem() {
    release();
}

DeviceMem &DeviceMem::operator=(const DeviceMem &that) {
    if (this == &that) return *this;
    if (!pointsInto(that.ptr_, owned_, ownedSize_)) release();
    ptr_ = that.ptr_;
    size_ = that.size_;
    return *this;
}

DeviceMem &DeviceMem::operator=(DeviceMem &&that) noexcept {
    if (this == &that) return *this;
    if (that.owned_ == nullptr) {
        // Moving a view is copying it (an owner keeps an allocation the view points into).
        *this = static_cast<const DeviceMem &>(that);
    } else {
        release();
        ptr_ = that.ptr_;
        size_ = that.size_;
        owned_ = that.owned_;
        ownedSize_ = that.ownedSize_;
    }
    that.ptr_ = nullptr;
    that.size_ = 0;
    that.owned_ = nullptr;
    that.ownedSize_ = 0;
    return *this;
}

void DeviceMem::release() {
    if (owned_ == nullptr) return;
    rt::Err err = rt::deviceFree(owned_);
    if (err != rt::Err::kOk)
        HCPU_ERROR("device mem: free of {} failed: runtime error {}", owned_, rt::errName(err));
    owned_ = nullptr;
    ownedSize_ = 0;
}

DeviceMem DeviceMem::range(u64 offset, u64 size) const {
    if (ptr_ == nullptr || offset > size_ || size > size_ - offset) {
        HCPU_ERROR(
            "device mem range: offset[{}] + size[{}] exceeds the memory (ptr {}, size {}), "
            "return an empty DeviceMem",
            offset, size, ptr_, size_);
        return DeviceMem();
    }
    return DeviceMem(static_cast<uint8_t *>(ptr_) + offset, size, false);
}

void DeviceMem::free() {
    if (owned_ != nullptr) {
        release();
        ptr_ = nullptr;
    }
}

DeviceMem DeviceMem::alloc(u64 size, bool level2Address) {
    (void)level2Address;
    void *ptr = nullptr;
    rt::Err err = rt::deviceMalloc(size, &ptr);
    if (err != rt::Err::kOk || ptr == nullptr) {
        HCPU_ERROR("device mem: alloc of {} bytes failed: runtime error {}", size,
                   rt::errName(err));
        return DeviceMem();
    }
    return DeviceMem(ptr, size, true);
}

HcclResult DeviceMem::alloc(DeviceMem &mem, u64 size, bool level2Address) {
    mem = alloc(size, level2Address);
    return mem ? HCCL_SUCCESS : HCCL_E_MEMORY;
}

DeviceMem DeviceMem::create(void *ptr, u64 size) {
    return DeviceMem(ptr, size, false);
}

}  // namespace hccl
