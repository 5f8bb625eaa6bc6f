// hccl::HostMem: a (pointer, size) view of host memory that may own it (vendor mem_host_pub.h).
#ifndef HCCL_PLATFORM_MEM_HOST_PUB_H
#define HCCL_PLATFORM_MEM_HOST_PUB_H

#include "hccl_common.h"

namespace hccl {

// Same ownership rules as DeviceMem. alloc(size, true) takes registered (pinned) host memory from
// the runtime, alloc(size, false) plain heap memory.
class HostMem {
  public:
    HostMem() = default;
    HostMem(void *ptr, u64 size, bool owner = false, bool isRtsMem = true);
    HostMem(const HostMem &that);
    HostMem(HostMem &&that) noexcept;
    ~HostMem();
    // As DeviceMem: an owner frees its allocation unless `that` points into it.
    HostMem &operator=(const HostMem &that);
    HostMem &operator=(HostMem &&that) noexcept;

    operator bool() const { return ptr_ != nullptr; }
    bool operator==(const HostMem &that) const { return ptr_ == that.ptr_ && size_ == that.size_; }
    bool operator!=(const HostMem &that) const { return !(*this == that); }
    void *ptr() const { return ptr_; }
    u64 size() const { return size_; }
    bool owner() const { return owned_ != nullptr; }

    HostMem range(u64 offset, u64 size) const;
    // Frees the allocation only if this object owns it (the vendor class frees memory it does not
    // own, e.g. a create()d view; that is never what a caller wants), then nulls the pointer.
    void free();

    static HostMem alloc(u64 size, bool isRtsMem = true);
    static HostMem create(void *ptr, u64 size);

  private:
    void release();

    void *ptr_ = nullptr;
    u64 size_ = 0;
    void *owned_ = nullptr;
    u64 ownedSize_ = 0;
    bool isRtsMem_ = true;  // owned_ came from the runtime (else new[])
};

}  // namespace hccl

#endif  // HCCL_PLATFORM_MEM_HOST_PUB_H
