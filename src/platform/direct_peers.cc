#include "platform/direct_peers.h"

#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>

#include <fmt/format.h>

#include "common/clock.h"
#include "common/futex.h"
#include "common/log.h"
#include "common/spin.h"
#include "log.h"
#include "platform/rt_bridge.h"
#include "runtime/reduce.h"

namespace hcclcpu::platform {

namespace {

// A peer usually answers within microseconds when it has a core; past this the waiter sleeps.
constexpr s64 kSpinNs = 20000;
constexpr const char *kWordNames[] = {"posted", "reduced", "done", "finished", "failed"};
// Sleeps are cut into slices so a dead peer is noticed quickly.
constexpr s64 kSliceNs = 10'000'000;
// How long the issuing thread waits for its peers before handing the rest to the engine.
constexpr s64 kRunHereBudgetNs = 100000;
// Mappings of peer allocations kept per peer (least recently used ones go first).
constexpr size_t kMaxMappings = 8;

// Maps the pages of a block in one call instead of one fault per page. Only a hint: on failure
// the pages fault in when first touched.
void populate(const void *block, int advice) {
    const uintptr_t page = 4096;
    const uintptr_t begin = reinterpret_cast<uintptr_t>(block) & ~(page - 1);
    const uintptr_t end = reinterpret_cast<uintptr_t>(block) + sizeof(DirectControl);
    (void)madvise(reinterpret_cast<void *>(begin), end - begin, advice);
}

bool reached(u32 value, u32 seq) {
    return static_cast<s32>(value - seq) >= 0;
}

int pidfdOpen(s32 pid) {
    return static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
}
int pidfdGetfd(int pidfd, int fd) {
    return static_cast<int>(syscall(SYS_pidfd_getfd, pidfd, fd, 0));
}

}  // namespace

u64 DirectControlOffset(u64 bufferBytes) {
    return (bufferBytes + 4095) / 4096 * 4096;
}

HcclResult DirectControlInit(DirectControl *own, u32 rank) {
    if (own == nullptr) return HCCL_E_PTR;
    // The block lives in lazily allocated memory: map its pages now, not in the first operations
    // that use each slot (2 ranks, 64 B and 4 KiB: 0.4-1.3 -> 3.5-5.8 us over the first 20
    // operations of each size).
    populate(own, MADV_POPULATE_WRITE);
    std::memset(static_cast<void *>(own), 0, sizeof(DirectControl));
    own->rank = rank;
    own->self.pid = static_cast<s32>(getpid());
    own->self.address = reinterpret_cast<u64>(own);
    int fd = -1;
    size_t allocationSize = 0;
    size_t offset = 0;
    uint64_t id = 0;
    if (rt::memoryExport(own, &fd, &allocationSize, &offset, &id) == rt::Err::kOk) {
        own->self.fd = fd;
        own->self.allocationId = id;
        own->self.allocationSize = allocationSize;
        own->self.offset = offset;
    }
    std::atomic_ref<u32>(own->magic).store(kDirectMagic, std::memory_order_release);
    return HCCL_SUCCESS;
}

bool DirectPeers::Create(u32 rank, DirectControl *own, const std::vector<hccl::LINK> &links,
                         u64 bufferBytes, s32 execTimeoutS, const hcclcpu::LinkSet *linkSet,
                         std::unique_ptr<DirectPeers> *made, std::string *why) {
    std::vector<DirectControl *> peers(links.size(), nullptr);
    std::vector<s32> pids(links.size(), -1);
    for (u32 r = 0; r < links.size(); ++r) {
        if (r == rank) continue;
        void *remote = nullptr;
        if (links[r] == nullptr ||
            links[r]->GetRemoteMem(hccl::UserMemType::INPUT_MEM, &remote) != HCCL_SUCCESS ||
            remote == nullptr) {
            *why = fmt::format("the link to rank {} is not connected", r);
            return false;
        }
        peers[r] = reinterpret_cast<DirectControl *>(static_cast<u8 *>(remote) +
                                                     DirectControlOffset(bufferBytes));
        pids[r] = linkSet != nullptr ? linkSet->Pid(r) : -1;
        if (pids[r] < 0) {
            *why = fmt::format("the process of rank {} is unknown", r);
            return false;
        }
        // A kernel holds an engine worker while it waits for its peers: ranks sharing a device
        // could need more workers than the device has.
        if (pids[r] == getpid() && linkSet->Device(r) == linkSet->Device(rank)) {
            *why = fmt::format("ranks {} and {} share device {}", rank, r, linkSet->Device(r));
            return false;
        }
    }
    std::unique_ptr<DirectPeers> p(new DirectPeers);
    p->rank_ = rank;
    p->pid_ = static_cast<s32>(getpid());
    p->timeoutNs_ = execTimeoutS > 0 ? s64{execTimeoutS} * 1'000'000'000 : -1;
    p->links_ = linkSet;
    p->own_ = own;
    p->peers_ = peers;
    p->pids_ = pids;
    p->pidfds_.assign(peers.size(), -1);
    // With more ranks than cores a peer often waits for this rank's core: yield it at once, and
    // do not wait for peers on the issuing thread (pipeline instead).
    p->oversubscribed_ =
        links.size() > static_cast<size_t>(std::max(1L, sysconf(_SC_NPROCESSORS_ONLN)));
    p->spinBeforeYieldNs_ = p->oversubscribed_ ? 0 : kSpinNs;
    p->mappings_.resize(peers.size());
    for (u32 r = 0; r < peers.size(); ++r) {
        if (r == rank) continue;
        const DirectControl *peer = peers[r];
        if (peer == nullptr ||
            std::atomic_ref<const u32>(peer->magic).load(std::memory_order_acquire) !=
                kDirectMagic ||
            peer->rank != r) {
            *why = fmt::format("rank {} has no direct-access block", r);
            return false;
        }
        if (pids[r] == p->pid_) continue;
        // This process's mapping of a peer's block, too. Mapped pages are still touched: on this
        // machine (a virtual machine) a process's first access to each page costs ~4 us even
        // when no fault is left (8 ranks: creation 38-44 ms without any of this, 76-89 ms with,
        // 88-99 ms touching without populating first).
        populate(peer, MADV_POPULATE_READ);
        for (size_t page = 0; page < sizeof(DirectControl); page += 4096)
            (void)*static_cast<const volatile u8 *>(reinterpret_cast<const u8 *>(peer) + page);
        p->pidfds_[r] = pidfdOpen(pids[r]);
        if (p->pidfds_[r] < 0) {
            *why =
                fmt::format("pidfd_open of rank {} (pid {}): {}", r, pids[r], std::strerror(errno));
            return false;
        }
        u8 *mapped = nullptr;  // proves that pidfd_getfd is allowed here
        if (p->Resolve(r, peer->self, sizeof(DirectControl), &mapped, why) != HCCL_SUCCESS)
            return false;
    }
    *made = std::move(p);
    return true;
}

DirectPeers::~DirectPeers() {
    for (auto &perPeer : mappings_)
        for (const Mapping &m : perPeer)
            munmap(m.base, m.size);
    for (int fd : pidfds_)
        if (fd >= 0) close(fd);
}

void DirectPeers::Post(DirectWord word, u32 seq) {
    DirectControl::Word &w = own_->words[word];
    w.value.store(seq, std::memory_order_seq_cst);
    if (w.sleepers.load(std::memory_order_seq_cst) != 0)
        futexWake(&w.value, INT_MAX, /*shared=*/true);
}

void DirectPeers::PostFailure(u32 seq) {
    own_->words[kFailed].value.store(seq, std::memory_order_seq_cst);
    for (DirectControl::Word &w : own_->words)  // sleepers sleep on the word they wait for
        if (w.sleepers.load(std::memory_order_seq_cst) != 0)
            futexWake(&w.value, INT_MAX, /*shared=*/true);
}

// A collective cannot finish once any rank's process died, whichever peer is waited for.
bool DirectPeers::DeadPeer(u32 *dead) const {
    return links_ != nullptr && links_->AsyncError(dead) != HCCL_SUCCESS;
}

HcclResult DirectPeers::Wait(u32 rank, DirectWord word, u32 seq, std::string *why, s64 budgetNs) {
    return WaitFor(rank, Block(rank).words[word].value, word, seq, why, budgetNs);
}

HcclResult DirectPeers::WaitFor(u32 rank, const std::atomic<u32> &watched, DirectWord word, u32 seq,
                                std::string *why, s64 budgetNs) {
    DirectControl &peer = Block(rank);
    DirectControl::Word &w = peer.words[word];
    std::atomic<u32> &failed = peer.words[kFailed].value;
    auto done = [&] {
        return reached(watched.load(std::memory_order_acquire), seq) ||
               reached(failed.load(std::memory_order_acquire), seq);
    };
    if (budgetNs == 0 && !done()) return HCCL_E_AGAIN;
    // Spin (yielding at once when oversubscribed), then sleep on the word: a sleeper is woken by
    // the peer's post, and a wake-up also lets the scheduler move it to an idle core, which
    // yielding never does (two ranks spinning on one core while the other idles cost 4-5 us per
    // operation).
    const s64 spinNs = budgetNs >= 0 ? std::min(kSpinNs, budgetNs) : kSpinNs;
    if (!done() && !spinUntil(done, spinNs, spinBeforeYieldNs_)) {
        const s64 start = nowNs();
        const s64 limit = budgetNs >= 0 ? budgetNs : timeoutNs_;
        while (!done()) {
            const s64 waited = nowNs() - start;
            if (limit >= 0 && waited >= limit) {
                if (budgetNs >= 0) return HCCL_E_AGAIN;
                *why = fmt::format(
                    "rank {}: timed out after {:.3f} s waiting for peer rank {} (pid {}) to mark "
                    "operation {} {}",
                    rank_, static_cast<double>(waited) / 1e9, rank, pids_[rank], seq,
                    kWordNames[word]);
                return HCCL_E_TIMEOUT;
            }
            w.sleepers.fetch_add(1, std::memory_order_seq_cst);
            u32 seen = w.value.load(std::memory_order_seq_cst);
            if (!done())
                futexWait(&w.value, seen,
                          limit >= 0 ? std::min(kSliceNs, limit - waited) : kSliceNs,
                          /*shared=*/true);
            w.sleepers.fetch_sub(1, std::memory_order_seq_cst);
            if (u32 dead = 0; !done() && DeadPeer(&dead)) {
                *why = fmt::format(
                    "rank {}: peer rank {} (pid {}) is gone; waiting for rank {} to mark "
                    "operation {} {} is abandoned",
                    rank_, dead, pids_[dead], rank, seq, kWordNames[word]);
                return HCCL_E_REMOTE;
            }
        }
    }
    if (!reached(watched.load(std::memory_order_acquire), seq)) {
        *why = fmt::format("rank {}: peer rank {} (pid {}) failed operation {}", rank_, rank,
                           pids_[rank], seq);
        return HCCL_E_REMOTE;
    }
    return HCCL_SUCCESS;
}

HcclResult DirectPeers::WaitAll(DirectWord word, u32 seq, std::string *why, s64 budgetNs) {
    const u32 n = Size();
    for (u32 i = 1; i < n; ++i) {
        HcclResult r = Wait((rank_ + i) % n, word, seq, why, budgetNs);
        if (r != HCCL_SUCCESS) return r;
    }
    return HCCL_SUCCESS;
}

HcclResult DirectPeers::All(DirectWord word, u32 seq, std::string *why) {
    Post(word, seq);
    return WaitAll(word, seq, why);
}

HcclResult DirectPeers::Publish(u32 seq, const void *data, u64 bytes, std::string *why) {
    const bool inRing = bytes <= kDirectInlineBytes;
    const u32 depth = inRing ? kDirectRingDepth : kDirectSlotDepth;
    // Every rank (this one too: its own pipelined operations) must have finished seq - depth.
    // One that has not is waited for until half the ring is free, so a full ring costs one
    // wake-up per depth / 2 operations, not one per operation. What every rank finished is
    // remembered, so most operations read no peer's line for this (2 ranks, 8 B: one cache miss
    // less per operation).
    if (!reached(allFinished_.load(std::memory_order_relaxed), seq - depth)) {
        u32 lowest = seq;
        for (u32 r = 0; r < Size(); ++r) {
            const std::atomic<u32> &finished = Block(r).words[kFinished].value;
            if (!reached(finished.load(std::memory_order_acquire), seq - depth))
                CHK_RET(Wait(r, kFinished, seq - depth / 2, why));
            const u32 now = finished.load(std::memory_order_acquire);
            if (!reached(now, lowest)) lowest = now;
        }
        allFinished_.store(lowest, std::memory_order_relaxed);
    }
    if (inRing) {
        DirectControl::Line &line = own_->ring[seq % kDirectRingDepth];
        if (data != nullptr) std::memcpy(line.payload, data, bytes);
        line.seq.store(seq, std::memory_order_release);
    } else if (data != nullptr) {
        std::memcpy(own_->slots[seq % kDirectSlotDepth], data, bytes);
    }
    Post(kPosted, seq);
    return HCCL_SUCCESS;
}

HcclResult DirectPeers::WaitPublished(u32 rank, u32 seq, u64 bytes, std::string *why,
                                      s64 budgetNs) {
    if (bytes > kDirectInlineBytes) return Wait(rank, kPosted, seq, why, budgetNs);
    return WaitFor(rank, Block(rank).ring[seq % kDirectRingDepth].seq, kPosted, seq, why, budgetNs);
}

const u8 *DirectPeers::Published(u32 rank, u32 seq, u64 bytes) const {
    const DirectControl &block = Block(rank);
    return bytes <= kDirectInlineBytes ? block.ring[seq % kDirectRingDepth].payload
                                       : block.slots[seq % kDirectSlotDepth];
}

bool DirectPeers::MayPublishNow(rt::Stream *stream, u32 seq, const void *input,
                                u64 inputBytes) const {
    if (rt::streamIdle(stream)) return true;
    if (stream != pipeStream_ || rt::streamIssued(stream) != pipeTasks_) return false;
    const u32 finished = own_->words[kFinished].value.load(std::memory_order_acquire);
    if (reached(own_->words[kFailed].value.load(std::memory_order_acquire), finished + 1))
        return false;  // a pipelined operation failed: the stream reports it first
    for (u32 s = finished + 1; s != seq; ++s) {  // the operations still pending
        const Output &out = pending_[s % kDirectRingDepth];
        if (BytesOverlap(input, inputBytes, out.ptr, out.bytes)) return false;
    }
    return true;
}

void DirectPeers::Pipelined(u32 seq, const void *output, u64 outputBytes) {
    pending_[seq % kDirectRingDepth] = {output, outputBytes};
    lastPipelined_ = true;
}

s64 DirectPeers::RunHereBudgetNs(rt::Stream *stream, bool dependent) const {
    if (!oversubscribed_ || dependent) return kRunHereBudgetNs;
    const bool waitedFor =
        stream != lastStream_ || rt::streamSynchronizations(stream) != lastSyncs_;
    return waitedFor ? kRunHereBudgetNs : 0;
}

void DirectPeers::OperationIssued(rt::Stream *stream) {
    lastStream_ = stream;
    lastSyncs_ = rt::streamSynchronizations(stream);
    pipeStream_ = lastPipelined_ ? stream : nullptr;
    pipeTasks_ = lastPipelined_ ? rt::streamIssued(stream) : 0;
    lastPipelined_ = false;
}

DirectBuffer DirectPeers::Describe(const void *ptr) const {
    DirectBuffer b;
    b.pid = pid_;
    b.address = reinterpret_cast<u64>(ptr);
    int fd = -1;
    size_t allocationSize = 0;
    size_t offset = 0;
    uint64_t id = 0;
    if (rt::memoryExport(ptr, &fd, &allocationSize, &offset, &id) == rt::Err::kOk) {
        b.fd = fd;
        b.allocationId = id;
        b.allocationSize = allocationSize;
        b.offset = offset;
    }
    return b;
}

HcclResult DirectPeers::Resolve(u32 rank, const DirectBuffer &buffer, u64 bytes, u8 **ptr,
                                std::string *why) {
    if (buffer.pid == pid_) {
        *ptr = reinterpret_cast<u8 *>(buffer.address);
        return HCCL_SUCCESS;
    }
    if (buffer.fd < 0 || buffer.offset > buffer.allocationSize ||
        bytes > buffer.allocationSize - buffer.offset) {
        *why = fmt::format(
            "rank {}: the buffer 0x{:x} of rank {} (pid {}) is not device memory of its process "
            "(aclrtMalloc) holding {} bytes, so this process cannot read it",
            rank_, buffer.address, rank, buffer.pid, bytes);
        return HCCL_E_PARA;
    }
    u8 *base = nullptr;
    CHK_RET(MapPeer(rank, buffer, &base, why));
    *ptr = base + buffer.offset;
    return HCCL_SUCCESS;
}

HcclResult DirectPeers::MapPeer(u32 rank, const DirectBuffer &buffer, u8 **base, std::string *why) {
    std::lock_guard lock(mappingsMutex_);
    std::vector<Mapping> &cache = mappings_[rank];
    ++uses_;
    for (Mapping &m : cache) {
        if (m.fd == buffer.fd && m.allocationId == buffer.allocationId) {
            m.lastUse = uses_;
            *base = m.base;
            return HCCL_SUCCESS;
        }
    }
    // The same fd number with another allocation id: the peer freed that allocation.
    std::erase_if(cache, [&](const Mapping &m) {
        if (m.fd != buffer.fd) return false;
        munmap(m.base, m.size);
        return true;
    });
    if (cache.size() >= kMaxMappings) {
        auto oldest =
            std::min_element(cache.begin(), cache.end(),
                             [](const auto &a, const auto &b) { return a.lastUse < b.lastUse; });
        munmap(oldest->base, oldest->size);
        cache.erase(oldest);
    }
    int fd = pidfdGetfd(pidfds_[rank], buffer.fd);
    if (fd < 0) {
        *why = fmt::format("rank {}: pidfd_getfd of fd {} of rank {} (pid {}): {}", rank_,
                           buffer.fd, rank, pids_[rank], std::strerror(errno));
        return errno == EPERM ? HCCL_E_NOT_SUPPORT : HCCL_E_REMOTE;
    }
    void *p = mmap(nullptr, buffer.allocationSize, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    if (p == MAP_FAILED) {
        *why = fmt::format("rank {}: mapping {} bytes of rank {} (pid {}): {}", rank_,
                           buffer.allocationSize, rank, pids_[rank], std::strerror(errno));
        return HCCL_E_MEMORY;
    }
    cache.push_back(Mapping{buffer.fd, buffer.allocationId, buffer.allocationSize,
                            static_cast<u8 *>(p), uses_});
    *base = static_cast<u8 *>(p);
    return HCCL_SUCCESS;
}

namespace {

rt::Err runDirect(const rt::KernelArgs &args, std::string *why) {
    DirectCall call;
    call.send = args.src;
    call.recv = args.dst;
    call.count = args.count;
    call.seq = static_cast<u32>(args.word);
    call.root = static_cast<u32>(args.word >> 32);
    call.dataType = static_cast<HcclDataType>(args.word2 & 0xff);
    call.op = static_cast<HcclReduceOp>((args.word2 >> 8) & 0xff);
    call.phase = (args.word2 >> 16) & 0xff;
    auto *peers = static_cast<DirectPeers *>(args.context);
    auto kernel = reinterpret_cast<DirectKernel>(args.context2);
    HcclResult r = kernel(*peers, call, -1, why);
    if (r == HCCL_SUCCESS) {
        peers->Post(kFinished, call.seq);
        return rt::Err::kOk;
    }
    peers->PostFailure(call.seq);
    HCPU_ERROR("{}", *why);
    return r == HCCL_E_TIMEOUT ? rt::Err::kTimeout : rt::Err::kTaskFailed;
}

HcclResult issueKernel(rt::Stream *stream, DirectPeers &peers, DirectKernel kernel,
                       const DirectCall &call) {
    rt::KernelArgs args;
    args.burst = call.phase > 0;  // the rest of a pipelined operation
    args.dst = call.recv;
    args.src = call.send;
    args.count = call.count;
    args.word = u64{call.seq} | (u64{call.root} << 32);
    args.word2 =
        static_cast<u32>(call.dataType) | (static_cast<u32>(call.op) << 8) | (call.phase << 16);
    args.context = &peers;
    args.context2 = reinterpret_cast<void *>(kernel);
    rt::Err err = rt::enqueueKernel(stream, runDirect, args);
    if (err != rt::Err::kOk) return runtimeFailure(err, "issue a direct kernel");
    return HCCL_SUCCESS;
}

}  // namespace

HcclResult LaunchDirect(hccl::Stream &stream, DirectPeers &peers, DirectKernel kernel,
                        DirectCall call, bool small, bool *ranHere) {
    *ranHere = false;
    rt::Stream *s = rtStream(stream);
    if (!small) return issueKernel(s, peers, kernel, call);
    const bool independent = peers.MayPublishNow(s, call.seq, call.send, call.inputBytes);
    if (!independent) {
        // Work still queued on the stream (an earlier kernel that ran out of budget) runs here
        // too, then the stream is idle within microseconds.
        rt::streamRunQueued(s);
        if (!spinUntil([&] { return rt::streamIdle(s); }, kRunHereBudgetNs))
            return issueKernel(s, peers, kernel, call);
    }
    // Finishing here is in stream order only when nothing is pending before this operation. An
    // operation that had to wait for the previous one (an in-place chain, say) cannot be
    // pipelined anyway: it waits for its peers here, as long as any operation would.
    const bool idle = rt::streamIdle(s);
    call.publishOnly = !idle;
    std::string why;
    HcclResult r = kernel(peers, call, idle ? peers.RunHereBudgetNs(s, !independent) : 0, &why);
    if (r == HCCL_SUCCESS) {
        peers.Post(kFinished, call.seq);
        *ranHere = true;
        return HCCL_SUCCESS;
    }
    if (r != HCCL_E_AGAIN) {
        peers.PostFailure(call.seq);
        HCPU_ERROR("{}", why);
        return r;
    }
    call.publishOnly = false;
    CHK_RET(issueKernel(s, peers, kernel, call));
    if (call.phase > 0) peers.Pipelined(call.seq, call.recv, call.outputBytes);
    return HCCL_SUCCESS;
}

bool DirectReduceSupported(HcclDataType dataType, HcclReduceOp op) {
    return static_cast<u32>(dataType) < HCCL_DATA_TYPE_RESERVED &&
           static_cast<u32>(op) < HCCL_REDUCE_RESERVED &&
           rt::reduceSupported(static_cast<rt::DataType>(dataType), static_cast<rt::ReduceOp>(op));
}

void DirectReduce(void *dst, const void *a, const void *b, u64 count, HcclDataType dataType,
                  HcclReduceOp op) {
    rt::reduce(dst, a, b, count, static_cast<rt::DataType>(dataType),
               static_cast<rt::ReduceOp>(op));
}

}  // namespace hcclcpu::platform
