#include "framework/bootstrap.h"

#include <poll.h>
#include <sys/random.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <fstream>

#include "common/log.h"
#include "framework/wire.h"

namespace hcclcpu::framework {

// Frame types on bootstrap connections.
enum class Bootstrap::Tag : uint32_t {
    kHandshake = 0x100,  // first frame of a connection: who is calling
    kPlain = 0x101,      // send / recv
    kAllGather = 0x102,
    kBarrier = 0x103,
};

namespace {

constexpr uint32_t kHandshakeVersion = 1;
constexpr uint64_t kMaxHandshakeBytes = 64;
constexpr uint64_t kMaxMessageBytes = 1ULL << 30;  // one bootstrap message: 1 GiB at most
constexpr size_t kMaxPendingConnections = 1024;
// How long the acceptor polls before looking at whether its own peer arrived.
constexpr int64_t kAcceptSliceMs = 50;
// transfer(): no send, or no receive.
constexpr uint32_t kNoPeer = UINT32_MAX;

const char *tagName(uint32_t tag) {
    switch (tag) {
        case 0x100:
            return "handshake";
        case 0x101:
            return "plain";
        case 0x102:
            return "allgather";
        case 0x103:
            return "barrier";
        default:
            return "unknown";
    }
}

std::string readBootId() {
    std::ifstream in("/proc/sys/kernel/random/boot_id");
    std::string id;
    std::getline(in, id);
    return id;
}

HcclResult ioFailure(const IoResult &io) {
    switch (io.status) {
        case IoStatus::kTimeout:
            return HCCL_E_TIMEOUT;
        case IoStatus::kRefused:
            return HCCL_E_TCP_CONNECT;
        case IoStatus::kMalformed:
            return HCCL_E_INTERNAL;
        default:
            return HCCL_E_TCP_TRANSFER;
    }
}

}  // namespace

// ---- identity -------------------------------------------------------------------------------

HcclResult randomSecret(Secret *secret) {
    size_t filled = 0;
    while (filled < secret->size()) {
        ssize_t got = getrandom(secret->data() + filled, secret->size() - filled, 0);
        if (got < 0) {
            if (errno == EINTR) continue;
            HCPU_ERROR("getrandom failed: {}", std::strerror(errno));
            return HCCL_E_SYSCALL;
        }
        filled += static_cast<size_t>(got);
    }
    return HCCL_SUCCESS;
}

PeerInfo localProcessInfo() {
    // Recomputed in a forked child: it is another process.
    static std::mutex mutex;
    static PeerInfo cached;
    std::lock_guard lock(mutex);
    uint32_t pid = static_cast<uint32_t>(getpid());
    if (cached.pid != pid) {
        cached = PeerInfo{};
        cached.pid = pid;
        Secret random{};
        if (randomSecret(&random) != HCCL_SUCCESS) {
            // Still distinct per process in practice: pid and time.
            uint64_t fallback = (static_cast<uint64_t>(pid) << 32) ^ static_cast<uint64_t>(nowNs());
            std::memcpy(random.data(), &fallback, sizeof(fallback));
        }
        std::memcpy(&cached.processToken, random.data(), sizeof(cached.processToken));
        char host[256] = {};
        gethostname(host, sizeof(host) - 1);
        cached.hostname = host;
        cached.bootId = readBootId();
    }
    return cached;
}

// ---- channels -------------------------------------------------------------------------------

struct Bootstrap::Channel {
    std::mutex mutex;  // one operation at a time in this direction
    UniqueFd fd;       // incoming: assigned by the acceptor under acceptMutex_, then constant
    HcclResult failure = HCCL_SUCCESS;
};

struct Bootstrap::PendingConnection {
    UniqueFd fd;
    SocketAddress from;
    FrameReader reader{kMaxHandshakeBytes};
};

Bootstrap::Bootstrap(uint32_t rank, std::vector<PeerInfo> peers, const Secret &secret,
                     UniqueFd listener, int64_t timeoutMs)
    : rank_(rank),
      peers_(std::move(peers)),
      secret_(secret),
      listener_(std::move(listener)),
      timeoutMs_(timeoutMs) {
    for (size_t i = 0; i < peers_.size(); ++i) {
        outgoing_.push_back(std::make_unique<Channel>());
        incoming_.push_back(std::make_unique<Channel>());
    }
}

Bootstrap::~Bootstrap() = default;

HcclResult Bootstrap::checkPeer(uint32_t peer, const char *what) const {
    if (peer >= size() || peer == rank_) {
        HCPU_ERROR("bootstrap {}: rank {} of {} cannot address rank {}", what, rank_, size(), peer);
        return HCCL_E_PARA;
    }
    return HCCL_SUCCESS;
}

HcclResult Bootstrap::fail(Channel &channel, HcclResult code) {
    channel.failure = code;
    {
        // The acceptor reads incoming descriptors under this lock.
        std::lock_guard lock(acceptMutex_);
        channel.fd.reset();
    }
    HcclResult healthy = HCCL_SUCCESS;
    broken_.compare_exchange_strong(healthy, code);
    return code;
}

HcclResult Bootstrap::ensureOutgoing(uint32_t peer, Channel &channel, Deadline deadline) {
    if (channel.failure != HCCL_SUCCESS) return channel.failure;
    if (channel.fd.valid()) return HCCL_SUCCESS;
    // The peer listened before the rendezvous completed: a refusal means it is gone.
    UniqueFd fd;
    IoResult io = connectTo(peers_[peer].address, deadline, &fd);
    if (!io.ok()) {
        HCPU_ERROR("bootstrap: rank {} cannot connect to rank {} at {}: {}", rank_, peer,
                   peers_[peer].address.toString(), io.describe());
        return fail(channel, io.status == IoStatus::kTimeout ? HCCL_E_TIMEOUT : HCCL_E_TCP_CONNECT);
    }
    WireWriter hello;
    hello.u32(kHandshakeVersion);
    hello.raw(secret_.data(), secret_.size());
    hello.u32(rank_);
    hello.u32(peer);
    io = sendFrame(fd.get(), static_cast<uint32_t>(Tag::kHandshake), hello.bytes().data(),
                   hello.bytes().size(), deadline);
    if (!io.ok()) {
        HCPU_ERROR("bootstrap: rank {} cannot greet rank {}: {}", rank_, peer, io.describe());
        return fail(channel, ioFailure(io));
    }
    channel.fd = std::move(fd);
    return HCCL_SUCCESS;
}

HcclResult Bootstrap::acceptRound(Deadline until) {
    std::vector<pollfd> fds;
    fds.push_back({listener_.get(), POLLIN, 0});
    for (const auto &p : pending_)
        fds.push_back({p->fd.get(), POLLIN, 0});
    int rc = ::poll(fds.data(), fds.size(), until.pollMs());
    if (rc < 0 && errno != EINTR) {
        HCPU_ERROR("bootstrap: rank {}: poll on its listener failed: {}", rank_,
                   std::strerror(errno));
        return HCCL_E_TCP_CONNECT;
    }
    if (rc <= 0) return HCCL_SUCCESS;

    // Handshakes in progress first (their indices match fds[1..]).
    std::vector<std::unique_ptr<PendingConnection>> stillPending;
    for (size_t i = 0; i < pending_.size(); ++i) {
        auto &p = pending_[i];
        if (fds[i + 1].revents == 0) {
            stillPending.push_back(std::move(p));
            continue;
        }
        IoResult io = p->reader.readSome(p->fd.get());
        if (io.status == IoStatus::kPending) {
            stillPending.push_back(std::move(p));
            continue;
        }
        if (!io.ok()) {
            HCPU_ERROR("bootstrap: rank {} drops a connection from {}: {}", rank_,
                       p->from.toString(), io.describe());
            continue;
        }
        WireReader in(p->reader.payload().data(), p->reader.payload().size());
        uint32_t version = in.u32();
        Secret secret{};
        in.raw(secret.data(), secret.size());
        uint32_t from = in.u32();
        uint32_t to = in.u32();
        std::string reason;
        if (p->reader.type() != static_cast<uint32_t>(Tag::kHandshake) || !in.finished())
            reason = "malformed handshake";
        else if (version != kHandshakeVersion)
            reason = fmt::format("handshake version {}, expected {}", version, kHandshakeVersion);
        else if (secret != secret_)
            reason = "wrong secret (a connection for another communicator)";
        else if (to != rank_ || from >= size() || from == rank_)
            reason = fmt::format("handshake from rank {} to rank {}", from, to);
        std::lock_guard lock(acceptMutex_);
        if (reason.empty() && incoming_[from]->fd.valid())
            reason = fmt::format("rank {} is already connected", from);
        if (!reason.empty()) {
            HCPU_ERROR("bootstrap: rank {} drops a connection from {}: {}", rank_,
                       p->from.toString(), reason);
            continue;
        }
        incoming_[from]->fd = std::move(p->fd);
        acceptCv_.notify_all();
    }
    pending_ = std::move(stillPending);

    if (fds[0].revents != 0) {
        for (;;) {
            auto p = std::make_unique<PendingConnection>();
            IoResult io = acceptOne(listener_.get(), &p->fd, &p->from);
            if (io.status == IoStatus::kPending) break;
            if (!io.ok()) {
                HCPU_ERROR("bootstrap: rank {}: accept failed: {}", rank_, io.describe());
                break;
            }
            if (pending_.size() >= kMaxPendingConnections) {
                HCPU_ERROR("bootstrap: rank {} drops a connection from {}: too many pending", rank_,
                           p->from.toString());
                continue;
            }
            pending_.push_back(std::move(p));
        }
    }
    return HCCL_SUCCESS;
}

HcclResult Bootstrap::ensureIncoming(uint32_t peer, Deadline deadline) {
    Channel &channel = *incoming_[peer];
    std::unique_lock lock(acceptMutex_);
    while (!channel.fd.valid()) {
        if (deadline.expired()) {
            HCPU_ERROR("bootstrap: rank {} waited {} ms for rank {} to connect", rank_, timeoutMs(),
                       peer);
            return HCCL_E_TIMEOUT;
        }
        if (accepting_) {
            acceptCv_.wait_for(lock, std::chrono::milliseconds(kAcceptSliceMs));
            continue;
        }
        accepting_ = true;
        lock.unlock();
        HcclResult result = acceptRound(deadline.earlier(Deadline::afterMs(kAcceptSliceMs)));
        lock.lock();
        accepting_ = false;
        acceptCv_.notify_all();
        if (result != HCCL_SUCCESS) return result;
    }
    return HCCL_SUCCESS;
}

// ---- transfers ------------------------------------------------------------------------------

HcclResult Bootstrap::transfer(uint32_t sendPeer, Tag sendTag, const void *sendData,
                               size_t sendSize, uint32_t recvPeer, Tag recvTag,
                               std::vector<uint8_t> *recvData) {
    const bool sending = sendPeer != kNoPeer;
    const bool receiving = recvPeer != kNoPeer;
    const int64_t timeoutMs = this->timeoutMs();
    Deadline deadline = Deadline::afterMs(timeoutMs);

    // Lock order: the outgoing channel, then the incoming one.
    std::unique_lock<std::mutex> outLock, inLock;
    Channel *out = nullptr, *in = nullptr;
    if (sending) {
        out = outgoing_[sendPeer].get();
        outLock = std::unique_lock(out->mutex);
        if (HcclResult r = ensureOutgoing(sendPeer, *out, deadline); r != HCCL_SUCCESS) return r;
    }
    if (receiving) {
        in = incoming_[recvPeer].get();
        inLock = std::unique_lock(in->mutex);
        if (in->failure != HCCL_SUCCESS) return in->failure;
        if (HcclResult r = ensureIncoming(recvPeer, deadline); r != HCCL_SUCCESS) return r;
    }

    FrameWriter writer(static_cast<uint32_t>(sendTag), sendData, sendSize);
    FrameReader reader(kMaxMessageBytes);
    bool sendDone = !sending, recvDone = !receiving;
    while (!sendDone || !recvDone) {
        if (!sendDone) {
            IoResult io = writer.writeSome(out->fd.get());
            if (io.ok()) {
                sendDone = true;
            } else if (io.status != IoStatus::kPending) {
                HCPU_ERROR("bootstrap: rank {} lost its connection to rank {} while sending: {}",
                           rank_, sendPeer, io.describe());
                return fail(*out, ioFailure(io));
            }
        }
        if (!recvDone) {
            IoResult io = reader.readSome(in->fd.get());
            if (io.ok()) {
                recvDone = true;
            } else if (io.status != IoStatus::kPending) {
                HCPU_ERROR(
                    "bootstrap: rank {} lost its connection from rank {} while "
                    "receiving: {}",
                    rank_, recvPeer, io.describe());
                return fail(*in, ioFailure(io));
            }
        }
        if (sendDone && recvDone) break;
        pollfd fds[2];
        nfds_t count = 0;
        if (!sendDone) fds[count++] = {out->fd.get(), POLLOUT, 0};
        if (!recvDone) fds[count++] = {in->fd.get(), POLLIN, 0};
        int rc = ::poll(fds, count, deadline.pollMs());
        if (rc < 0 && errno != EINTR) {
            HCPU_ERROR("bootstrap: rank {}: poll failed: {}", rank_, std::strerror(errno));
            return HCCL_E_TCP_TRANSFER;
        }
        if (rc == 0) {
            // A half-sent or half-read message leaves the connection out of step: retire it.
            if (!sendDone) {
                HCPU_ERROR("bootstrap: rank {} could not send to rank {} within {} ms", rank_,
                           sendPeer, timeoutMs);
                if (writer.started()) fail(*out, HCCL_E_TIMEOUT);
            }
            if (!recvDone) {
                HCPU_ERROR("bootstrap: rank {} received nothing from rank {} within {} ms", rank_,
                           recvPeer, timeoutMs);
                if (reader.started()) fail(*in, HCCL_E_TIMEOUT);
            }
            return HCCL_E_TIMEOUT;
        }
    }
    if (receiving) {
        if (reader.type() != static_cast<uint32_t>(recvTag)) {
            HCPU_ERROR(
                "bootstrap: rank {} expected a {} message from rank {}, got a {} message "
                "(ranks called different operations)",
                rank_, tagName(static_cast<uint32_t>(recvTag)), recvPeer, tagName(reader.type()));
            return fail(*in, HCCL_E_INTERNAL);
        }
        *recvData = std::move(reader.payload());
    }
    return HCCL_SUCCESS;
}

HcclResult Bootstrap::send(uint32_t peer, const void *data, size_t size) {
    if (HcclResult r = checkPeer(peer, "send"); r != HCCL_SUCCESS) return r;
    if (data == nullptr && size != 0) return HCCL_E_PTR;
    return transfer(peer, Tag::kPlain, data, size, kNoPeer, Tag::kPlain, nullptr);
}

HcclResult Bootstrap::recv(uint32_t peer, std::vector<uint8_t> &data) {
    if (HcclResult r = checkPeer(peer, "recv"); r != HCCL_SUCCESS) return r;
    return transfer(kNoPeer, Tag::kPlain, nullptr, 0, peer, Tag::kPlain, &data);
}

HcclResult Bootstrap::recv(uint32_t peer, void *data, size_t size) {
    if (data == nullptr && size != 0) return HCCL_E_PTR;
    std::vector<uint8_t> message;
    if (HcclResult r = recv(peer, message); r != HCCL_SUCCESS) return r;
    if (message.size() != size) {
        HCPU_ERROR("bootstrap: rank {} expected {} bytes from rank {}, got {}", rank_, size, peer,
                   message.size());
        return HCCL_E_INTERNAL;
    }
    if (size != 0) std::memcpy(data, message.data(), size);
    return HCCL_SUCCESS;
}

HcclResult Bootstrap::sendRecv(uint32_t sendPeer, const void *sendData, size_t sendSize,
                               uint32_t recvPeer, std::vector<uint8_t> &recvData) {
    if (HcclResult r = checkPeer(sendPeer, "sendRecv"); r != HCCL_SUCCESS) return r;
    if (HcclResult r = checkPeer(recvPeer, "sendRecv"); r != HCCL_SUCCESS) return r;
    if (sendData == nullptr && sendSize != 0) return HCCL_E_PTR;
    return transfer(sendPeer, Tag::kPlain, sendData, sendSize, recvPeer, Tag::kPlain, &recvData);
}

HcclResult Bootstrap::allGather(const void *data, size_t bytes,
                                std::vector<std::vector<uint8_t>> &all) {
    if (data == nullptr && bytes != 0) return HCCL_E_PTR;
    const uint32_t n = size();
    all.assign(n, {});
    const auto *first = static_cast<const uint8_t *>(data);
    all[rank_].assign(first, first + bytes);
    // Ring: in step s every rank passes on the block it received in step s-1 (its own first)
    // and receives the block of the rank s+1 places before it.
    const uint32_t next = (rank_ + 1) % n, prev = (rank_ + n - 1) % n;
    for (uint32_t step = 0; step + 1 < n; ++step) {
        uint32_t sendBlock = (rank_ + n - step) % n;
        uint32_t recvBlock = (rank_ + n - step - 1) % n;
        const std::vector<uint8_t> &out = all[sendBlock];
        HcclResult r = transfer(next, Tag::kAllGather, out.data(), out.size(), prev,
                                Tag::kAllGather, &all[recvBlock]);
        if (r != HCCL_SUCCESS) return r;
    }
    return HCCL_SUCCESS;
}

HcclResult Bootstrap::barrier() {
    const uint32_t n = size();
    std::vector<uint8_t> ignored;
    // Round k: tell rank+2^k, hear from rank-2^k. After ceil(log2 n) rounds every rank has
    // heard, indirectly, from every other.
    for (uint32_t distance = 1; distance < n; distance <<= 1) {
        uint32_t to = (rank_ + distance) % n;
        uint32_t from = (rank_ + n - distance) % n;
        static const uint8_t kToken = 0;
        HcclResult r = transfer(to, Tag::kBarrier, &kToken, 0, from, Tag::kBarrier, &ignored);
        if (r != HCCL_SUCCESS) return r;
    }
    return HCCL_SUCCESS;
}

}  // namespace hcclcpu::framework
