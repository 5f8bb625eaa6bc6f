// The execution engine of one device: a small pool of worker threads that run ready streams.
//
// - Ready streams sit in a queue; a worker takes one and runs its tasks in order, up to a batch,
//   then re-queues it so streams share the workers fairly.
// - A stream whose head task is a wait that is not satisfied is *parked*: taken off the workers,
//   remembered with its deadline, and re-queued when the notify/event is recorded (the recorder
//   calls onWaitSatisfied) or failed when the deadline passes. Workers never block on a wait.
// - Idle workers spin for a short budget (one spinner at a time), then sleep: the last worker to
//   go idle on the futex doorbell, the others in reserve. Producers ring the doorbell only when
//   nobody spins and somebody sleeps, so a burst of tasks costs no system call; a record for a
//   parked stream wakes a reserve worker only when every active worker is inside a long task. While
//   the engine is busy (it ran a stream in the last 10 ms) one idle worker naps (1 ms timed waits)
//   and producers ring nobody: a synchronizing issuer usually runs its tasks itself first, and a
//   ring costs the producer an inter-processor interrupt. Publishing work and checking for sleepers
//   are separated by seq_cst fences on both sides; otherwise a wake-up can be lost.
// - A large copy or reduction is cut into chunks that an idle worker can help with, so one task
//   can use more than one core's memory bandwidth.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include "common/spin.h"
#include "runtime/shared_area.h"
#include "runtime/task.h"

namespace hcclcpu::rt {

class Stream;

class Engine {
  public:
    // Engines live for the process (one per device slot), so a notify recorded on another device
    // can always reach them; a device reset only stops the workers.
    explicit Engine(int32_t device);
    ~Engine();
    void start(uint32_t workers);
    void stop();  // joins the workers; the device's streams must be gone
    Engine(const Engine &) = delete;
    Engine &operator=(const Engine &) = delete;

    int32_t device() const { return device_; }
    // A stream became ready (its `scheduled` flag was just set by the caller).
    void submit(Stream *stream);
    // Wakes a sleeping or napping worker for work that should not wait for a nap to end.
    void kick() { wake(false); }
    // A notify or event some parked stream may wait on was recorded.
    void onWaitSatisfied();
    // Removes a parked stream (stream destroy); returns true if it was parked.
    bool unpark(Stream *stream);
    // Runs a queued stream on the calling (host) thread when no worker has taken it yet: a thread
    // that synchronizes would otherwise wait for a worker to be woken and scheduled, which on a
    // busy machine takes milliseconds. Returns false when the stream was not waiting in the queue.
    bool runInline(Stream *stream);
    // Spinning before sleeping, for the workers and for threads synchronizing its streams.
    AdaptiveSpin &spinPolicy() { return spin_; }
    bool workerSpinning() const {
        return control_.spinnerActive.load(std::memory_order_relaxed) != 0;
    }

  private:
    struct ChunkJob;  // a large task split into chunks workers share

    void workerMain();
    void run(Stream *stream, bool linger);
    // Executes one task; false when the stream parked instead.
    bool execute(Stream *stream, Task &task);
    bool linger(Stream *stream, uint64_t &head, bool burst);
    bool waitReady(Stream *stream, const Task &task);
    void park(Stream *stream, const Task &task);
    void scanParked();
    void idle();
    bool hasWork() const;
    void wake(bool evenIfSpinning);
    Stream *popReady();
    void runChunked(const Task &task, size_t bytes);
    bool helpChunkJob();

    int32_t device_;
    std::vector<std::thread> workers_;
    std::atomic<bool> stopping_{false};

    std::mutex readyMutex_;
    std::deque<Stream *> ready_;
    alignas(64) std::atomic<uint32_t> readyCount_{0};

    // Doorbell, sleepers, spinner and parked-dirty flags: in the shared runtime area, so records
    // from peer processes wake this engine too.
    EngineControl &control_;

    std::mutex parkedMutex_;
    std::vector<Stream *> parked_;
    std::atomic<int64_t> nearestDeadlineNs_{INT64_MAX};

    std::atomic<uint32_t> nappers_{0};   // idle workers in a short timed wait
    std::atomic<int64_t> lastRunNs_{0};  // when a stream last stopped running here

    AdaptiveSpin spin_;
    ChunkJob *job_;
    std::atomic<bool> jobOpen_{false};
    std::atomic<bool> jobBusy_{false};
};

}  // namespace hcclcpu::rt
