// hccl::RemoteNotify: an opened handle to a notify that belongs to a peer rank (vendor
// remote_notify.h). A link records the peer's notifies through it; only the owner waits on them.
//
// Life cycle: the owner describes its notify with Serialize(), the bytes travel to the peer (at
// link set-up), the peer calls Init(bytes) and Open(). Within one process Open() simply refers to
// the owner's notify. A notify of another process is a slot of that process's runtime area, which
// the link to it maps at set-up (its fd travels with the link's exchange message); Open() finds it
// there, and a record then wakes the owner's waiting stream directly, through shared memory.
#ifndef HCCL_PLATFORM_REMOTE_NOTIFY_H
#define HCCL_PLATFORM_REMOTE_NOTIFY_H

#include <vector>

#include "dispatcher.h"
#include "hccl_common.h"
#include "local_notify.h"
#include "stream_pub.h"

namespace hccl {

class RemoteNotify {
  public:
    RemoteNotify() = default;
    ~RemoteNotify();
    RemoteNotify(const RemoteNotify &) = delete;
    RemoteNotify &operator=(const RemoteNotify &) = delete;

    // What a peer needs to open `notify`: its owner's rank (reported as the userRank of every
    // record), device, offset and handle. HCCL_E_PTR when `notify` was not initialised.
    static HcclResult Serialize(LocalNotify &notify, u32 ownerRank, s32 ownerDevice,
                                std::vector<u8> &serialized);

    // Parses what Serialize() produced; HCCL_E_PARA for bytes that are not such a description.
    HcclResult Init(const std::vector<u8> &serialized);
    // Makes the notify usable: HCCL_E_INTERNAL before Init, HCCL_E_NOT_SUPPORT for a notify of
    // another process whose runtime area no link has mapped in this process.
    HcclResult Open();
    // Forgets the handle (and lets go of the peer process's area); the owner's notify is not
    // affected.
    HcclResult Close();

    // Records the peer's notify on `stream` through the dispatcher; the report carries
    // notifyID = (owner rank << 32) | offset. HCCL_E_PTR for a null dispatcher or before Open.
    HcclResult Post(Stream &stream, HcclDispatcher dispatcherPtr, s32 stage = INVALID_VALUE_STAGE);

    HcclRtNotify ptr() const { return notify_; }
    HcclResult GetNotifyOffset(u64 &notifyOffset) const;  // HCCL_E_INTERNAL before Init
    u32 OwnerRank() const { return ownerRank_; }

  private:
    bool initialised_ = false;
    s32 ownerPid_ = -1;
    u32 ownerRank_ = INVALID_VALUE_RANKID;
    s32 ownerDevice_ = -1;
    u64 offset_ = INVALID_U64;
    HcclResult openInPeerArea();

    u64 handle_ = 0;  // the owner's notify handle, meaningful in the owner's process only
    u64 areaId_ = 0;  // names the owner's runtime area (with ownerPid_)
    HcclRtNotify notify_ = nullptr;
    void *peerArea_ = nullptr;  // the owner's area when it is another process (one reference)
};

}  // namespace hccl

#endif  // HCCL_PLATFORM_REMOTE_NOTIFY_H
