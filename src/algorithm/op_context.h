// What an operation executor needs from its communicator, filled in by the framework per call.
#pragma once

#include <array>
#include <vector>

#include "algorithm/alg_template_base.h"
#include "platform/direct_peers.h"

namespace hcclcpu::algorithm {

// The operation families HCCL_ALGO names (spec public_api §5), plus the ones it does not.
enum class OpKind : u32 {
    kAllGather,
    kReduceScatter,
    kAllReduce,
    kBroadcast,
    kReduce,
    kScatter,
    kAlltoAll,
    kCount
};

// A template family. kAuto: the executor chooses by message size and rank count.
enum class AlgoKind : u32 { kAuto, kRing, kMesh, kRecursiveHD, kPairwise, kStar };

struct AlgoConfig {
    std::array<AlgoKind, static_cast<size_t>(OpKind::kCount)> perOp{};  // all kAuto
    // HCCL_DETERMINISTIC=true/strict: reductions give bit-identical results across runs and
    // algorithms.
    bool deterministic = false;

    AlgoKind of(OpKind op) const { return perOp[static_cast<size_t>(op)]; }
};

struct OpContext {
    u32 rank = 0;
    u32 rankSize = 1;
    HcclDispatcher dispatcher = nullptr;
    Stream stream;  // the caller's stream (a non-owning Stream)
    // The communicator's whole CCL buffers: every link's INPUT_MEM / OUTPUT_MEM.
    DeviceMem cclInput;
    DeviceMem cclOutput;
    const std::vector<LINK> *links = nullptr;  // (*links)[i]: link to rank i, nullptr at rank
    AlgoConfig algo;
    // Direct access to the peers' memory (direct kernels), or nullptr when the communicator has
    // none (HCCL_CPU_DIRECT=0, or a peer process's memory cannot be mapped here).
    platform::DirectPeers *direct = nullptr;
    // Where an operation that ran to completion on the issuing thread (issuing nothing) says so;
    // nullptr: it must be issued.
    bool *ranHere = nullptr;
};

}  // namespace hcclcpu::algorithm
