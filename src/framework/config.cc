#include "framework/config.h"

#include <strings.h>

#include <atomic>
#include <cstddef>
#include <cstring>

#include "common/env.h"
#include "common/log.h"

namespace hcclcpu::framework {

namespace {

constexpr int32_t kDeterministicUnset = -1;
std::atomic<int32_t> g_deterministic{kDeterministicUnset};  // set by HcclSetConfig

// The header HcclCommConfigInit writes over HcclCommConfig::reserved.
struct ConfigHeader {
    size_t size;
    uint32_t magicWord;
    uint32_t version;
    uint64_t reserved;
};
static_assert(sizeof(ConfigHeader) == HCCL_COMM_CONFIG_INFO_BYTES);

// Reads the caller's config field by field, never past the size its header declares.
class ConfigView {
  public:
    ConfigView(const HcclCommConfig *config, size_t size)
        : base_(reinterpret_cast<const char *>(config)), size_(size) {}

    template <typename T>
    bool read(size_t offset, T *value) const {
        if (offset + sizeof(T) > size_) return false;
        std::memcpy(value, base_ + offset, sizeof(T));
        return true;
    }
    // A NUL-terminated string field of `capacity` bytes. False when absent; `terminated` tells
    // whether a NUL was found inside the field.
    bool readString(size_t offset, size_t capacity, std::string *value, bool *terminated) const {
        if (offset + capacity > size_) return false;
        const char *field = base_ + offset;
        size_t length = strnlen(field, capacity);
        *terminated = length < capacity;
        value->assign(field, length);
        return true;
    }

  private:
    const char *base_;
    size_t size_;
};

int32_t deterministicFromEnv() {
    std::optional<std::string> value = env::string("HCCL_DETERMINISTIC");
    if (!value || value->empty()) return 0;
    if (strcasecmp(value->c_str(), "false") == 0) return 0;
    if (strcasecmp(value->c_str(), "true") == 0) return 1;
    if (strcasecmp(value->c_str(), "strict") == 0) return 2;
    HCPU_WARN("ignoring HCCL_DETERMINISTIC=\"{}\": expected false, true or strict", *value);
    return 0;
}

void applyEnvironment(CommSettings *s) {
    s->bufferSizeMB =
        static_cast<uint32_t>(env::integer("HCCL_BUFFSIZE", kDefaultBufferSizeMB, 1, UINT32_MAX));
    s->execTimeoutS =
        static_cast<int32_t>(env::integer("HCCL_EXEC_TIMEOUT", kDefaultExecTimeoutS, 0, INT32_MAX));
    s->deterministic = static_cast<uint32_t>(processDeterministic());
    s->algo = env::string("HCCL_ALGO").value_or("");
}

HcclResult applyConfig(const HcclCommConfig *config, CommSettings *s) {
    ConfigHeader header;
    std::memcpy(&header, config->reserved, sizeof(header));
    if (header.magicWord != HCCL_COMM_CONFIG_MAGIC_WORD) {
        HCPU_ERROR(
            "comm config: magic word {:#x}, expected {:#x} (initialise the config with "
            "HcclCommConfigInit)",
            header.magicWord, HCCL_COMM_CONFIG_MAGIC_WORD);
        return HCCL_E_PARA;
    }
    if (header.size < HCCL_COMM_CONFIG_INFO_BYTES || header.version == 0) {
        HCPU_ERROR("comm config: header size {} version {} are not a config's", header.size,
                   header.version);
        return HCCL_E_PARA;
    }
    s->configVersion = header.version;
    ConfigView view(config, header.size);

    uint32_t bufferSize;
    if (view.read(offsetof(HcclCommConfig, hcclBufferSize), &bufferSize) &&
        bufferSize != HCCL_COMM_BUFFSIZE_CONFIG_NOT_SET) {
        if (bufferSize == 0) {
            HCPU_ERROR("comm config: hcclBufferSize 0 MB, must be at least 1");
            return HCCL_E_PARA;
        }
        s->bufferSizeMB = bufferSize;
    }
    uint32_t deterministic;
    if (view.read(offsetof(HcclCommConfig, hcclDeterministic), &deterministic) &&
        deterministic != HCCL_COMM_DETERMINISTIC_CONFIG_NOT_SET) {
        if (deterministic > 2) {
            HCPU_ERROR("comm config: hcclDeterministic {}, expected 0, 1 or 2", deterministic);
            return HCCL_E_PARA;
        }
        s->deterministic = deterministic;
    }
    bool terminated = true;
    std::string name;
    if (view.readString(offsetof(HcclCommConfig, hcclCommName), COMM_NAME_MAX_LENGTH, &name,
                        &terminated)) {
        if (!terminated) {
            HCPU_ERROR("comm config: hcclCommName is not NUL-terminated within {} bytes",
                       COMM_NAME_MAX_LENGTH);
            return HCCL_E_PARA;
        }
        s->name = name;
    }
    std::string udi;
    if (view.readString(offsetof(HcclCommConfig, hcclUdi), UDI_MAX_LENGTH, &udi, &terminated))
        s->udi = udi;
    view.read(offsetof(HcclCommConfig, hcclOpExpansionMode), &s->opExpansionMode);
    view.read(offsetof(HcclCommConfig, hcclWorldRankID), &s->worldRankId);
    view.read(offsetof(HcclCommConfig, hcclJobID), &s->jobId);
    int32_t execTimeout;
    if (view.read(offsetof(HcclCommConfig, hcclExecTimeOut), &execTimeout) &&
        execTimeout != HCCL_COMM_EXECTIMEOUT_CONFIG_NOT_SET) {
        if (execTimeout < 0) {
            HCPU_ERROR("comm config: hcclExecTimeOut {} s is negative", execTimeout);
            return HCCL_E_PARA;
        }
        s->execTimeoutS = execTimeout;
    }
    std::string algo;
    if (view.readString(offsetof(HcclCommConfig, hcclAlgo), HCCL_COMM_ALGO_MAX_LENGTH, &algo,
                        &terminated)) {
        if (!terminated) {
            HCPU_ERROR("comm config: hcclAlgo is not NUL-terminated within {} bytes",
                       HCCL_COMM_ALGO_MAX_LENGTH);
            return HCCL_E_PARA;
        }
        if (!algo.empty()) s->algo = algo;
    }
    return HCCL_SUCCESS;
}

}  // namespace

HcclResult resolveSettings(const HcclCommConfig *config, CommSettings *settings) {
    CommSettings s;
    applyEnvironment(&s);
    if (config != nullptr) {
        HcclResult result = applyConfig(config, &s);
        if (result != HCCL_SUCCESS) return result;
    }
    *settings = std::move(s);
    return HCCL_SUCCESS;
}

int32_t connectTimeoutSeconds() {
    return static_cast<int32_t>(
        env::integer("HCCL_CONNECT_TIMEOUT", kDefaultConnectTimeoutS, 1, 7200));
}

HcclResult setProcessDeterministic(int32_t value) {
    if (value < 0 || value > 2) {
        HCPU_ERROR("HcclSetConfig: deterministic value {}, expected 0, 1 or 2", value);
        return HCCL_E_PARA;
    }
    g_deterministic.store(value);
    return HCCL_SUCCESS;
}

void forgetProcessDeterministic() {
    g_deterministic.store(kDeterministicUnset);
}

int32_t processDeterministic() {
    int32_t value = g_deterministic.load();
    return value != kDeterministicUnset ? value : deterministicFromEnv();
}

}  // namespace hcclcpu::framework
