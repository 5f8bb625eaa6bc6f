// The logging and checking macros HCCL platform and algorithm code is written with (vendor
// log.h): printf-style HCCL_ERROR/HCCL_WARNING/HCCL_INFO/HCCL_DEBUG, and the CHK_* macros that
// decide which error code a failed check returns.
//
// Levels follow ASCEND_GLOBAL_LOG_LEVEL: 0 debug, 1 info, 2 warning, 3 error (default), 4 off.
// Arguments are only formatted when the level is enabled.
#ifndef HCCL_PLATFORM_LOG_H
#define HCCL_PLATFORM_LOG_H

#include "base.h"

#ifdef __cplusplus
extern "C" {
#endif

#define HCCL_LOG_LEVEL_DEBUG 0
#define HCCL_LOG_LEVEL_INFO 1
#define HCCL_LOG_LEVEL_WARNING 2
#define HCCL_LOG_LEVEL_ERROR 3

// Non-zero when messages of `level` are written.
int HcclCpuLogEnabled(int level);
// Writes one line "[file:line] message" at `level`, whatever the configured level.
void HcclCpuLogPrintf(int level, const char *file, int line, const char *format, ...)
    __attribute__((format(printf, 4, 5)));

#ifdef __cplusplus
}
#endif

#ifndef EOK
#define EOK 0
#endif
#ifndef LIKELY
#define LIKELY(x) (__builtin_expect(!!(x), 1))
#endif
#ifndef UNLIKELY
#define UNLIKELY(x) (__builtin_expect(!!(x), 0))
#endif

#define HCCL_LOG_PRINT(level, format, ...)                                      \
    do {                                                                        \
        if (HcclCpuLogEnabled(level))                                           \
            HcclCpuLogPrintf(level, __FILE__, __LINE__, format, ##__VA_ARGS__); \
    } while (0)

#define HCCL_DEBUG(format, ...) HCCL_LOG_PRINT(HCCL_LOG_LEVEL_DEBUG, format, ##__VA_ARGS__)
#define HCCL_INFO(format, ...) HCCL_LOG_PRINT(HCCL_LOG_LEVEL_INFO, format, ##__VA_ARGS__)
#define HCCL_WARNING(format, ...) HCCL_LOG_PRINT(HCCL_LOG_LEVEL_WARNING, format, ##__VA_ARGS__)
#define HCCL_ERROR(format, ...) HCCL_LOG_PRINT(HCCL_LOG_LEVEL_ERROR, format, ##__VA_ARGS__)
#define HCCL_RUN_INFO(format, ...) HCCL_INFO(format, ##__VA_ARGS__)
#define HCCL_RUN_WARNING(format, ...) HCCL_WARNING(format, ##__VA_ARGS__)

// Propagates a failed HcclResult; HCCL_E_AGAIN is expected back-pressure and logs a warning only.
#define CHK_RET(call)                                                                   \
    do {                                                                                \
        HcclResult hcclRet_ = (call);                                                   \
        if (UNLIKELY(hcclRet_ != HCCL_SUCCESS)) {                                       \
            if (hcclRet_ == HCCL_E_AGAIN) {                                             \
                HCCL_WARNING("[%s]call trace: hcclRet -> %d", __func__, (int)hcclRet_); \
            } else {                                                                    \
                HCCL_ERROR("[%s]call trace: hcclRet -> %d", __func__, (int)hcclRet_);   \
            }                                                                           \
            return hcclRet_;                                                            \
        }                                                                               \
    } while (0)

#define CHK_PTR_NULL(ptr)                                                             \
    do {                                                                              \
        if (UNLIKELY((ptr) == nullptr)) {                                             \
            HCCL_ERROR("[%s]ptr [%s] is nullptr, return HCCL_E_PTR", __func__, #ptr); \
            return HCCL_E_PTR;                                                        \
        }                                                                             \
    } while (0)

#define CHK_SMART_PTR_NULL(ptr)                                                       \
    do {                                                                              \
        if (UNLIKELY((ptr) == nullptr)) {                                             \
            HCCL_ERROR("[%s]ptr [%s] is nullptr, return HCCL_E_PTR", __func__, #ptr); \
            return HCCL_E_PTR;                                                        \
        }                                                                             \
    } while (0)

#define CHK_PRT_RET(result, exeLog, retCode) \
    do {                                     \
        if (UNLIKELY(result)) {              \
            exeLog;                          \
            return retCode;                  \
        }                                    \
    } while (0)

// Wraps a securec-style call (memcpy_s, ...): any result other than EOK is HCCL_E_INTERNAL.
#define CHK_SAFETY_FUNC_RET(call)                                              \
    do {                                                                       \
        int safeRet_ = (int)(call);                                            \
        if (UNLIKELY(safeRet_ != EOK)) {                                       \
            HCCL_ERROR("[%s]call safe func err, ret[%d]", __func__, safeRet_); \
            return HCCL_E_INTERNAL;                                            \
        }                                                                      \
    } while (0)

#endif  // HCCL_PLATFORM_LOG_H
