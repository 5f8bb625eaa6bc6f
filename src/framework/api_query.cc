// Entry points that query or end communicators, and the process-wide ones: HcclCommDestroy,
// HcclGetRankSize/RankId/CommName, HcclGetCommAsyncError, HcclGetErrorString,
// HcclSetConfig/HcclGetConfig, HcclGetCommConfigCapability.
#include <cstring>

#include "common/log.h"
#include "framework/api_guard.h"
#include "framework/communicator.h"
#include "framework/config.h"
#include "hccl/hccl.h"

namespace fw = hcclcpu::framework;

namespace {

// The vendor's phrases (the comments of the HcclResult enumerators).
const char *errorPhrase(HcclResult code) {
    switch (code) {
        case HCCL_SUCCESS:
            return "no error";
        case HCCL_E_PARA:
            return "parameter error";
        case HCCL_E_PTR:
            return "empty pointer";
        case HCCL_E_MEMORY:
            return "memory error";
        case HCCL_E_INTERNAL:
            return "internal error";
        case HCCL_E_NOT_SUPPORT:
            return "not support feature";
        case HCCL_E_NOT_FOUND:
            return "not found specific resource";
        case HCCL_E_UNAVAIL:
            return "resource unavailable";
        case HCCL_E_SYSCALL:
            return "call system interface error";
        case HCCL_E_TIMEOUT:
            return "timeout";
        case HCCL_E_OPEN_FILE_FAILURE:
            return "open file fail";
        case HCCL_E_TCP_CONNECT:
            return "tcp connect fail";
        case HCCL_E_ROCE_CONNECT:
            return "roce connect fail";
        case HCCL_E_TCP_TRANSFER:
            return "tcp transfer fail";
        case HCCL_E_ROCE_TRANSFER:
            return "roce transfer fail";
        case HCCL_E_RUNTIME:
            return "call runtime api fail";
        case HCCL_E_DRV:
            return "call driver api fail";
        case HCCL_E_PROFILING:
            return "call profiling api fail";
        case HCCL_E_CCE:
            return "call cce api fail";
        case HCCL_E_NETWORK:
            return "call network api fail";
        case HCCL_E_AGAIN:
            return "try again";
        case HCCL_E_REMOTE:
            return "error cqe";
        case HCCL_E_SUSPENDING:
            return "error communicator suspending";
        case HCCL_E_OPRETRY_FAIL:
            return "retry constraint";
        case HCCL_E_OOM:
            return "out of memory";
        case HCCL_E_IN_STATUS:
            return "communicator status forbids the call";
        default:
            return "unknown error";
    }
}

// Looks the communicator up for a query; `out` is the output pointer to check.
template <typename Out>
HcclResult query(const char *api, HcclComm comm, Out *out, const char *outName,
                 fw::Communicator **found) {
    if (comm == nullptr) return fw::nullArgument(api, "comm");
    if (out == nullptr) return fw::nullArgument(api, outName);
    *found = fw::findCommunicator(comm, api);
    return *found != nullptr ? HCCL_SUCCESS : HCCL_E_PARA;
}

}  // namespace

extern "C" {

HcclResult HcclCommDestroy(HcclComm comm) {
    const char *api = __func__;
    return fw::guarded(api, [&] {
        if (comm == nullptr) return fw::nullArgument(api, "comm");
        return fw::destroyCommunicator(comm);
    });
}

HcclResult HcclGetRankSize(HcclComm comm, uint32_t *rankSize) {
    const char *api = __func__;
    return fw::guarded(api, [&] {
        fw::Communicator *c = nullptr;
        HcclResult r = query(api, comm, rankSize, "rankSize", &c);
        if (r == HCCL_SUCCESS) *rankSize = c->size();
        return r;
    });
}

HcclResult HcclGetRankId(HcclComm comm, uint32_t *rank) {
    const char *api = __func__;
    return fw::guarded(api, [&] {
        fw::Communicator *c = nullptr;
        HcclResult r = query(api, comm, rank, "rank", &c);
        if (r == HCCL_SUCCESS) *rank = c->rank();
        return r;
    });
}

HcclResult HcclGetCommName(HcclComm comm, char *commName) {
    const char *api = __func__;
    return fw::guarded(api, [&] {
        fw::Communicator *c = nullptr;
        HcclResult r = query(api, comm, commName, "commName", &c);
        if (r != HCCL_SUCCESS) return r;
        // Names are shorter than COMM_NAME_MAX_LENGTH (checked when configured or generated).
        size_t length = std::min<size_t>(c->name().size(), COMM_NAME_MAX_LENGTH - 1);
        std::memcpy(commName, c->name().data(), length);
        commName[length] = '\0';
        return HCCL_SUCCESS;
    });
}

HcclResult HcclGetCommAsyncError(HcclComm comm, HcclResult *asyncError) {
    const char *api = __func__;
    return fw::guarded(api, [&] {
        fw::Communicator *c = nullptr;
        HcclResult r = query(api, comm, asyncError, "asyncError", &c);
        if (r == HCCL_SUCCESS) *asyncError = c->asyncError();
        return r;
    });
}

const char *HcclGetErrorString(HcclResult code) {
    return errorPhrase(code);
}

HcclResult HcclSetConfig(HcclConfig config, union HcclConfigValue configValue) {
    const char *api = __func__;
    return fw::guarded(api, [&] {
        if (config != HCCL_DETERMINISTIC) {
            HCPU_ERROR("{}: config {} is not supported (only HCCL_DETERMINISTIC)", api,
                       static_cast<int>(config));
            return HCCL_E_NOT_SUPPORT;
        }
        return fw::setProcessDeterministic(configValue.value);
    });
}

HcclResult HcclGetConfig(HcclConfig config, union HcclConfigValue *configValue) {
    const char *api = __func__;
    return fw::guarded(api, [&] {
        if (configValue == nullptr) return fw::nullArgument(api, "configValue");
        if (config != HCCL_DETERMINISTIC) {
            HCPU_ERROR("{}: config {} is not supported (only HCCL_DETERMINISTIC)", api,
                       static_cast<int>(config));
            return HCCL_E_NOT_SUPPORT;
        }
        configValue->value = fw::processDeterministic();
        return HCCL_SUCCESS;
    });
}

uint32_t HcclGetCommConfigCapability(void) {
    return HCCL_COMM_CONFIG_RESERVED;
}

}  // extern "C"
