// The table of emulated devices of this process.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

namespace hcclcpu::rt {

class Engine;
class Stream;

constexpr int32_t kMaxDevices = 64;

// The engine of a device slot: created when the device is first set and kept for the process
// (a reset only stops its workers); nullptr before.
Engine *engineOf(int32_t device);

// Where every live stream's issue position stands: memory freed now may still be used by tasks
// issued before; it can be unmapped once every stream has run past its mark.
struct StreamMarks {
    std::vector<std::pair<const Stream *, uint64_t>> marks;  // stream, tail at the time
};
StreamMarks markStreams();
bool streamsPassed(const StreamMarks &marks);

// Tunables, read once from the environment.
struct Tunables {
    uint32_t workersPerDevice;  // HCCL_CPU_ENGINE_THREADS (default 2)
    int64_t spinNs;             // HCCL_CPU_SPIN_US (default 20)
    uint64_t splitBytes;        // HCCL_CPU_SPLIT_BYTES: tasks this large are shared by workers
};
const Tunables &tunables();

}  // namespace hcclcpu::rt
