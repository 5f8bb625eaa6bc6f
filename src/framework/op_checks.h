// Argument rules of the operation entry points (spec public_api §3.3). Each check logs the API
// name and the offending values and returns the documented code.
#pragma once

#include <cstdint>

#include "hccl/hccl_types.h"

namespace hcclcpu::framework {

// SYS_MAX_COUNT: larger element counts are HCCL_E_PARA.
constexpr uint64_t kMaxCount = 0x7FFFFFFFFULL;

// Bytes per element; 0 for a value that is not a data type.
uint32_t dataTypeSize(HcclDataType type);
const char *dataTypeName(HcclDataType type);
const char *reduceOpName(HcclReduceOp op);

// count <= kMaxCount, else HCCL_E_PARA.
HcclResult checkCount(const char *api, const char *name, uint64_t count);
// A reduction's type and operation: int8, int16, int32, int64, fp16, fp32, bf16, uint64, fp64
// with sum/max/min; prod only for int8, int32, int64, uint64, fp16, fp32, fp64. Else
// HCCL_E_NOT_SUPPORT.
HcclResult checkReduction(const char *api, HcclDataType type, HcclReduceOp op);
// A data-moving operation's type: the 12 classic types (int8 .. bf16). Else HCCL_E_NOT_SUPPORT.
HcclResult checkMoveType(const char *api, const char *name, HcclDataType type);
// rank < size, else HCCL_E_PARA.
HcclResult checkRank(const char *api, const char *name, uint32_t rank, uint32_t size);
// A reduction buffer must be aligned to its element size, else HCCL_E_PARA.
HcclResult checkAligned(const char *api, const char *name, const void *buffer, HcclDataType type);
// recvBuf must differ from sendBuf (AllGatherV, ReduceScatterV, AlltoAll[V][C]), else
// HCCL_E_PARA.
HcclResult checkNotInPlace(const char *api, const void *send, const void *recv);

}  // namespace hcclcpu::framework
