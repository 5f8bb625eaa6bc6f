// Value types shared by the runtime and the layers above it.
#pragma once

#include <cstddef>
#include <cstdint>

namespace hcclcpu::rt {

enum class Err : int32_t {
    kOk = 0,
    kParam,         // invalid argument
    kDevice,        // device id out of range
    kContext,       // no device set on this thread
    kNoMemory,      // allocation failed
    kHandle,        // unknown or destroyed stream/notify/event/pointer
    kKind,          // memcpy kind contradicts where src/dst live
    kBounds,        // a device range runs outside its registered allocation
    kNotSupported,  // e.g. a data type the reduce engine has no kernel for
    kTimeout,       // a notify wait missed its deadline
    kTaskFailed,    // a task failed (details in streamLastError)
    kInternal,
};
const char *errName(Err err);

// Values match aclrtMemcpyKind 0..4.
enum class CopyKind : uint32_t {
    kHostToHost = 0,
    kHostToDevice = 1,
    kDeviceToHost = 2,
    kDeviceToDevice = 3,
    kDefault = 4,  // direction inferred from the pointers
};

// Values match HcclDataType.
enum class DataType : uint8_t {
    kInt8 = 0,
    kInt16 = 1,
    kInt32 = 2,
    kFp16 = 3,
    kFp32 = 4,
    kInt64 = 5,
    kUint64 = 6,
    kUint8 = 7,
    kUint16 = 8,
    kUint32 = 9,
    kFp64 = 10,
    kBf16 = 11,
    kInt128 = 12,
    kHif8 = 14,
    kFp8E4M3 = 15,
    kFp8E5M2 = 16,
    kFp8E8M0 = 17,
};

// Values match HcclReduceOp.
enum class ReduceOp : uint8_t { kSum = 0, kProd = 1, kMax = 2, kMin = 3 };

enum class MemLocation : uint32_t { kUnregistered = 0, kHost = 1, kDevice = 2 };

struct MemInfo {
    MemLocation location = MemLocation::kUnregistered;
    int32_t device = -1;    // owning device for kDevice
    void *base = nullptr;   // start of the allocation
    size_t size = 0;        // size of the allocation
    int fd = -1;            // memfd backing a device allocation (for sharing with other processes)
    bool imported = false;  // mapped from a peer process
    uint64_t id = 0;        // unique per process and allocation (an fd number may be reused)
};

}  // namespace hcclcpu::rt
