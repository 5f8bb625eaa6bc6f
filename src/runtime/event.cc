#include "runtime/event.h"

#include <thread>

#include "common/clock.h"
#include "common/futex.h"
#include "runtime/device.h"
#include "runtime/engine.h"
#include "runtime/runtime.h"

namespace hcclcpu::rt {

void Event::complete(uint64_t generation, int64_t timestampNs) {
    completing_.fetch_add(1, std::memory_order_seq_cst);
    timestampNs_.store(timestampNs, std::memory_order_relaxed);
    // Generations complete in issue order on one stream; across streams keep the maximum.
    uint64_t current = completed_.load(std::memory_order_relaxed);
    while (current < generation &&
           !completed_.compare_exchange_weak(current, generation, std::memory_order_seq_cst)) {
    }
    doneWord_.fetch_add(1, std::memory_order_seq_cst);
    futexWake(&doneWord_, INT32_MAX);
    uint64_t waiters = waiters_.load(std::memory_order_seq_cst);
    while (waiters != 0) {
        int device = __builtin_ctzll(waiters);
        waiters &= waiters - 1;
        if (Engine *engine = engineOf(device)) engine->onWaitSatisfied();
    }
    completing_.fetch_sub(1, std::memory_order_release);
}

Err eventCreate(Event **event, uint32_t flags) {
    if (event == nullptr) return Err::kParam;
    *event = new Event(flags);
    return Err::kOk;
}

Err eventDestroy(Event *event) {
    if (event == nullptr || !event->valid()) return Err::kHandle;
    // A record still queued on a stream would touch the event: wait for it (bounded by the
    // stream's own progress; records never block).
    eventSynchronize(event, -1);
    while (event->completing())
        std::this_thread::yield();
    delete event;
    return Err::kOk;
}

Err eventSynchronize(Event *event, int64_t timeoutMs) {
    if (event == nullptr || !event->valid()) return Err::kHandle;
    const uint64_t target = event->issuedGeneration();
    const int64_t deadline = timeoutMs < 0 ? INT64_MAX : nowNs() + timeoutMs * 1'000'000;
    while (!event->reached(target)) {
        int64_t now = nowNs();
        if (now >= deadline) return Err::kTimeout;
        uint32_t seen = event->doneWord().load(std::memory_order_seq_cst);
        if (!event->reached(target))
            futexWait(&event->doneWord(), seen, std::min<int64_t>(deadline - now, 100'000'000));
    }
    return Err::kOk;
}

Err eventQuery(Event *event, bool *complete) {
    if (event == nullptr || !event->valid()) return Err::kHandle;
    if (complete == nullptr) return Err::kParam;
    *complete = event->reached(event->issuedGeneration());
    return Err::kOk;
}

Err eventElapsedMs(Event *start, Event *end, float *ms) {
    if (start == nullptr || end == nullptr || !start->valid() || !end->valid()) return Err::kHandle;
    if (ms == nullptr) return Err::kParam;
    uint64_t s = start->issuedGeneration(), e = end->issuedGeneration();
    if (s == 0 || e == 0 || !start->reached(s) || !end->reached(e)) return Err::kParam;
    *ms = static_cast<float>(end->timestampNs() - start->timestampNs()) / 1e6f;
    return Err::kOk;
}

}  // namespace hcclcpu::rt
