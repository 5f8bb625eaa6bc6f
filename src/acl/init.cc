// Library lifetime, versions, last-error queries, run mode, logging.
//
// aclInit/aclFinalize only track the library state: the emulated devices need no start-up, and
// every aclrt* function works without aclInit (hccl_test even queries the device count first).
#include <cstdarg>
#include <cstdio>
#include <mutex>

#include "acl/acl.h"
#include "acl/error.h"
#include "common/log.h"

namespace {

enum class LibraryState { kNeverInitialized, kInitialized, kFinalized };

std::mutex g_stateMutex;
LibraryState g_state = LibraryState::kNeverInitialized;

bool fileReadable(const char *path) {
    std::FILE *file = std::fopen(path, "r");
    if (file == nullptr) return false;
    std::fclose(file);
    return true;
}

}  // namespace

using hcclcpu::acl::reject;

extern "C" {

aclError aclInit(const char *configPath) {
    std::lock_guard lock(g_stateMutex);
    if (g_state == LibraryState::kInitialized)
        return reject(ACL_ERROR_REPEAT_INITIALIZE, "aclInit: acl is already initialized");
    // The config file configures dump and profiling, which hccl-cpu does not do: it must exist,
    // its content is not used.
    if (configPath != nullptr && configPath[0] != '\0') {
        if (!fileReadable(configPath))
            return reject(ACL_ERROR_INVALID_FILE, "aclInit: cannot read config file {}",
                          configPath);
        HCPU_INFO("aclInit: config file {} accepted, its settings are not used", configPath);
    }
    g_state = LibraryState::kInitialized;
    return ACL_SUCCESS;
}

aclError aclFinalize(void) {
    std::lock_guard lock(g_stateMutex);
    switch (g_state) {
        case LibraryState::kNeverInitialized:
            // Documented: a call before any aclInit does not de-initialise anything.
            return ACL_SUCCESS;
        case LibraryState::kFinalized:
            return reject(ACL_ERROR_REPEAT_FINALIZE, "aclFinalize: acl is already finalized");
        case LibraryState::kInitialized:
            g_state = LibraryState::kFinalized;
            return ACL_SUCCESS;
    }
    return ACL_SUCCESS;
}

aclError aclrtGetVersion(int32_t *majorVersion, int32_t *minorVersion, int32_t *patchVersion) {
    if (majorVersion == nullptr || minorVersion == nullptr || patchVersion == nullptr)
        return reject(ACL_ERROR_INVALID_PARAM, "aclrtGetVersion: null output pointer");
    *majorVersion = ACL_MAJOR_VERSION;
    *minorVersion = ACL_MINOR_VERSION;
    *patchVersion = ACL_PATCH_VERSION;
    return ACL_SUCCESS;
}

const char *aclGetRecentErrMsg(void) {
    return hcclcpu::acl::takeRecentMessage();
}

aclError aclrtGetLastError(aclrtLastErrLevel level) {
    if (level != ACL_RT_THREAD_LEVEL)
        return reject(ACL_ERROR_INVALID_PARAM, "aclrtGetLastError: unknown level {}",
                      static_cast<int>(level));
    return hcclcpu::acl::lastError(/*clear=*/true);
}

aclError aclrtPeekAtLastError(aclrtLastErrLevel level) {
    if (level != ACL_RT_THREAD_LEVEL)
        return reject(ACL_ERROR_INVALID_PARAM, "aclrtPeekAtLastError: unknown level {}",
                      static_cast<int>(level));
    return hcclcpu::acl::lastError(/*clear=*/false);
}

aclError aclrtGetRunMode(aclrtRunMode *runMode) {
    if (runMode == nullptr) return reject(ACL_ERROR_INVALID_PARAM, "aclrtGetRunMode: null runMode");
    *runMode = ACL_HOST;  // the program runs on the host, devices are reached through the runtime
    return ACL_SUCCESS;
}

// hccl_test switches to INF/NaN overflow mode for names starting with "Ascend910B" that are longer
// than 10 characters; aclrtSetDeviceSatMode accepts that.
const char *aclrtGetSocName(void) {
    return "Ascend910B4";
}

void aclAppLog(aclLogLevel logLevel, const char *func, const char *file, uint32_t line,
               const char *fmt, ...) {
    using hcclcpu::log::Level;
    Level level = Level::kError;
    switch (logLevel) {
        case ACL_DEBUG:
            level = Level::kDebug;
            break;
        case ACL_INFO:
            level = Level::kInfo;
            break;
        case ACL_WARNING:
            level = Level::kWarning;
            break;
        case ACL_ERROR:
            level = Level::kError;
            break;
    }
    if (fmt == nullptr || !hcclcpu::log::enabled(level)) return;
    char text[1024];
    va_list args;
    va_start(args, fmt);
    std::vsnprintf(text, sizeof text, fmt, args);
    va_end(args);
    HCPU_LOG(level, "[{}:{}] {}: {}", file != nullptr ? file : "?", line,
             func != nullptr ? func : "?", text);
}

}  // extern "C"
