// hccl-cpu extension (not part of the vendor API): a full mesh of P2P links between N ranks that
// are threads of this process (Create) or separate processes of one host (CreateForProcess), so a
// template's RunAsync(rank, rankSize, links) can be run and checked without a communicator.
//
//     hcclcpu::LinkSet *links = nullptr;
//     CHK_RET(hcclcpu::LinkSet::Create(4, 1 << 20, links));
//     HcclResult ret = links->RunRanks([&](u32 rank, hccl::Stream &stream) {
//         MyTemplate t(links->Dispatcher(rank));
//         CHK_RET(t.Prepare(links->Input(rank), links->Output(rank), ..., stream));
//         return t.RunAsync(rank, links->RankSize(), links->Links(rank));
//     });
//     hcclcpu::LinkSet::Destroy(links);
//
// Each rank gets, once, for the life of the set: a normal dispatcher on its device, an INPUT and
// an OUTPUT buffer of `bufferBytes` device memory (zero-filled), and for every peer a link whose
// INPUT_MEM/OUTPUT_MEM are the peer's buffers, with an ack and a data notify and `notifyNum` user
// notifies on each side.
//
// Link types follow an emulated topology of servers of 8 devices (device d is in server d / 8,
// local index d % 8):
//   - local pairs (2k, 2k+1) are the two dies of one chip: SIO;
//   - other pairs within local {0..3} or within {4..7}: HCCS;
//   - pairs across the two halves of a server: PCIE;
//   - pairs in different servers (more than 8 ranks): HCCS_SW (the superpod fabric).
// The environment variable HCCL_CPU_LINK_TYPE=HCCS|HCCS_SW|SIO|PCIE, read by Create, gives every
// link that type instead (any other value is reported and ignored).
//
// Rank r uses device r, so rankSize is at most the number of emulated devices
// (HCCL_CPU_DEVICE_COUNT, default 8). The dispatchers are created by Create, so HCCL_EXEC_TIMEOUT
// (the wait time of every link wait) must be set before it. Create does not change the calling
// thread's current device.
//
// Threads: Create, Destroy and RunRanks are called from one controlling thread. Links(r),
// Input(r), Output(r) and Dispatcher(r) may be called from any thread; a rank's links and
// dispatcher are used by that rank's threads, which bind device r themselves (RunRanks does).
// Destroy only after every stream that used the links has been synchronised; links must not be
// used after Destroy.
//
// Ranks in separate processes (CreateForProcess): every process of the job calls it with the
// same rankSize and jobId and its own rank; it holds that one rank. The accessors then answer for
// that rank (Input/Output/Links/Dispatcher of another rank are empty; Device(r) is every rank's
// device), and RunRanks runs only that rank.
//
//     // in each process: rank from the command line, jobId shared by all of them
//     hcclcpu::LinkSet *links = nullptr;
//     CHK_RET(hcclcpu::LinkSet::CreateForProcess(size, rank, "job-42", 1 << 20, links));
//     HcclResult ret = links->RunRanks([&](u32 r, hccl::Stream &stream) {  // r == rank
//         return MyTemplate(links->Dispatcher(r)).RunAsync(r, size, links->Links(r));
//     });
//     hcclcpu::LinkSet::Destroy(links);
//
// Set-up: rank r listens on the abstract Unix socket "hcclcpu.<uid>.<jobId>.<r>" (a long jobId is
// replaced by its hash), connects to every lower rank (retrying while it is not there yet) and
// accepts every higher one. Each pair checks that both sides agree on the job, rankSize,
// notifyNum and linkAttribute, then swaps the link set-up messages; the descriptors of the
// buffers' memory and of the runtime area travel with them (SCM_RIGHTS). Every wait of the set-up
// ends at one deadline, HCCL_CONNECT_TIMEOUT seconds (default 120, range [1, 7200]) after the
// call: HCCL_E_TIMEOUT, with the missing ranks named in the log. Data then moves with one copy,
// straight from the peer's memory, and a record in one process wakes the waiting stream of the
// other directly (shared memory, no polling).
//
// Liveness: the socket to every peer stays open. A monitor thread watches them; when a peer's
// process dies (its socket hangs up without a goodbye), every wait on that peer's notifies fails at
// once with an error naming the peer rank, the log says "peer rank p (pid ...) is gone" once, and
// AsyncError() reports it. A peer that destroys its set says goodbye first: its notifies are
// abandoned the same way (it will record nothing more), but that is not an error. Destroy always
// works, also after a peer died, and releases everything (threads, sockets, mappings, fds).
#ifndef HCCL_PLATFORM_HCCL_CPU_LINKS_H
#define HCCL_PLATFORM_HCCL_CPU_LINKS_H

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "dispatcher.h"
#include "dispatcher_task_types.h"
#include "hccl_common.h"
#include "mem_device_pub.h"
#include "stream_pub.h"
#include "transport_pub.h"

extern "C++" {
namespace hcclcpu {

// linkAttribute bits (the framework's MachinePara): bit 0 the peer may write into this rank's
// buffers, bit 1 it may read from them. P2P links run in read mode whenever bit 1 is set.
constexpr u32 kLinkAttributeWrite = 0x01;
constexpr u32 kLinkAttributeRead = 0x02;
constexpr u32 kLinkAttributeDefault = kLinkAttributeWrite | kLinkAttributeRead;  // 0x03

struct LinkSetOptions {
    u32 notifyNum = 4;  // user notifies per link direction (Transport::Post/Wait), at most 64
    u32 linkAttribute = kLinkAttributeDefault;  // bit 1 clear: write mode
    bool supportDataReceivedAck = false;        // initial Transport::GetSupportDataReceivedAck()
};

// What CreateForProcess takes on top of LinkSetOptions. All ranks must agree on notifyNum and
// linkAttribute.
struct ProcessLinkOptions {
    LinkSetOptions link;
    // The rank's device; -1: rank % the number of emulated devices.
    s32 device = -1;
    // The dispatcher the links issue through (created on `device` by the caller, who keeps it);
    // nullptr: the set creates one (HCCL_EXEC_TIMEOUT is read then).
    HcclDispatcher dispatcher = nullptr;
    // The buffers peers see as INPUT_MEM / OUTPUT_MEM (a communicator's CCL buffers, say): device
    // memory of this process, kept by the caller until Destroy. Empty: the set allocates
    // bufferBytes of zeroed device memory for each.
    hccl::DeviceMem input;
    hccl::DeviceMem output;
    // Set-up deadline in seconds; 0: HCCL_CONNECT_TIMEOUT.
    u32 connectTimeoutS = 0;
};

class LinkSet {
  public:
    // rankSize in [1, number of devices], bufferBytes > 0, notifyNum <= 64: else HCCL_E_PARA.
    // Errors of the runtime (out of device memory, ...) are HCCL_E_RUNTIME or HCCL_E_MEMORY.
    // On failure linkSet is left unchanged and nothing is leaked.
    static HcclResult Create(u32 rankSize, u64 bufferBytes, LinkSet *&linkSet);
    static HcclResult Create(u32 rankSize, u64 bufferBytes, const LinkSetOptions &options,
                             LinkSet *&linkSet);
    // This process holds rank `rank` of a job of rankSize ranks on this host (see above).
    // HCCL_E_PARA for rankSize 0, rank >= rankSize, an empty jobId, a device out of range, a
    // given buffer that is not device memory, bufferBytes 0 when a buffer is to be allocated, or
    // notifyNum > 64; HCCL_E_UNAVAIL when another process already holds this rank of the job;
    // HCCL_E_TIMEOUT when some rank did not show up by the deadline; HCCL_E_TCP_TRANSFER when a
    // peer hung up during the set-up; HCCL_E_INTERNAL when ranks disagree on the job's shape.
    // Blocks until every rank is connected. On failure linkSet is unchanged and nothing leaks.
    static HcclResult CreateForProcess(u32 rankSize, u32 rank, const std::string &jobId,
                                       u64 bufferBytes, LinkSet *&linkSet);
    static HcclResult CreateForProcess(u32 rankSize, u32 rank, const std::string &jobId,
                                       u64 bufferBytes, const ProcessLinkOptions &options,
                                       LinkSet *&linkSet);
    // Frees every notify, buffer, dispatcher and device reference of the set; a process set also
    // stops its monitor, says goodbye to its peers and unmaps what it mapped of theirs. Always
    // succeeds (nullptr is ignored).
    static HcclResult Destroy(LinkSet *linkSet);
    ~LinkSet();
    LinkSet(const LinkSet &) = delete;
    LinkSet &operator=(const LinkSet &) = delete;

    u32 RankSize() const;
    u64 BufferBytes() const;
    s32 Device(u32 rank) const;  // -1 for a rank out of range
    s32 Pid(u32 rank) const;     // the process holding the rank; -1 for a rank out of range
    // Non-owning views of the rank's buffers; empty for a rank out of range or held by another
    // process (the same for Links and Dispatcher).
    hccl::DeviceMem Input(u32 rank) const;
    hccl::DeviceMem Output(u32 rank) const;
    // links[peer] for every peer, nullptr at `rank` itself; empty for a rank out of range.
    std::vector<hccl::LINK> Links(u32 rank) const;
    // The rank's dispatcher (nullptr for a rank out of range). Register report callbacks on it
    // before the ranks run.
    HcclDispatcher Dispatcher(u32 rank) const;

    // Runs body(rank, stream) on one thread per rank: the thread binds the rank's device, gets a
    // fresh main stream, runs the body and synchronises the stream. Returns the lowest rank's
    // failure: the body's own error, else what Synchronize returns for the stream. A process set
    // runs only the rank it holds (on a thread of its own).
    HcclResult RunRanks(
        const std::function<HcclResult(u32 rank, hccl::Stream &stream)> &body) const;

    // Waits for `stream` of `rank` (a rank this process holds) like RunRanks does: HCCL_SUCCESS,
    // HCCL_E_TIMEOUT when a notify wait missed its deadline, HCCL_E_REMOTE when a wait was
    // abandoned because its peer is gone, HCCL_E_RUNTIME for another failed task. A failure is
    // logged with the rank, device, stream and the runtime's description, and when it was a wait
    // on a link's notify, with the peer rank (and pid) and which notify of the link it was.
    // HCCL_E_PARA for a rank this process does not hold, HCCL_E_PTR for an empty stream.
    HcclResult Synchronize(u32 rank, hccl::Stream &stream) const;

    // The rank this process holds in a CreateForProcess set; INVALID_VALUE_RANKID for a set of
    // thread ranks.
    u32 LocalRank() const;
    // HCCL_E_REMOTE once a peer process has died (*deadPeer = the first such rank, if deadPeer is
    // not nullptr), else HCCL_SUCCESS. Always HCCL_SUCCESS for thread ranks.
    HcclResult AsyncError(u32 *deadPeer) const;

    // The topology above, without the environment override.
    static hccl::LinkType TopologyLinkType(s32 deviceA, s32 deviceB);

    struct State;  // the set's internals, defined inside the library

  private:
    explicit LinkSet(std::unique_ptr<State> state);
    std::unique_ptr<State> state_;
};

}  // namespace hcclcpu
}  // extern "C++"

#endif  // HCCL_PLATFORM_HCCL_CPU_LINKS_H
