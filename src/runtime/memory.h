// The registry of device and host allocations.
//
// Lookups are on the issue path (every copy is checked), so they must be cheap: each thread keeps
// the allocation it found last, valid until the registry's generation changes (any free). A hit
// costs two loads; a miss takes the registry's shared lock.
#pragma once

#include <cstddef>
#include <cstdint>

#include "runtime/types.h"

namespace hcclcpu::rt::memory {

// populate: allocate every page now (no task pays for page faults later) or on first touch.
Err allocDevice(int32_t device, size_t size, void **ptr, bool populate);
Err allocHost(size_t size, void **ptr);
// Frees an allocation of the given location starting exactly at ptr. It leaves the registry at
// once; its pages stay mapped until every stream has run the tasks issued before the free.

Err free(void *ptr, MemLocation location, bool imported = false);
// Maps and registers a peer process's device allocation (imported = true).
Err import(int fd, size_t size, int32_t peerDevice, void **ptr);
// Unmaps freed allocations that no queued task can reach any more.
void reapFreed();
// The allocation holding the byte at ptr (location kUnregistered when none).
MemInfo find(const void *ptr);
// Total bytes of live device allocations on `device`.
size_t deviceBytesInUse(int32_t device);

}  // namespace hcclcpu::rt::memory
