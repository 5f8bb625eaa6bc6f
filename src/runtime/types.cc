#include "runtime/types.h"

namespace hcclcpu::rt {

const char *errName(Err err) {
    switch (err) {
        case Err::kOk:
            return "success";
        case Err::kParam:
            return "invalid argument";
        case Err::kDevice:
            return "invalid device id";
        case Err::kContext:
            return "no device set on this thread";
        case Err::kNoMemory:
            return "out of memory";
        case Err::kHandle:
            return "invalid handle";
        case Err::kKind:
            return "memcpy kind contradicts the memory locations";
        case Err::kBounds:
            return "range outside registered device memory";
        case Err::kNotSupported:
            return "not supported";
        case Err::kTimeout:
            return "wait timed out";
        case Err::kTaskFailed:
            return "task failed";
        case Err::kInternal:
            return "internal error";
    }
    return "unknown error";
}

}  // namespace hcclcpu::rt
