/* hccl/hccl.h and hccl/hccl_comm.h as a C program sees them. */
#include <stddef.h>

#include "hccl/hccl.h"
#include "hccl/hccl_comm.h"

/* Every management function with its exact prototype. */
static HcclResult (*const getRootInfo)(HcclRootInfo *) = HcclGetRootInfo;
static HcclResult (*const initRootInfo)(uint32_t, const HcclRootInfo *, uint32_t,
                                        HcclComm *) = HcclCommInitRootInfo;
static HcclResult (*const initRootInfoConfig)(uint32_t, const HcclRootInfo *, uint32_t,
                                              const HcclCommConfig *,
                                              HcclComm *) = HcclCommInitRootInfoConfig;
static HcclResult (*const initClusterInfo)(const char *, uint32_t,
                                           HcclComm *) = HcclCommInitClusterInfo;
static HcclResult (*const initClusterInfoConfig)(const char *, uint32_t, HcclCommConfig *,
                                                 HcclComm *) = HcclCommInitClusterInfoConfig;
static HcclResult (*const initAll)(uint32_t, int32_t *, HcclComm *) = HcclCommInitAll;
static HcclResult (*const destroy)(HcclComm) = HcclCommDestroy;
static HcclResult (*const rankSize)(HcclComm, uint32_t *) = HcclGetRankSize;
static HcclResult (*const rankId)(HcclComm, uint32_t *) = HcclGetRankId;
static HcclResult (*const commName)(HcclComm, char *) = HcclGetCommName;
static const char *(*const errorString)(HcclResult) = HcclGetErrorString;
static HcclResult (*const asyncError)(HcclComm, HcclResult *) = HcclGetCommAsyncError;
static HcclResult (*const setConfig)(HcclConfig, union HcclConfigValue) = HcclSetConfig;
static HcclResult (*const getConfig)(HcclConfig, union HcclConfigValue *) = HcclGetConfig;
static uint32_t (*const capability)(void) = HcclGetCommConfigCapability;

int hccl_headers_c11(void);
int hccl_headers_c11(void) {
    HcclCommConfig config;
    HcclCommConfigInit(&config);
    return getRootInfo != NULL && initRootInfo != NULL && initRootInfoConfig != NULL &&
           initClusterInfo != NULL && initClusterInfoConfig != NULL && initAll != NULL &&
           destroy != NULL && rankSize != NULL && rankId != NULL && commName != NULL &&
           errorString != NULL && asyncError != NULL && setConfig != NULL && getConfig != NULL &&
           capability != NULL && config.hcclBufferSize == HCCL_COMM_BUFFSIZE_CONFIG_NOT_SET;
}
