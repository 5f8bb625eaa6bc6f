#include "platform/transport_p2p.h"

#include <unistd.h>

#include "common/log.h"
#include "log.h"
#include "platform/dispatcher_impl.h"
#include "platform/peer_areas.h"
#include "platform/rt_bridge.h"
#include "platform/transport_exchange.h"
#include "transport_pub.h"

namespace hccl {

namespace rt = hcclcpu::rt;
using hcclcpu::platform::ByteReader;
using hcclcpu::platform::ByteWriter;
using hcclcpu::platform::Dispatcher;

namespace {

constexpr u32 kExchangeMagic = 0x50325058;  // "P2PX"
constexpr u32 kExchangeVersion = 2;         // 2: buffers carry what a peer process maps
constexpr u32 kNoFd = 0xffffffff;

constexpr u32 kAreaFdIndex = 0;  // the descriptors sent next to a message: the area first

const char *memTypeName(UserMemType type) {
    switch (type) {
        case UserMemType::INPUT_MEM:
            return "INPUT_MEM";
        case UserMemType::OUTPUT_MEM:
            return "OUTPUT_MEM";
        default:
            return "unknown";
    }
}

}  // namespace

TransportP2p::TransportP2p(const P2pLinkConfig &config) : config_(config) {}

TransportP2p::~TransportP2p() {
    (void)DeInit();
}

// ---- set-up ------------------------------------------------------------------------------------

HcclResult TransportP2p::CreateNotifies() {
    int32_t current = -1;
    if (rt::currentDevice(&current) != rt::Err::kOk || current != config_.localDevice) {
        HCPU_ERROR(
            "p2p link {}->{}: notifies must be created with device {} current (the thread has "
            "{}), return HCCL_E_INTERNAL",
            config_.localRank, config_.remoteRank, config_.localDevice, current);
        return HCCL_E_INTERNAL;
    }
    CHK_RET(localAck_.Init());
    CHK_RET(localData_.Init());
    localUser_.clear();
    for (u32 i = 0; i < config_.notifyNum; ++i) {
        localUser_.push_back(std::make_unique<LocalNotify>());
        CHK_RET(localUser_.back()->Init());
    }
    return HCCL_SUCCESS;
}

// A buffer as the exchange message describes it: its address (meaningful in the owner's process),
// and the memfd allocation it lies in (for a peer process).
struct TransportP2p::OfferedBuffer {
    u64 ptr = 0;
    u64 size = 0;
    u64 allocationSize = 0;
    u64 offset = 0;  // of ptr in the allocation
    u32 fdIndex = kNoFd;

    void put(ByteWriter &out) const {
        out.put(ptr);
        out.put(size);
        out.put(allocationSize);
        out.put(offset);
        out.put(fdIndex);
    }
    bool get(ByteReader &in) {
        return in.get(ptr) && in.get(size) && in.get(allocationSize) && in.get(offset) &&
               in.get(fdIndex);
    }
};

HcclResult TransportP2p::GetExchangeInfo(std::vector<u8> &info) {
    std::vector<int> fds;
    return GetExchangeInfo(info, fds);
}

HcclResult TransportP2p::GetExchangeInfo(std::vector<u8> &info, std::vector<int> &fds) {
    info.clear();
    fds.assign(1, rt::runtimeAreaFd());
    ByteWriter out(info);
    out.put(kExchangeMagic);
    out.put(kExchangeVersion);
    out.put(static_cast<s32>(getpid()));
    out.put(config_.localRank);
    out.put(config_.localDevice);
    out.put(hcclcpu::platform::localAreaName().id);
    const DeviceMem *buffers[] = {&config_.input, &config_.output};
    for (int i = 0; i < 2; ++i) {
        OfferedBuffer offer;
        offer.ptr = static_cast<u64>(reinterpret_cast<uintptr_t>(buffers[i]->ptr()));
        offer.size = buffers[i]->size();
        int fd = -1;
        size_t allocationSize = 0, offset = 0;
        // Asked first so that a buffer of host memory (fine within a process) logs no error.
        const rt::MemInfo where = rt::memoryInfo(buffers[i]->ptr(), buffers[i]->size());
        if (buffers[i]->ptr() != nullptr && where.location == rt::MemLocation::kDevice &&
            where.fd >= 0 && !where.imported &&
            rt::memoryExport(buffers[i]->ptr(), &fd, &allocationSize, &offset) == rt::Err::kOk &&
            offset + offer.size <= allocationSize) {
            offer.allocationSize = allocationSize;
            offer.offset = offset;
            offer.fdIndex = static_cast<u32>(fds.size());
            fds.push_back(fd);
        }  // else not shareable with another process: no descriptor
        offer.put(out);
    }
    out.put(config_.notifyNum);
    std::vector<u8> notify;
    CHK_RET(RemoteNotify::Serialize(localAck_, config_.localRank, config_.localDevice, notify));
    out.putBytes(notify);
    CHK_RET(RemoteNotify::Serialize(localData_, config_.localRank, config_.localDevice, notify));
    out.putBytes(notify);
    for (auto &user : localUser_) {
        CHK_RET(RemoteNotify::Serialize(*user, config_.localRank, config_.localDevice, notify));
        out.putBytes(notify);
    }
    return HCCL_SUCCESS;
}

HcclResult TransportP2p::Connect(const std::vector<u8> &peerInfo) {
    return Connect(peerInfo, std::vector<int>());
}

HcclResult TransportP2p::Connect(const std::vector<u8> &peerInfo, const std::vector<int> &peerFds) {
    (void)DeInit();
    if (peerInfo.size() > MAX_EXCHANGE_DATA_LEN) {
        HCPU_ERROR("p2p link {}->{}: exchange message of {} bytes exceeds {}, return HCCL_E_PARA",
                   config_.localRank, config_.remoteRank, peerInfo.size(), MAX_EXCHANGE_DATA_LEN);
        return HCCL_E_PARA;
    }
    ByteReader in(peerInfo);
    u32 magic = 0, version = 0, rank = INVALID_VALUE_RANKID, notifyNum = 0;
    s32 pid = -1, device = -1;
    u64 areaId = 0;
    OfferedBuffer input, output;
    std::vector<u8> ack, data;
    bool parsed = in.get(magic) && in.get(version) && in.get(pid) && in.get(rank) &&
                  in.get(device) && in.get(areaId) && input.get(in) && output.get(in) &&
                  in.get(notifyNum) && in.getBytes(ack) && in.getBytes(data);
    if (!parsed || magic != kExchangeMagic || version != kExchangeVersion) {
        HCPU_ERROR(
            "p2p link {}->{}: {} bytes from the peer are not a link exchange message, return "
            "HCCL_E_PARA",
            config_.localRank, config_.remoteRank, peerInfo.size());
        return HCCL_E_PARA;
    }
    if (rank != config_.remoteRank || notifyNum != config_.notifyNum) {
        HCPU_ERROR(
            "p2p link {}->{}: the peer says it is rank {} with {} user notifies (expected rank "
            "{} with {}), return HCCL_E_INTERNAL",
            config_.localRank, config_.remoteRank, rank, notifyNum, config_.remoteRank,
            config_.notifyNum);
        return HCCL_E_INTERNAL;
    }
    std::vector<std::vector<u8>> users(notifyNum);
    for (u32 i = 0; i < notifyNum; ++i) {
        if (!in.getBytes(users[i])) {
            HCPU_ERROR("p2p link {}->{}: user notify {} of {} is missing, return HCCL_E_PARA",
                       config_.localRank, config_.remoteRank, i, notifyNum);
            return HCCL_E_PARA;
        }
    }
    if (!in.atEnd()) {
        HCPU_ERROR("p2p link {}->{}: trailing bytes in the exchange message, return HCCL_E_PARA",
                   config_.localRank, config_.remoteRank);
        return HCCL_E_PARA;
    }
    peerPid_ = pid;
    peerDevice_ = device;
    HcclResult result = pid == static_cast<s32>(getpid())
                            ? adoptBuffers(input, output)
                            : mapPeerProcess(areaId, input, output, peerFds);
    if (result == HCCL_SUCCESS) result = openNotifies(ack, data, users);
    if (result != HCCL_SUCCESS) {
        (void)DeInit();
        return result;
    }
    connected_ = true;
    HCPU_DEBUG("p2p link {}->{} (device {} -> {}, pid {}) connected: {}, {} mode",
               config_.localRank, config_.remoteRank, config_.localDevice, device, pid,
               GetLinkTypeEnumStr(config_.linkType), readMode() ? "read" : "write");
    return HCCL_SUCCESS;
}

// Within one process a buffer is its address.
HcclResult TransportP2p::adoptBuffers(const OfferedBuffer &input, const OfferedBuffer &output) {
    peerInput_ =
        PeerBuffer{reinterpret_cast<void *>(static_cast<uintptr_t>(input.ptr)), input.size};
    peerOutput_ =
        PeerBuffer{reinterpret_cast<void *>(static_cast<uintptr_t>(output.ptr)), output.size};
    return HCCL_SUCCESS;
}

// Another process: map its runtime area (for its notifies) and its buffers' allocations.
HcclResult TransportP2p::mapPeerProcess(u64 areaId, const OfferedBuffer &input,
                                        const OfferedBuffer &output,
                                        const std::vector<int> &peerFds) {
    if (peerFds.size() <= kAreaFdIndex || peerFds[kAreaFdIndex] < 0) {
        HCPU_ERROR(
            "p2p link {}->{}: the peer is process {}; connecting to another process needs the "
            "descriptors that came with its exchange message ({} given), return HCCL_E_PARA",
            config_.localRank, config_.remoteRank, peerPid_, peerFds.size());
        return HCCL_E_PARA;
    }
    rt::PeerArea *area = nullptr;
    CHK_RET(hcclcpu::platform::acquirePeerArea({peerPid_, areaId}, peerFds[kAreaFdIndex], &area));
    peerArea_ = area;
    CHK_RET(importBuffer(input, peerFds, "INPUT_MEM", &peerInput_));
    return importBuffer(output, peerFds, "OUTPUT_MEM", &peerOutput_);
}

HcclResult TransportP2p::importBuffer(const OfferedBuffer &offer, const std::vector<int> &peerFds,
                                      const char *name, PeerBuffer *buffer) {
    if (offer.ptr == 0 && offer.size == 0) {  // the peer exposes no such buffer
        *buffer = PeerBuffer{};
        return HCCL_SUCCESS;
    }
    if (offer.fdIndex == kNoFd || offer.fdIndex >= peerFds.size() || peerFds[offer.fdIndex] < 0 ||
        offer.allocationSize == 0 || offer.offset > offer.allocationSize ||
        offer.size > offer.allocationSize - offer.offset) {
        HCPU_ERROR(
            "p2p link {}->{}: the {} of process {} ({} bytes) cannot be mapped here: it is not "
            "device memory the peer could share (descriptor index {:#x} of {}, allocation {} "
            "bytes, offset {}), return HCCL_E_PARA",
            config_.localRank, config_.remoteRank, name, peerPid_, offer.size, offer.fdIndex,
            peerFds.size(), offer.allocationSize, offer.offset);
        return HCCL_E_PARA;
    }
    void *base = nullptr;
    rt::Err err =
        rt::memoryImport(peerFds[offer.fdIndex], offer.allocationSize, peerDevice_, &base);
    if (err != rt::Err::kOk)
        return hcclcpu::platform::runtimeFailure(
            err,
            fmt::format("p2p link {}->{}: map the {} of process {} ({} bytes)", config_.localRank,
                        config_.remoteRank, name, peerPid_, offer.allocationSize));
    *buffer = PeerBuffer{static_cast<u8 *>(base) + offer.offset, offer.size, base};
    return HCCL_SUCCESS;
}

HcclResult TransportP2p::openNotifies(const std::vector<u8> &ack, const std::vector<u8> &data,
                                      const std::vector<std::vector<u8>> &users) {
    CHK_RET(remoteAck_.Init(ack));
    CHK_RET(remoteAck_.Open());
    CHK_RET(remoteData_.Init(data));
    CHK_RET(remoteData_.Open());
    remoteUser_.clear();
    for (const std::vector<u8> &user : users) {
        remoteUser_.push_back(std::make_unique<RemoteNotify>());
        CHK_RET(remoteUser_.back()->Init(user));
        CHK_RET(remoteUser_.back()->Open());
    }
    return HCCL_SUCCESS;
}

HcclResult TransportP2p::DeInit() {
    connected_ = false;
    (void)remoteAck_.Close();
    (void)remoteData_.Close();
    remoteUser_.clear();
    HcclResult result = HCCL_SUCCESS;
    for (PeerBuffer *buffer : {&peerInput_, &peerOutput_}) {
        if (buffer->importBase != nullptr) {
            rt::Err err = rt::memoryImportClose(buffer->importBase);
            if (err != rt::Err::kOk)
                result = hcclcpu::platform::runtimeFailure(
                    err, fmt::format("p2p link {}->{}: unmap a buffer of process {}",
                                     config_.localRank, config_.remoteRank, peerPid_));
        }
        *buffer = PeerBuffer{};
    }
    if (peerArea_ != nullptr) {
        hcclcpu::platform::releasePeerArea(static_cast<rt::PeerArea *>(peerArea_));
        peerArea_ = nullptr;
    }
    return result;
}

HcclResult TransportP2p::PeerGone() {
    HcclResult result = HCCL_SUCCESS;
    auto breakOne = [&](LocalNotify &notify) {
        if (notify.ptr() == nullptr) return;
        rt::Err err = rt::notifyBreak(static_cast<rt::Notify *>(notify.ptr()), config_.remoteRank);
        if (err != rt::Err::kOk)
            result = hcclcpu::platform::runtimeFailure(
                err, fmt::format("p2p link {}->{}: abandon the waits on notify {}",
                                 config_.localRank, config_.remoteRank, notify.notifyId_));
    };
    breakOne(localAck_);
    breakOne(localData_);
    for (auto &user : localUser_)
        breakOne(*user);
    return result;
}

std::string TransportP2p::NotifyRole(u32 notifyId) const {
    if (notifyId == INVALID_UINT) return std::string();
    if (localAck_.notifyId_ == notifyId) return "ack notify";
    if (localData_.notifyId_ == notifyId) return "data notify";
    for (size_t i = 0; i < localUser_.size(); ++i)
        if (localUser_[i]->notifyId_ == notifyId) return fmt::format("user notify {}", i);
    return std::string();
}

// ---- building blocks ---------------------------------------------------------------------------

HcclResult TransportP2p::checkConnected(const char *what) const {
    if (connected_) return HCCL_SUCCESS;
    HCPU_ERROR("p2p link {}->{}: {} before the link was connected, return HCCL_E_INTERNAL",
               config_.localRank, config_.remoteRank, what);
    return HCCL_E_INTERNAL;
}

HcclResult TransportP2p::peerRange(UserMemType memType, u64 offset, u64 len, const char *what,
                                   u8 **begin) const {
    const PeerBuffer *buffer = nullptr;
    if (memType == UserMemType::INPUT_MEM) buffer = &peerInput_;
    if (memType == UserMemType::OUTPUT_MEM) buffer = &peerOutput_;
    if (buffer == nullptr) {
        HCPU_ERROR(
            "p2p link {}->{}: {} with mem type {} is not supported, return "
            "HCCL_E_NOT_SUPPORT",
            config_.localRank, config_.remoteRank, what, static_cast<int>(memType));
        return HCCL_E_NOT_SUPPORT;
    }
    if (offset > buffer->size || len > buffer->size - offset) {
        HCPU_ERROR(
            "p2p link {}->{}: {} range [{}, +{}) runs past the end of the peer's {} ({} bytes), "
            "return HCCL_E_PARA",
            config_.localRank, config_.remoteRank, what, offset, len, memTypeName(memType),
            buffer->size);
        return HCCL_E_PARA;
    }
    *begin = static_cast<u8 *>(buffer->ptr) + offset;
    return HCCL_SUCCESS;
}

HcclResult TransportP2p::record(RemoteNotify &notify, Stream &stream) {
    CHK_RET(checkConnected("notify record"));
    return notify.Post(stream, config_.dispatcher, INVALID_VALUE_STAGE);
}

HcclResult TransportP2p::wait(LocalNotify &notify, Stream &stream, u32 timeOut) {
    CHK_RET(checkConnected("notify wait"));
    CHK_PTR_NULL(config_.dispatcher);
    CHK_PTR_NULL(notify.ptr());
    return Dispatcher::from(config_.dispatcher)
        ->signalWait(notify.ptr(), stream, config_.localRank, config_.remoteRank,
                     INVALID_VALUE_STAGE, timeOut);
}

HcclResult TransportP2p::copy(void *dst, const void *src, u64 len, Stream &stream) {
    DeviceMem dstMem = DeviceMem::create(dst, len);
    DeviceMem srcMem = DeviceMem::create(const_cast<void *>(src), len);
    return ::HcclD2DMemcpyAsync(config_.dispatcher, dstMem, srcMem, stream, config_.remoteRank,
                                config_.linkType);
}

// ---- notify handshake --------------------------------------------------------------------------

HcclResult TransportP2p::TxAck(Stream &stream) {
    return record(remoteAck_, stream);
}
HcclResult TransportP2p::RxAck(Stream &stream) {
    return wait(localAck_, stream);
}
HcclResult TransportP2p::TxDataSignal(Stream &stream) {
    return record(remoteData_, stream);
}
HcclResult TransportP2p::RxDataSignal(Stream &stream) {
    return wait(localData_, stream);
}
HcclResult TransportP2p::DataReceivedAck(Stream &stream) {
    CHK_RET(TxAck(stream));
    CHK_RET(RxAck(stream));
    CHK_RET(TxDataSignal(stream));
    return RxDataSignal(stream);
}

// ---- data --------------------------------------------------------------------------------------
// Every range is checked before the first task is issued, so a rejected call issues nothing.

HcclResult TransportP2p::TxAsync(UserMemType dstMemType, u64 dstOffset, const void *src, u64 len,
                                 Stream &stream) {
    CHK_RET(checkConnected("TxAsync"));
    CHK_RET(TxData(dstMemType, dstOffset, src, len, stream));
    return record(remoteData_, stream);
}

HcclResult TransportP2p::TxAsync(const std::vector<TxMemoryInfo> &txMems, Stream &stream) {
    CHK_RET(checkConnected("TxAsync"));
    if (!readMode()) {
        std::vector<u8 *> dsts(txMems.size());
        for (size_t i = 0; i < txMems.size(); ++i) {
            CHK_PTR_NULL(txMems[i].src);
            CHK_RET(peerRange(txMems[i].dstMemType, txMems[i].dstOffset, txMems[i].len, "TxAsync",
                              &dsts[i]));
        }
        for (size_t i = 0; i < txMems.size(); ++i)
            CHK_RET(copy(dsts[i], txMems[i].src, txMems[i].len, stream));
    }
    return record(remoteData_, stream);
}

HcclResult TransportP2p::RxAsync(UserMemType srcMemType, u64 srcOffset, void *dst, u64 len,
                                 Stream &stream) {
    CHK_RET(checkConnected("RxAsync"));
    u8 *src = nullptr;
    const bool pull = readMode() && dst != nullptr;
    if (pull) CHK_RET(peerRange(srcMemType, srcOffset, len, "RxAsync", &src));
    CHK_RET(wait(localData_, stream));
    if (pull) CHK_RET(copy(dst, src, len, stream));
    return HCCL_SUCCESS;
}

HcclResult TransportP2p::RxAsync(const std::vector<RxMemoryInfo> &rxMems, Stream &stream) {
    CHK_RET(checkConnected("RxAsync"));
    std::vector<u8 *> srcs(rxMems.size(), nullptr);
    if (readMode()) {
        for (size_t i = 0; i < rxMems.size(); ++i) {
            if (rxMems[i].dst == nullptr) continue;
            CHK_RET(peerRange(rxMems[i].srcMemType, rxMems[i].srcOffset, rxMems[i].len, "RxAsync",
                              &srcs[i]));
        }
    }
    CHK_RET(wait(localData_, stream));
    for (size_t i = 0; i < rxMems.size(); ++i) {
        if (srcs[i] != nullptr) CHK_RET(copy(rxMems[i].dst, srcs[i], rxMems[i].len, stream));
    }
    return HCCL_SUCCESS;
}

HcclResult TransportP2p::TxPrepare(Stream &stream) {
    return TxAck(stream);
}
HcclResult TransportP2p::RxPrepare(Stream &stream) {
    return RxAck(stream);
}

HcclResult TransportP2p::TxData(UserMemType dstMemType, u64 dstOffset, const void *src, u64 len,
                                Stream &stream) {
    CHK_RET(checkConnected("TxData"));
    if (readMode() || src == nullptr) return HCCL_SUCCESS;  // the receiver pulls
    u8 *dst = nullptr;
    CHK_RET(peerRange(dstMemType, dstOffset, len, "TxData", &dst));
    return copy(dst, src, len, stream);
}

HcclResult TransportP2p::RxData(UserMemType srcMemType, u64 srcOffset, void *dst, u64 len,
                                Stream &stream) {
    CHK_RET(checkConnected("RxData"));
    if (!readMode() || dst == nullptr) return HCCL_SUCCESS;  // the sender pushed
    u8 *src = nullptr;
    CHK_RET(peerRange(srcMemType, srcOffset, len, "RxData", &src));
    return copy(dst, src, len, stream);
}

// The vendor's names are inverted: the sender's "done" waits for the receiver's signal.
HcclResult TransportP2p::TxDone(Stream &stream) {
    return RxDataSignal(stream);
}
HcclResult TransportP2p::RxDone(Stream &stream) {
    return TxDataSignal(stream);
}

// ---- the peer's buffers ------------------------------------------------------------------------

HcclResult TransportP2p::GetRemoteMem(UserMemType memType, void **remotePtr) {
    CHK_PTR_NULL(remotePtr);
    CHK_RET(checkConnected("GetRemoteMem"));
    u8 *begin = nullptr;
    CHK_RET(peerRange(memType, 0, 0, "GetRemoteMem", &begin));
    *remotePtr = begin;
    return HCCL_SUCCESS;
}

HcclResult TransportP2p::GetRemoteMem(std::vector<void *> *remotePtrVec) {
    CHK_PTR_NULL(remotePtrVec);
    remotePtrVec->clear();  // a P2P link exchanges no extra buffers
    return HCCL_SUCCESS;
}

HcclResult TransportP2p::GetRemoteMemSize(UserMemType memType, u64 &size) {
    CHK_RET(checkConnected("GetRemoteMemSize"));
    if (memType == UserMemType::INPUT_MEM) {
        size = peerInput_.size;
        return HCCL_SUCCESS;
    }
    if (memType == UserMemType::OUTPUT_MEM) {
        size = peerOutput_.size;
        return HCCL_SUCCESS;
    }
    HCPU_ERROR(
        "p2p link {}->{}: GetRemoteMemSize with mem type {} is not supported, return "
        "HCCL_E_NOT_SUPPORT",
        config_.localRank, config_.remoteRank, static_cast<int>(memType));
    return HCCL_E_NOT_SUPPORT;
}

// ---- user notifies -----------------------------------------------------------------------------

HcclResult TransportP2p::Post(u32 notifyIdx, Stream &stream) {
    CHK_RET(checkConnected("Post"));
    if (notifyIdx >= remoteUser_.size()) {
        HCPU_ERROR("p2p link {}->{}: Post notifyIdx[{}] >= notifyNum[{}], return HCCL_E_INTERNAL",
                   config_.localRank, config_.remoteRank, notifyIdx, remoteUser_.size());
        return HCCL_E_INTERNAL;
    }
    return record(*remoteUser_[notifyIdx], stream);
}

HcclResult TransportP2p::Wait(u32 notifyIdx, Stream &stream, u32 timeOut) {
    CHK_RET(checkConnected("Wait"));
    if (notifyIdx >= localUser_.size()) {
        HCPU_ERROR("p2p link {}->{}: Wait notifyIdx[{}] >= notifyNum[{}], return HCCL_E_INTERNAL",
                   config_.localRank, config_.remoteRank, notifyIdx, localUser_.size());
        return HCCL_E_INTERNAL;
    }
    return wait(*localUser_[notifyIdx], stream, timeOut);
}

// Ready = data notify, Fin = ack notify; FinAck answers a Fin on the data notify, so the four
// calls make a two-way handshake like DataReceivedAck.
HcclResult TransportP2p::PostReady(Stream &stream) {
    return TxDataSignal(stream);
}
HcclResult TransportP2p::WaitReady(Stream &stream) {
    return RxDataSignal(stream);
}
HcclResult TransportP2p::PostFin(Stream &stream) {
    return TxAck(stream);
}
HcclResult TransportP2p::WaitFin(Stream &stream) {
    return RxAck(stream);
}
HcclResult TransportP2p::PostFinAck(Stream &stream) {
    return TxDataSignal(stream);
}
HcclResult TransportP2p::WaitFinAck(Stream &stream) {
    return RxDataSignal(stream);
}

bool TransportP2p::IsSpInlineReduce() const {
    switch (config_.linkType) {
        case LinkType::LINK_HCCS:
        case LinkType::LINK_PCIE:
        case LinkType::LINK_SIO:
        case LinkType::LINK_HCCS_SW:
            return true;
        default:
            return false;
    }
}

}  // namespace hccl
