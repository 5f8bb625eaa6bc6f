// Direct access between the ranks of a communicator on one host, for kernels that run a whole
// collective inside one stream task, as the vendor's AIV kernels do on the device. There is no
// task hand-off per step and no staging copy: a small message costs a few cache-line transfers,
// a large one moves each byte once, straight between the ranks' own buffers.
//
// Each rank owns a DirectControl block in shared memory (the tail of its CCL input allocation, so
// every link already maps it): progress words that only the owner writes, the descriptors of the
// user buffers of the operation it posted, and a ring of lines and slots for small messages.
// Peers read the block, wait on its words (spin for a budget, then sleep on a shared futex; every
// wait ends at the communicator's exec timeout, or at once when the peer process is gone), and map
// the buffers it describes: a peer thread uses the address, a peer process takes the memfd with
// pidfd_getfd (same user, Linux >= 5.6) and maps it once (cached per allocation).
//
// The protocol of one operation with sequence number `seq` (NextSeq; equal on every rank because
// a communicator's operations are issued in the same order on every rank):
//   1. the rank publishes: a small message goes into its ring line seq % kDirectRingDepth (up to
//      kDirectInlineBytes, next to the line's own sequence number) or its slot
//      seq % kDirectSlotDepth, larger ones as buffer descriptors; then it posts kPosted = seq and
//      waits until every peer posted seq. It publishes seq only once every rank finished seq -
//      depth (the ring's or the slots'), so nobody still reads what it overwrites;
//   2. the kernel's own steps (kReduced marks a rank's reduce-scatter block as complete);
//   3. when peers read the rank's user buffers, every rank posts kDone = seq and waits for every
//      peer's, so no buffer is given back to the caller while a peer may still read it;
//   4. kFinished = seq: the rank is done with seq.
// Small messages are pipelined: a rank may publish seq + 1 (on the issuing thread, at once) while
// its stream still has to finish seq, when nothing but its own small operations is pending on the
// stream and seq + 1 reads nothing they write. A batch of operations then costs each process one
// turn on a core, not one per operation (4 ranks on 2 cores).
#pragma once

#include <array>
#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "hccl_common.h"
#include "hccl_cpu_links.h"
#include "stream_pub.h"

namespace hcclcpu::rt {
class Stream;
}

namespace hcclcpu::platform {

// A buffer as a peer can find it: its address in the owner's process and, for device memory, the
// memfd (a number in the owner's process) and the place in the allocation.
struct DirectBuffer {
    s32 pid = -1;
    s32 fd = -1;  // -1: not device memory of the owner; only a thread of its process can read it
    u64 allocationId = 0;
    u64 allocationSize = 0;
    u64 offset = 0;
    u64 address = 0;
};

// kFailed: the rank's kernel for that operation failed; its peers stop waiting for it.
enum DirectWord : u32 { kPosted, kReduced, kDone, kFinished, kFailed, kDirectWordCount };

constexpr u64 kDirectSlotBytes = 64 * 1024;
constexpr u64 kDirectInlineBytes = 56;  // payloads up to this size travel in a ring line
constexpr u32 kDirectRingDepth = 64;    // small operations a rank may publish ahead
constexpr u32 kDirectSlotDepth = 16;
constexpr u32 kDirectMagic = 0x44524354;  // "DRCT"

struct DirectControl {
    struct alignas(64) Word {
        std::atomic<u32> value;     // a sequence number, written by the owner only
        std::atomic<u32> sleepers;  // peers asleep on value
    };
    // A small payload and the operation it belongs to in one cache line: a peer that sees the
    // number has the data too, one cache-line transfer instead of two dependent ones (2 ranks,
    // 8-byte all-reduce: 0.30 -> 0.22-0.29 us).
    struct alignas(64) Line {
        std::atomic<u32> seq;
        u32 unused;
        u8 payload[kDirectInlineBytes];
    };
    u32 magic;
    u32 rank;
    DirectBuffer self;  // this block's allocation: a peer proves at set-up that it can map it
    Word words[kDirectWordCount];
    DirectBuffer buffers[2];  // send and receive buffer of the posted operation
    Line ring[kDirectRingDepth];
    alignas(64) u8 slots[kDirectSlotDepth][kDirectSlotBytes];
};
static_assert(sizeof(DirectControl::Line) == 64, "a payload and its number share one cache line");

// Bytes to reserve for the block after a CCL input buffer of `bufferBytes` (at the returned
// offset, page aligned).
u64 DirectControlOffset(u64 bufferBytes);
constexpr u64 kDirectControlBytes = (sizeof(DirectControl) + 4095) / 4096 * 4096;

// Fills a rank's own block (zeroed memory, the tail of its CCL input) before its links are set up.
HcclResult DirectControlInit(DirectControl *own, u32 rank);

class DirectPeers {
  public:
    // For a rank whose P2P links (links[r] to rank r, nullptr at `rank`) are connected, and whose
    // peers' blocks are at DirectControlOffset(bufferBytes) in their CCL inputs.
    // Checks every peer's block and that this process may map a peer process's memory; false
    // (with the reason in *why) when direct access cannot work, so the caller falls back.
    // linkSet (the links' set) tells the peers' processes and when one died.
    static bool Create(u32 rank, DirectControl *own, const std::vector<hccl::LINK> &links,
                       u64 bufferBytes, s32 execTimeoutS, const hcclcpu::LinkSet *linkSet,
                       std::unique_ptr<DirectPeers> *made, std::string *why);
    ~DirectPeers();
    DirectPeers(const DirectPeers &) = delete;
    DirectPeers &operator=(const DirectPeers &) = delete;

    u32 Rank() const { return rank_; }
    u32 Size() const { return static_cast<u32>(peers_.size()); }
    // The next operation's sequence number (called while issuing, under the operation lock).
    u32 NextSeq() { return ++seq_; }

    DirectControl &Own() { return *own_; }
    const DirectControl &Peer(u32 rank) const { return rank == rank_ ? *own_ : *peers_[rank]; }

    void Post(DirectWord word, u32 seq);
    // Tells the peers that this rank's kernel for `seq` failed, waking whoever waits on it.
    void PostFailure(u32 seq);
    // Until `rank` posted `word` >= seq. HCCL_E_TIMEOUT at the exec timeout, HCCL_E_REMOTE when
    // the peer process is gone or its kernel for seq failed; *why says which. With budgetNs >= 0
    // it spins at most that long and then returns HCCL_E_AGAIN (nothing logged).
    HcclResult Wait(u32 rank, DirectWord word, u32 seq, std::string *why, s64 budgetNs = -1);
    // Until every peer posted `word` >= seq (same results).
    HcclResult WaitAll(DirectWord word, u32 seq, std::string *why, s64 budgetNs = -1);
    // Post `word` = seq and wait for every peer's.
    HcclResult All(DirectWord word, u32 seq, std::string *why);

    // Small messages (bytes <= kDirectSlotBytes): publish `data` (nullptr: nothing, only the
    // post) for operation seq, once every rank finished seq - depth (waits at most the exec
    // timeout); wait until `rank` published seq (budget as Wait); where rank's data of seq is.
    HcclResult Publish(u32 seq, const void *data, u64 bytes, std::string *why);
    HcclResult WaitPublished(u32 rank, u32 seq, u64 bytes, std::string *why, s64 budgetNs);
    const u8 *Published(u32 rank, u32 seq, u64 bytes) const;

    // Issue-side pipeline state (called under the communicator's operation lock).
    // True when operation seq, reading `inputBytes` at `input`, may be published now on the
    // issuing thread: `stream` is idle, or holds nothing but this communicator's pipelined
    // operations, none of which writes that input.
    bool MayPublishNow(rt::Stream *stream, u32 seq, const void *input, u64 inputBytes) const;
    // Operation seq was published here and its rest issued on `stream` (writing `outputBytes`
    // at `output`).
    void Pipelined(u32 seq, const void *output, u64 outputBytes);
    // Every operation's end (after the communicator issued its completion record): remembers
    // where the stream's tasks end when the operation was a pipelined one.
    void OperationIssued(rt::Stream *stream);
    // How long an operation that found `stream` idle waits for its peers on the issuing thread
    // before issuing its rest. With more ranks than cores, 0 for operations issued back to back
    // (waiting there is what serialises the ranks sharing a core; pipelined, each process runs
    // once per batch), but the full budget when the caller synchronized the stream since the
    // last operation: it waits for each one, and the rest issued as a task would cost two
    // wake-ups per operation (4 ranks on 2 cores, 8 B, each waited: 15 us instead of 3-4).
    // An operation that depends on earlier ones (the thread waited for the stream to drain; it
    // could not be pipelined anyway) always gets the full budget.
    s64 RunHereBudgetNs(rt::Stream *stream, bool dependent) const;

    // Describes an own buffer for peers.
    DirectBuffer Describe(const void *ptr) const;
    // Where `rank`'s buffer described by `buffer` is readable here, for `bytes` bytes.
    HcclResult Resolve(u32 rank, const DirectBuffer &buffer, u64 bytes, u8 **ptr, std::string *why);

  private:
    struct Mapping {
        s32 fd;
        u64 allocationId;
        u64 size;
        u8 *base;
        u64 lastUse;
    };
    DirectPeers() = default;
    HcclResult MapPeer(u32 rank, const DirectBuffer &buffer, u8 **base, std::string *why);
    bool DeadPeer(u32 *dead) const;
    // Until `watched` (a word of rank's block) reached seq; `word` names it and is where a
    // sleeper sleeps.
    HcclResult WaitFor(u32 rank, const std::atomic<u32> &watched, DirectWord word, u32 seq,
                       std::string *why, s64 budgetNs);
    DirectControl &Block(u32 rank) const { return rank == rank_ ? *own_ : *peers_[rank]; }

    u32 rank_ = 0;
    u32 seq_ = 0;
    s32 pid_ = -1;
    s64 timeoutNs_ = -1;
    s64 spinBeforeYieldNs_ = 0;  // how long a waiting rank spins before yielding its core
    const hcclcpu::LinkSet *links_ = nullptr;
    DirectControl *own_ = nullptr;
    std::vector<DirectControl *> peers_;
    std::vector<s32> pids_;
    std::vector<int> pidfds_;  // per peer process, opened at creation
    std::mutex mappingsMutex_;
    std::vector<std::vector<Mapping>> mappings_;  // per peer
    u64 uses_ = 0;

    bool oversubscribed_ = false;      // more ranks than cores
    std::atomic<u32> allFinished_{0};  // every rank finished at least this (seen by Publish)
    // Pipelined operations: the output of seq at [seq % kDirectRingDepth], and the stream and its
    // task count right after the last operation when that one was pipelined (else nullptr).
    struct Output {
        const void *ptr = nullptr;
        u64 bytes = 0;
    };
    std::array<Output, kDirectRingDepth> pending_{};
    bool lastPipelined_ = false;
    rt::Stream *pipeStream_ = nullptr;
    u64 pipeTasks_ = 0;
    rt::Stream *lastStream_ = nullptr;  // of the last operation, and its synchronizations then
    u64 lastSyncs_ = 0;
};

// What a direct kernel gets: the operation's arguments, its sequence number, and where to
// resume (a kernel run on the issuing thread that could not finish within its budget stops at a
// wait, records the phase, and the rest runs as a stream task).
struct DirectCall {
    const void *send = nullptr;
    void *recv = nullptr;
    u64 count = 0;
    HcclDataType dataType = HCCL_DATA_TYPE_FP32;
    HcclReduceOp op = HCCL_REDUCE_SUM;
    u32 root = 0;
    u32 seq = 0;
    u32 phase = 0;
    u64 inputBytes = 0;        // read at send
    u64 outputBytes = 0;       // written at recv
    bool publishOnly = false;  // stop after publishing (phase 1), to issue the rest
};
// budgetNs: -1 on an engine thread (waits end at the exec timeout); >= 0 on the issuing thread,
// where a wait not satisfied within it returns HCCL_E_AGAIN with call.phase set to resume there.
using DirectKernel = HcclResult (*)(DirectPeers &peers, DirectCall &call, s64 budgetNs,
                                    std::string *why);

// Runs `kernel` for `call`. With small (a message published through the ring or the slots): when
// the stream is idle (every task issued before has run, so work done now keeps stream order; it
// waits a few microseconds for that), the kernel first runs on the calling thread, waiting for
// peers at most RunHereBudgetNs: when it finishes, *ranHere is set and nothing is issued. When
// the stream holds only pipelined operations (MayPublishNow), it publishes here and issues the
// rest. Otherwise, or for the rest, it is issued on `stream` and runs on an engine thread; a
// failure there fails the stream (synchronize reports it). A failure here is returned.
HcclResult LaunchDirect(hccl::Stream &stream, DirectPeers &peers, DirectKernel kernel,
                        DirectCall call, bool small, bool *ranHere);

// Whether [a, a + aBytes) and [b, b + bBytes) share a byte.
inline bool BytesOverlap(const void *a, u64 aBytes, const void *b, u64 bBytes) {
    auto *x = static_cast<const u8 *>(a);
    auto *y = static_cast<const u8 *>(b);
    return x < y + bBytes && y < x + aBytes;
}

// dst[i] = a[i] op b[i] now, on the calling thread (dst may alias a or b exactly).
bool DirectReduceSupported(HcclDataType dataType, HcclReduceOp op);
void DirectReduce(void *dst, const void *a, const void *b, u64 count, HcclDataType dataType,
                  HcclReduceOp op);

}  // namespace hcclcpu::platform
