// Profiling. hccl-cpu collects no profiling data; these functions check their arguments and
// succeed so that programs which turn profiling on still run. The real product ships them in
// libmsprofiler.so; here they live in libascendcl.so (libmsprofiler.so is an alias of it).
#include <mutex>
#include <unordered_set>
#include <vector>

#include "acl/acl_prof.h"
#include "acl/acl_rt.h"
#include "acl/error.h"
#include "common/log.h"
#include "runtime/runtime.h"

struct aclprofConfig {
    std::vector<uint32_t> devices;
    aclprofAicoreMetrics metrics = ACL_AICORE_NONE;
    uint64_t dataTypes = 0;
};

namespace {

constexpr size_t kMaxResultPathBytes = 4096;

std::mutex g_mutex;
std::unordered_set<const aclprofConfig *> g_configs;  // live configs, to reject stale pointers

bool isLiveConfig(const aclprofConfig *config) {
    std::lock_guard lock(g_mutex);
    return g_configs.count(config) != 0;
}

}  // namespace

using hcclcpu::acl::reject;

extern "C" {

aclError aclprofInit(const char *profilerResultPath, size_t length) {
    if (profilerResultPath == nullptr || length == 0)
        return reject(ACL_ERROR_INVALID_PARAM, "aclprofInit: empty result path");
    if (length > kMaxResultPathBytes)
        return reject(ACL_ERROR_INVALID_PARAM, "aclprofInit: result path length {} exceeds {}",
                      length, kMaxResultPathBytes);
    HCPU_INFO("aclprofInit: profiling data is not collected by hccl-cpu");
    return ACL_SUCCESS;
}

aclError aclprofFinalize(void) {
    return ACL_SUCCESS;
}

aclError aclprofStart(const aclprofConfig *profilerConfig) {
    if (!isLiveConfig(profilerConfig))
        return reject(ACL_ERROR_INVALID_PARAM, "aclprofStart: {} is not a profiling config",
                      static_cast<const void *>(profilerConfig));
    return ACL_SUCCESS;
}

aclError aclprofStop(const aclprofConfig *profilerConfig) {
    if (!isLiveConfig(profilerConfig))
        return reject(ACL_ERROR_INVALID_PARAM, "aclprofStop: {} is not a profiling config",
                      static_cast<const void *>(profilerConfig));
    return ACL_SUCCESS;
}

aclprofConfig *aclprofCreateConfig(uint32_t *deviceIdList, uint32_t deviceNums,
                                   aclprofAicoreMetrics aicoreMetrics,
                                   const aclprofAicoreEvents *aicoreEvents,
                                   uint64_t dataTypeConfig) {
    if (deviceNums > 0 && deviceIdList == nullptr) {
        reject(ACL_ERROR_INVALID_PARAM, "aclprofCreateConfig: null deviceIdList for {} devices",
               deviceNums);
        return nullptr;
    }
    uint32_t count = hcclcpu::rt::deviceCount();
    for (uint32_t i = 0; i < deviceNums; ++i) {
        if (deviceIdList[i] >= count) {
            reject(ACL_ERROR_INVALID_PARAM, "aclprofCreateConfig: device {} out of range [0, {})",
                   deviceIdList[i], count);
            return nullptr;
        }
    }
    auto *config = new aclprofConfig;
    if (deviceNums > 0) config->devices.assign(deviceIdList, deviceIdList + deviceNums);
    config->metrics = aicoreMetrics;
    config->dataTypes = dataTypeConfig;
    std::lock_guard lock(g_mutex);
    g_configs.insert(config);
    return config;
}

aclError aclprofDestroyConfig(const aclprofConfig *profilerConfig) {
    {
        std::lock_guard lock(g_mutex);
        if (g_configs.erase(profilerConfig) == 0)
            return reject(ACL_ERROR_INVALID_PARAM,
                          "aclprofDestroyConfig: {} is not a profiling config",
                          static_cast<const void *>(profilerConfig));
    }
    delete profilerConfig;
    return ACL_SUCCESS;
}

}  // extern "C"
