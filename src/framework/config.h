// A communicator's settings: HcclCommConfig field > environment variable > built-in default.
//
// HcclCommConfigInit is compiled into the caller, so a config may come from any header
// generation (8.1: version 5, 300 bytes; newest: version 11, 2248 bytes). The library reads the
// 24-byte header {size, magic, version, reserved} and only the fields that lie inside `size`;
// 0xffffffff in a field means "not set".
#pragma once

#include <cstdint>
#include <string>

#include "hccl/hccl_types.h"

namespace hcclcpu::framework {

constexpr uint32_t kDefaultBufferSizeMB = 200;    // HCCL_BUFFSIZE
constexpr int32_t kDefaultExecTimeoutS = 1836;    // HCCL_EXEC_TIMEOUT (27 * 68 s)
constexpr int32_t kDefaultConnectTimeoutS = 120;  // HCCL_CONNECT_TIMEOUT

struct CommSettings {
    uint32_t bufferSizeMB = kDefaultBufferSizeMB;  // each of the CCL input/output buffers
    int32_t execTimeoutS = kDefaultExecTimeoutS;   // 0: wait forever
    uint32_t deterministic = 0;                    // 0 off, 1 deterministic, 2 strict
    uint32_t opExpansionMode = 0;                  // recorded, not interpreted
    std::string name;                              // empty: generated at init
    std::string udi;
    std::string algo;  // hcclAlgo / HCCL_ALGO, recorded for the algorithm layer
    uint32_t worldRankId = 0;
    uint64_t jobId = 0;
    uint32_t configVersion = 0;  // version of the caller's HcclCommConfig; 0 without one

    uint64_t cclBufferBytes() const { return static_cast<uint64_t>(bufferSizeMB) << 20; }
};

// Resolves the settings of a new communicator. `config` may be null (no config API used).
// HCCL_E_PARA, logged, for a config without the magic word or with an invalid value.
HcclResult resolveSettings(const HcclCommConfig *config, CommSettings *settings);

// HCCL_CONNECT_TIMEOUT in seconds: default 120, accepted range [1, 7200]. The vendor's minimum
// is 120 s; smaller values are accepted here so that failure paths can be tested quickly.
int32_t connectTimeoutSeconds();

// The process-wide HCCL_DETERMINISTIC value: HcclSetConfig's, else the environment's
// ("false"/"true"/"strict"), else 0.
HcclResult setProcessDeterministic(int32_t value);
int32_t processDeterministic();
// Forgets HcclSetConfig's value: the environment applies again (for tests).
void forgetProcessDeterministic();

}  // namespace hcclcpu::framework
