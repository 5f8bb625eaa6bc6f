// The emulated NPU: what libascendcl and the platform layer build on.
//
// A device is an execution engine (a small pool of worker threads) plus the memory and notifies
// that belong to it. Streams are in-order task queues that the engine runs asynchronously.
// Every function here validates its arguments and returns an Err; nothing throws.
//
// Threads bind to a device with setDevice(), as CANN threads do; objects created without an
// explicit device belong to the calling thread's current device.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "runtime/types.h"

namespace hcclcpu::rt {

class Stream;
class Notify;
class Event;

// ---- devices --------------------------------------------------------------------------------
// Number of emulated devices: HCCL_CPU_DEVICE_COUNT (default 8, range 1..64), read once.
uint32_t deviceCount();
Err setDevice(int32_t device);       // binds the calling thread; reference counted per device
Err resetDevice(int32_t device);     // drops one reference; at zero destroys the device's streams
Err currentDevice(int32_t *device);  // kContext when the thread has no device
// Stream of the current device used when a caller passes a null stream (kContext if none).
Err defaultStream(Stream **stream);
Err synchronizeDevice();  // every stream of the current device

// ---- memory ---------------------------------------------------------------------------------
// Device memory: memfd-backed (so it can be shared with another process), populated and
// zero-filled at allocation, registered. Host memory: registered, zero-filled.
Err deviceMalloc(size_t size, void **ptr);  // on the current device
// Device memory whose pages are allocated on first touch: for large buffers of which an operation
// may use only a little (a communicator's CCL staging buffers, 2 x 200 MB by default per rank).
Err deviceMallocLazy(size_t size, void **ptr);
Err deviceFree(void *ptr);  // ptr must be the start of a device allocation
Err hostMalloc(size_t size, void **ptr);
Err hostFree(void *ptr);
// What the registry knows about the allocation containing [ptr, ptr+size); size 0 means the byte
// at ptr. Returns kMemUnregistered when no single allocation holds the range.
MemInfo memoryInfo(const void *ptr, size_t size);
// The checks a real runtime makes before a copy: `kind` must agree with where dst and src live,
// and device ranges must lie inside one registered allocation. HCCL_CPU_CHECK_MEMORY=0 turns the
// checks off (then only null pointers are rejected).
Err checkCopy(void *dst, const void *src, size_t count, CopyKind kind);
bool memoryChecksEnabled();
// Free/total bytes of emulated device memory on the current device.
Err deviceMemoryInfo(size_t *freeBytes, size_t *totalBytes);

// Synchronous copy with the same checks (aclrtMemcpy).
Err copySync(void *dst, size_t destMax, const void *src, size_t count, CopyKind kind);

// ---- streams --------------------------------------------------------------------------------
Err streamCreate(Stream **stream);  // on the current device
Err streamDestroy(Stream *stream);  // finishes or aborts pending work, then frees
// Waits until every task issued so far has run. Returns the first error of a failed task once
// (kTaskFailed or kTimeout); after that the stream is usable again. timeoutMs < 0: no limit
// other than the tasks' own deadlines.
Err streamSynchronize(Stream *stream, int64_t timeoutMs = -1);
Err streamQuery(Stream *stream, bool *complete);
// Every task issued so far has run and none failed unreported: work done now by the caller itself
// is in stream order.
bool streamIdle(Stream *stream);
// Tasks issued on the stream so far: a caller that remembers it can tell later whether anyone
// issued more.
uint64_t streamIssued(const Stream *stream);
// How often a host thread synchronized the stream so far: a caller that remembers it can tell
// whether anyone waited for the stream since.
uint64_t streamSynchronizations(const Stream *stream);
// Runs the stream's tasks on the calling thread if no worker has taken the stream yet (as
// synchronize does); false if none were waiting for a worker.
bool streamRunQueued(Stream *stream);
bool streamValid(const Stream *stream);  // cheap magic check, for argument validation
int32_t streamId(const Stream *stream);  // unique per process
int32_t streamDevice(const Stream *stream);
// Details of the last failure on this stream (for logs and synchronize error messages).
std::string streamLastError(const Stream *stream);

// Task issue: the hot path. No allocation, no global lock, no system call while the engine is
// awake. Each call validates, then appends one task to the stream's ring.
Err enqueueCopy(Stream *stream, void *dst, size_t destMax, const void *src, size_t count,
                CopyKind kind);
// dst[i] = dst[i] op src[i], i < count elements. kNotSupported for a type/op pair the runtime
// cannot reduce.
Err enqueueReduce(Stream *stream, void *dst, const void *src, size_t count, DataType type,
                  ReduceOp op);
Err enqueueMemset(Stream *stream, void *dst, size_t destMax, int value, size_t count);
Err enqueueNotifyRecord(Stream *stream, Notify *notify);
// Wait-and-reset: the stream waits until the notify is set, then clears it. A wait that is not
// satisfied within timeoutNs (kNoTimeout: never) fails the stream with kTimeout.
constexpr uint64_t kNoTimeout = UINT64_MAX;
Err enqueueNotifyWait(Stream *stream, Notify *notify, uint64_t timeoutNs);
Err enqueueEventRecord(Stream *stream, Event *event);
Err enqueueEventReset(Stream *stream, Event *event);
Err enqueueEventWait(Stream *stream, Event *event);
// Runs fn(arg) on an engine thread, in stream order.
Err enqueueHostFunc(Stream *stream, void (*fn)(void *), void *arg);
// A kernel: a function run on an engine thread (woken at once), in stream order, with a small
// argument block stored in the task itself (nothing to allocate, nothing to leak when the stream is
// destroyed before it runs). It may fail: its Err and `why` then fail the stream like a failed
// task. Kernels may wait (for peers, say), but every wait must end at a deadline.
struct KernelArgs {
    void *dst = nullptr;
    const void *src = nullptr;
    uint64_t count = 0;
    uint64_t word = 0;   // free for the kernel
    uint32_t word2 = 0;  // free for the kernel
    void *context = nullptr;
    void *context2 = nullptr;
    // More kernels of this kind follow within microseconds (pipelined collectives): a worker
    // that drains the stream after it keeps the stream a while, yielding its core, instead of
    // going to sleep and making the next issue wake it.
    bool burst = false;
};
using KernelFn = Err (*)(const KernelArgs &args, std::string *why);
Err enqueueKernel(Stream *stream, KernelFn fn, const KernelArgs &args);

// ---- notifies -------------------------------------------------------------------------------
Err notifyCreate(int32_t device, Notify **notify);
Err notifyDestroy(Notify *notify);
uint32_t notifyId(const Notify *notify);      // unique in the process
uint64_t notifyOffset(const Notify *notify);  // byte offset in the process's notify slots

// The peer that should record `notify` is gone: waits on it fail at once, naming the peer.
Err notifyBreak(Notify *notify, uint32_t peerRank);

// ---- sharing with other processes -------------------------------------------------------------
// Device memory and notifies of this process can be used by a peer process: the peer receives the
// fds (over a Unix socket, SCM_RIGHTS) and maps them. Data then moves with one copy, and a record
// by the peer wakes our engines directly (shared futexes), with no polling.
class PeerArea;
// The fd of this process's shared runtime area (all notifies and engine doorbells).
int runtimeAreaFd();
Err peerAreaOpen(int fd, PeerArea **area);  // maps a peer's runtime area; fd may be closed after
void peerAreaClose(PeerArea *area);
// A peer's notify, by the offset its owner reported (notifyOffset); records only.
Err peerAreaNotify(PeerArea *area, uint64_t offset, Notify **notify);
int32_t peerAreaPid(const PeerArea *area);
// The memfd, allocation size and offset of a device address, for sending to a peer.
// allocationId (optional): unique per allocation of this process, so a peer that caches mappings
// by fd can tell a new allocation that reuses the number from the one it mapped.
Err memoryExport(const void *ptr, int *fd, size_t *allocationSize, size_t *offset,
                 uint64_t *allocationId = nullptr);
// Maps a peer's device allocation; it is registered as device memory of `peerDevice`, so copies
// into and out of it are checked like local ones. Unmapped by memoryImportClose.
Err memoryImport(int fd, size_t allocationSize, int32_t peerDevice, void **base);
Err memoryImportClose(void *base);

// ---- events ---------------------------------------------------------------------------------
Err eventCreate(Event **event, uint32_t flags);
Err eventDestroy(Event *event);
Err eventSynchronize(Event *event, int64_t timeoutMs = -1);
Err eventQuery(Event *event, bool *complete);  // complete also when never recorded
// Milliseconds between two completed records.
Err eventElapsedMs(Event *start, Event *end, float *ms);

}  // namespace hcclcpu::rt
