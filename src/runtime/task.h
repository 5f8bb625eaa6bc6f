// One entry of a stream's task ring: a fixed-size record, so issuing a task is a copy into a
// preallocated slot.
#pragma once

#include <cstdint>

#include "runtime/types.h"

namespace hcclcpu::rt {

enum class TaskType : uint8_t {
    kCopy,
    kReduce,
    kMemset,
    kNotifyRecord,
    kNotifyWait,
    kEventRecord,
    kEventReset,
    kEventWait,
    kHostFunc,
    kKernel,
};

// A kernel that more of its kind follow within microseconds (see KernelArgs::burst).
constexpr uint8_t kTaskBurst = 1;

struct Task {
    TaskType type;
    DataType dataType;  // kReduce
    ReduceOp op;        // kReduce
    uint8_t flags;      // kTaskBurst
    int32_t value;      // kMemset byte value
    void *dst;
    const void *src;
    uint64_t size;  // bytes for copy/memset, elements for reduce
    void *object;   // Notify*, Event*, or the host function / kernel
    uint64_t arg;   // wait timeout (ns), event generation, the host function's argument, or a
                    // kernel's word
    void *context;  // a kernel's two context pointers
    void *context2;
};
static_assert(sizeof(Task) <= 64, "a task must fit one cache line");

}  // namespace hcclcpu::rt
