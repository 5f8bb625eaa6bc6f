// hccl/hccl_types.h compiles as C++11/14 with the constants as `const uint32_t` objects.
#include <cstddef>
#include <type_traits>

#include "hccl/hccl_types.h"

static_assert(sizeof(HcclRootInfo) == 4108, "HcclRootInfo is 4108 bytes");
static_assert(sizeof(HcclCommConfig) == 2248, "HcclCommConfig v11 is 2248 bytes");
static_assert(alignof(HcclCommConfig) == 8, "HcclCommConfig v11 is 8-aligned");
static_assert(offsetof(HcclCommConfig, hcclJobID) == 304, "hcclJobID");
static_assert(offsetof(HcclCommConfig, hcclExecTimeOut) == 316, "hcclExecTimeOut");
static_assert(offsetof(HcclCommConfig, hcclQos) == 2228, "hcclQos");
static_assert(offsetof(HcclCommConfig, hcclSymWinMaxMemSizePerRank) == 2232, "symWin");
static_assert(offsetof(HcclCommConfig, hcclChannelSqDepth) == 2240, "hcclChannelSqDepth");
static_assert(sizeof(HcclSendRecvItem) == 32, "HcclSendRecvItem is 32 bytes");
static_assert(std::is_same<decltype(HCCL_ROOT_INFO_BYTES), const uint32_t>::value,
              "constants are const uint32_t in C++");
static_assert(HCCL_COMM_EXECTIMEOUT_CONFIG_NOT_SET == -1, "int32 all ones");
static_assert(HCCL_COMM_CONFIG_MAGIC_WORD == 0xf0f0f0f0u, "magic word");

// hccl_test passes the constants by address as MPI counts; the examples aggregate-initialise.
const uint32_t *rootInfoBytes() {
    return &HCCL_ROOT_INFO_BYTES;
}
// `= {0}` must stay well-formed (an aggregate whose first member accepts 0); -Wextra warns about
// it for any C struct in C++, so only for this line the warning is off.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
HcclCommConfig zeroConfig() {
    HcclCommConfig config = {0};
    return config;
}
#pragma GCC diagnostic pop
HcclSendRecvItem sendItem(void *buf) {
    return HcclSendRecvItem{HCCL_SEND, buf, 16, HCCL_DATA_TYPE_FP32, 1};
}
