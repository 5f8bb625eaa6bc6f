#include "runtime/engine.h"

#include <algorithm>
#include <cstring>

#include <fmt/format.h>

#include "common/clock.h"
#include "common/futex.h"
#include "common/log.h"
#include "common/spin.h"
#include "runtime/device.h"
#include "runtime/event.h"
#include "runtime/notify.h"
#include "runtime/reduce.h"
#include "runtime/runtime.h"
#include "runtime/stream.h"

namespace hcclcpu::rt {

namespace {
// A parked wait may proceed: satisfied, or (for a notify) its recorder is gone.
bool notifyReady(const Task &t) {
    auto *n = static_cast<Notify *>(t.object);
    return n->isSet() || n->broken();
}
bool eventReady(const Task &t) {
    return static_cast<Event *>(t.object)->reached(t.arg);
}

constexpr int kBatch = 64;               // tasks of one stream before it yields to others
constexpr size_t kChunkBytes = 1 << 20;  // unit of work shared between workers
constexpr int64_t kLingerNs = 5000;      // how long a worker keeps a drained stream
// ... after a burst kernel (KernelArgs::burst), yielding its core meanwhile: the next operation
// of a pipelined batch is usually issued within this, and waking a sleeping worker for each
// costs more than the operation (4 ranks on 2 cores, 8-byte all-reduce: 6.5 -> 2 us).
constexpr int64_t kBurstLingerNs = 50000;
// For this long after the engine last ran a stream, idle workers nap (futex waits of kNapNs)
// instead of sleeping until woken, and an issuer wakes nobody while one naps: waking a sleeping
// worker costs the issuer an inter-processor interrupt, 5-10 us on these virtual machines, a
// quarter of a 1 MiB copy; a napper finds the work within kNapNs, unless a synchronizing issuer ran
// it first.
constexpr int64_t kNapPeriodNs = 10'000'000;
constexpr int64_t kNapNs = 1'000'000;
}  // namespace

// A large copy/reduce split into chunks. The owner publishes it, takes chunks itself and, after
// closing it, waits until no helper is inside before returning (the job lives in the engine, so a
// late helper never touches freed memory).
struct Engine::ChunkJob {
    const Task *task = nullptr;
    size_t bytes = 0;
    size_t chunks = 0;
    size_t unit = 0;  // element size: chunks never split an element
    std::atomic<size_t> next{0};
    std::atomic<int32_t> helpers{0};

    // Runs chunk ranges until none are left.
    void work() {
        for (size_t c = next.fetch_add(1, std::memory_order_relaxed); c < chunks;
             c = next.fetch_add(1, std::memory_order_relaxed)) {
            size_t begin = c * kChunkBytes;
            size_t len = std::min(kChunkBytes, bytes - begin);
            const Task &t = *task;
            auto *dst = static_cast<char *>(t.dst) + begin;
            auto *src = static_cast<const char *>(t.src) + begin;
            if (t.type == TaskType::kCopy) {
                std::memcpy(dst, src, len);
            } else {
                reduce(dst, dst, src, len / unit, t.dataType, t.op);
            }
        }
    }
};

Engine::Engine(int32_t device)
    : device_(device),
      control_(SharedArea::local().control(device)),
      spin_(tunables().spinNs),
      job_(new ChunkJob) {}

Engine::~Engine() {
    stop();
    delete job_;
}

void Engine::start(uint32_t workers) {
    stopping_.store(false, std::memory_order_seq_cst);
    control_.active.fetch_add(workers, std::memory_order_seq_cst);
    workers_.reserve(workers);
    for (uint32_t i = 0; i < workers; ++i)
        workers_.emplace_back([this] { workerMain(); });
}

void Engine::stop() {
    stopping_.store(true, std::memory_order_seq_cst);
    control_.doorbell.fetch_add(1);
    futexWake(&control_.doorbell, INT32_MAX, /*shared=*/true);
    control_.reserveBell.fetch_add(1);
    futexWake(&control_.reserveBell, INT32_MAX, /*shared=*/true);
    for (auto &w : workers_)
        w.join();
    control_.active.fetch_sub(static_cast<uint32_t>(workers_.size()), std::memory_order_seq_cst);
    workers_.clear();
}

// ---- producer side --------------------------------------------------------------------------

void Engine::submit(Stream *stream) {
    {
        std::lock_guard lock(readyMutex_);
        ready_.push_back(stream);
        readyCount_.fetch_add(1, std::memory_order_relaxed);
    }
    std::atomic_thread_fence(std::memory_order_seq_cst);
    if (nappers_.load(std::memory_order_relaxed) != 0) return;  // one looks within kNapNs
    wake(false);
}

void Engine::onWaitSatisfied() {
    ringEngine(control_);
}

void Engine::wake(bool evenIfSpinning) {
    std::atomic_thread_fence(std::memory_order_seq_cst);
    if (!evenIfSpinning && control_.spinnerActive.load(std::memory_order_relaxed) != 0) return;
    if (control_.sleepers.load(std::memory_order_relaxed) == 0) {
        wakeReserve(control_);
        return;
    }
    wakeDoorbell(control_);
}

// ---- worker side ----------------------------------------------------------------------------

Stream *Engine::popReady() {
    if (readyCount_.load(std::memory_order_relaxed) == 0) return nullptr;
    std::lock_guard lock(readyMutex_);
    if (ready_.empty()) return nullptr;
    Stream *s = ready_.front();
    ready_.pop_front();
    readyCount_.fetch_sub(1, std::memory_order_relaxed);
    return s;
}

bool Engine::hasWork() const {
    return readyCount_.load(std::memory_order_seq_cst) != 0 ||
           control_.parkedDirty.load(std::memory_order_seq_cst) != 0 ||
           jobOpen_.load(std::memory_order_seq_cst) ||
           nearestDeadlineNs_.load(std::memory_order_relaxed) <= nowNs() ||
           stopping_.load(std::memory_order_relaxed);
}

void Engine::workerMain() {
    while (!stopping_.load(std::memory_order_relaxed)) {
        if (control_.parkedDirty.load(std::memory_order_relaxed) != 0 ||
            nearestDeadlineNs_.load(std::memory_order_relaxed) <= nowNs())
            scanParked();
        if (Stream *s = popReady()) {
            run(s, true);
            continue;
        }
        if (helpChunkJob()) continue;
        idle();
    }
}

void Engine::idle() {
    // One worker spins for the budget; the others (and the spinner afterwards) sleep.
    if (control_.spinnerActive.exchange(1, std::memory_order_seq_cst) == 0) {
        bool found = spin_.spin([this] { return hasWork(); });
        control_.spinnerActive.store(0, std::memory_order_seq_cst);
        if (found) return;
    }
    auto untilDeadline = [this] {
        const int64_t deadline = nearestDeadlineNs_.load(std::memory_order_seq_cst);
        return deadline == INT64_MAX ? int64_t{-1} : std::max<int64_t>(deadline - nowNs(), 0);
    };
    // Only the last worker to go idle sleeps on the doorbell (EngineControl::reserveBell). A
    // reserve worker still wakes for the nearest deadline: the active one may be in a long task.
    if (control_.active.fetch_sub(1, std::memory_order_seq_cst) > 1) {
        control_.reserveSleepers.fetch_add(1, std::memory_order_seq_cst);
        uint32_t seen = control_.reserveBell.load(std::memory_order_seq_cst);
        if (!hasWork()) futexWait(&control_.reserveBell, seen, untilDeadline(), /*shared=*/true);
        control_.reserveSleepers.fetch_sub(1, std::memory_order_relaxed);
        control_.active.fetch_add(1, std::memory_order_seq_cst);
        return;
    }
    // One napper is enough (each nap's end is a wake-up competing for the cores).
    uint32_t noNapper = 0;
    const bool nap = nowNs() - lastRunNs_.load(std::memory_order_relaxed) < kNapPeriodNs &&
                     nappers_.compare_exchange_strong(noNapper, 1, std::memory_order_seq_cst);
    control_.sleepers.fetch_add(1, std::memory_order_seq_cst);  // records still wake nappers
    uint32_t seen = control_.doorbell.load(std::memory_order_seq_cst);
    if (!hasWork()) {
        int64_t timeout = untilDeadline();
        if (nap) timeout = timeout < 0 ? kNapNs : std::min(timeout, kNapNs);
        futexWait(&control_.doorbell, seen, timeout, /*shared=*/true);
    }
    if (nap) nappers_.fetch_sub(1, std::memory_order_relaxed);
    control_.sleepers.fetch_sub(1, std::memory_order_relaxed);
    control_.active.fetch_add(1, std::memory_order_seq_cst);
}

bool Engine::runInline(Stream *stream) {
    {
        std::lock_guard lock(readyMutex_);
        auto it = std::find(ready_.begin(), ready_.end(), stream);
        if (it == ready_.end()) return false;
        ready_.erase(it);
        readyCount_.fetch_sub(1, std::memory_order_relaxed);
    }
    run(stream, false);  // no lingering: the issuer is this thread, it sends nothing meanwhile
    return true;
}

void Engine::run(Stream *stream, bool lingerWhenDrained) {
    stream->beginRun();
    bool parked = false;
    bool burst = false;  // the last task was a burst kernel
    // A record sets its flag at once but rings its waiters' engines only when this worker is
    // about to do anything but more records and waits: run another task, linger, or leave the
    // stream (parked, drained, yielding). In a ping-pong the next task is the wait for the
    // answer, so the wake-up comes just before this worker goes to sleep, as with a raw futex
    // pair; rung earlier, a woken peer on this CPU preempted the worker between its wake-up and
    // its sleep, and a busy process on the CPU ran in between (a notify ping-pong sharing a CPU
    // with a busy process: 0.76-0.79 of a futex pair's pace, 0.95-1.01 with this).
    constexpr int kMaxUnrung = 8;
    Notify *unrung[kMaxUnrung];
    int unrungCount = 0;
    auto ringRecorded = [&] {
        for (int i = 0; i < unrungCount; ++i)
            unrung[i]->ringWaiters();
        unrungCount = 0;
    };
    for (int done = 0;;) {
        uint64_t head;
        // A thread synchronizing the drained stream need not wait for the linger to end.
        if (!stream->hasTask(head) &&
            !(lingerWhenDrained &&
              (ringRecorded(), stream->wakeHostWaiters(), linger(stream, head, burst)))) {
            if (stream->releaseOrReclaim()) continue;
            break;
        }
        if (++done > kBatch) {
            // Yield to other ready streams; the stream stays scheduled.
            std::lock_guard lock(readyMutex_);
            ready_.push_back(stream);
            readyCount_.fetch_add(1, std::memory_order_relaxed);
            break;
        }
        Task &task = stream->taskAt(head);
        if (task.type == TaskType::kNotifyRecord && !stream->failed() && unrungCount < kMaxUnrung) {
            auto *notify = static_cast<Notify *>(task.object);
            notify->set();
            unrung[unrungCount++] = notify;
            stream->completeTask(head);
            continue;
        }
        if (task.type != TaskType::kNotifyWait) ringRecorded();
        if (!execute(stream, task)) {
            // Parked on the host thread: a sleeping worker must learn the new deadline, or the
            // wait would never time out.
            if (!lingerWhenDrained) wake(false);
            parked = true;
            break;
        }
        bool longTask = task.size >= kChunkBytes;  // read before the slot is handed back
        if (task.type == TaskType::kKernel) burst = (task.flags & kTaskBurst) != 0;
        stream->completeTask(head);
        if (longTask) stream->wakeHostWaiters();  // don't make host waiters wait for the batch
    }
    ringRecorded();
    stream->wakeHostWaiters();
    stream->endRun();
    // Napping serves issuers sending work; a stream that parked is resumed by its recorder's
    // doorbell, and a napper's timer wake-ups would only compete with the recorder's peer for
    // the cores (a notify ping-pong between busy processes took 1.5-2x longer).
    if (!parked) lastRunNs_.store(nowNs(), std::memory_order_relaxed);
}

// Issuers usually send bursts: keeping a drained stream for a few microseconds, while no other
// stream is waiting for a worker, spares the next issue the hand-off to the engine.
bool Engine::linger(Stream *stream, uint64_t &head, bool burst) {
    const int64_t until = nowNs() + (burst ? kBurstLingerNs : kLingerNs);
    for (uint32_t i = 1; readyCount_.load(std::memory_order_relaxed) == 0; ++i) {
        if (burst)
            sched_yield();
        else
            cpuRelax();
        if (stream->hasTask(head)) return true;
        if ((burst || (i & 15) == 0) && nowNs() > until) break;
    }
    return false;
}

// Marks the worker as inside a task that may take long (a kernel may wait for peers, a host
// function is the caller's code, a copy of a chunk or more takes 100 us or more): records for
// parked streams then wake a reserve worker instead of waiting for this one.
class LongTask {
  public:
    LongTask(EngineControl &control, bool isLong, bool workPending) : control_(control) {
        if (!isLong) return;
        marked_ = true;
        control_.inLongTask.fetch_add(1, std::memory_order_seq_cst);
        if (workPending || control_.parkedDirty.load(std::memory_order_seq_cst) != 0)
            wakeReserve(control_);
    }
    ~LongTask() {
        if (marked_) control_.inLongTask.fetch_sub(1, std::memory_order_seq_cst);
    }
    LongTask(const LongTask &) = delete;
    LongTask &operator=(const LongTask &) = delete;

  private:
    EngineControl &control_;
    bool marked_ = false;
};

bool Engine::execute(Stream *stream, Task &task) {
    // A failed stream skips its remaining tasks until synchronize reports the failure.
    if (stream->failed() && task.type != TaskType::kEventRecord) return true;
    const bool isLong = task.type == TaskType::kKernel || task.type == TaskType::kHostFunc ||
                        ((task.type == TaskType::kCopy || task.type == TaskType::kReduce ||
                          task.type == TaskType::kMemset) &&
                         task.size >= kChunkBytes);
    LongTask mark(control_, isLong, readyCount_.load(std::memory_order_relaxed) != 0);
    switch (task.type) {
        case TaskType::kCopy: {
            auto *d = static_cast<char *>(task.dst);
            auto *s = static_cast<const char *>(task.src);
            if (d < s + task.size && s < d + task.size) {
                std::memmove(d, s, task.size);  // overlapping ranges: defined result, no UB
            } else if (task.size >= tunables().splitBytes && workers_.size() > 1) {
                runChunked(task, task.size);
            } else {
                std::memcpy(d, s, task.size);
            }
            return true;
        }
        case TaskType::kReduce: {
            size_t bytes = task.size * dataTypeSize(task.dataType);
            if (bytes >= tunables().splitBytes && workers_.size() > 1) {
                runChunked(task, bytes);
            } else {
                reduce(task.dst, task.dst, task.src, task.size, task.dataType, task.op);
            }
            return true;
        }
        case TaskType::kMemset:
            std::memset(task.dst, task.value, task.size);
            return true;
        case TaskType::kNotifyRecord:
            static_cast<Notify *>(task.object)->record();
            return true;
        case TaskType::kEventRecord:
            static_cast<Event *>(task.object)->complete(task.arg, nowNs());
            return true;
        case TaskType::kEventReset:
            return true;
        case TaskType::kHostFunc:
            reinterpret_cast<void (*)(void *)>(task.object)(reinterpret_cast<void *>(task.arg));
            return true;
        case TaskType::kKernel: {
            KernelArgs args;
            args.dst = task.dst;
            args.src = task.src;
            args.count = task.size;
            args.word = task.arg;
            args.word2 = static_cast<uint32_t>(task.value);
            args.context = task.context;
            args.context2 = task.context2;
            std::string why;
            Err err = reinterpret_cast<KernelFn>(task.object)(args, &why);
            if (err != Err::kOk)
                stream->fail(err,
                             fmt::format("stream {} (device {}): {}", stream->id(), device_, why));
            return true;
        }
        case TaskType::kNotifyWait:
        case TaskType::kEventWait:
            if (waitReady(stream, task)) return true;
            park(stream, task);
            return false;
    }
    return true;
}

// True when the wait at the head of `stream` may complete (satisfied, or failed/abandoned).
bool Engine::waitReady(Stream *stream, const Task &task) {
    bool satisfied = task.type == TaskType::kNotifyWait
                         ? static_cast<Notify *>(task.object)->tryConsume()
                         : static_cast<Event *>(task.object)->reached(task.arg);
    if (!satisfied && task.type == TaskType::kNotifyWait &&
        static_cast<Notify *>(task.object)->broken()) {
        auto *notify = static_cast<Notify *>(task.object);
        stream->fail(Err::kTaskFailed,
                     fmt::format("stream {} (device {}): notify wait (notify id {}, offset 0x{:x}) "
                                 "abandoned: peer rank {} is gone",
                                 stream->id(), device_, notify->index(),
                                 uint64_t{notify->index()} * 64, notify->brokenPeer()));
        stream->parkDeadlineNs = 0;
        stream->deadlinePassed = false;
        return true;
    }
    if (satisfied) {
        stream->parkDeadlineNs = 0;
        stream->deadlinePassed = false;
        return true;
    }
    if (stream->aborting()) {
        stream->fail(Err::kTaskFailed,
                     fmt::format("stream {} (device {}): destroyed while waiting; pending tasks "
                                 "discarded",
                                 stream->id(), device_));
        return true;
    }
    if (stream->deadlinePassed) {
        auto *notify = static_cast<Notify *>(task.object);
        double waited = static_cast<double>(nowNs() - stream->parkStartNs) / 1e9;
        stream->fail(
            Err::kTimeout,
            task.type == TaskType::kNotifyWait
                ? fmt::format("stream {} (device {}): notify wait timed out after {:.3f} s "
                              "(notify id {} of device {}, offset 0x{:x}); no record "
                              "arrived",
                              stream->id(), device_, waited, notify->index(), notify->device(),
                              uint64_t{notify->index()} * 64)
                : fmt::format("stream {} (device {}): event wait timed out after {:.3f} s",
                              stream->id(), device_, waited));
        stream->deadlinePassed = false;
        stream->parkDeadlineNs = 0;
        return true;
    }
    return false;
}

void Engine::park(Stream *stream, const Task &slot) {
    // Once the stream is in parked_, another worker may resume it and the issuer may reuse the
    // slot: work on a copy.
    const Task task = slot;
    int64_t now = nowNs();
    if (stream->parkDeadlineNs == 0) {
        stream->parkStartNs = now;
        bool never = task.type == TaskType::kEventWait || task.arg == UINT64_MAX ||
                     task.arg > static_cast<uint64_t>(INT64_MAX - now);
        stream->parkDeadlineNs = never ? INT64_MAX : now + static_cast<int64_t>(task.arg);
    }
    if (task.type == TaskType::kNotifyWait) {
        static_cast<Notify *>(task.object)->addWaiter(device_);
    } else {
        static_cast<Event *>(task.object)->addWaiter(device_);
    }
    {
        std::lock_guard lock(parkedMutex_);
        parked_.push_back(stream);
        if (stream->parkDeadlineNs < nearestDeadlineNs_.load(std::memory_order_relaxed))
            nearestDeadlineNs_.store(stream->parkDeadlineNs, std::memory_order_seq_cst);
    }
    // The record may have landed between the failed check and addWaiter: look again.
    std::atomic_thread_fence(std::memory_order_seq_cst);
    bool set = task.type == TaskType::kNotifyWait ? notifyReady(task) : eventReady(task);
    if (set || stream->aborting()) control_.parkedDirty.store(1, std::memory_order_seq_cst);
}

void Engine::scanParked() {
    control_.parkedDirty.store(0, std::memory_order_seq_cst);
    int64_t now = nowNs();
    thread_local std::vector<Stream *> resumed;  // keeps its capacity: no allocation per scan
    resumed.clear();
    {
        std::lock_guard lock(parkedMutex_);
        int64_t nearest = INT64_MAX;
        auto keep = parked_.begin();
        for (Stream *s : parked_) {
            uint64_t head;
            s->hasTask(head);
            const Task &t = s->taskAt(head);
            bool ready = t.type == TaskType::kNotifyWait ? notifyReady(t) : eventReady(t);
            if (!ready && now >= s->parkDeadlineNs) s->deadlinePassed = true;
            if (ready || s->deadlinePassed || s->aborting()) {
                resumed.push_back(s);
            } else {
                *keep++ = s;
                nearest = std::min(nearest, s->parkDeadlineNs);
            }
        }
        parked_.erase(keep, parked_.end());
        nearestDeadlineNs_.store(nearest, std::memory_order_relaxed);
    }
    if (resumed.empty()) return;
    {
        std::lock_guard lock(readyMutex_);
        for (Stream *s : resumed)
            ready_.push_back(s);
        readyCount_.fetch_add(static_cast<uint32_t>(resumed.size()), std::memory_order_relaxed);
    }
    if (resumed.size() > 1) wake(false);  // this worker takes one; others may take the rest
}

bool Engine::unpark(Stream *stream) {
    std::lock_guard lock(parkedMutex_);
    auto it = std::find(parked_.begin(), parked_.end(), stream);
    if (it == parked_.end()) return false;
    parked_.erase(it);
    return true;
}

// ---- chunked execution of large tasks ---------------------------------------------------------

void Engine::runChunked(const Task &task, size_t bytes) {
    size_t unit = task.type == TaskType::kReduce ? dataTypeSize(task.dataType) : 1;
    if (jobBusy_.exchange(true, std::memory_order_acquire)) {
        // Another worker's job is open: help it first would delay this stream; just run alone.
        ChunkJob local;
        local.task = &task;
        local.bytes = bytes;
        local.unit = unit;
        local.chunks = (bytes + kChunkBytes - 1) / kChunkBytes;
        local.work();
        return;
    }
    ChunkJob &job = *job_;
    job.task = &task;
    job.bytes = bytes;
    job.unit = unit;
    job.chunks = (bytes + kChunkBytes - 1) / kChunkBytes;
    job.next.store(0, std::memory_order_relaxed);
    jobOpen_.store(true, std::memory_order_seq_cst);
    wake(true);
    job.work();
    jobOpen_.store(false, std::memory_order_seq_cst);
    while (job.helpers.load(std::memory_order_acquire) != 0)
        cpuRelax();
    jobBusy_.store(false, std::memory_order_release);
}

bool Engine::helpChunkJob() {
    if (!jobOpen_.load(std::memory_order_acquire)) return false;
    ChunkJob &job = *job_;
    job.helpers.fetch_add(1, std::memory_order_seq_cst);
    if (jobOpen_.load(std::memory_order_seq_cst)) job.work();
    job.helpers.fetch_sub(1, std::memory_order_release);
    return true;
}

}  // namespace hcclcpu::rt
