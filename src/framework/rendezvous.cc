#include "framework/rendezvous.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <map>
#include <mutex>
#include <thread>

#include <fmt/ranges.h>

#include "common/log.h"
#include "framework/wire.h"

namespace hcclcpu::framework {

namespace {

constexpr char kRootInfoMagic[8] = {'H', 'C', 'P', 'U', 'R', 'O', 'O', 'T'};
constexpr uint8_t kWireIpv4 = 4, kWireIpv6 = 6;
constexpr size_t kMaxHostnameBytes = 255;
constexpr size_t kMaxBootIdBytes = 64;
constexpr size_t kMaxReasonBytes = 1024;
constexpr uint64_t kMaxTableBytesPerRank = 512;
// Connections the root holds that have not (yet) sent a valid hello.
constexpr size_t kMaxUnjoinedClients = 1024;
constexpr int64_t kRejectSendMs = 100;

uint32_t fnv1a32(const uint8_t *data, size_t size) {
    uint32_t hash = 2166136261u;
    for (size_t i = 0; i < size; ++i) {
        hash ^= data[i];
        hash *= 16777619u;
    }
    return hash;
}

void writeAddress(WireWriter &w, const SocketAddress &address) {
    w.u8(address.family == AF_INET6 ? kWireIpv6 : kWireIpv4);
    w.u8(0);
    w.u16(address.port);
    w.raw(address.ip, sizeof(address.ip));
}

bool readAddress(WireReader &r, SocketAddress *address) {
    uint8_t family = r.u8();
    r.u8();
    address->port = r.u16();
    r.raw(address->ip, sizeof(address->ip));
    if (family != kWireIpv4 && family != kWireIpv6) return false;
    address->family = family == kWireIpv6 ? AF_INET6 : AF_INET;
    return r.ok();
}

void writePeer(WireWriter &w, const PeerInfo &peer) {
    w.u32(peer.rank);
    w.u32(static_cast<uint32_t>(peer.device));
    w.u32(peer.pid);
    w.u64(peer.processToken);
    w.string(peer.hostname.substr(0, kMaxHostnameBytes));
    w.string(peer.bootId.substr(0, kMaxBootIdBytes));
    writeAddress(w, peer.address);
}

bool readPeer(WireReader &r, PeerInfo *peer) {
    peer->rank = r.u32();
    peer->device = static_cast<int32_t>(r.u32());
    peer->pid = r.u32();
    peer->processToken = r.u64();
    peer->hostname = r.string(kMaxHostnameBytes);
    peer->bootId = r.string(kMaxBootIdBytes);
    return readAddress(r, &peer->address) && r.ok();
}

bool decodeHello(const std::vector<uint8_t> &bytes, Hello *hello) {
    WireReader r(bytes.data(), bytes.size());
    hello->protocolVersion = r.u32();
    r.raw(hello->secret.data(), hello->secret.size());
    hello->nRanks = r.u32();
    return readPeer(r, &hello->self) && r.finished();
}

std::string secretPrefix(const Secret &secret) {
    return fmt::format("{:02x}{:02x}{:02x}{:02x}", secret[0], secret[1], secret[2], secret[3]);
}

}  // namespace

// ---- root info ------------------------------------------------------------------------------

void encodeRootInfo(const RootInfo &info, HcclRootInfo *blob) {
    WireWriter w;
    w.raw(kRootInfoMagic, sizeof(kRootInfoMagic));
    w.u32(kProtocolVersion);
    writeAddress(w, info.address);
    w.raw(info.secret.data(), info.secret.size());
    w.string(info.uniqueId.substr(0, COMM_NAME_MAX_LENGTH - 1));
    w.u32(fnv1a32(w.bytes().data(), w.bytes().size()));
    std::memset(blob->internal, 0, sizeof(blob->internal));
    std::memcpy(blob->internal, w.bytes().data(), w.bytes().size());
}

HcclResult decodeRootInfo(const HcclRootInfo *blob, RootInfo *info) {
    const auto *bytes = reinterpret_cast<const uint8_t *>(blob->internal);
    WireReader r(bytes, sizeof(blob->internal));
    char magic[sizeof(kRootInfoMagic)];
    r.raw(magic, sizeof(magic));
    if (std::memcmp(magic, kRootInfoMagic, sizeof(magic)) != 0) {
        HCPU_ERROR("root info: not a root info made by HcclGetRootInfo (bad magic)");
        return HCCL_E_PARA;
    }
    uint32_t version = r.u32();
    if (version != kProtocolVersion) {
        HCPU_ERROR("root info: protocol version {}, this library speaks {}", version,
                   kProtocolVersion);
        return HCCL_E_PARA;
    }
    RootInfo decoded;
    bool ok = readAddress(r, &decoded.address);
    r.raw(decoded.secret.data(), decoded.secret.size());
    decoded.uniqueId = r.string(COMM_NAME_MAX_LENGTH - 1);
    size_t covered = r.consumed();
    uint32_t checksum = r.u32();
    if (!ok || !r.ok() || checksum != fnv1a32(bytes, covered)) {
        HCPU_ERROR("root info: corrupted (checksum mismatch)");
        return HCCL_E_PARA;
    }
    *info = std::move(decoded);
    return HCCL_SUCCESS;
}

std::vector<uint8_t> encodeHello(const Hello &hello) {
    WireWriter w;
    w.u32(hello.protocolVersion);
    w.raw(hello.secret.data(), hello.secret.size());
    w.u32(hello.nRanks);
    writePeer(w, hello.self);
    return std::move(w.bytes());
}

// ---- the root listener ----------------------------------------------------------------------

namespace {

class RootListener {
  public:
    RootListener(UniqueFd listener, const SocketAddress &address, const Secret &secret,
                 std::string key, int32_t timeoutS)
        : listener_(std::move(listener)),
          address_(address),
          secret_(secret),
          key_(std::move(key)),
          timeoutMs_(static_cast<int64_t>(timeoutS) * 1000) {}
    ~RootListener() {
        abort(HCCL_E_INTERNAL, /*quiet=*/true);
        join();
    }

    HcclResult start() {
        wake_.reset(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC));
        if (!wake_.valid()) {
            HCPU_ERROR("root {}: eventfd failed: {}", key_, std::strerror(errno));
            return HCCL_E_SYSCALL;
        }
        try {
            thread_ = std::thread([this] { serve(); });
        } catch (const std::system_error &e) {
            HCPU_ERROR("root {}: cannot start its thread: {}", key_, e.what());
            return HCCL_E_INTERNAL;
        }
        return HCCL_SUCCESS;
    }

    // Stops serving: joined ranks receive a reject carrying `code`. `quiet`: at process exit,
    // where logging may no longer be possible.
    void abort(HcclResult code, bool quiet) {
        abortCode_.store(code);
        quietAbort_.store(quiet);
        abortRequested_.store(true);
        std::lock_guard lock(wakeMutex_);
        if (wake_.valid()) {
            uint64_t one = 1;
            [[maybe_unused]] ssize_t ignored = ::write(wake_.get(), &one, sizeof(one));
        }
    }

    void join() {
        std::lock_guard lock(joinMutex_);
        if (thread_.joinable()) thread_.join();
    }

    RootListenerStats stats() const { return {joined_.load(), rejected_.load(), finished_.load()}; }

  private:
    struct Client {
        UniqueFd fd;
        SocketAddress from;
        FrameReader reader{kMaxHelloBytes};
        bool joined = false;
        PeerInfo info;
    };

    void serve();
    void run();
    void reject(Client &client, HcclResult code, const std::string &reason);
    void rejectAll(HcclResult code, const std::string &reason);
    void handleHello(Client &client);
    void acceptNew();
    void sendTables();
    std::string missingRanks() const;

    UniqueFd listener_;
    std::mutex wakeMutex_;  // wake_ is closed by the thread when it ends
    UniqueFd wake_;
    const SocketAddress address_;
    const Secret secret_;
    const std::string key_;
    const int64_t timeoutMs_;
    std::thread thread_;
    std::mutex joinMutex_;
    std::atomic<bool> abortRequested_{false};
    std::atomic<bool> quietAbort_{false};
    std::atomic<HcclResult> abortCode_{HCCL_SUCCESS};
    std::atomic<uint32_t> joined_{0}, rejected_{0};
    std::atomic<bool> finished_{false};

    // Owned by the listener thread.
    std::vector<std::unique_ptr<Client>> clients_;
    std::vector<Client *> byRank_;  // sized nRanks_ once the first rank joined
    uint32_t nRanks_ = 0;
    Deadline deadline_ = Deadline::never();
};

void RootListener::reject(Client &client, HcclResult code, const std::string &reason) {
    if (!quietAbort_.load())
        HCPU_ERROR("root {} at {}: rejects {}{}: {}", key_, address_.toString(),
                   client.from.toString(),
                   client.joined ? fmt::format(" (rank {})", client.info.rank) : "", reason);
    // Counted before the answer leaves, so that whoever reads the answer sees the count.
    if (client.joined) {
        byRank_[client.info.rank] = nullptr;
        client.joined = false;
        joined_.fetch_sub(1);
    } else {
        rejected_.fetch_add(1);
    }
    WireWriter w;
    w.u32(static_cast<uint32_t>(code));
    w.string(reason.substr(0, kMaxReasonBytes));
    sendFrame(client.fd.get(), kFrameReject, w.bytes().data(), w.bytes().size(),
              Deadline::afterMs(kRejectSendMs));
    client.fd.reset();  // erased from clients_ by run()
}

void RootListener::rejectAll(HcclResult code, const std::string &reason) {
    for (auto &client : clients_)
        if (client->fd.valid()) reject(*client, code, reason);
}

std::string RootListener::missingRanks() const {
    std::vector<uint32_t> missing;
    for (uint32_t r = 0; r < byRank_.size(); ++r)
        if (byRank_[r] == nullptr) missing.push_back(r);
    return fmt::format("{}", fmt::join(missing, ","));
}

void RootListener::handleHello(Client &client) {
    if (client.reader.type() != kFrameHello)
        return reject(
            client, HCCL_E_PARA,
            fmt::format("expected a hello frame, got frame type {}", client.reader.type()));
    const std::vector<uint8_t> &payload = client.reader.payload();
    WireReader versionOnly(payload.data(), payload.size());
    uint32_t version = versionOnly.u32();
    if (!versionOnly.ok()) return reject(client, HCCL_E_PARA, "malformed hello (empty)");
    if (version != kProtocolVersion)
        return reject(
            client, HCCL_E_NOT_SUPPORT,
            fmt::format("protocol version {}, the root speaks {}", version, kProtocolVersion));
    Hello hello;
    if (!decodeHello(payload, &hello)) return reject(client, HCCL_E_PARA, "malformed hello");
    if (hello.secret != secret_)
        return reject(client, HCCL_E_PARA,
                      "wrong secret: the hello was made for another root info");
    uint32_t rank = hello.self.rank;
    if (hello.nRanks == 0 || hello.nRanks > kMaxRanks || rank >= hello.nRanks)
        return reject(client, HCCL_E_PARA,
                      fmt::format("rank {} is out of range for nRanks {}", rank, hello.nRanks));
    if (nRanks_ != 0 && hello.nRanks != nRanks_)
        return reject(client, HCCL_E_PARA,
                      fmt::format("rank {} says nRanks {}, the ranks joined before say {}", rank,
                                  hello.nRanks, nRanks_));
    if (nRanks_ != 0 && byRank_[rank] != nullptr)
        return reject(client, HCCL_E_PARA,
                      fmt::format("rank {} has already joined (from {})", rank,
                                  byRank_[rank]->from.toString()));
    if (nRanks_ == 0) {
        nRanks_ = hello.nRanks;
        byRank_.assign(nRanks_, nullptr);
        deadline_ = Deadline::afterMs(timeoutMs_);  // the rendezvous has begun
    }
    client.joined = true;
    client.info = hello.self;
    byRank_[rank] = &client;
    joined_.fetch_add(1);
    HCPU_DEBUG("root {}: rank {} of {} joined from {}", key_, rank, nRanks_,
               client.from.toString());
}

void RootListener::acceptNew() {
    for (;;) {
        auto client = std::make_unique<Client>();
        IoResult io = acceptOne(listener_.get(), &client->fd, &client->from);
        if (io.status == IoStatus::kPending) return;
        if (!io.ok()) {
            HCPU_ERROR("root {}: accept failed: {}", key_, io.describe());
            return;
        }
        size_t unjoined = clients_.size() - joined_.load();
        if (unjoined >= kMaxUnjoinedClients) {
            HCPU_ERROR("root {}: rejects {}: {} connections are already waiting for a hello", key_,
                       client->from.toString(), unjoined);
            rejected_.fetch_add(1);
            continue;
        }
        clients_.push_back(std::move(client));
    }
}

void RootListener::sendTables() {
    WireWriter w;
    w.u32(nRanks_);
    for (Client *client : byRank_)
        writePeer(w, client->info);
    for (uint32_t rank = 0; rank < nRanks_; ++rank) {
        IoResult io = sendFrame(byRank_[rank]->fd.get(), kFrameTable, w.bytes().data(),
                                w.bytes().size(), deadline_);
        if (!io.ok())
            HCPU_ERROR("root {}: cannot send the rank table to rank {}: {}", key_, rank,
                       io.describe());
    }
    HCPU_INFO("root {} at {}: all {} ranks joined", key_, address_.toString(), nRanks_);
}

void RootListener::run() {
    deadline_ = Deadline::afterMs(timeoutMs_);  // until the first rank joins
    for (;;) {
        if (abortRequested_.load()) {
            HcclResult code = abortCode_.load();
            rejectAll(code, fmt::format("the rendezvous was aborted: a rank in the root's "
                                        "process failed with error {}",
                                        static_cast<int>(code)));
            break;
        }
        if (deadline_.expired()) {
            std::string reason =
                nRanks_ == 0
                    ? fmt::format("no rank joined within {} s", timeoutMs_ / 1000)
                    : fmt::format("only {} of {} ranks joined within {} s (missing ranks: {})",
                                  joined_.load(), nRanks_, timeoutMs_ / 1000, missingRanks());
            HCPU_ERROR("root {} at {}: gives up: {}", key_, address_.toString(), reason);
            rejectAll(HCCL_E_TIMEOUT, reason);
            break;
        }
        std::vector<pollfd> fds{{listener_.get(), POLLIN, 0}, {wake_.get(), POLLIN, 0}};
        for (auto &client : clients_)
            fds.push_back({client->fd.get(), POLLIN, 0});
        int rc = ::poll(fds.data(), fds.size(), deadline_.pollMs());
        if (rc < 0 && errno != EINTR) {
            HCPU_ERROR("root {}: poll failed: {}", key_, std::strerror(errno));
            rejectAll(HCCL_E_TCP_TRANSFER, "the root failed");
            break;
        }
        if (rc <= 0) continue;
        if (fds[1].revents != 0) {
            uint64_t count;
            [[maybe_unused]] ssize_t ignored = ::read(wake_.get(), &count, sizeof(count));
        }
        for (size_t i = 0; i < clients_.size(); ++i) {
            Client &client = *clients_[i];
            if (fds[i + 2].revents == 0) continue;
            if (client.joined) {
                // A joined rank only waits: readable means it left, or broke the protocol.
                char byte;
                ssize_t got = ::recv(client.fd.get(), &byte, 1, MSG_DONTWAIT);
                if (got > 0) {
                    reject(client, HCCL_E_PARA, "sent bytes after its hello");
                } else if (got == 0 || (errno != EAGAIN && errno != EINTR)) {
                    HCPU_WARN("root {}: rank {} left before the rendezvous completed", key_,
                              client.info.rank);
                    byRank_[client.info.rank] = nullptr;
                    client.joined = false;
                    joined_.fetch_sub(1);
                    client.fd.reset();
                }
                continue;
            }
            IoResult io = client.reader.readSome(client.fd.get());
            if (io.status == IoStatus::kPending) continue;
            if (io.ok())
                handleHello(client);
            else if (io.status == IoStatus::kMalformed)
                reject(client, HCCL_E_PARA,
                       fmt::format("malformed frame (bad magic, or longer than {} bytes)",
                                   kMaxHelloBytes));
            else if (client.reader.started())
                reject(client, HCCL_E_PARA, "closed the connection inside its hello");
            else
                client.fd.reset();  // connected and left without a word: nothing to report
        }
        std::erase_if(clients_, [](const auto &client) { return !client->fd.valid(); });
        if (fds[0].revents != 0) acceptNew();
        if (nRanks_ != 0 && joined_.load() == nRanks_) {
            sendTables();
            break;
        }
    }
}

void RootListener::serve() {
    try {
        run();
    } catch (const std::exception &e) {
        // Out of memory, most likely; the ranks see their connection close.
        HCPU_ERROR("root {}: stops: {}", key_, e.what());
    }
    clients_.clear();
    byRank_.clear();
    listener_.reset();
    {
        std::lock_guard lock(wakeMutex_);
        wake_.reset();
    }
    finished_.store(true);
}

struct ListenerRegistry {
    std::mutex mutex;
    std::map<std::string, std::shared_ptr<RootListener>> listeners;
    // Roots of this process that were aborted, with the code, so that ranks of this process
    // that have not reached them yet fail at once. The most recent kMaxTombstones are kept.
    static constexpr size_t kMaxTombstones = 256;
    std::map<std::string, HcclResult> aborted;
    std::vector<std::string> abortedOrder;
    ~ListenerRegistry() {
        // Process exit: stop the roots nobody released.
        for (auto &[key, listener] : listeners)
            listener->abort(HCCL_E_INTERNAL, /*quiet=*/true);
        listeners.clear();  // joins
    }
};

ListenerRegistry &registry() {
    static ListenerRegistry instance;
    return instance;
}

}  // namespace

HcclResult startRootListener(UniqueFd listener, const SocketAddress &address, const Secret &secret,
                             const std::string &key, int32_t timeoutS) {
    auto root = std::make_shared<RootListener>(std::move(listener), address, secret, key, timeoutS);
    HcclResult result = root->start();
    if (result != HCCL_SUCCESS) return result;
    std::vector<std::shared_ptr<RootListener>> finished;
    {
        std::lock_guard lock(registry().mutex);
        // Roots whose thread has ended and that nobody released (their process had no rank).
        for (auto it = registry().listeners.begin(); it != registry().listeners.end();) {
            if (it->second->stats().finished) {
                finished.push_back(std::move(it->second));
                it = registry().listeners.erase(it);
            } else {
                ++it;
            }
        }
        registry().listeners[key] = root;
    }
    HCPU_INFO("root {} listens at {} (secret {}...)", key, address.toString(),
              secretPrefix(secret));
    return HCCL_SUCCESS;  // `finished` joins their threads here, outside the lock
}

void releaseRootListener(const std::string &key, HcclResult result) {
    std::shared_ptr<RootListener> root;
    {
        std::lock_guard lock(registry().mutex);
        auto it = registry().listeners.find(key);
        if (it == registry().listeners.end()) return;
        root = it->second;
    }
    if (result != HCCL_SUCCESS) {
        std::lock_guard lock(registry().mutex);
        ListenerRegistry &r = registry();
        if (r.aborted.emplace(key, result).second) r.abortedOrder.push_back(key);
        if (r.abortedOrder.size() > ListenerRegistry::kMaxTombstones) {
            r.aborted.erase(r.abortedOrder.front());
            r.abortedOrder.erase(r.abortedOrder.begin());
        }
    }
    if (result != HCCL_SUCCESS) root->abort(result, /*quiet=*/false);
    root->join();
    std::lock_guard lock(registry().mutex);
    auto it = registry().listeners.find(key);
    if (it != registry().listeners.end() && it->second == root) registry().listeners.erase(it);
}

std::optional<HcclResult> abortedRootResult(const std::string &key) {
    std::lock_guard lock(registry().mutex);
    auto it = registry().aborted.find(key);
    if (it == registry().aborted.end()) return std::nullopt;
    return it->second;
}

std::optional<RootListenerStats> rootListenerStats(const std::string &key) {
    std::lock_guard lock(registry().mutex);
    auto it = registry().listeners.find(key);
    if (it == registry().listeners.end()) return std::nullopt;
    return it->second->stats();
}

size_t rootListenerCount() {
    std::lock_guard lock(registry().mutex);
    return registry().listeners.size();
}

// ---- joining --------------------------------------------------------------------------------

HcclResult joinRendezvous(const JoinRequest &request, std::unique_ptr<Bootstrap> *bootstrap) {
    const uint32_t rank = request.rank, nRanks = request.nRanks;
    const int64_t timeoutMs = static_cast<int64_t>(request.timeoutS) * 1000;
    Deadline deadline = Deadline::afterMs(timeoutMs);

    UniqueFd peerListener;
    SocketAddress peerAddress;
    IoResult io = listenOnFirstFree(request.bindAddress, {request.bindAddress.port}, &peerListener,
                                    &peerAddress);
    if (!io.ok()) {
        HCPU_ERROR("rank {} of {}: cannot listen on {}: {}", rank, nRanks,
                   request.bindAddress.toString(), io.describe());
        return HCCL_E_NETWORK;
    }
    Hello hello;
    hello.secret = request.secret;
    hello.nRanks = nRanks;
    hello.self = localProcessInfo();
    hello.self.rank = rank;
    hello.self.device = request.device;
    hello.self.address = peerAddress;

    // The root may not listen yet (rank-table roots start with rank 0): retry refused
    // connections until the deadline, unless the root is known to have been aborted here.
    UniqueFd root;
    int64_t backoffMs = 5;
    for (;;) {
        if (std::optional<HcclResult> aborted = abortedRootResult(request.listenerKey)) {
            HCPU_ERROR(
                "rank {} of {}: the root at {} was aborted by a failed rank of this "
                "process",
                rank, nRanks, request.root.toString());
            return *aborted;
        }
        io = connectTo(request.root, deadline, &root);
        if (io.ok()) break;
        if (io.status != IoStatus::kRefused || deadline.expired()) {
            HCPU_ERROR("rank {} of {}: cannot connect to the root at {} within {} s: {}", rank,
                       nRanks, request.root.toString(), request.timeoutS, io.describe());
            return HCCL_E_TCP_CONNECT;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(
            std::min<int64_t>(backoffMs, std::max(deadline.pollMs(), 1))));
        backoffMs = std::min<int64_t>(backoffMs * 2, 100);
    }
    std::vector<uint8_t> helloBytes = encodeHello(hello);
    io = sendFrame(root.get(), kFrameHello, helloBytes.data(), helloBytes.size(), deadline);
    if (!io.ok()) {
        HCPU_ERROR("rank {} of {}: cannot send its hello to the root at {}: {}", rank, nRanks,
                   request.root.toString(), io.describe());
        return io.status == IoStatus::kTimeout ? HCCL_E_TIMEOUT : HCCL_E_TCP_TRANSFER;
    }
    uint32_t type = 0;
    std::vector<uint8_t> reply;
    io = recvFrame(root.get(), 64 + kMaxTableBytesPerRank * nRanks, deadline, &type, &reply);
    if (io.status == IoStatus::kTimeout) {
        HCPU_ERROR("rank {} of {}: joined the root at {}, but not all ranks joined within {} s",
                   rank, nRanks, request.root.toString(), request.timeoutS);
        return HCCL_E_TIMEOUT;
    }
    if (!io.ok()) {
        HCPU_ERROR("rank {} of {}: the root at {} went away before the rendezvous completed: {}",
                   rank, nRanks, request.root.toString(), io.describe());
        return HCCL_E_TCP_TRANSFER;
    }
    WireReader r(reply.data(), reply.size());
    if (type == kFrameReject) {
        uint32_t code = r.u32();
        std::string reason = r.string(kMaxReasonBytes);
        HCPU_ERROR("rank {} of {}: the root at {} turned it away: {}", rank, nRanks,
                   request.root.toString(), r.ok() ? reason : "(malformed reject)");
        bool known = r.ok() && code > HCCL_SUCCESS && code < HCCL_E_RESERVED;
        return known ? static_cast<HcclResult>(code) : HCCL_E_INTERNAL;
    }
    std::vector<PeerInfo> peers(r.u32() == nRanks ? nRanks : 0);
    bool ok = type == kFrameTable && r.ok() && !peers.empty();
    for (uint32_t i = 0; ok && i < nRanks; ++i)
        ok = readPeer(r, &peers[i]) && peers[i].rank == i;
    if (!ok || !r.finished() || !(peers[rank].address == peerAddress)) {
        HCPU_ERROR("rank {} of {}: the root at {} sent a malformed rank table", rank, nRanks,
                   request.root.toString());
        return HCCL_E_INTERNAL;
    }
    *bootstrap = std::make_unique<Bootstrap>(rank, std::move(peers), request.secret,
                                             std::move(peerListener), timeoutMs);
    return HCCL_SUCCESS;
}

}  // namespace hcclcpu::framework
