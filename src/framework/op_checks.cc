#include "framework/op_checks.h"

#include "common/log.h"

namespace hcclcpu::framework {

uint32_t dataTypeSize(HcclDataType type) {
    switch (type) {
        case HCCL_DATA_TYPE_INT8:
        case HCCL_DATA_TYPE_UINT8:
            return 1;
        case HCCL_DATA_TYPE_INT16:
        case HCCL_DATA_TYPE_UINT16:
        case HCCL_DATA_TYPE_FP16:
        case HCCL_DATA_TYPE_BFP16:
            return 2;
        case HCCL_DATA_TYPE_INT32:
        case HCCL_DATA_TYPE_UINT32:
        case HCCL_DATA_TYPE_FP32:
            return 4;
        case HCCL_DATA_TYPE_INT64:
        case HCCL_DATA_TYPE_UINT64:
        case HCCL_DATA_TYPE_FP64:
            return 8;
        case HCCL_DATA_TYPE_INT128:
            return 16;
        default:
            return 0;
    }
}

const char *dataTypeName(HcclDataType type) {
    switch (type) {
        case HCCL_DATA_TYPE_INT8:
            return "int8";
        case HCCL_DATA_TYPE_INT16:
            return "int16";
        case HCCL_DATA_TYPE_INT32:
            return "int32";
        case HCCL_DATA_TYPE_FP16:
            return "fp16";
        case HCCL_DATA_TYPE_FP32:
            return "fp32";
        case HCCL_DATA_TYPE_INT64:
            return "int64";
        case HCCL_DATA_TYPE_UINT64:
            return "uint64";
        case HCCL_DATA_TYPE_UINT8:
            return "uint8";
        case HCCL_DATA_TYPE_UINT16:
            return "uint16";
        case HCCL_DATA_TYPE_UINT32:
            return "uint32";
        case HCCL_DATA_TYPE_FP64:
            return "fp64";
        case HCCL_DATA_TYPE_BFP16:
            return "bfp16";
        case HCCL_DATA_TYPE_INT128:
            return "int128";
        default:
            return "unknown";
    }
}

const char *reduceOpName(HcclReduceOp op) {
    switch (op) {
        case HCCL_REDUCE_SUM:
            return "sum";
        case HCCL_REDUCE_PROD:
            return "prod";
        case HCCL_REDUCE_MAX:
            return "max";
        case HCCL_REDUCE_MIN:
            return "min";
        default:
            return "unknown";
    }
}

HcclResult checkCount(const char *api, const char *name, uint64_t count) {
    if (count <= kMaxCount) return HCCL_SUCCESS;
    HCPU_ERROR("{}: {} {} exceeds the maximum {:#x}", api, name, count, kMaxCount);
    return HCCL_E_PARA;
}

HcclResult checkReduction(const char *api, HcclDataType type, HcclReduceOp op) {
    bool reducible = false, prod = false;
    switch (type) {
        case HCCL_DATA_TYPE_INT8:
        case HCCL_DATA_TYPE_INT32:
        case HCCL_DATA_TYPE_INT64:
        case HCCL_DATA_TYPE_UINT64:
        case HCCL_DATA_TYPE_FP16:
        case HCCL_DATA_TYPE_FP32:
        case HCCL_DATA_TYPE_FP64:
            reducible = prod = true;
            break;
        case HCCL_DATA_TYPE_INT16:
        case HCCL_DATA_TYPE_BFP16:
            reducible = true;
            break;
        default:
            break;
    }
    if (!reducible) {
        HCPU_ERROR(
            "{}: data type {} ({}) cannot be reduced (int8, int16, int32, int64, fp16, "
            "fp32, bfp16, uint64, fp64 can)",
            api, static_cast<int>(type), dataTypeName(type));
        return HCCL_E_NOT_SUPPORT;
    }
    switch (op) {
        case HCCL_REDUCE_SUM:
        case HCCL_REDUCE_MAX:
        case HCCL_REDUCE_MIN:
            return HCCL_SUCCESS;
        case HCCL_REDUCE_PROD:
            if (prod) return HCCL_SUCCESS;
            HCPU_ERROR(
                "{}: reduce op prod is not supported for data type {} (only int8, int32, "
                "int64, uint64, fp16, fp32, fp64)",
                api, dataTypeName(type));
            return HCCL_E_NOT_SUPPORT;
        default:
            HCPU_ERROR("{}: reduce op {} is not supported (sum, prod, max, min)", api,
                       static_cast<int>(op));
            return HCCL_E_NOT_SUPPORT;
    }
}

HcclResult checkMoveType(const char *api, const char *name, HcclDataType type) {
    if (static_cast<int>(type) >= HCCL_DATA_TYPE_INT8 &&
        static_cast<int>(type) <= HCCL_DATA_TYPE_BFP16)
        return HCCL_SUCCESS;
    HCPU_ERROR(
        "{}: {} {} ({}) is not supported (int8, int16, int32, fp16, fp32, int64, uint64, "
        "uint8, uint16, uint32, fp64, bfp16)",
        api, name, static_cast<int>(type), dataTypeName(type));
    return HCCL_E_NOT_SUPPORT;
}

HcclResult checkRank(const char *api, const char *name, uint32_t rank, uint32_t size) {
    if (rank < size) return HCCL_SUCCESS;
    HCPU_ERROR("{}: {} {} is not a rank of the communicator (rank size {})", api, name, rank, size);
    return HCCL_E_PARA;
}

HcclResult checkAligned(const char *api, const char *name, const void *buffer, HcclDataType type) {
    uint32_t size = dataTypeSize(type);
    if (buffer == nullptr || size == 0 || reinterpret_cast<uintptr_t>(buffer) % size == 0)
        return HCCL_SUCCESS;
    HCPU_ERROR("{}: {} {} is not aligned to the {}-byte elements of {}", api, name, buffer, size,
               dataTypeName(type));
    return HCCL_E_PARA;
}

HcclResult checkNotInPlace(const char *api, const void *send, const void *recv) {
    if (send == nullptr || send != recv) return HCCL_SUCCESS;
    HCPU_ERROR("{}: recvBuf and sendBuf are the same buffer {} (not supported in place)", api,
               send);
    return HCCL_E_PARA;
}

}  // namespace hcclcpu::framework
