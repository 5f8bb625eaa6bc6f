/* hccl/hccl_types.h compiles as C11 and has the vendor's layout (spec public_api.md §3.1). */
#include <stddef.h>

#include "hccl/hccl_types.h"

_Static_assert(sizeof(HcclRootInfo) == 4108, "HcclRootInfo is 4108 bytes");
_Static_assert(sizeof(HcclCommConfig) == 2248, "HcclCommConfig v11 is 2248 bytes");
_Static_assert(_Alignof(HcclCommConfig) == 8, "HcclCommConfig v11 is 8-aligned");
_Static_assert(offsetof(HcclCommConfig, hcclBufferSize) == 24, "hcclBufferSize");
_Static_assert(offsetof(HcclCommConfig, hcclDeterministic) == 28, "hcclDeterministic");
_Static_assert(offsetof(HcclCommConfig, hcclCommName) == 32, "hcclCommName");
_Static_assert(offsetof(HcclCommConfig, hcclUdi) == 160, "hcclUdi");
_Static_assert(offsetof(HcclCommConfig, hcclOpExpansionMode) == 288, "hcclOpExpansionMode");
_Static_assert(offsetof(HcclCommConfig, hcclRdmaTrafficClass) == 292, "hcclRdmaTrafficClass");
_Static_assert(offsetof(HcclCommConfig, hcclRdmaServiceLevel) == 296, "hcclRdmaServiceLevel");
_Static_assert(offsetof(HcclCommConfig, hcclWorldRankID) == 300, "hcclWorldRankID");
_Static_assert(offsetof(HcclCommConfig, hcclJobID) == 304, "hcclJobID");
_Static_assert(offsetof(HcclCommConfig, aclGraphZeroCopyEnable) == 312, "aclGraphZeroCopyEnable");
_Static_assert(offsetof(HcclCommConfig, hcclExecTimeOut) == 316, "hcclExecTimeOut");
_Static_assert(offsetof(HcclCommConfig, hcclAlgo) == 320, "hcclAlgo");
_Static_assert(offsetof(HcclCommConfig, hcclRetryEnable) == 1920, "hcclRetryEnable");
_Static_assert(offsetof(HcclCommConfig, hcclRetryParams) == 1970, "hcclRetryParams");
_Static_assert(offsetof(HcclCommConfig, hcclBufferName) == 2098, "hcclBufferName");
_Static_assert(offsetof(HcclCommConfig, hcclQos) == 2228, "hcclQos");
_Static_assert(offsetof(HcclCommConfig, hcclSymWinMaxMemSizePerRank) == 2232, "symWin");
_Static_assert(offsetof(HcclCommConfig, hcclChannelSqDepth) == 2240, "hcclChannelSqDepth");
_Static_assert(sizeof(HcclSendRecvItem) == 32, "HcclSendRecvItem is 32 bytes");
_Static_assert(offsetof(HcclSendRecvItem, buf) == 8, "buf");
_Static_assert(offsetof(HcclSendRecvItem, count) == 16, "count");
_Static_assert(offsetof(HcclSendRecvItem, dataType) == 24, "dataType");
_Static_assert(offsetof(HcclSendRecvItem, remoteRank) == 28, "remoteRank");
_Static_assert(HCCL_E_RESERVED == 1042, "HCCL_E_RESERVED follows HCCL_E_IN_STATUS");
_Static_assert(HCCL_DATA_TYPE_FP8E8M0 == 17, "new data types");
_Static_assert(HCCL_COMM_CONFIG_RESERVED == 12, "every capability up to BUFFER_NAME");
_Static_assert(HCCL_CMD_MAX == 104, "HcclCMDType");

/* The constants bound arrays in C. */
char rootInfoCopy[HCCL_ROOT_INFO_BYTES];
char commName[COMM_NAME_MAX_LENGTH];

int useHcclTypes(void) {
    union HcclConfigValue value;
    HcclCommConfig config = {0}; /* what programs write */
    value.value = 1;
    config.hcclExecTimeOut = HCCL_COMM_EXECTIMEOUT_CONFIG_NOT_SET;
    return (int)sizeof(rootInfoCopy) + (int)sizeof(commName) + value.value +
           (int)config.hcclExecTimeOut;
}
