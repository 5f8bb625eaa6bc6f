#include "framework/socket.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>

#include <fmt/format.h>

namespace hcclcpu::framework {

namespace {

void putU32(uint8_t *p, uint32_t v) {
    for (int i = 0; i < 4; ++i)
        p[i] = static_cast<uint8_t>(v >> (8 * i));
}
void putU64(uint8_t *p, uint64_t v) {
    for (int i = 0; i < 8; ++i)
        p[i] = static_cast<uint8_t>(v >> (8 * i));
}
uint32_t getU32(const uint8_t *p) {
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i)
        v |= static_cast<uint32_t>(p[i]) << (8 * i);
    return v;
}
uint64_t getU64(const uint8_t *p) {
    uint64_t v = 0;
    for (int i = 0; i < 8; ++i)
        v |= static_cast<uint64_t>(p[i]) << (8 * i);
    return v;
}

IoResult fromErrno(int err) {
    switch (err) {
        case EAGAIN:
#if EWOULDBLOCK != EAGAIN
        case EWOULDBLOCK:
#endif
            return {IoStatus::kPending, 0};
        case ECONNRESET:
        case EPIPE:
        case ENOTCONN:
            return {IoStatus::kClosed, err};
        case ECONNREFUSED:
            return {IoStatus::kRefused, err};
        default:
            return {IoStatus::kError, err};
    }
}

void setNoDelay(int fd) {
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

}  // namespace

// ---- UniqueFd, Deadline ---------------------------------------------------------------------

UniqueFd &UniqueFd::operator=(UniqueFd &&other) noexcept {
    if (this != &other) reset(other.release());
    return *this;
}

int UniqueFd::release() {
    int fd = fd_;
    fd_ = -1;
    return fd;
}

void UniqueFd::reset(int fd) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
}

int Deadline::pollMs() const {
    if (atNs_ == INT64_MAX) return -1;
    int64_t left = atNs_ - nowNs();
    if (left <= 0) return 0;
    int64_t ms = (left + 999999) / 1000000;
    return static_cast<int>(std::min<int64_t>(ms, INT_MAX));
}

// ---- SocketAddress --------------------------------------------------------------------------

std::optional<SocketAddress> SocketAddress::parse(const std::string &text, uint16_t port) {
    SocketAddress address;
    address.port = port;
    if (inet_pton(AF_INET, text.c_str(), address.ip) == 1) {
        address.family = AF_INET;
        return address;
    }
    if (inet_pton(AF_INET6, text.c_str(), address.ip) == 1) {
        address.family = AF_INET6;
        return address;
    }
    return std::nullopt;
}

SocketAddress SocketAddress::fromSockaddr(const sockaddr *addr) {
    SocketAddress address;
    if (addr->sa_family == AF_INET6) {
        const auto *in6 = reinterpret_cast<const sockaddr_in6 *>(addr);
        address.family = AF_INET6;
        std::memcpy(address.ip, &in6->sin6_addr, 16);
        address.port = ntohs(in6->sin6_port);
    } else {
        const auto *in4 = reinterpret_cast<const sockaddr_in *>(addr);
        address.family = AF_INET;
        std::memcpy(address.ip, &in4->sin_addr, 4);
        address.port = ntohs(in4->sin_port);
    }
    return address;
}

socklen_t SocketAddress::toSockaddr(sockaddr_storage *out) const {
    std::memset(out, 0, sizeof(*out));
    if (family == AF_INET6) {
        auto *in6 = reinterpret_cast<sockaddr_in6 *>(out);
        in6->sin6_family = AF_INET6;
        std::memcpy(&in6->sin6_addr, ip, 16);
        in6->sin6_port = htons(port);
        return sizeof(sockaddr_in6);
    }
    auto *in4 = reinterpret_cast<sockaddr_in *>(out);
    in4->sin_family = AF_INET;
    std::memcpy(&in4->sin_addr, ip, 4);
    in4->sin_port = htons(port);
    return sizeof(sockaddr_in);
}

std::string SocketAddress::ipString() const {
    char text[INET6_ADDRSTRLEN] = {};
    inet_ntop(family, ip, text, sizeof(text));
    return text;
}

std::string SocketAddress::toString() const {
    if (family == AF_INET6) return fmt::format("[{}]:{}", ipString(), port);
    return fmt::format("{}:{}", ipString(), port);
}

bool SocketAddress::isLoopback() const {
    if (family == AF_INET) return ip[0] == 127;
    static const uint8_t kLoopback6[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    return std::memcmp(ip, kLoopback6, 16) == 0;
}

bool SocketAddress::operator==(const SocketAddress &other) const {
    size_t bytes = family == AF_INET6 ? 16 : 4;
    return family == other.family && port == other.port && std::memcmp(ip, other.ip, bytes) == 0;
}

std::string IoResult::describe() const {
    switch (status) {
        case IoStatus::kOk:
            return "ok";
        case IoStatus::kPending:
            return "would block";
        case IoStatus::kTimeout:
            return "timed out";
        case IoStatus::kClosed:
            return error != 0 ? fmt::format("connection closed by peer ({})", std::strerror(error))
                              : "connection closed by peer";
        case IoStatus::kRefused:
            return "connection refused";
        case IoStatus::kMalformed:
            return "malformed frame";
        case IoStatus::kError:
            return std::strerror(error);
    }
    return "unknown";
}

// ---- connections ----------------------------------------------------------------------------

IoResult listenOnFirstFree(const SocketAddress &address, const std::vector<uint16_t> &ports,
                           UniqueFd *listener, SocketAddress *bound) {
    IoResult last{IoStatus::kError, EADDRINUSE};
    for (uint16_t port : ports) {
        UniqueFd fd(::socket(address.family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
        if (!fd.valid()) return {IoStatus::kError, errno};
        // A port left in TIME_WAIT by the previous communicator can be bound again at once.
        int one = 1;
        setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
        SocketAddress candidate = address;
        candidate.port = port;
        sockaddr_storage storage;
        socklen_t length = candidate.toSockaddr(&storage);
        if (::bind(fd.get(), reinterpret_cast<sockaddr *>(&storage), length) != 0) {
            last = {IoStatus::kError, errno};
            if (errno == EADDRINUSE || errno == EACCES) continue;
            return last;
        }
        if (::listen(fd.get(), SOMAXCONN) != 0) {
            last = {IoStatus::kError, errno};
            continue;
        }
        length = sizeof(storage);
        if (::getsockname(fd.get(), reinterpret_cast<sockaddr *>(&storage), &length) != 0)
            return {IoStatus::kError, errno};
        *bound = SocketAddress::fromSockaddr(reinterpret_cast<sockaddr *>(&storage));
        *listener = std::move(fd);
        return {};
    }
    return last;
}

IoResult connectTo(const SocketAddress &address, Deadline deadline, UniqueFd *out) {
    UniqueFd fd(::socket(address.family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    if (!fd.valid()) return {IoStatus::kError, errno};
    sockaddr_storage storage;
    socklen_t length = address.toSockaddr(&storage);
    int rc;
    do {
        rc = ::connect(fd.get(), reinterpret_cast<sockaddr *>(&storage), length);
    } while (rc != 0 && errno == EINTR);
    if (rc != 0) {
        if (errno != EINPROGRESS) return fromErrno(errno);
        IoResult ready = waitReady(fd.get(), POLLOUT, deadline);
        if (!ready.ok()) return ready;
        int error = 0;
        socklen_t errorLength = sizeof(error);
        getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &error, &errorLength);
        if (error != 0) return fromErrno(error);
    }
    setNoDelay(fd.get());
    *out = std::move(fd);
    return {};
}

IoResult acceptOne(int listener, UniqueFd *out, SocketAddress *peer) {
    sockaddr_storage storage;
    for (;;) {
        socklen_t length = sizeof(storage);
        int fd = ::accept4(listener, reinterpret_cast<sockaddr *>(&storage), &length,
                           SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd >= 0) {
            setNoDelay(fd);
            out->reset(fd);
            if (peer != nullptr)
                *peer = SocketAddress::fromSockaddr(reinterpret_cast<sockaddr *>(&storage));
            return {};
        }
        if (errno == EINTR || errno == ECONNABORTED) continue;
        return fromErrno(errno);
    }
}

IoResult waitReady(int fd, short events, Deadline deadline) {
    for (;;) {
        pollfd p{fd, events, 0};
        int rc = ::poll(&p, 1, deadline.pollMs());
        if (rc > 0) return {};  // errors and hang-ups surface in the next read/write
        if (rc == 0) return {IoStatus::kTimeout, 0};
        if (errno != EINTR) return {IoStatus::kError, errno};
    }
}

// ---- frames ---------------------------------------------------------------------------------

IoResult FrameReader::readSome(int fd) {
    while (!done_) {
        uint8_t *target;
        size_t want;
        if (headerFill_ < kFrameHeaderBytes) {
            target = header_ + headerFill_;
            want = kFrameHeaderBytes - headerFill_;
        } else {
            target = payload_.data() + payloadFill_;
            want = payload_.size() - payloadFill_;
        }
        // want > 0 here: a complete frame has left the loop.
        ssize_t got = ::recv(fd, target, want, MSG_DONTWAIT);
        if (got == 0) return {IoStatus::kClosed, 0};
        if (got < 0) {
            if (errno == EINTR) continue;
            return fromErrno(errno);
        }
        if (headerFill_ < kFrameHeaderBytes) {
            headerFill_ += static_cast<size_t>(got);
            if (headerFill_ < kFrameHeaderBytes) continue;
            if (getU32(header_) != kFrameMagic) return {IoStatus::kMalformed, 0};
            type_ = getU32(header_ + 4);
            uint64_t length = getU64(header_ + 8);
            if (length > maxLength_) return {IoStatus::kMalformed, 0};
            payload_.assign(static_cast<size_t>(length), 0);
            payloadFill_ = 0;
        } else {
            payloadFill_ += static_cast<size_t>(got);
        }
        if (headerFill_ == kFrameHeaderBytes && payloadFill_ == payload_.size()) done_ = true;
    }
    return {};
}

FrameWriter::FrameWriter(uint32_t type, const void *payload, size_t length)
    : payload_(static_cast<const uint8_t *>(payload)), length_(length) {
    putU32(header_, kFrameMagic);
    putU32(header_ + 4, type);
    putU64(header_ + 8, length);
}

IoResult FrameWriter::writeSome(int fd) {
    while (!done()) {
        iovec parts[2];
        int count = 0;
        if (sent_ < kFrameHeaderBytes) {
            parts[count++] = {header_ + sent_, kFrameHeaderBytes - sent_};
            if (length_ > 0) parts[count++] = {const_cast<uint8_t *>(payload_), length_};
        } else {
            size_t offset = sent_ - kFrameHeaderBytes;
            parts[count++] = {const_cast<uint8_t *>(payload_) + offset, length_ - offset};
        }
        msghdr message{};
        message.msg_iov = parts;
        message.msg_iovlen = static_cast<size_t>(count);
        // MSG_NOSIGNAL: a vanished peer is an EPIPE to report, not a SIGPIPE that kills us.
        ssize_t put = ::sendmsg(fd, &message, MSG_DONTWAIT | MSG_NOSIGNAL);
        if (put < 0) {
            if (errno == EINTR) continue;
            return fromErrno(errno);
        }
        sent_ += static_cast<size_t>(put);
    }
    return {};
}

IoResult sendFrame(int fd, uint32_t type, const void *payload, size_t length, Deadline deadline) {
    FrameWriter writer(type, payload, length);
    for (;;) {
        IoResult result = writer.writeSome(fd);
        if (result.status != IoStatus::kPending) return result;
        result = waitReady(fd, POLLOUT, deadline);
        if (!result.ok()) return result;
    }
}

IoResult recvFrame(int fd, uint64_t maxLength, Deadline deadline, uint32_t *type,
                   std::vector<uint8_t> *payload) {
    FrameReader reader(maxLength);
    for (;;) {
        IoResult result = reader.readSome(fd);
        if (result.ok()) {
            *type = reader.type();
            *payload = std::move(reader.payload());
            return result;
        }
        if (result.status != IoStatus::kPending) return result;
        result = waitReady(fd, POLLIN, deadline);
        if (!result.ok()) return result;
    }
}

}  // namespace hcclcpu::framework
