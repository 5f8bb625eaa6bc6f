// Moving bytes over one direction of a read-mode P2P link in rounds (platform_api §5.3, §6.1).
//
// The sender's data sits in a region of its own CCL buffer; the receiver pulls it from there with
// RxAsync. A region smaller than the message is reused round after round:
//
//   round k (k = 0 .. R-1, R = ceil(bytes / regionBytes)):
//     receiver: TxAck            "I have read round k-1 (the region is free) and I am ready"
//     sender:   RxAck, fill the region with round k's bytes, TxAsync   "round k is there"
//     receiver: RxAsync          waits for that signal, then copies from the sender's region
//   closing round (no data):
//     receiver: TxAck            "every read of your region is over"
//     sender:   RxAck, TxDataSignal
//     receiver: RxDataSignal
//
// Why records are never lost to the binary notifies (platform_api §6.8): a direction s->d uses
// its own notify pair, s's ack notify (recorded by d, waited by s) and d's data notify (recorded
// by s, waited by d); the reverse direction of the same link uses the other pair. On a direction
// records alternate ack, data, ack, data ..., and each is issued only after the previous record of
// the other kind was waited for, so at most one record is pending on a notify. The closing round
// leaves both notifies consumed, so the next operation finds the direction idle, and when the
// sender passes its last RxAck nobody reads its buffer any more: the next operation may overwrite
// it (the executors rely on that instead of an extra barrier).
#pragma once

#include <vector>

#include "algorithm/alg_template_base.h"
#include "task_logic_info_pub.h"

namespace hcclcpu::algorithm::dm {

using hccl::UserMemType;

// A piece of memory on this rank (user buffer or CCL buffer).
struct Span {
    u8 *ptr = nullptr;
    u64 bytes = 0;
};

// One direction of one link as seen by one of its two ends.
struct Transfer {
    LINK link;
    UserMemType mem = UserMemType::INPUT_MEM;  // the sender's buffer that holds the region
    u64 regionOffset = 0;                      // of the region in that buffer
    u64 regionBytes = 0;                       // bytes per round (> 0)
    u64 totalBytes = 0;                        // all rounds together (may be 0)
    // Sender: the region itself (its own buffer at regionOffset), filled from `spans` round by
    // round; `spans` empty: the data already sits in the region (then totalBytes <= regionBytes).
    // Receiver: where the bytes go, in order; regionPtr unused.
    u8 *regionPtr = nullptr;
    std::vector<Span> spans;

    u64 Rounds() const {
        return regionBytes == 0 ? 0 : (totalBytes + regionBytes - 1) / regionBytes;
    }
};

// Single steps, for templates that order their rounds themselves (rings, chains).
// Receiver round: TxAck, then RxAsync of [offset, offset + len) of the peer's `mem` into dst.
HcclResult RecvRound(const LINK &link, UserMemType mem, u64 offset, void *dst, u64 len,
                     Stream &stream);
// Sender round: RxAck, then TxAsync announcing [offset, offset + len) of the own `mem`.
HcclResult SendRound(const LINK &link, UserMemType mem, u64 offset, u64 len, Stream &stream);
// The closing rounds of a chain position: the direction from `prev` (receiving) and the one to
// `next` (sending); either may be nullptr. The vendor's ExecuteBarrier(prev, next) order.
HcclResult CloseChain(const LINK &prev, const LINK &next, Stream &stream);

// Copies round 0 of every sender transfer into its region (allowed before any handshake: the
// previous operation ended with its closing rounds, so nobody reads the regions).
HcclResult StageFirstRounds(HcclDispatcher dispatcher, std::vector<Transfer> &sends,
                            Stream &stream);

// Runs all rounds of the given directions on one stream, round k of every direction before round
// k+1 of any. Within round k: every receiver TxAck, then every sender (RxAck, fill, TxAsync), then
// every receiver RxAsync. firstRoundsStaged: StageFirstRounds was already called for `sends`.
//
// Deadlock freedom when every rank calls this with matching directions (each sender's totalBytes
// equals its receiver's): suppose every rank has finished round k-1 (or has no round k). In round
// k a rank first issues all its TxAcks, which wait for nothing. A sender's RxAck waits for its
// receiver's TxAck of round k, the first thing that receiver issues in round k; a receiver's
// RxAsync waits for its sender's TxAsync of round k, which follows the sender's RxAck of round k,
// which waits only for this receiver's TxAck, already issued. So every rank finishes round k; by
// induction every rank finishes every round, whatever the number of rounds of each direction and
// whatever the pattern of directions (rings, pairs, a rank sending to and receiving from the same
// peer). A rank that has finished all its rounds is no longer needed by anyone.
HcclResult RunTransfers(HcclDispatcher dispatcher, std::vector<Transfer> &sends,
                        std::vector<Transfer> &recvs, Stream &stream, bool firstRoundsStaged);

// Region size when a buffer of `bufferBytes` is cut into `parts` equal regions: a multiple of
// 64 bytes when that is possible; 0 when the buffer has fewer bytes than parts.
u64 RegionBytes(u64 bufferBytes, u32 parts);

}  // namespace hcclcpu::algorithm::dm
