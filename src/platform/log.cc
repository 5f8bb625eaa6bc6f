// The sink behind the printf-style HCCL_* macros of the public log.h.
#include "log.h"

#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <string>

#include "common/log.h"

namespace {

const char *baseName(const char *path) {
    const char *slash = std::strrchr(path, '/');
    return slash == nullptr ? path : slash + 1;
}

hcclcpu::log::Level toLevel(int level) {
    if (level <= HCCL_LOG_LEVEL_DEBUG) return hcclcpu::log::Level::kDebug;
    if (level >= HCCL_LOG_LEVEL_ERROR) return hcclcpu::log::Level::kError;
    return static_cast<hcclcpu::log::Level>(level);
}

}  // namespace

extern "C" int HcclCpuLogEnabled(int level) {
    return hcclcpu::log::enabled(toLevel(level)) ? 1 : 0;
}

extern "C" void HcclCpuLogPrintf(int level, const char *file, int line, const char *format, ...) {
    if (format == nullptr) return;
    char stackBuffer[512];
    va_list args;
    va_start(args, format);
    va_list argsCopy;
    va_copy(argsCopy, args);
    int length = std::vsnprintf(stackBuffer, sizeof(stackBuffer), format, args);
    va_end(args);
    std::string message = std::string("[") + baseName(file == nullptr ? "?" : file) + ":" +
                          std::to_string(line) + "] ";
    if (length < 0) {
        message += "(bad log format)";
    } else if (static_cast<size_t>(length) < sizeof(stackBuffer)) {
        message += stackBuffer;
    } else {
        std::string text(static_cast<size_t>(length) + 1, '\0');
        std::vsnprintf(text.data(), text.size(), format, argsCopy);
        text.resize(static_cast<size_t>(length));
        message += text;
    }
    va_end(argsCopy);
    hcclcpu::log::write(toLevel(level), message);
}
