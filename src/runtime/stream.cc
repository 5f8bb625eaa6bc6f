#include "runtime/stream.h"

#include <cstdlib>
#include <new>
#include <thread>

#include "common/clock.h"
#include "common/futex.h"
#include "common/log.h"
#include "common/spin.h"
#include "runtime/device.h"
#include "runtime/engine.h"

namespace hcclcpu::rt {

Stream::Stream(int32_t id, int32_t device, Engine *engine)
    : id_(id), device_(device), engine_(engine) {
    ring_ = static_cast<Task *>(::operator new (sizeof(Task) * kCapacity, std::align_val_t{64}));
}

Stream::~Stream() {
    magic_ = 0;
    ::operator delete (ring_, std::align_val_t{64});
}

Err Stream::push(const Task &task, bool *handed) {
    while (producerLock_.test_and_set(std::memory_order_acquire))
        std::this_thread::yield();
    uint64_t tail = tail_.load(std::memory_order_relaxed);
    if (tail - producerHead_ >= kCapacity) {
        producerHead_ = head_.load(std::memory_order_acquire);
        if (tail - producerHead_ >= kCapacity) {
            producerLock_.clear(std::memory_order_release);
            waitForSpace();
            return push(task, handed);
        }
    }
    ring_[tail & (kCapacity - 1)] = task;
    // seq_cst store, then seq_cst load of `scheduled_` in handToEngine: pairs with the engine's
    // clear of `scheduled_` and tail re-check in releaseOrReclaim(), so a task is never stranded.
    tail_.store(tail + 1, std::memory_order_seq_cst);
    producerLock_.clear(std::memory_order_release);
    const bool wasHanded = handToEngine();
    if (handed != nullptr) *handed = wasHanded;
    return Err::kOk;
}

bool Stream::handToEngine() {
    if (scheduled_.load(std::memory_order_seq_cst)) return false;
    if (scheduled_.exchange(true, std::memory_order_acq_rel)) return false;
    engine_->submit(this);
    return true;
}

bool Stream::releaseOrReclaim() {
    scheduled_.store(false, std::memory_order_seq_cst);
    std::atomic_thread_fence(std::memory_order_seq_cst);
    if (head_.load(std::memory_order_relaxed) == tail_.load(std::memory_order_acquire))
        return false;
    return !scheduled_.exchange(true, std::memory_order_acq_rel);
}

void Stream::wakeHostWaiters() {
    std::atomic_thread_fence(std::memory_order_seq_cst);
    if (hostWaiters_.load(std::memory_order_relaxed) == 0) return;
    if (head_.load(std::memory_order_relaxed) < wakeAtHead_.load(std::memory_order_relaxed)) return;
    // Every sleeper wakes; those not done yet register again. A waiter reads doneWord_ before it
    // registers, so one whose registration this exchange erased finds the word changed and does
    // not sleep.
    wakeAtHead_.exchange(UINT64_MAX, std::memory_order_seq_cst);
    doneWord_.fetch_add(1, std::memory_order_seq_cst);
    futexWake(&doneWord_, INT32_MAX);
}

void Stream::sleepUntilHead(uint64_t head, int64_t timeoutNs) {
    hostWaiters_.fetch_add(1, std::memory_order_seq_cst);
    uint32_t seen = doneWord_.load(std::memory_order_seq_cst);
    for (uint64_t low = wakeAtHead_.load(std::memory_order_relaxed);
         head < low && !wakeAtHead_.compare_exchange_weak(low, head, std::memory_order_seq_cst);) {
    }
    if (head_.load(std::memory_order_seq_cst) < head) futexWait(&doneWord_, seen, timeoutNs);
    hostWaiters_.fetch_sub(1, std::memory_order_relaxed);
}

void Stream::waitForSpace() {
    // The engine is running this stream (it is full), so space appears soon unless the stream is
    // parked on a wait; every wait has a deadline, so this ends.
    while (true) {
        uint64_t tail = tail_.load(std::memory_order_acquire);
        if (tail - head_.load(std::memory_order_acquire) < kCapacity) return;
        if (engine_->runInline(this)) continue;
        // Sleep until half the ring is free: an issuer far ahead of a slow stream (one waiting
        // on a peer, say) then wakes once per kCapacity / 2 tasks, not once per task.
        sleepUntilHead(tail - kCapacity / 2, 100'000'000);
    }
}

Err Stream::synchronize(int64_t timeoutMs) {
    synchronizations_.fetch_add(1, std::memory_order_relaxed);
    const uint64_t target = tail_.load(std::memory_order_acquire);
    const int64_t start = nowNs();
    const int64_t deadline = timeoutMs < 0 ? INT64_MAX : start + timeoutMs * 1'000'000;
    auto done = [&] { return head_.load(std::memory_order_acquire) >= target; };

    // If no worker has taken the stream, run it here rather than wait for one to be woken and
    // scheduled; a spinning worker gets a moment to take it first.
    constexpr int64_t kHandOffNs = 2000;
    while (!done()) {
        if (engine_->workerSpinning() && spinUntil(done, kHandOffNs)) break;
        if (!engine_->runInline(this)) break;
    }
    engine_->spinPolicy().spin(done);
    while (!done()) {
        int64_t now = nowNs();
        if (now >= deadline) {
            HCPU_ERROR("stream {}: synchronize timed out after {} ms with {} tasks pending", id_,
                       timeoutMs, target - head_.load());
            return Err::kTimeout;
        }
        sleepUntilHead(target, std::min<int64_t>(deadline - now, 100'000'000));
    }
    int32_t err = error_.exchange(0, std::memory_order_acq_rel);
    if (err != 0) {
        HCPU_ERROR("stream {}: synchronize reports a failed task: {}", id_, lastError());
        return static_cast<Err>(err);
    }
    return Err::kOk;
}

void Stream::fail(Err err, const std::string &message) {
    {
        std::lock_guard lock(errorMutex_);
        errorMessage_ = message;
    }
    int32_t expected = 0;
    error_.compare_exchange_strong(expected, static_cast<int32_t>(err));
    HCPU_ERROR("{}", message);
}

std::string Stream::lastError() const {
    std::lock_guard lock(errorMutex_);
    return errorMessage_;
}

void Stream::abortAndQuiesce() {
    aborting_.store(true, std::memory_order_seq_cst);
    engine_->onWaitSatisfied();  // a parked stream re-runs its wait and abandons it
    while (!drained() || scheduled_.load(std::memory_order_acquire) ||
           running_.load(std::memory_order_acquire) != 0) {
        sleepUntilHead(tail_.load(std::memory_order_acquire), 1'000'000);
        if (drained()) std::this_thread::yield();
    }
}

}  // namespace hcclcpu::rt
