#include "remote_notify.h"

#include <unistd.h>

#include "common/log.h"
#include "log.h"
#include "platform/peer_areas.h"
#include "platform/rt_bridge.h"
#include "platform/transport_exchange.h"

namespace hccl {

namespace rt = hcclcpu::rt;
using hcclcpu::platform::ByteReader;
using hcclcpu::platform::ByteWriter;

namespace {

constexpr u32 kMagic = 0x524e7466;  // "RNtf"
constexpr u32 kVersion = 2;         // 2: the owner's runtime area id follows the handle

}  // namespace

RemoteNotify::~RemoteNotify() {
    (void)Close();
}

HcclResult RemoteNotify::Serialize(LocalNotify &notify, u32 ownerRank, s32 ownerDevice,
                                   std::vector<u8> &serialized) {
    CHK_PTR_NULL(notify.ptr());
    u64 offset = 0;
    CHK_RET(notify.GetNotifyOffset(offset));
    serialized.clear();
    ByteWriter out(serialized);
    out.put(kMagic);
    out.put(kVersion);
    out.put(static_cast<s32>(getpid()));
    out.put(ownerRank);
    out.put(ownerDevice);
    out.put(offset);
    // Within the owner's process the handle is the notify itself; another process finds it at
    // `offset` in the owner's runtime area, which a link mapped at set-up.
    out.put(static_cast<u64>(reinterpret_cast<uintptr_t>(notify.ptr())));
    out.put(hcclcpu::platform::localAreaName().id);
    return HCCL_SUCCESS;
}

HcclResult RemoteNotify::Init(const std::vector<u8> &serialized) {
    ByteReader in(serialized);
    u32 magic = 0, version = 0;
    s32 pid = -1, device = -1;
    u32 rank = INVALID_VALUE_RANKID;
    u64 offset = 0, handle = 0, areaId = 0;
    bool parsed = in.get(magic) && in.get(version) && in.get(pid) && in.get(rank) &&
                  in.get(device) && in.get(offset) && in.get(handle) && in.get(areaId) &&
                  in.atEnd();
    if (!parsed || magic != kMagic || version != kVersion || handle == 0) {
        HCPU_ERROR(
            "remote notify init: {} bytes are not a notify description (magic {:#x}, version "
            "{}), return HCCL_E_PARA",
            serialized.size(), magic, version);
        return HCCL_E_PARA;
    }
    (void)Close();
    ownerPid_ = pid;
    ownerRank_ = rank;
    ownerDevice_ = device;
    offset_ = offset;
    handle_ = handle;
    areaId_ = areaId;
    initialised_ = true;
    return HCCL_SUCCESS;
}

HcclResult RemoteNotify::Open() {
    if (!initialised_) {
        HCPU_ERROR("remote notify open: not initialised, return HCCL_E_INTERNAL");
        return HCCL_E_INTERNAL;
    }
    (void)Close();
    if (ownerPid_ != static_cast<s32>(getpid())) return openInPeerArea();
    auto *notify = reinterpret_cast<rt::Notify *>(static_cast<uintptr_t>(handle_));
    if (rt::notifyOffset(notify) != offset_) {
        HCPU_ERROR(
            "remote notify open: the notify of rank {} (device {}) is at offset {:#x}, its "
            "description says {:#x}, return HCCL_E_INTERNAL",
            ownerRank_, ownerDevice_, rt::notifyOffset(notify), offset_);
        return HCCL_E_INTERNAL;
    }
    notify_ = notify;
    return HCCL_SUCCESS;
}

// The owner is another process: its notify is a slot of its runtime area, which a link to that
// process has mapped (the area's fd travels with the link's exchange message).
HcclResult RemoteNotify::openInPeerArea() {
    rt::PeerArea *area = nullptr;
    const hcclcpu::platform::AreaName name{ownerPid_, areaId_};
    if (hcclcpu::platform::acquireMappedPeerArea(name, &area) != HCCL_SUCCESS) {
        HCPU_ERROR(
            "remote notify open: the notify of rank {} (device {}, offset {:#x}) belongs to "
            "process {}, whose runtime area was not shared with this process (a link to it "
            "shares it at set-up), return HCCL_E_NOT_SUPPORT",
            ownerRank_, ownerDevice_, offset_, ownerPid_);
        return HCCL_E_NOT_SUPPORT;
    }
    rt::Notify *notify = nullptr;
    rt::Err err = rt::peerAreaNotify(area, offset_, &notify);
    if (err != rt::Err::kOk) {
        hcclcpu::platform::releasePeerArea(area);
        HCPU_ERROR(
            "remote notify open: process {} (rank {}, device {}) has no notify at offset {:#x}, "
            "return HCCL_E_INTERNAL",
            ownerPid_, ownerRank_, ownerDevice_, offset_);
        return HCCL_E_INTERNAL;
    }
    peerArea_ = area;
    notify_ = notify;
    return HCCL_SUCCESS;
}

HcclResult RemoteNotify::Close() {
    notify_ = nullptr;
    if (peerArea_ != nullptr) {
        hcclcpu::platform::releasePeerArea(static_cast<rt::PeerArea *>(peerArea_));
        peerArea_ = nullptr;
    }
    return HCCL_SUCCESS;
}

HcclResult RemoteNotify::Post(Stream &stream, HcclDispatcher dispatcherPtr, s32 stage) {
    CHK_PTR_NULL(dispatcherPtr);
    CHK_PTR_NULL(notify_);
    return ::HcclSignalRecord(dispatcherPtr, notify_, stream, ownerRank_, offset_, stage, false, 0);
}

HcclResult RemoteNotify::GetNotifyOffset(u64 &notifyOffset) const {
    if (!initialised_) {
        HCPU_ERROR("remote notify: offset asked before Init, return HCCL_E_INTERNAL");
        return HCCL_E_INTERNAL;
    }
    notifyOffset = offset_;
    return HCCL_SUCCESS;
}

}  // namespace hccl
