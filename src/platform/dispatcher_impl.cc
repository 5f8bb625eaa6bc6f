// Dispatcher set-up, configuration, reports and copies (HcclMemcpyAsync, HcclD2DMemcpyAsync).
#include "platform/dispatcher_impl.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <string>

#include "common/clock.h"
#include "common/env.h"
#include "common/log.h"
#include "platform/rt_bridge.h"
#include "platform/secure_copy.h"
#include "platform/split_size.h"

namespace hcclcpu::platform {

namespace {

std::atomic<bool> g_forceProfiling{false};

// HCCL_DEBUG_CONFIG="ALG,TASK,RESOURCE" enables the per-task log lines at any log level;
// "^TASK" means every sub-module except TASK.
bool taskDebugConfigured() {
    auto value = env::string("HCCL_DEBUG_CONFIG");
    if (!value || value->empty()) return false;
    std::string list = *value;
    std::transform(list.begin(), list.end(), list.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    bool exclude = list[0] == '^';
    if (exclude) list.erase(0, 1);
    bool listed = false;
    size_t start = 0;
    while (start <= list.size()) {
        size_t comma = list.find(',', start);
        if (comma == std::string::npos) comma = list.size();
        if (list.compare(start, comma - start, "task") == 0) listed = true;
        start = comma + 1;
    }
    return exclude ? !listed : listed;
}

bool toRtKind(HcclRtMemcpyKind kind, rt::CopyKind *out) {
    auto value = static_cast<uint32_t>(kind);
    if (value > static_cast<uint32_t>(HcclRtMemcpyKind::HCCL_RT_MEMCPY_KIND_DEVICE_TO_DEVICE))
        return false;
    *out = static_cast<rt::CopyKind>(value);
    return true;
}

}  // namespace

void setForceProfiling(bool on) {
    g_forceProfiling.store(on, std::memory_order_relaxed);
}

u64 profilingBeginTime() {
    if (!g_forceProfiling.load(std::memory_order_relaxed)) return 0;
    return static_cast<u64>(nowNs());
}

Dispatcher::~Dispatcher() {
    if (resetDeviceOnDestroy_) {
        rt::Err err = rt::resetDevice(deviceLogicId_);
        if (err != rt::Err::kOk)
            HCPU_WARN("dispatcher: reset of device {} failed: {}", deviceLogicId_,
                      rt::errName(err));
    }
}

HcclResult Dispatcher::init() {
    if (deviceLogicId_ == HOST_DEVICE_ID) return HCCL_SUCCESS;
    int32_t current = -1;
    if (rt::currentDevice(&current) != rt::Err::kOk) {
        rt::Err err = rt::setDevice(deviceLogicId_);
        if (err != rt::Err::kOk)
            return runtimeFailure(err, fmt::format("set device {}", deviceLogicId_));
        resetDeviceOnDestroy_ = true;
    }
    // HCCL_EXEC_TIMEOUT: seconds, [0, 2147483647], 0 = never. Set -> CONFIGURABLE mode.
    constexpr int64_t kUnset = -1;
    int64_t execTimeOut = env::integer("HCCL_EXEC_TIMEOUT", kUnset, 0, NOTIFY_MAX_WAIT_TIME_910_93);
    if (execTimeOut != kUnset || execTimeOutByConfig_) {
        if (execTimeOut != kUnset) execTimeOut_.store(static_cast<s32>(execTimeOut));
        waitMode_.store(SyncMode::CONFIGURABLE_TIMEWAITSYNCMODE);
    }
    taskLog_ = taskDebugConfigured();
    notifyMaxWaitTime_ = NOTIFY_MAX_WAIT_TIME_910_93;
    return HCCL_SUCCESS;
}

s64 Dispatcher::waitTimeSeconds(u32 timeOut) const {
    if (timeOut > 0 && static_cast<s64>(timeOut) <= notifyMaxWaitTime_) return timeOut;
    switch (notifyWaitMode()) {
        case SyncMode::CONFIGURABLE_TIMEWAITSYNCMODE:
            return execTimeOut();
        case SyncMode::UNLIMITED_TIMEWAITSYNCMODE:
            return notifyMaxWaitTime_;
        default:
            return NOTIFY_DEFAULT_WAIT_TIME;
    }
}

u64 Dispatcher::waitTimeoutNs(u32 timeOut) const {
    s64 seconds = waitTimeSeconds(timeOut);
    // Only a configured exec timeout can be 0 here; the vendor documents it as "never".
    if (seconds <= 0) return rt::kNoTimeout;
    return secondsToNs(seconds);
}

void Dispatcher::report(hccl::TaskPara &para, const hccl::Stream &stream, u64 beginTime) const {
    para.stream = stream.ptr();
    para.isMainStream = stream.IsMainStream();
    para.beginTime = beginTime;
    callback_(userPtr_, &para, static_cast<u32>(sizeof(para)));
}

bool Dispatcher::taskLogEnabled() const {
    return taskLog_ || log::enabled(log::Level::kInfo);
}

// A null stream: a synchronous memcpy_s, kind ignored, nothing reported.
HcclResult Dispatcher::hostMemcpy(void *dst, u64 destMax, const void *src, u64 count) const {
    int ret = secureMemcpy(dst, destMax, src, count);
    if (ret != kSecEok) {
        HCPU_ERROR(
            "memcpy on a null stream failed: memcpy_s(dst {}, destMax {}, src {}, count {}) "
            "returned {}, return HCCL_E_INTERNAL",
            dst, destMax, src, count, ret);
        return HCCL_E_INTERNAL;
    }
    return HCCL_SUCCESS;
}

HcclResult Dispatcher::memcpyAsync(void *dst, u64 destMax, const void *src, u64 count,
                                   HcclRtMemcpyKind kind, hccl::Stream &stream, u32 remoteUserRank,
                                   hccl::LinkType linkType) const {
    const u64 beginTime = profilingBeginTime();
    rt::Stream *rtStreamPtr = rtStream(stream);
    if (rtStreamPtr == nullptr) return hostMemcpy(dst, destMax, src, count);
    if (count == 0) {
        HCPU_DEBUG("count is 0, return success.");
        return HCCL_SUCCESS;
    }
    if (src == dst) {
        HCPU_DEBUG("src == dst, return success.");
        return HCCL_SUCCESS;
    }
    if (destMax < count) {
        HCPU_ERROR("the size of destMax is smaller than that of count. destMax[{}], count[{}]",
                   destMax, count);
        return HCCL_E_PARA;
    }
    rt::CopyKind rtKind;
    if (!toRtKind(kind, &rtKind)) {
        HCPU_ERROR("memcpy kind[{}] is not supported, return HCCL_E_PARA", static_cast<int>(kind));
        return HCCL_E_PARA;
    }
    const u64 splitSize = sdmaSplitSize();
    if (count > splitSize)
        HCPU_INFO("memcpy count[{}] is bigger than 4GB and do segmentation splitloop[{}]", count,
                  (count - 1) / splitSize);
    auto *dstBytes = static_cast<uint8_t *>(dst);
    auto *srcBytes = static_cast<const uint8_t *>(src);
    for (u64 offset = 0; offset < count; offset += splitSize) {
        const u64 length = std::min(splitSize, count - offset);
        rt::Err err = rt::enqueueCopy(rtStreamPtr, dstBytes + offset, destMax, srcBytes + offset,
                                      length, rtKind);
        if (err != rt::Err::kOk) {
            return runtimeFailure(
                err, fmt::format("memcpy async(dst {}, destMax {}, src {}, count {}, kind {})",
                                 static_cast<void *>(dstBytes + offset), destMax,
                                 static_cast<const void *>(srcBytes + offset), length,
                                 static_cast<int>(kind)));
        }
        if (callback_ != nullptr) {
            hccl::TaskPara para(hccl::TaskType::TASK_SDMA,
                                hccl::TaskParaDMA(srcBytes + offset, dstBytes + offset, length,
                                                  linkType, remoteUserRank));
            report(para, stream, beginTime);
        }
        if (taskLogEnabled()) {
            log::write(log::Level::kInfo,
                       fmt::format("MemcpyAsync para: dst[{}] destMax[{}] src[{}] count[{}] "
                                   "rtMemcpyKind[{}] streamID[{}] remoteUserRank[{}] "
                                   "inLinkType[{}]",
                                   static_cast<void *>(dstBytes + offset), destMax,
                                   static_cast<const void *>(srcBytes + offset), length,
                                   static_cast<int>(kind), rt::streamId(rtStreamPtr),
                                   remoteUserRank, static_cast<int>(linkType)));
        }
    }
    return HCCL_SUCCESS;
}

HcclResult Dispatcher::checkCopySizes(const hccl::DeviceMem &dst, const hccl::DeviceMem &src) {
    if (dst.size() < src.size()) {
        HCPU_ERROR(
            "the size of dst is smaller than that of src. dst addr[{}], dst size[{}], "
            "src addr[{}], src size[{}]",
            dst.ptr(), dst.size(), src.ptr(), src.size());
        return HCCL_E_PTR;
    }
    return HCCL_SUCCESS;
}

HcclResult Dispatcher::memcpyAsync(hccl::DeviceMem &dst, const hccl::DeviceMem &src,
                                   hccl::Stream &stream, u32 remoteUserRank,
                                   hccl::LinkType linkType) const {
    HcclResult ret = checkCopySizes(dst, src);
    if (ret != HCCL_SUCCESS) return ret;
    return memcpyAsync(dst.ptr(), dst.size(), src.ptr(), src.size(),
                       HcclRtMemcpyKind::HCCL_RT_MEMCPY_KIND_DEVICE_TO_DEVICE, stream,
                       remoteUserRank, linkType);
}

}  // namespace hcclcpu::platform
