#include "platform/peer_areas.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <mutex>
#include <utility>

#include "common/log.h"
#include "log.h"
#include "platform/rt_bridge.h"

namespace hcclcpu::platform {

namespace {

struct Mapped {
    rt::PeerArea *area = nullptr;
    u32 references = 0;
};

struct Registry {
    std::mutex mutex;
    std::map<std::pair<s32, u64>, Mapped> areas;
};

Registry &registry() {
    static Registry *instance = new Registry;  // never destroyed: links may close at exit
    return *instance;
}

u64 inodeOf(int fd) {
    struct stat st {};
    if (fstat(fd, &st) != 0) return 0;
    return static_cast<u64>(st.st_ino);
}

}  // namespace

AreaName localAreaName() {
    static const AreaName name{static_cast<s32>(getpid()), inodeOf(rt::runtimeAreaFd())};
    return name;
}

HcclResult acquirePeerArea(const AreaName &name, int fd, rt::PeerArea **area) {
    CHK_PTR_NULL(area);
    const u64 inode = inodeOf(fd);
    if (inode == 0 || inode != name.id) {
        HCPU_ERROR(
            "peer area of process {}: fd {} is not its runtime area (inode {}, expected {}), "
            "return HCCL_E_PARA",
            name.pid, fd, inode, name.id);
        return HCCL_E_PARA;
    }
    Registry &r = registry();
    std::lock_guard<std::mutex> lock(r.mutex);
    Mapped &mapped = r.areas[{name.pid, name.id}];
    if (mapped.area == nullptr) {
        rt::PeerArea *opened = nullptr;
        rt::Err err = rt::peerAreaOpen(fd, &opened);
        if (err != rt::Err::kOk) {
            r.areas.erase({name.pid, name.id});
            return runtimeFailure(err, fmt::format("map the runtime area of process {}", name.pid));
        }
        if (rt::peerAreaPid(opened) != name.pid) {
            HCPU_ERROR(
                "peer area: the runtime area said to be process {}'s belongs to process {}, "
                "return HCCL_E_PARA",
                name.pid, rt::peerAreaPid(opened));
            rt::peerAreaClose(opened);
            r.areas.erase({name.pid, name.id});
            return HCCL_E_PARA;
        }
        mapped.area = opened;
    }
    ++mapped.references;
    *area = mapped.area;
    return HCCL_SUCCESS;
}

HcclResult acquireMappedPeerArea(const AreaName &name, rt::PeerArea **area) {
    CHK_PTR_NULL(area);
    Registry &r = registry();
    std::lock_guard<std::mutex> lock(r.mutex);
    auto it = r.areas.find({name.pid, name.id});
    if (it == r.areas.end()) return HCCL_E_NOT_FOUND;
    ++it->second.references;
    *area = it->second.area;
    return HCCL_SUCCESS;
}

void releasePeerArea(rt::PeerArea *area) {
    if (area == nullptr) return;
    Registry &r = registry();
    rt::PeerArea *unmap = nullptr;
    {
        std::lock_guard<std::mutex> lock(r.mutex);
        for (auto it = r.areas.begin(); it != r.areas.end(); ++it) {
            if (it->second.area != area) continue;
            if (--it->second.references == 0) {
                unmap = area;
                r.areas.erase(it);
            }
            break;
        }
    }
    if (unmap != nullptr) rt::peerAreaClose(unmap);
}

}  // namespace hcclcpu::platform
