// Memory descriptors of the transport list APIs (vendor task_logic_info_pub.h).
#ifndef HCCL_PLATFORM_TASK_LOGIC_INFO_PUB_H
#define HCCL_PLATFORM_TASK_LOGIC_INFO_PUB_H

#include "base.h"

namespace hccl {

// Which of a peer's exchanged buffers an offset refers to.
enum class UserMemType {
    INPUT_MEM = 0,
    OUTPUT_MEM = 1,
    MEM_RESERVED = 2,
};

struct TxMemoryInfo {
    UserMemType dstMemType;
    u64 dstOffset;
    const void *src;
    u64 len;
};

struct RxMemoryInfo {
    UserMemType srcMemType;
    u64 srcOffset;
    void *dst;
    u64 len;
};

struct RxWithReduceMemoryInfo {
    UserMemType srcMemType;
    u64 srcOffset;
    void *dst;
    u64 len;
    void *reduceSrc;
    void *reduceDst;
    u64 reduceDataCount;
};

}  // namespace hccl

#endif  // HCCL_PLATFORM_TASK_LOGIC_INFO_PUB_H
