// How the ranks of a process LinkSet (hccl_cpu_links.h) find each other on one host and swap
// their link set-up messages.
//
// Rank r listens on an abstract Unix socket named after the job and r (nothing in the file
// system, gone when the socket is closed). It connects to every lower rank, retrying while that
// rank is not listening yet, and accepts every higher rank. The two ends of a connection first
// swap a hello (job, rank, shape of the links) and then framed messages, each with up to
// kMaxPassedFds descriptors attached (SCM_RIGHTS). Every wait ends at one deadline.
#pragma once

#include <string>
#include <vector>

#include "hccl_common.h"

namespace hcclcpu::platform {

struct RankHello {
    u32 magic = 0;
    u32 version = 0;
    u64 jobHash = 0;
    u32 rankSize = 0;
    u32 rank = 0;
    s32 pid = -1;
    s32 device = -1;
    u32 notifyNum = 0;
    u32 linkAttribute = 0;
};

class Rendezvous {
  public:
    // `self` says who this rank is (magic, version, jobHash and pid are filled in here);
    // `deadlineNs` is on the nowNs() clock; `timeoutS` only names the limit in messages.
    Rendezvous(const RankHello &self, const std::string &jobId, s64 deadlineNs, u32 timeoutS);
    ~Rendezvous();  // closes the listener
    Rendezvous(const Rendezvous &) = delete;
    Rendezvous &operator=(const Rendezvous &) = delete;

    // Binds this rank's name: HCCL_E_UNAVAIL when another process holds it.
    HcclResult listen();
    void closeListener();

    // Connects to a lower rank and swaps hellos; the caller owns *socket on success.
    HcclResult connectTo(u32 peer, int *socket, RankHello *peerHello);
    // Accepts one of the ranks still `waitingFor` (higher ranks) and swaps hellos.
    HcclResult acceptNext(const std::vector<bool> &waitingFor, int *socket, RankHello *peerHello);

    // One framed message with descriptors (borrowed: still the caller's after the call).
    HcclResult send(int socket, const RankHello &peer, const std::vector<u8> &payload,
                    const std::vector<int> &fds) const;
    // The caller owns the received descriptors.
    HcclResult receive(int socket, const RankHello &peer, std::vector<u8> &payload,
                       std::vector<int> &fds) const;

    // The abstract socket name of a rank of a job (without the leading NUL).
    static std::string socketName(const std::string &jobId, u32 rank);
    static u64 jobHash(const std::string &jobId);

  private:
    HcclResult checkHello(const RankHello &hello, const char *from) const;
    int remainingMs() const;

    RankHello self_;
    std::string jobId_;
    s64 deadlineNs_;
    u32 timeoutS_;
    int listener_ = -1;
};

}  // namespace hcclcpu::platform
