// hccl::TransportBase: the implementation behind a Transport (vendor transport_base.h), with the
// vendor's defaults: data and sync methods succeed doing nothing, GetRemoteMem is HCCL_E_PARA,
// user notifies are HCCL_E_NOT_SUPPORT. TransportP2p overrides what a P2P link does.
#pragma once

#include <vector>

#include "dispatcher_task_types.h"
#include "hccl_common.h"
#include "stream_pub.h"
#include "task_logic_info_pub.h"

namespace hccl {

class TransportBase {
  public:
    TransportBase() = default;
    virtual ~TransportBase() = default;
    TransportBase(const TransportBase &) = delete;
    TransportBase &operator=(const TransportBase &) = delete;

    virtual HcclResult TxAck(Stream &stream);
    virtual HcclResult RxAck(Stream &stream);
    virtual HcclResult TxDataSignal(Stream &stream);
    virtual HcclResult RxDataSignal(Stream &stream);
    virtual HcclResult DataReceivedAck(Stream &stream);

    virtual HcclResult TxAsync(UserMemType dstMemType, u64 dstOffset, const void *src, u64 len,
                               Stream &stream);
    virtual HcclResult TxAsync(const std::vector<TxMemoryInfo> &txMems, Stream &stream);
    virtual HcclResult RxAsync(UserMemType srcMemType, u64 srcOffset, void *dst, u64 len,
                               Stream &stream);
    virtual HcclResult RxAsync(const std::vector<RxMemoryInfo> &rxMems, Stream &stream);
    virtual HcclResult TxWaitDone(Stream &stream);
    virtual HcclResult RxWaitDone(Stream &stream);

    virtual HcclResult TxPrepare(Stream &stream);
    virtual HcclResult RxPrepare(Stream &stream);
    virtual HcclResult TxData(UserMemType dstMemType, u64 dstOffset, const void *src, u64 len,
                              Stream &stream);
    virtual HcclResult RxData(UserMemType srcMemType, u64 srcOffset, void *dst, u64 len,
                              Stream &stream);
    virtual HcclResult TxDone(Stream &stream);
    virtual HcclResult RxDone(Stream &stream);

    virtual HcclResult TxWithReduce(UserMemType dstMemType, u64 dstOffset, const void *src, u64 len,
                                    HcclDataType datatype, HcclReduceOp redOp, Stream &stream);
    virtual HcclResult TxWithReduce(const std::vector<TxMemoryInfo> &txWithReduceMems,
                                    HcclDataType datatype, HcclReduceOp redOp, Stream &stream);
    virtual HcclResult RxWithReduce(UserMemType recvSrcMemType, u64 recvSrcOffset, void *recvDst,
                                    u64 recvLen, void *reduceSrc, void *reduceDst,
                                    u64 reduceDataCount, HcclDataType reduceDatatype,
                                    HcclReduceOp reduceOp, Stream &stream, u64 reduceAttr);
    virtual HcclResult RxWithReduce(const std::vector<RxWithReduceMemoryInfo> &rxWithReduceMems,
                                    HcclDataType reduceDatatype, HcclReduceOp reduceOp,
                                    Stream &stream, u64 reduceAttr);

    virtual HcclResult GetRemoteMem(UserMemType memType, void **remotePtr);
    virtual HcclResult GetRemoteMem(std::vector<void *> *remotePtrVec);
    virtual HcclResult GetRemoteMemSize(UserMemType memType, u64 &size);

    virtual HcclResult Post(u32 notifyIdx, Stream &stream);
    virtual HcclResult Wait(u32 notifyIdx, Stream &stream, u32 timeOut);

    virtual HcclResult PostReady(Stream &stream);
    virtual HcclResult WaitReady(Stream &stream);
    virtual HcclResult PostFin(Stream &stream);
    virtual HcclResult WaitFin(Stream &stream);
    virtual HcclResult PostFinAck(Stream &stream);
    virtual HcclResult WaitFinAck(Stream &stream);

    virtual HcclResult TxEnv(const void *ptr, u64 len, Stream &stream);
    virtual HcclResult RxEnv(Stream &stream);

    virtual LinkType GetLinkType() const { return LinkType::LINK_RESERVED; }
    virtual TransportType GetTransportType() const { return TransportType::TRANS_TYPE_RESERVED; }
    virtual bool IsSpInlineReduce() const { return false; }
    virtual u32 GetRemoteRank() const { return INVALID_VALUE_RANKID; }
    virtual bool IsSupportTransportWithReduce() const { return false; }
    virtual bool IsTransportRoce() const { return false; }
    bool GetSupportDataReceivedAck() const { return supportDataReceivedAck_; }
    void SetSupportDataReceivedAck(bool support) { supportDataReceivedAck_ = support; }

  private:
    bool supportDataReceivedAck_ = false;
};

}  // namespace hccl
