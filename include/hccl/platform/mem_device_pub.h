// hccl::DeviceMem: a (pointer, size) view of device memory that may own it (vendor
// mem_device_pub.h).
#ifndef HCCL_PLATFORM_MEM_DEVICE_PUB_H
#define HCCL_PLATFORM_MEM_DEVICE_PUB_H

#include "hccl_common.h"

namespace hccl {

// Ownership: alloc() and DeviceMem(ptr, size, true) own the allocation; copies, create() and
// range() are non-owning views; moves transfer ownership; the owner frees at destruction.
class DeviceMem {
  public:
    DeviceMem() = default;
    DeviceMem(void *ptr, u64 size, bool owner = false);
    DeviceMem(const DeviceMem &that);
    DeviceMem(DeviceMem &&that) noexcept;
    ~DeviceMem();
    // Becomes a non-owning view of `that`. Unlike the vendor class, an owner does not leak its
    // allocation here: it frees it, unless `that` points into it, in which case the allocation
    // stays alive (still owned) until destruction or free().
    DeviceMem &operator=(const DeviceMem &that);
    DeviceMem &operator=(DeviceMem &&that) noexcept;

    operator bool() const { return ptr_ != nullptr; }
    bool operator==(const DeviceMem &that) const {
        return ptr_ == that.ptr_ && size_ == that.size_;
    }
    bool operator!=(const DeviceMem &that) const { return !(*this == that); }
    void *ptr() const { return ptr_; }
    u64 size() const { return size_; }
    bool owner() const { return owned_ != nullptr; }

    // A non-owning view of [offset, offset + size); an empty DeviceMem (and an error log) when the
    // range does not fit or this object is empty.
    DeviceMem range(u64 offset, u64 size) const;
    // Frees the allocation if owned and nulls the pointer; size() keeps its value.
    void free();

    // Allocates on the calling thread's current device; on failure logs and returns an empty
    // object. level2Address has no meaning here and is ignored.
    static DeviceMem alloc(u64 size, bool level2Address = false);
    static HcclResult alloc(DeviceMem &mem, u64 size, bool level2Address = false);
    static DeviceMem create(void *ptr, u64 size);

  private:
    void release();

    void *ptr_ = nullptr;
    u64 size_ = 0;
    void *owned_ = nullptr;  // start of the owned allocation, if any
    u64 ownedSize_ = 0;
};

}  // namespace hccl

#endif  // HCCL_PLATFORM_MEM_DEVICE_PUB_H
