// A stream: an in-order ring of tasks that one engine worker at a time executes.
//
// Producers (host threads) append under a tiny per-stream spinlock; the engine consumes. `head`
// counts executed tasks and `tail` issued ones, so synchronize waits for head to reach the tail it
// saw. The `scheduled` flag says the stream is queued, running or parked in its engine; whoever
// flips it from false to true hands the stream to the engine (see Engine for the protocol).
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>

#include "runtime/task.h"
#include "runtime/types.h"

namespace hcclcpu::rt {

class Engine;

class Stream {
  public:
    static constexpr uint32_t kMagic = 0x5374726d;  // "Strm"
    static constexpr uint64_t kCapacity = 4096;     // tasks; a full ring makes the issuer wait

    Stream(int32_t id, int32_t device, Engine *engine);
    ~Stream();
    Stream(const Stream &) = delete;
    Stream &operator=(const Stream &) = delete;

    bool valid() const { return magic_ == kMagic; }
    int32_t id() const { return id_; }
    int32_t device() const { return device_; }
    Engine *engine() const { return engine_; }

    // Appends a task and hands the stream to the engine if it was idle (*handed says whether).
    Err push(const Task &task, bool *handed = nullptr);
    // Waits for every task issued before the call; reports a failure once.
    Err synchronize(int64_t timeoutMs);
    bool drained() const {
        return head_.load(std::memory_order_acquire) == tail_.load(std::memory_order_acquire);
    }
    std::string lastError() const;
    uint64_t issued() const { return tail_.load(std::memory_order_acquire); }
    uint64_t executed() const { return head_.load(std::memory_order_acquire); }
    uint64_t synchronizations() const { return synchronizations_.load(std::memory_order_relaxed); }

    // ---- engine side ----
    bool hasTask(uint64_t &head) {
        head = head_.load(std::memory_order_relaxed);
        if (head != consumerTail_) return true;
        consumerTail_ = tail_.load(std::memory_order_acquire);  // touch the producer's line rarely
        return head != consumerTail_;
    }
    Task &taskAt(uint64_t index) { return ring_[index & (kCapacity - 1)]; }
    void completeTask(uint64_t head) { head_.store(head + 1, std::memory_order_release); }
    // Wakes host threads sleeping in synchronize or on a full ring once the head they need is
    // reached. Engines call it whenever they stop running the stream and after long tasks; the
    // fence pairs with the waiters' own.
    void wakeHostWaiters();
    // Called when the ring was seen empty: clears `scheduled`, and returns true when a task
    // arrived meanwhile and this caller took the stream back.
    bool releaseOrReclaim();
    void fail(Err err, const std::string &message);
    bool failed() const { return error_.load(std::memory_order_acquire) != 0; }
    bool aborting() const { return aborting_.load(std::memory_order_acquire); }
    void beginRun() { running_.fetch_add(1, std::memory_order_acquire); }
    bool running() const { return running_.load(std::memory_order_acquire) != 0; }
    void endRun() { running_.fetch_sub(1, std::memory_order_release); }

    // Parking state, owned by the engine while the stream waits on a notify or event.
    int64_t parkDeadlineNs = 0;  // 0: none
    int64_t parkStartNs = 0;
    bool deadlinePassed = false;

    // Used by streamDestroy: abandon waits, wait until the engine no longer touches the stream.
    void abortAndQuiesce();

  private:
    bool handToEngine();
    void waitForSpace();
    // Sleeps until head reaches `head` (or a waker passed by), at most timeoutNs.
    void sleepUntilHead(uint64_t head, int64_t timeoutNs);

    uint32_t magic_ = kMagic;
    int32_t id_;
    int32_t device_;
    Engine *engine_;
    Task *ring_;

    // Producers' line: the engine never touches it.
    alignas(64) std::atomic_flag producerLock_ = ATOMIC_FLAG_INIT;
    uint64_t producerHead_ = 0;  // last head the producers saw (under producerLock_)
    // The one line both sides touch on every task.
    alignas(64) std::atomic<uint64_t> tail_{0};
    alignas(64) std::atomic<uint64_t> head_{0};
    uint64_t consumerTail_ = 0;  // last tail the engine saw (one worker runs a stream at a time)
    std::atomic<uint32_t> doneWord_{0};     // futex word bumped when host waiters are woken
    std::atomic<uint32_t> hostWaiters_{0};  // host threads sleeping on doneWord_
    // The lowest head a sleeping host waiter needs (UINT64_MAX: none registered). A run that
    // ends short of it (a stream parked on a wait, say) wakes nobody: with more threads than
    // cores every needless wake-up is a context switch on the critical path.
    std::atomic<uint64_t> wakeAtHead_{UINT64_MAX};
    alignas(64) std::atomic<bool> scheduled_{false};
    std::atomic<int32_t> running_{0};
    std::atomic<bool> aborting_{false};

    std::atomic<uint64_t> synchronizations_{0};  // synchronize calls so far
    std::atomic<int32_t> error_{0};              // an Err, reported once by synchronize
    mutable std::mutex errorMutex_;
    std::string errorMessage_;
};

}  // namespace hcclcpu::rt
