// hccl::TransportP2p: a link between two ranks on one host (LinkType HCCS, HCCS_SW, SIO or PCIE),
// vendor transport_p2p.cc as configured by the framework.
//
// Set-up, on each side: construct with the local end's parameters, CreateNotifies() on a thread
// whose current device is the local device, send GetExchangeInfo() to the peer, Connect() with
// the peer's. The exchange carries each side's INPUT/OUTPUT buffers and the serialised ack, data
// and user notifies (RemoteNotify); today both sides must be in one process.
//
// Tasks: records go to the peer's notifies (reported with userRank = the peer's rank), waits are
// on the own notifies (userRank = the local rank, remoteUserRank = the peer), copies carry the
// peer's rank and the link type; all through the link's dispatcher.
#pragma once

#include <memory>
#include <vector>

#include "local_notify.h"
#include "mem_device_pub.h"
#include "platform/transport_base.h"
#include "remote_notify.h"

namespace hccl {

struct P2pLinkConfig {
    HcclDispatcher dispatcher = nullptr;  // the local rank's
    u32 localRank = INVALID_VALUE_RANKID;
    u32 remoteRank = INVALID_VALUE_RANKID;
    s32 localDevice = -1;
    LinkType linkType = LinkType::LINK_HCCS;
    u32 linkAttribute = 0x03;  // bit 1 set: read mode
    u32 notifyNum = 0;         // user notifies
    DeviceMem input;           // the local buffers the peer sees as INPUT_MEM / OUTPUT_MEM
    DeviceMem output;
};

class TransportP2p : public TransportBase {
  public:
    explicit TransportP2p(const P2pLinkConfig &config);
    ~TransportP2p() override;

    HcclResult CreateNotifies();
    HcclResult GetExchangeInfo(std::vector<u8> &info);
    HcclResult Connect(const std::vector<u8> &peerInfo);

    HcclResult TxAck(Stream &stream) override;
    HcclResult RxAck(Stream &stream) override;
    HcclResult TxDataSignal(Stream &stream) override;
    HcclResult RxDataSignal(Stream &stream) override;
    HcclResult DataReceivedAck(Stream &stream) override;

    HcclResult TxAsync(UserMemType dstMemType, u64 dstOffset, const void *src, u64 len,
                       Stream &stream) override;
    HcclResult TxAsync(const std::vector<TxMemoryInfo> &txMems, Stream &stream) override;
    HcclResult RxAsync(UserMemType srcMemType, u64 srcOffset, void *dst, u64 len,
                       Stream &stream) override;
    HcclResult RxAsync(const std::vector<RxMemoryInfo> &rxMems, Stream &stream) override;

    HcclResult TxPrepare(Stream &stream) override;
    HcclResult RxPrepare(Stream &stream) override;
    HcclResult TxData(UserMemType dstMemType, u64 dstOffset, const void *src, u64 len,
                      Stream &stream) override;
    HcclResult RxData(UserMemType srcMemType, u64 srcOffset, void *dst, u64 len,
                      Stream &stream) override;
    HcclResult TxDone(Stream &stream) override;
    HcclResult RxDone(Stream &stream) override;

    HcclResult GetRemoteMem(UserMemType memType, void **remotePtr) override;
    HcclResult GetRemoteMem(std::vector<void *> *remotePtrVec) override;
    HcclResult GetRemoteMemSize(UserMemType memType, u64 &size) override;

    HcclResult Post(u32 notifyIdx, Stream &stream) override;
    HcclResult Wait(u32 notifyIdx, Stream &stream, u32 timeOut) override;

    HcclResult PostReady(Stream &stream) override;
    HcclResult WaitReady(Stream &stream) override;
    HcclResult PostFin(Stream &stream) override;
    HcclResult WaitFin(Stream &stream) override;
    HcclResult PostFinAck(Stream &stream) override;
    HcclResult WaitFinAck(Stream &stream) override;

    LinkType GetLinkType() const override { return config_.linkType; }
    TransportType GetTransportType() const override { return TransportType::TRANS_TYPE_P2P; }
    bool IsSpInlineReduce() const override;
    u32 GetRemoteRank() const override { return config_.remoteRank; }

  private:
    struct PeerBuffer {
        void *ptr = nullptr;
        u64 size = 0;
    };

    bool readMode() const { return (config_.linkAttribute & 0x2) != 0; }
    // The peer's buffer range [offset, offset + len): HCCL_E_NOT_SUPPORT for a type other than
    // INPUT/OUTPUT, HCCL_E_PARA when the range does not fit.
    HcclResult peerRange(UserMemType memType, u64 offset, u64 len, const char *what,
                         u8 **begin) const;
    HcclResult record(RemoteNotify &notify, Stream &stream);
    HcclResult wait(LocalNotify &notify, Stream &stream, u32 timeOut = NOTIFY_INVALID_WAIT_TIME);
    HcclResult copy(void *dst, const void *src, u64 len, Stream &stream);
    HcclResult checkConnected(const char *what) const;

    P2pLinkConfig config_;
    LocalNotify localAck_;
    LocalNotify localData_;
    std::vector<std::unique_ptr<LocalNotify>> localUser_;
    RemoteNotify remoteAck_;
    RemoteNotify remoteData_;
    std::vector<std::unique_ptr<RemoteNotify>> remoteUser_;
    PeerBuffer peerInput_;
    PeerBuffer peerOutput_;
    bool connected_ = false;
};

}  // namespace hccl
