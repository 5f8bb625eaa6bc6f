// hccl::Transport: a link from this rank to one peer rank, as algorithm templates use it (vendor
// transport_pub.h). Templates receive `std::vector<LINK> links` (links[i] = the link to rank i)
// and drive the handshake of spec platform_api.md §5.3 through these methods.
//
// Vocabulary. Every link has two notify pairs: the "ack" notify (receiver -> sender: "my buffer
// is free, I am ready") and the "data" notify (sender -> receiver: "the data is ready, I am
// done"), plus `notifyNum` user notifies (Post/Wait). A Tx* record goes to the PEER's notify; an
// Rx* wait is on this rank's OWN notify. Notifies are binary wait-and-reset flags.
//
// P2P links (LinkType HCCS, HCCS_SW, SIO, PCIE) run in READ (pull) mode by default
// (linkAttribute 0x03): TxAsync only records the peer's data notify and ignores `src`; RxAsync
// waits on the own data notify and then copies from the peer's exchanged INPUT/OUTPUT buffer at
// the given offset. In WRITE mode (linkAttribute bit 1 clear) TxAsync copies `src` into the
// peer's buffer first and RxAsync only waits.
//
// Every task goes through the link's dispatcher, so it is reported (RegisterLoadTaskCallBack):
// records with userRank = the peer's rank, waits with userRank = this rank and remoteUserRank =
// the peer, copies with remoteUserRank = the peer and the link's LinkType.
//
// A Transport built around no implementation (nullptr) returns HCCL_E_PTR from every method that
// returns an HcclResult; its getters return LINK_RESERVED, false and INVALID_VALUE_RANKID.
#ifndef HCCL_PLATFORM_TRANSPORT_PUB_H
#define HCCL_PLATFORM_TRANSPORT_PUB_H

#include <memory>
#include <vector>

#include "dispatcher_task_types.h"
#include "hccl_common.h"
#include "stream_pub.h"
#include "task_logic_info_pub.h"

namespace hccl {

// Largest link set-up message (the buffer and notify exchange).
constexpr u32 MAX_EXCHANGE_DATA_LEN = 2 * 1024 * 1024;

class TransportBase;

class Transport {
  public:
    // Takes ownership of the implementation (which may be nullptr, see above).
    explicit Transport(TransportBase *pimpl);
    ~Transport();
    Transport(const Transport &) = delete;
    Transport &operator=(const Transport &) = delete;

    // ---- notify handshake ----
    HcclResult TxAck(Stream &stream);         // records the peer's ack notify
    HcclResult RxAck(Stream &stream);         // waits on the own ack notify
    HcclResult TxDataSignal(Stream &stream);  // records the peer's data notify
    HcclResult RxDataSignal(Stream &stream);  // waits on the own data notify
    // TxAck, RxAck, TxDataSignal, RxDataSignal: a full two-way barrier.
    HcclResult DataReceivedAck(Stream &stream);

    // ---- data ----
    // Write mode with src != nullptr: copies src -> peer buffer(dstMemType) + dstOffset. Both
    // modes then record the peer's data notify.
    HcclResult TxAsync(UserMemType dstMemType, u64 dstOffset, const void *src, u64 len,
                       Stream &stream);
    // The same for a list, with one record at the end. In write mode a null src is HCCL_E_PTR.
    HcclResult TxAsync(const std::vector<TxMemoryInfo> &txMems, Stream &stream);
    // Waits on the own data notify; then, in read mode with dst != nullptr, copies
    // peer buffer(srcMemType) + srcOffset -> dst.
    HcclResult RxAsync(UserMemType srcMemType, u64 srcOffset, void *dst, u64 len, Stream &stream);
    // One wait, then the list of copies.
    HcclResult RxAsync(const std::vector<RxMemoryInfo> &rxMems, Stream &stream);
    HcclResult TxWaitDone(Stream &stream);  // no-op
    HcclResult RxWaitDone(Stream &stream);  // no-op

    // Batch send/receive halves: Prepare = TxAck / RxAck, Data = the copy of TxAsync / RxAsync
    // without a notify, and the names of Done are inverted: TxDone = RxDataSignal (waits),
    // RxDone = TxDataSignal (records).
    HcclResult TxPrepare(Stream &stream);
    HcclResult RxPrepare(Stream &stream);
    HcclResult TxData(UserMemType dstMemType, u64 dstOffset, const void *src, u64 len,
                      Stream &stream);
    HcclResult RxData(UserMemType srcMemType, u64 srcOffset, void *dst, u64 len, Stream &stream);
    HcclResult TxDone(Stream &stream);
    HcclResult RxDone(Stream &stream);

    // RDMA write-with-reduce: P2P links do not have it and succeed doing nothing.
    HcclResult TxWithReduce(UserMemType dstMemType, u64 dstOffset, const void *src, u64 len,
                            const HcclDataType datatype, HcclReduceOp redOp, Stream &stream);
    HcclResult TxWithReduce(const std::vector<TxMemoryInfo> &txWithReduceMems,
                            const HcclDataType datatype, HcclReduceOp redOp, Stream &stream);
    HcclResult RxWithReduce(UserMemType recvSrcMemType, u64 recvSrcOffset, void *recvDst,
                            u64 recvLen, void *reduceSrc, void *reduceDst, u64 reduceDataCount,
                            HcclDataType reduceDatatype, HcclReduceOp reduceOp, Stream &stream,
                            const u64 reduceAttr);
    HcclResult RxWithReduce(const std::vector<RxWithReduceMemoryInfo> &rxWithReduceMems,
                            HcclDataType reduceDatatype, HcclReduceOp reduceOp, Stream &stream,
                            const u64 reduceAttr);

    // ---- the peer's exchanged buffers ----
    // INPUT_MEM / OUTPUT_MEM: the peer's buffer; other types HCCL_E_NOT_SUPPORT.
    HcclResult GetRemoteMem(UserMemType memType, void **remotePtr);
    HcclResult GetRemoteMem(std::vector<void *> *remotePtrVec);  // extra buffers (none on P2P)
    HcclResult GetRemoteMemSize(UserMemType memType, u64 &size);

    // ---- user notifies: notifyIdx >= notifyNum is HCCL_E_INTERNAL ----
    HcclResult Post(u32 notifyIdx, Stream &stream);  // records the peer's user notify
    // Waits on the own user notify; timeOut in seconds (NOTIFY_INVALID_WAIT_TIME: the
    // dispatcher's wait time).
    HcclResult Wait(u32 notifyIdx, Stream &stream, const u32 timeOut = NOTIFY_INVALID_WAIT_TIME);

    // Ready travels on the data notify, Fin on the ack notify, FinAck on the data notify.
    HcclResult PostReady(Stream &stream);
    HcclResult WaitReady(Stream &stream);
    HcclResult PostFin(Stream &stream);
    HcclResult WaitFin(Stream &stream);
    HcclResult PostFinAck(Stream &stream);
    HcclResult WaitFinAck(Stream &stream);

    // Host-NIC environment exchange of RoCE gather/scatter: a no-op here.
    HcclResult TxEnv(const void *ptr, const u64 len, Stream &stream);
    HcclResult RxEnv(Stream &stream);

    // ---- properties ----
    LinkType GetLinkType() const;
    TransportType GetTransportType() const;
    bool IsSpInlineReduce() const;  // P2P: HCCS, PCIE, SIO and HCCS_SW links
    u32 GetRemoteRank() const;      // the peer's world rank
    bool GetSupportDataReceivedAck() const;
    void SetSupportDataReceivedAck(bool supportDataReceivedAck);
    bool IsSupportTransportWithReduce() const;  // false: P2P has no RDMA reduce
    bool IsTransportRoce() const;

  private:
    std::unique_ptr<TransportBase> pimpl_;
};

using LINK = std::shared_ptr<Transport>;

}  // namespace hccl

#endif  // HCCL_PLATFORM_TRANSPORT_PUB_H
