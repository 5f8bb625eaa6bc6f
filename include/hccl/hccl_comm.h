/*
 * HCCL communicator management (hccl/hccl_comm.h).
 *
 * The functions that create, query and destroy communicators, with the vendor's exact
 * prototypes, plus the header-only HcclCommConfigInit. hccl/hccl.h includes this header, so a
 * program may include either. Unlike the vendor's newest header the declarations are not weak:
 * libhccl.so defines every one of them.
 *
 * Compiles as C11 and as C++11 or later.
 */
#ifndef HCCL_COMM_H_
#define HCCL_COMM_H_

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "acl/acl.h"
#include "hccl/hccl_types.h"

/* C++: inline, as in CANN 8.1 (never an exported symbol); C: static inline. */
#ifdef __cplusplus
#define HCCL_COMM_CONFIG_INIT_LINKAGE inline
#else
#define HCCL_COMM_CONFIG_INIT_LINKAGE static inline
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* Root of a rendezvous: call on one rank (after aclrtSetDevice), share the blob with all ranks. */
extern HcclResult HcclGetRootInfo(HcclRootInfo *rootInfo);

extern HcclResult HcclCommInitRootInfo(uint32_t nRanks, const HcclRootInfo *rootInfo, uint32_t rank,
                                       HcclComm *comm);
extern HcclResult HcclCommInitRootInfoConfig(uint32_t nRanks, const HcclRootInfo *rootInfo,
                                             uint32_t rank, const HcclCommConfig *config,
                                             HcclComm *comm);

/* clusterInfo: path of a rank-table JSON file (version 1.0). */
extern HcclResult HcclCommInitClusterInfo(const char *clusterInfo, uint32_t rank, HcclComm *comm);
extern HcclResult HcclCommInitClusterInfoConfig(const char *clusterInfo, uint32_t rank,
                                                HcclCommConfig *config, HcclComm *comm);

/* One communicator per device of this process; rank i uses devices[i]. */
extern HcclResult HcclCommInitAll(uint32_t ndev, int32_t *devices, HcclComm *comms);

extern HcclResult HcclCommDestroy(HcclComm comm);

extern HcclResult HcclGetRankSize(HcclComm comm, uint32_t *rankSize);
extern HcclResult HcclGetRankId(HcclComm comm, uint32_t *rank);
/* commName: a buffer of COMM_NAME_MAX_LENGTH bytes. */
extern HcclResult HcclGetCommName(HcclComm comm, char *commName);

/* A static string for every code, "unknown error" outside the table; never NULL. */
extern const char *HcclGetErrorString(HcclResult code);

extern HcclResult HcclGetCommAsyncError(HcclComm comm, HcclResult *asyncError);

/* Process-wide settings; only HCCL_DETERMINISTIC (0 off, 1 on, 2 strict). */
extern HcclResult HcclSetConfig(HcclConfig config, union HcclConfigValue configValue);
extern HcclResult HcclGetConfig(HcclConfig config, union HcclConfigValue *configValue);

/* HCCL_COMM_CONFIG_RESERVED: every HcclCommConfigCapability item before it is supported. */
extern uint32_t HcclGetCommConfigCapability(void);

/*
 * Writes the 24-byte header the library reads ({size, magic word, version, reserved}) and the
 * defaults: every tunable "not set", so the environment and the built-in defaults apply unless
 * the caller changes a field.
 */
HCCL_COMM_CONFIG_INIT_LINKAGE void HcclCommConfigInit(HcclCommConfig *config) {
    struct HcclCommConfigHeader {
        size_t size;
        uint32_t magicWord;
        uint32_t version;
        uint64_t reserved;
    } header;
    if (config == NULL) {
        return;
    }
    header.size = sizeof(HcclCommConfig);
    header.magicWord = HCCL_COMM_CONFIG_MAGIC_WORD;
    header.version = HCCL_COMM_CONFIG_VERSION;
    header.reserved = 0;
    memset(config, 0, sizeof(HcclCommConfig));
    memcpy(config->reserved, &header, sizeof(header));

    config->hcclBufferSize = HCCL_COMM_BUFFSIZE_CONFIG_NOT_SET;
    config->hcclDeterministic = HCCL_COMM_DETERMINISTIC_CONFIG_NOT_SET;
    config->hcclOpExpansionMode = HCCL_COMM_DEFAULT_OP_EXPANSION_MODE;
    config->hcclRdmaTrafficClass = HCCL_COMM_TRAFFIC_CLASS_CONFIG_NOT_SET;
    config->hcclRdmaServiceLevel = HCCL_COMM_SERVICE_LEVEL_CONFIG_NOT_SET;
    config->hcclWorldRankID = 0;
    config->hcclJobID = 0;
    config->aclGraphZeroCopyEnable = 0;
    config->hcclExecTimeOut = HCCL_COMM_EXECTIMEOUT_CONFIG_NOT_SET;
    config->hcclQos = HCCL_COMM_QOS_CONFIG_NOT_SET;
    config->hcclSymWinMaxMemSizePerRank = HCCL_DEFAULT_SYMMETRIC_MEMORY_STRIDE;
    config->hcclChannelSqDepth = HCCL_COMM_SQ_DEPTH_CONFIG_NOT_SET;
}

#ifdef __cplusplus
}
#endif

#endif /* HCCL_COMM_H_ */
