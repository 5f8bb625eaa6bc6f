// The defaults of TransportBase (see transport_base.h).
#include "platform/transport_base.h"

#include "common/log.h"

namespace hccl {

HcclResult TransportBase::TxAck(Stream &) {
    return HCCL_SUCCESS;
}
HcclResult TransportBase::RxAck(Stream &) {
    return HCCL_SUCCESS;
}
HcclResult TransportBase::TxDataSignal(Stream &) {
    return HCCL_SUCCESS;
}
HcclResult TransportBase::RxDataSignal(Stream &) {
    return HCCL_SUCCESS;
}
HcclResult TransportBase::DataReceivedAck(Stream &) {
    return HCCL_SUCCESS;
}

HcclResult TransportBase::TxAsync(UserMemType, u64, const void *, u64, Stream &) {
    return HCCL_SUCCESS;
}
HcclResult TransportBase::TxAsync(const std::vector<TxMemoryInfo> &, Stream &) {
    return HCCL_SUCCESS;
}
HcclResult TransportBase::RxAsync(UserMemType, u64, void *, u64, Stream &) {
    return HCCL_SUCCESS;
}
HcclResult TransportBase::RxAsync(const std::vector<RxMemoryInfo> &, Stream &) {
    return HCCL_SUCCESS;
}
HcclResult TransportBase::TxWaitDone(Stream &) {
    return HCCL_SUCCESS;
}
HcclResult TransportBase::RxWaitDone(Stream &) {
    return HCCL_SUCCESS;
}

HcclResult TransportBase::TxPrepare(Stream &) {
    return HCCL_SUCCESS;
}
HcclResult TransportBase::RxPrepare(Stream &) {
    return HCCL_SUCCESS;
}
HcclResult TransportBase::TxData(UserMemType, u64, const void *, u64, Stream &) {
    return HCCL_SUCCESS;
}
HcclResult TransportBase::RxData(UserMemType, u64, void *, u64, Stream &) {
    return HCCL_SUCCESS;
}
HcclResult TransportBase::TxDone(Stream &) {
    return HCCL_SUCCESS;
}
HcclResult TransportBase::RxDone(Stream &) {
    return HCCL_SUCCESS;
}

HcclResult TransportBase::TxWithReduce(UserMemType, u64, const void *, u64, HcclDataType,
                                       HcclReduceOp, Stream &) {
    return HCCL_SUCCESS;
}
HcclResult TransportBase::TxWithReduce(const std::vector<TxMemoryInfo> &, HcclDataType,
                                       HcclReduceOp, Stream &) {
    return HCCL_SUCCESS;
}
HcclResult TransportBase::RxWithReduce(UserMemType, u64, void *, u64, void *, void *, u64,
                                       HcclDataType, HcclReduceOp, Stream &, u64) {
    return HCCL_SUCCESS;
}
HcclResult TransportBase::RxWithReduce(const std::vector<RxWithReduceMemoryInfo> &, HcclDataType,
                                       HcclReduceOp, Stream &, u64) {
    return HCCL_SUCCESS;
}

HcclResult TransportBase::GetRemoteMem(UserMemType memType, void **) {
    HCPU_ERROR("transport base: GetRemoteMem(mem type {}) is not implemented, return HCCL_E_PARA",
               static_cast<int>(memType));
    return HCCL_E_PARA;
}
HcclResult TransportBase::GetRemoteMem(std::vector<void *> *) {
    HCPU_ERROR("transport base: GetRemoteMem(list) is not implemented, return HCCL_E_PARA");
    return HCCL_E_PARA;
}
HcclResult TransportBase::GetRemoteMemSize(UserMemType memType, u64 &) {
    HCPU_ERROR(
        "transport base: GetRemoteMemSize(mem type {}) is not implemented, return HCCL_E_PARA",
        static_cast<int>(memType));
    return HCCL_E_PARA;
}

HcclResult TransportBase::Post(u32 notifyIdx, Stream &) {
    HCPU_ERROR("transport base: Post({}) is not supported, return HCCL_E_NOT_SUPPORT", notifyIdx);
    return HCCL_E_NOT_SUPPORT;
}
HcclResult TransportBase::Wait(u32 notifyIdx, Stream &, u32) {
    HCPU_ERROR("transport base: Wait({}) is not supported, return HCCL_E_NOT_SUPPORT", notifyIdx);
    return HCCL_E_NOT_SUPPORT;
}

HcclResult TransportBase::PostReady(Stream &) {
    return HCCL_SUCCESS;
}
HcclResult TransportBase::WaitReady(Stream &) {
    return HCCL_SUCCESS;
}
HcclResult TransportBase::PostFin(Stream &) {
    return HCCL_SUCCESS;
}
HcclResult TransportBase::WaitFin(Stream &) {
    return HCCL_SUCCESS;
}
HcclResult TransportBase::PostFinAck(Stream &) {
    return HCCL_SUCCESS;
}
HcclResult TransportBase::WaitFinAck(Stream &) {
    return HCCL_SUCCESS;
}

HcclResult TransportBase::TxEnv(const void *, u64, Stream &) {
    return HCCL_SUCCESS;
}
HcclResult TransportBase::RxEnv(Stream &) {
    return HCCL_SUCCESS;
}

}  // namespace hccl
