// TCP plumbing for the rendezvous and the bootstrap: owned descriptors, addresses, deadlines,
// and length-prefixed frames read and written over non-blocking sockets.
//
// Every wait here has a deadline: sockets are non-blocking and every wait is a poll() bounded by
// the time left. Nothing in this file logs; callers know which rank or peer a failure concerns
// and log it there.
#pragma once

#include <sys/socket.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"

namespace hcclcpu::framework {

// Owns one file descriptor; closes it when destroyed.
class UniqueFd {
  public:
    UniqueFd() = default;
    explicit UniqueFd(int fd) : fd_(fd) {}
    UniqueFd(UniqueFd &&other) noexcept : fd_(other.release()) {}
    UniqueFd &operator=(UniqueFd &&other) noexcept;
    UniqueFd(const UniqueFd &) = delete;
    UniqueFd &operator=(const UniqueFd &) = delete;
    ~UniqueFd() { reset(); }

    int get() const { return fd_; }
    bool valid() const { return fd_ >= 0; }
    int release();
    void reset(int fd = -1);

  private:
    int fd_ = -1;
};

// A point in monotonic time by which an operation must finish.
class Deadline {
  public:
    static Deadline afterMs(int64_t ms) { return Deadline(nowNs() + ms * 1000000); }
    static Deadline never() { return Deadline(INT64_MAX); }
    bool expired() const { return atNs_ != INT64_MAX && nowNs() >= atNs_; }
    // Milliseconds left, rounded up, as poll() takes them: -1 for never, 0 once expired.
    int pollMs() const;
    Deadline earlier(Deadline other) const { return atNs_ < other.atNs_ ? *this : other; }
    int64_t atNs() const { return atNs_; }

  private:
    explicit Deadline(int64_t atNs) : atNs_(atNs) {}
    int64_t atNs_;
};

// An IPv4 or IPv6 address with a port. IPv4 uses the first 4 bytes of `ip`.
struct SocketAddress {
    int family = AF_INET;
    uint8_t ip[16] = {};
    uint16_t port = 0;

    // Parses a numeric IPv4 or IPv6 address ("127.0.0.1", "::1").
    static std::optional<SocketAddress> parse(const std::string &text, uint16_t port = 0);
    static SocketAddress fromSockaddr(const sockaddr *addr);
    socklen_t toSockaddr(sockaddr_storage *out) const;
    std::string ipString() const;
    std::string toString() const;  // "1.2.3.4:60000", "[::1]:60000"
    bool isLoopback() const;
    bool operator==(const SocketAddress &other) const;
};

// How a socket operation ended.
enum class IoStatus {
    kOk,
    kPending,    // non-blocking call: nothing more can be done until the socket is ready
    kTimeout,    // the deadline passed first
    kClosed,     // the peer closed or reset the connection (EOF, ECONNRESET, EPIPE)
    kRefused,    // connect: nobody listens there (ECONNREFUSED)
    kMalformed,  // the bytes are not a frame of ours, or longer than allowed
    kError,      // any other system error (errno in the result)
};
struct IoResult {
    IoStatus status = IoStatus::kOk;
    int error = 0;  // errno for kError/kClosed/kRefused
    bool ok() const { return status == IoStatus::kOk; }
    std::string describe() const;  // "timed out", "connection closed by peer", "..."
};

// Binds a non-blocking listening socket to `address` on the first free port of `ports` (port 0
// = any free port) and reports the bound address (with the port the kernel chose).
IoResult listenOnFirstFree(const SocketAddress &address, const std::vector<uint16_t> &ports,
                           UniqueFd *listener, SocketAddress *bound);

// One connection attempt to `address`; the socket is non-blocking with TCP_NODELAY. kRefused
// when nobody listens there.
IoResult connectTo(const SocketAddress &address, Deadline deadline, UniqueFd *out);

// Accepts one pending connection (non-blocking); kPending when none is waiting.
IoResult acceptOne(int listener, UniqueFd *out, SocketAddress *peer);

// Waits until `fd` is ready for `events` (POLLIN/POLLOUT). kTimeout at the deadline.
IoResult waitReady(int fd, short events, Deadline deadline);

// ---- frames ---------------------------------------------------------------------------------
// A frame is a 16-byte header {u32 magic, u32 type, u64 length} (little endian) followed by
// `length` payload bytes. The magic rejects stray bytes; the receiver's size limit rejects a
// length before any memory is reserved for it.
constexpr uint32_t kFrameMagic = 0x55504348;  // "HCPU"
constexpr size_t kFrameHeaderBytes = 16;

// Reads one frame incrementally from a non-blocking socket.
class FrameReader {
  public:
    explicit FrameReader(uint64_t maxLength) : maxLength_(maxLength) {}
    // Reads what is available. kOk: the frame is complete. kPending: more bytes are needed (no
    // waiting happens here). Other statuses are final.
    IoResult readSome(int fd);
    bool done() const { return done_; }
    bool started() const { return headerFill_ > 0; }
    uint32_t type() const { return type_; }
    std::vector<uint8_t> &payload() { return payload_; }

  private:
    uint64_t maxLength_;
    uint8_t header_[kFrameHeaderBytes] = {};
    size_t headerFill_ = 0;
    uint32_t type_ = 0;
    std::vector<uint8_t> payload_;
    size_t payloadFill_ = 0;
    bool done_ = false;
};

// Writes one frame incrementally to a non-blocking socket. The payload is not copied: it must
// stay alive until the frame is written.
class FrameWriter {
  public:
    FrameWriter(uint32_t type, const void *payload, size_t length);
    // kOk: everything is written. kPending: the socket is full, call again when writable.
    IoResult writeSome(int fd);
    bool done() const { return sent_ == kFrameHeaderBytes + length_; }
    bool started() const { return sent_ > 0; }

  private:
    uint8_t header_[kFrameHeaderBytes];
    const uint8_t *payload_;
    size_t length_;
    size_t sent_ = 0;
};

// Blocking-with-deadline helpers over the two classes above.
IoResult sendFrame(int fd, uint32_t type, const void *payload, size_t length, Deadline deadline);
IoResult recvFrame(int fd, uint64_t maxLength, Deadline deadline, uint32_t *type,
                   std::vector<uint8_t> *payload);

}  // namespace hcclcpu::framework
