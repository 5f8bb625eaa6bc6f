#include "platform/process_rendezvous.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstring>

#include "common/clock.h"
#include "common/fd_passing.h"
#include "common/log.h"
#include "transport_pub.h"

namespace hcclcpu::platform {

namespace {

constexpr u32 kHelloMagic = 0x4c504348;  // "HCPL"
constexpr u32 kHelloVersion = 1;
constexpr u32 kFrameMagic = 0x46504348;                              // "HCPF"
constexpr size_t kMaxNameBytes = sizeof(sockaddr_un::sun_path) - 1;  // after the leading NUL

struct FrameHeader {
    u32 magic;
    u32 fdCount;
    u64 length;
};

void closeAll(std::vector<int> &fds) {
    for (int fd : fds)
        if (fd >= 0) close(fd);
    fds.clear();
}

socklen_t abstractAddress(const std::string &name, sockaddr_un *address) {
    *address = sockaddr_un{};
    address->sun_family = AF_UNIX;
    std::memcpy(address->sun_path + 1, name.data(), name.size());
    return static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + 1 + name.size());
}

void sleepMs(int ms) {
    if (ms > 0) (void)poll(nullptr, 0, ms);
}

}  // namespace

Rendezvous::Rendezvous(const RankHello &self, const std::string &jobId, s64 deadlineNs,
                       u32 timeoutS)
    : self_(self), jobId_(jobId), deadlineNs_(deadlineNs), timeoutS_(timeoutS) {
    self_.magic = kHelloMagic;
    self_.version = kHelloVersion;
    self_.jobHash = jobHash(jobId);
    self_.pid = static_cast<s32>(getpid());
}

Rendezvous::~Rendezvous() {
    closeListener();
}

u64 Rendezvous::jobHash(const std::string &jobId) {
    u64 hash = 0xcbf29ce484222325ULL;  // FNV-1a
    for (unsigned char c : jobId) {
        hash ^= c;
        hash *= 0x100000001b3ULL;
    }
    return hash;
}

std::string Rendezvous::socketName(const std::string &jobId, u32 rank) {
    const std::string prefix = fmt::format("hcclcpu.{}.", getuid());
    const std::string suffix = fmt::format(".{}", rank);
    if (prefix.size() + jobId.size() + suffix.size() <= kMaxNameBytes)
        return prefix + jobId + suffix;
    return fmt::format("{}h{:016x}{}", prefix, jobHash(jobId), suffix);  // a long jobId
}

int Rendezvous::remainingMs() const {
    const s64 left = deadlineNs_ - nowNs();
    if (left <= 0) return 0;
    return static_cast<int>(std::min<s64>((left + 999999) / 1000000, 1 << 30));
}

HcclResult Rendezvous::listen() {
    const std::string name = socketName(jobId_, self_.rank);
    listener_ = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (listener_ < 0) {
        HCPU_ERROR("rank {} of job {}: cannot create a socket: {}, return HCCL_E_SYSCALL",
                   self_.rank, jobId_, std::strerror(errno));
        return HCCL_E_SYSCALL;
    }
    sockaddr_un address;
    socklen_t length = abstractAddress(name, &address);
    if (bind(listener_, reinterpret_cast<sockaddr *>(&address), length) != 0) {
        const int error = errno;
        closeListener();
        if (error == EADDRINUSE) {
            HCPU_ERROR(
                "rank {} of job {}: another process already holds this rank (socket @{} is in "
                "use), return HCCL_E_UNAVAIL",
                self_.rank, jobId_, name);
            return HCCL_E_UNAVAIL;
        }
        HCPU_ERROR("rank {} of job {}: cannot bind @{}: {}, return HCCL_E_SYSCALL", self_.rank,
                   jobId_, name, std::strerror(error));
        return HCCL_E_SYSCALL;
    }
    if (::listen(listener_, SOMAXCONN) != 0) {
        HCPU_ERROR("rank {} of job {}: cannot listen on @{}: {}, return HCCL_E_SYSCALL", self_.rank,
                   jobId_, name, std::strerror(errno));
        closeListener();
        return HCCL_E_SYSCALL;
    }
    return HCCL_SUCCESS;
}

void Rendezvous::closeListener() {
    if (listener_ >= 0) close(listener_);
    listener_ = -1;
}

HcclResult Rendezvous::checkHello(const RankHello &hello, const char *from) const {
    if (hello.magic != kHelloMagic || hello.version != kHelloVersion) {
        HCPU_ERROR(
            "rank {} of job {}: {} did not introduce itself as a link set rank (magic {:#x}, "
            "version {}), return HCCL_E_INTERNAL",
            self_.rank, jobId_, from, hello.magic, hello.version);
        return HCCL_E_INTERNAL;
    }
    if (hello.jobHash != self_.jobHash || hello.rankSize != self_.rankSize ||
        hello.notifyNum != self_.notifyNum || hello.linkAttribute != self_.linkAttribute) {
        HCPU_ERROR(
            "rank {} of job {}: {} (rank {}, pid {}) disagrees on the job: it has job hash "
            "{:#x}, {} ranks, {} user notifies, link attribute {:#x}; this rank has {:#x}, {}, "
            "{}, {:#x}; return HCCL_E_INTERNAL",
            self_.rank, jobId_, from, hello.rank, hello.pid, hello.jobHash, hello.rankSize,
            hello.notifyNum, hello.linkAttribute, self_.jobHash, self_.rankSize, self_.notifyNum,
            self_.linkAttribute);
        return HCCL_E_INTERNAL;
    }
    return HCCL_SUCCESS;
}

HcclResult Rendezvous::connectTo(u32 peer, int *socketOut, RankHello *peerHello) {
    const std::string name = socketName(jobId_, peer);
    sockaddr_un address;
    socklen_t length = abstractAddress(name, &address);
    int lastError = 0;
    int backoffMs = 1;
    int sock = -1;
    for (;;) {
        sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (sock < 0) {
            HCPU_ERROR("rank {} of job {}: cannot create a socket: {}, return HCCL_E_SYSCALL",
                       self_.rank, jobId_, std::strerror(errno));
            return HCCL_E_SYSCALL;
        }
        if (connect(sock, reinterpret_cast<sockaddr *>(&address), length) == 0) break;
        lastError = errno;  // ECONNREFUSED: not listening yet; EAGAIN: its backlog is full
        close(sock);
        sock = -1;
        const int left = remainingMs();
        if (left == 0) {
            HCPU_ERROR(
                "rank {} of job {}: rank {} did not show up within {} s (HCCL_CONNECT_TIMEOUT): "
                "nobody answers at @{} ({}); is that rank running with the same job id? return "
                "HCCL_E_TIMEOUT",
                self_.rank, jobId_, peer, timeoutS_, name, std::strerror(lastError));
            return HCCL_E_TIMEOUT;
        }
        sleepMs(std::min(backoffMs, left));
        backoffMs = std::min(backoffMs * 2, 50);
    }
    const int flags = fcntl(sock, F_GETFL);
    (void)fcntl(sock, F_SETFL, flags & ~O_NONBLOCK);
    RankHello expected;
    expected.rank = peer;
    std::vector<u8> mine(sizeof(self_)), theirs;
    std::memcpy(mine.data(), &self_, sizeof(self_));
    std::vector<int> fds;
    HcclResult result = send(sock, expected, mine, {});
    if (result == HCCL_SUCCESS) result = receive(sock, expected, theirs, fds);
    closeAll(fds);
    if (result == HCCL_SUCCESS && theirs.size() != sizeof(RankHello)) {
        HCPU_ERROR(
            "rank {} of job {}: rank {} answered with {} bytes, not a hello, return "
            "HCCL_E_INTERNAL",
            self_.rank, jobId_, peer, theirs.size());
        result = HCCL_E_INTERNAL;
    }
    if (result == HCCL_SUCCESS) {
        std::memcpy(peerHello, theirs.data(), sizeof(RankHello));
        result = checkHello(*peerHello, fmt::format("the process at @{}", name).c_str());
    }
    if (result == HCCL_SUCCESS && peerHello->rank != peer) {
        HCPU_ERROR(
            "rank {} of job {}: the process at @{} says it is rank {}, return "
            "HCCL_E_INTERNAL",
            self_.rank, jobId_, name, peerHello->rank);
        result = HCCL_E_INTERNAL;
    }
    if (result != HCCL_SUCCESS) {
        close(sock);
        return result;
    }
    *socketOut = sock;
    return HCCL_SUCCESS;
}

HcclResult Rendezvous::acceptNext(const std::vector<bool> &waitingFor, int *socketOut,
                                  RankHello *peerHello) {
    int sock = -1;
    for (;;) {
        pollfd p{listener_, POLLIN, 0};
        int ready = poll(&p, 1, remainingMs());
        if (ready < 0 && errno == EINTR) continue;
        if (ready == 0) {
            std::string missing;
            for (u32 r = 0; r < waitingFor.size(); ++r)
                if (waitingFor[r]) missing += fmt::format("{}{}", missing.empty() ? "" : ", ", r);
            HCPU_ERROR(
                "rank {} of job {}: rank(s) {} did not show up within {} s "
                "(HCCL_CONNECT_TIMEOUT), return HCCL_E_TIMEOUT",
                self_.rank, jobId_, missing, timeoutS_);
            return HCCL_E_TIMEOUT;
        }
        if (ready < 0) {
            HCPU_ERROR("rank {} of job {}: poll on the listener failed: {}, return HCCL_E_SYSCALL",
                       self_.rank, jobId_, std::strerror(errno));
            return HCCL_E_SYSCALL;
        }
        sock = accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
        if (sock >= 0) break;
        if (errno != EINTR && errno != ECONNABORTED && errno != EAGAIN) {
            HCPU_ERROR("rank {} of job {}: accept failed: {}, return HCCL_E_SYSCALL", self_.rank,
                       jobId_, std::strerror(errno));
            return HCCL_E_SYSCALL;
        }
    }
    RankHello unknown;
    unknown.rank = INVALID_VALUE_RANKID;
    std::vector<u8> theirs;
    std::vector<int> fds;
    HcclResult result = receive(sock, unknown, theirs, fds);
    closeAll(fds);
    if (result == HCCL_SUCCESS && theirs.size() != sizeof(RankHello)) {
        HCPU_ERROR(
            "rank {} of job {}: a connecting process sent {} bytes, not a hello, return "
            "HCCL_E_INTERNAL",
            self_.rank, jobId_, theirs.size());
        result = HCCL_E_INTERNAL;
    }
    if (result == HCCL_SUCCESS) {
        // Answered before it is checked, so a rank that disagrees on the job learns why too.
        std::memcpy(peerHello, theirs.data(), sizeof(RankHello));
        std::vector<u8> mine(sizeof(self_));
        std::memcpy(mine.data(), &self_, sizeof(self_));
        result = send(sock, *peerHello, mine, {});
    }
    if (result == HCCL_SUCCESS) result = checkHello(*peerHello, "a connecting process");
    if (result == HCCL_SUCCESS &&
        (peerHello->rank >= waitingFor.size() || !waitingFor[peerHello->rank])) {
        HCPU_ERROR(
            "rank {} of job {}: a process (pid {}) connected as rank {}, which is not a rank "
            "this one waits for (it connects to lower ranks only, and once), return "
            "HCCL_E_INTERNAL",
            self_.rank, jobId_, peerHello->pid, peerHello->rank);
        result = HCCL_E_INTERNAL;
    }
    if (result != HCCL_SUCCESS) {
        close(sock);
        return result;
    }
    *socketOut = sock;
    return HCCL_SUCCESS;
}

HcclResult Rendezvous::send(int sock, const RankHello &peer, const std::vector<u8> &payload,
                            const std::vector<int> &fds) const {
    if (fds.size() > static_cast<size_t>(kMaxPassedFds)) {
        HCPU_ERROR("rank {}: {} descriptors for rank {} exceed {}, return HCCL_E_INTERNAL",
                   self_.rank, fds.size(), peer.rank, kMaxPassedFds);
        return HCCL_E_INTERNAL;
    }
    FrameHeader header{kFrameMagic, static_cast<u32>(fds.size()), payload.size()};
    // The payload's own send carries no descriptors: they ride on the header.
    if (!sendWithFds(sock, &header, sizeof(header), fds.data(), static_cast<int>(fds.size())) ||
        (!payload.empty() && !sendWithFds(sock, payload.data(), payload.size(), nullptr, 0))) {
        HCPU_ERROR(
            "rank {} of job {}: sending the link set-up to rank {} (pid {}) failed: {}, return "
            "HCCL_E_TCP_TRANSFER",
            self_.rank, jobId_, peer.rank, peer.pid, std::strerror(errno));
        return HCCL_E_TCP_TRANSFER;
    }
    return HCCL_SUCCESS;
}

HcclResult Rendezvous::receive(int sock, const RankHello &peer, std::vector<u8> &payload,
                               std::vector<int> &fds) const {
    fds.clear();
    auto failed = [&](const char *what) {
        std::string who = peer.rank == INVALID_VALUE_RANKID ? std::string("a connecting process")
                                                            : fmt::format("rank {}", peer.rank);
        if (peer.pid >= 0) who += fmt::format(" (pid {})", peer.pid);
        if (errno == ETIMEDOUT) {
            HCPU_ERROR(
                "rank {} of job {}: {} sent no {} within {} s (HCCL_CONNECT_TIMEOUT), return "
                "HCCL_E_TIMEOUT",
                self_.rank, jobId_, who, what, timeoutS_);
            return HCCL_E_TIMEOUT;
        }
        HCPU_ERROR(
            "rank {} of job {}: {} closed the connection during the link set-up ({} while "
            "reading its {}; its process may have died), return HCCL_E_TCP_TRANSFER",
            self_.rank, jobId_, who, std::strerror(errno), what);
        return HCCL_E_TCP_TRANSFER;
    };
    FrameHeader header{};
    int received[kMaxPassedFds];
    int count = 0;
    bool ok = recvWithFds(sock, &header, sizeof(header), received, &count, remainingMs());
    fds.assign(received, received + count);
    if (!ok) {
        closeAll(fds);
        return failed("message");
    }
    if (header.magic != kFrameMagic || header.fdCount != static_cast<u32>(count) ||
        header.length > hccl::MAX_EXCHANGE_DATA_LEN) {
        HCPU_ERROR(
            "rank {} of job {}: a malformed set-up message from rank {} (magic {:#x}, {} bytes, "
            "{} of {} descriptors), return HCCL_E_INTERNAL",
            self_.rank, jobId_, peer.rank, header.magic, header.length, count, header.fdCount);
        closeAll(fds);
        return HCCL_E_INTERNAL;
    }
    payload.assign(header.length, 0);
    if (header.length == 0) return HCCL_SUCCESS;
    int extra[kMaxPassedFds];
    count = 0;
    ok = recvWithFds(sock, payload.data(), payload.size(), extra, &count, remainingMs());
    for (int i = 0; i < count; ++i)
        close(extra[i]);
    if (!ok) {
        closeAll(fds);
        return failed("message body");
    }
    return HCCL_SUCCESS;
}

}  // namespace hcclcpu::platform
