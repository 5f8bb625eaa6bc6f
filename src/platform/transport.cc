// The Transport front-end: checks that there is an implementation, then forwards to it.
#include "transport_pub.h"

#include "log.h"
#include "platform/transport_base.h"

namespace hccl {

// Every HcclResult method starts here: no implementation is HCCL_E_PTR, as in the vendor code.
#define TRANSPORT_FORWARD(call)     \
    do {                            \
        CHK_SMART_PTR_NULL(pimpl_); \
        return pimpl_->call;        \
    } while (0)

Transport::Transport(TransportBase *pimpl) : pimpl_(pimpl) {}
Transport::~Transport() = default;

HcclResult Transport::TxAck(Stream &stream) {
    TRANSPORT_FORWARD(TxAck(stream));
}
HcclResult Transport::RxAck(Stream &stream) {
    TRANSPORT_FORWARD(RxAck(stream));
}
HcclResult Transport::TxDataSignal(Stream &stream) {
    TRANSPORT_FORWARD(TxDataSignal(stream));
}
HcclResult Transport::RxDataSignal(Stream &stream) {
    TRANSPORT_FORWARD(RxDataSignal(stream));
}
HcclResult Transport::DataReceivedAck(Stream &stream) {
    TRANSPORT_FORWARD(DataReceivedAck(stream));
}

HcclResult Transport::TxAsync(UserMemType dstMemType, u64 dstOffset, const void *src, u64 len,
                              Stream &stream) {
    TRANSPORT_FORWARD(TxAsync(dstMemType, dstOffset, src, len, stream));
}
HcclResult Transport::TxAsync(const std::vector<TxMemoryInfo> &txMems, Stream &stream) {
    TRANSPORT_FORWARD(TxAsync(txMems, stream));
}
HcclResult Transport::RxAsync(UserMemType srcMemType, u64 srcOffset, void *dst, u64 len,
                              Stream &stream) {
    TRANSPORT_FORWARD(RxAsync(srcMemType, srcOffset, dst, len, stream));
}
HcclResult Transport::RxAsync(const std::vector<RxMemoryInfo> &rxMems, Stream &stream) {
    TRANSPORT_FORWARD(RxAsync(rxMems, stream));
}
HcclResult Transport::TxWaitDone(Stream &stream) {
    TRANSPORT_FORWARD(TxWaitDone(stream));
}
HcclResult Transport::RxWaitDone(Stream &stream) {
    TRANSPORT_FORWARD(RxWaitDone(stream));
}

HcclResult Transport::TxPrepare(Stream &stream) {
    TRANSPORT_FORWARD(TxPrepare(stream));
}
HcclResult Transport::RxPrepare(Stream &stream) {
    TRANSPORT_FORWARD(RxPrepare(stream));
}
HcclResult Transport::TxData(UserMemType dstMemType, u64 dstOffset, const void *src, u64 len,
                             Stream &stream) {
    TRANSPORT_FORWARD(TxData(dstMemType, dstOffset, src, len, stream));
}
HcclResult Transport::RxData(UserMemType srcMemType, u64 srcOffset, void *dst, u64 len,
                             Stream &stream) {
    TRANSPORT_FORWARD(RxData(srcMemType, srcOffset, dst, len, stream));
}
HcclResult Transport::TxDone(Stream &stream) {
    TRANSPORT_FORWARD(TxDone(stream));
}
HcclResult Transport::RxDone(Stream &stream) {
    TRANSPORT_FORWARD(RxDone(stream));
}

HcclResult Transport::TxWithReduce(UserMemType dstMemType, u64 dstOffset, const void *src, u64 len,
                                   const HcclDataType datatype, HcclReduceOp redOp,
                                   Stream &stream) {
    TRANSPORT_FORWARD(TxWithReduce(dstMemType, dstOffset, src, len, datatype, redOp, stream));
}
HcclResult Transport::TxWithReduce(const std::vector<TxMemoryInfo> &txWithReduceMems,
                                   const HcclDataType datatype, HcclReduceOp redOp,
                                   Stream &stream) {
    TRANSPORT_FORWARD(TxWithReduce(txWithReduceMems, datatype, redOp, stream));
}
HcclResult Transport::RxWithReduce(UserMemType recvSrcMemType, u64 recvSrcOffset, void *recvDst,
                                   u64 recvLen, void *reduceSrc, void *reduceDst,
                                   u64 reduceDataCount, HcclDataType reduceDatatype,
                                   HcclReduceOp reduceOp, Stream &stream, const u64 reduceAttr) {
    TRANSPORT_FORWARD(RxWithReduce(recvSrcMemType, recvSrcOffset, recvDst, recvLen, reduceSrc,
                                   reduceDst, reduceDataCount, reduceDatatype, reduceOp, stream,
                                   reduceAttr));
}
HcclResult Transport::RxWithReduce(const std::vector<RxWithReduceMemoryInfo> &rxWithReduceMems,
                                   HcclDataType reduceDatatype, HcclReduceOp reduceOp,
                                   Stream &stream, const u64 reduceAttr) {
    TRANSPORT_FORWARD(RxWithReduce(rxWithReduceMems, reduceDatatype, reduceOp, stream, reduceAttr));
}

HcclResult Transport::GetRemoteMem(UserMemType memType, void **remotePtr) {
    TRANSPORT_FORWARD(GetRemoteMem(memType, remotePtr));
}
HcclResult Transport::GetRemoteMem(std::vector<void *> *remotePtrVec) {
    TRANSPORT_FORWARD(GetRemoteMem(remotePtrVec));
}
HcclResult Transport::GetRemoteMemSize(UserMemType memType, u64 &size) {
    TRANSPORT_FORWARD(GetRemoteMemSize(memType, size));
}

HcclResult Transport::Post(u32 notifyIdx, Stream &stream) {
    TRANSPORT_FORWARD(Post(notifyIdx, stream));
}
HcclResult Transport::Wait(u32 notifyIdx, Stream &stream, const u32 timeOut) {
    TRANSPORT_FORWARD(Wait(notifyIdx, stream, timeOut));
}

HcclResult Transport::PostReady(Stream &stream) {
    TRANSPORT_FORWARD(PostReady(stream));
}
HcclResult Transport::WaitReady(Stream &stream) {
    TRANSPORT_FORWARD(WaitReady(stream));
}
HcclResult Transport::PostFin(Stream &stream) {
    TRANSPORT_FORWARD(PostFin(stream));
}
HcclResult Transport::WaitFin(Stream &stream) {
    TRANSPORT_FORWARD(WaitFin(stream));
}
HcclResult Transport::PostFinAck(Stream &stream) {
    TRANSPORT_FORWARD(PostFinAck(stream));
}
HcclResult Transport::WaitFinAck(Stream &stream) {
    TRANSPORT_FORWARD(WaitFinAck(stream));
}

HcclResult Transport::TxEnv(const void *ptr, const u64 len, Stream &stream) {
    TRANSPORT_FORWARD(TxEnv(ptr, len, stream));
}
HcclResult Transport::RxEnv(Stream &stream) {
    TRANSPORT_FORWARD(RxEnv(stream));
}

#undef TRANSPORT_FORWARD

// Getters have no error code: without an implementation they answer neutrally.
LinkType Transport::GetLinkType() const {
    return pimpl_ ? pimpl_->GetLinkType() : LinkType::LINK_RESERVED;
}
TransportType Transport::GetTransportType() const {
    return pimpl_ ? pimpl_->GetTransportType() : TransportType::TRANS_TYPE_RESERVED;
}
bool Transport::IsSpInlineReduce() const {
    return pimpl_ ? pimpl_->IsSpInlineReduce() : false;
}
u32 Transport::GetRemoteRank() const {
    return pimpl_ ? pimpl_->GetRemoteRank() : INVALID_VALUE_RANKID;
}
bool Transport::GetSupportDataReceivedAck() const {
    return pimpl_ ? pimpl_->GetSupportDataReceivedAck() : false;
}
void Transport::SetSupportDataReceivedAck(bool supportDataReceivedAck) {
    if (pimpl_) pimpl_->SetSupportDataReceivedAck(supportDataReceivedAck);
}
bool Transport::IsSupportTransportWithReduce() const {
    return pimpl_ ? pimpl_->IsSupportTransportWithReduce() : false;
}
bool Transport::IsTransportRoce() const {
    return pimpl_ ? pimpl_->IsTransportRoce() : false;
}

}  // namespace hccl
