// hccl-cpu extension (not part of the vendor API): a full mesh of P2P links between N ranks that
// are threads of this process, so a template's RunAsync(rank, rankSize, links) can be run and
// checked without a communicator.
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
#ifndef HCCL_PLATFORM_HCCL_CPU_LINKS_H
#define HCCL_PLATFORM_HCCL_CPU_LINKS_H

#include <functional>
#include <memory>
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

class LinkSet {
  public:
    // rankSize in [1, number of devices], bufferBytes > 0, notifyNum <= 64: else HCCL_E_PARA.
    // Errors of the runtime (out of device memory, ...) are HCCL_E_RUNTIME or HCCL_E_MEMORY.
    // On failure linkSet is left unchanged and nothing is leaked.
    static HcclResult Create(u32 rankSize, u64 bufferBytes, LinkSet *&linkSet);
    static HcclResult Create(u32 rankSize, u64 bufferBytes, const LinkSetOptions &options,
                             LinkSet *&linkSet);
    // Frees every notify, buffer, dispatcher and device reference of the set. Always succeeds
    // (nullptr is ignored).
    static HcclResult Destroy(LinkSet *linkSet);
    ~LinkSet();
    LinkSet(const LinkSet &) = delete;
    LinkSet &operator=(const LinkSet &) = delete;

    u32 RankSize() const;
    u64 BufferBytes() const;
    s32 Device(u32 rank) const;  // -1 for a rank out of range
    // Non-owning views of the rank's buffers; empty for a rank out of range.
    hccl::DeviceMem Input(u32 rank) const;
    hccl::DeviceMem Output(u32 rank) const;
    // links[peer] for every peer, nullptr at `rank` itself; empty for a rank out of range.
    std::vector<hccl::LINK> Links(u32 rank) const;
    // The rank's dispatcher (nullptr for a rank out of range). Register report callbacks on it
    // before the ranks run.
    HcclDispatcher Dispatcher(u32 rank) const;

    // Runs body(rank, stream) on one thread per rank: the thread binds the rank's device, gets a
    // fresh main stream, runs the body and synchronises the stream. Returns the lowest rank's
    // failure: the body's own error, else HCCL_E_TIMEOUT when a notify wait missed its deadline,
    // HCCL_E_RUNTIME for another failed task. Each failure is logged with the rank, the device,
    // the stream and the runtime's description (which names the notify a wait was on).
    HcclResult RunRanks(
        const std::function<HcclResult(u32 rank, hccl::Stream &stream)> &body) const;

    // The topology above, without the environment override.
    static hccl::LinkType TopologyLinkType(s32 deviceA, s32 deviceB);

  private:
    struct State;
    explicit LinkSet(std::unique_ptr<State> state);
    std::unique_ptr<State> state_;
};

}  // namespace hcclcpu
}  // extern "C++"

#endif  // HCCL_PLATFORM_HCCL_CPU_LINKS_H
