// hccl::TransportP2p: a link between two ranks on one host (LinkType HCCS, HCCS_SW, SIO or PCIE),
// vendor transport_p2p.cc as configured by the framework.
//
// Set-up, on each side: construct with the local end's parameters, CreateNotifies() on a thread
// whose current device is the local device, send GetExchangeInfo() to the peer, Connect() with
// the peer's. The exchange carries each side's INPUT/OUTPUT buffers and the serialised ack, data
// and user notifies (RemoteNotify).
//
// Across processes the message goes with three descriptors (GetExchangeInfo(info, fds), sent over
// a Unix socket with SCM_RIGHTS): the runtime area of the process (its notifies) and the memfds of
// the INPUT and OUTPUT allocations. Connect(info, fds) maps the peer's buffers (one copy moves
// data straight from the peer's memory) and its area (a record wakes the peer's waiting stream
// through shared memory, no polling). When the peer process dies, PeerGone() makes every wait on
// this link's own notifies fail at once, naming the peer.
//
// Tasks: records go to the peer's notifies (reported with userRank = the peer's rank), waits are
// on the own notifies (userRank = the local rank, remoteUserRank = the peer), copies carry the
// peer's rank and the link type; all through the link's dispatcher.
#pragma once

#include <memory>
#include <string>
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
    // The same, plus the descriptors a peer in another process needs, which the message refers to
    // by index: the runtime area, then the memfds of the INPUT and OUTPUT allocations. They stay
    // owned by this process (send them, do not close them). A buffer that is not device memory of
    // this process is offered without a descriptor; a peer in another process cannot connect.
    HcclResult GetExchangeInfo(std::vector<u8> &info, std::vector<int> &fds);
    // Connects to the peer described by `peerInfo`. A peer in this process needs no descriptors;
    // one in another process needs the ones that came with its message (`peerFds`, still owned by
    // the caller, who may close them once Connect returns).
    HcclResult Connect(const std::vector<u8> &peerInfo);
    HcclResult Connect(const std::vector<u8> &peerInfo, const std::vector<int> &peerFds);
    // Lets go of the peer: closes its notifies and unmaps its buffers and area. The link is then
    // unconnected; the own notifies stay until destruction. Also done by the destructor.
    HcclResult DeInit();
    // The peer process is gone: every wait on this link's own notifies (issued or to come) fails
    // at once, naming the peer rank. Callable from any thread.
    HcclResult PeerGone();
    s32 PeerPid() const { return peerPid_; }  // -1 before Connect
    s32 PeerDevice() const { return peerDevice_; }
    // What the own notify `notifyId` is on this link ("ack notify", "data notify", "user notify
    // 3"), or an empty string when it is not one of the link's.
    std::string NotifyRole(u32 notifyId) const;

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
        void *importBase = nullptr;  // the mapping of a peer process's allocation, if any
    };
    struct OfferedBuffer;

    bool readMode() const { return (config_.linkAttribute & 0x2) != 0; }
    // The peer's buffer range [offset, offset + len): HCCL_E_NOT_SUPPORT for a type other than
    // INPUT/OUTPUT, HCCL_E_PARA when the range does not fit.
    HcclResult peerRange(UserMemType memType, u64 offset, u64 len, const char *what,
                         u8 **begin) const;
    HcclResult record(RemoteNotify &notify, Stream &stream);
    HcclResult wait(LocalNotify &notify, Stream &stream, u32 timeOut = NOTIFY_INVALID_WAIT_TIME);
    HcclResult copy(void *dst, const void *src, u64 len, Stream &stream);
    HcclResult checkConnected(const char *what) const;
    HcclResult adoptBuffers(const OfferedBuffer &input, const OfferedBuffer &output);
    HcclResult mapPeerProcess(u64 areaId, const OfferedBuffer &input, const OfferedBuffer &output,
                              const std::vector<int> &peerFds);
    HcclResult importBuffer(const OfferedBuffer &offer, const std::vector<int> &peerFds,
                            const char *name, PeerBuffer *buffer);
    HcclResult openNotifies(const std::vector<u8> &ack, const std::vector<u8> &data,
                            const std::vector<std::vector<u8>> &users);

    P2pLinkConfig config_;
    LocalNotify localAck_;
    LocalNotify localData_;
    std::vector<std::unique_ptr<LocalNotify>> localUser_;
    RemoteNotify remoteAck_;
    RemoteNotify remoteData_;
    std::vector<std::unique_ptr<RemoteNotify>> remoteUser_;
    PeerBuffer peerInput_;
    PeerBuffer peerOutput_;
    void *peerArea_ = nullptr;  // rt::PeerArea of a peer process: one reference while connected
    s32 peerPid_ = -1;
    s32 peerDevice_ = -1;
    bool connected_ = false;
};

}  // namespace hccl
