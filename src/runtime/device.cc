// Devices, threads' current device, streams and memory entry points of runtime.h.
#include "runtime/device.h"

#include <atomic>
#include <cstring>
#include <mutex>
#include <new>
#include <unordered_set>
#include <vector>

#include "common/env.h"
#include "common/log.h"
#include "runtime/engine.h"
#include "runtime/memory.h"
#include "runtime/runtime.h"
#include "runtime/stream.h"

namespace hcclcpu::rt {
namespace {

struct DeviceState {
    std::mutex mutex;
    int32_t refs = 0;
    // Created on first set and kept for the process; read without the lock by notify records.
    std::atomic<Engine *> engine{nullptr};
    Stream *defaultStream = nullptr;
    std::vector<Stream *> streams;
};

// Never destroyed: engine threads and late callers may touch devices during process exit.
DeviceState *devices() {
    static DeviceState *table = new DeviceState[kMaxDevices];
    return table;
}

struct LiveStreams {
    std::mutex mutex;
    std::unordered_set<Stream *> set;
};
LiveStreams &liveStreams() {
    static LiveStreams *instance = new LiveStreams;
    return *instance;
}

std::atomic<int32_t> g_nextStreamId{0};
thread_local int32_t t_device = -1;

bool validDevice(int32_t device) {
    return device >= 0 && static_cast<uint32_t>(device) < deviceCount();
}

Stream *newStream(int32_t device, Engine *engine) {
    auto *s = new Stream(g_nextStreamId.fetch_add(1), device, engine);
    std::lock_guard lock(liveStreams().mutex);
    liveStreams().set.insert(s);
    return s;
}

// Finishes (or, after a grace period, abandons) pending work and frees the stream.
void destroyStream(Stream *s) {
    {
        std::lock_guard lock(liveStreams().mutex);
        liveStreams().set.erase(s);
    }
    if (s->synchronize(2000) == Err::kTimeout)
        HCPU_WARN("stream {}: destroyed with tasks still waiting; they are abandoned", s->id());
    s->abortAndQuiesce();
    delete s;
}

}  // namespace

StreamMarks markStreams() {
    StreamMarks m;
    std::lock_guard lock(liveStreams().mutex);
    for (Stream *s : liveStreams().set)
        if (!s->drained()) m.marks.emplace_back(s, s->issued());
    return m;
}

bool streamsPassed(const StreamMarks &m) {
    std::lock_guard lock(liveStreams().mutex);
    for (const auto &[stream, tail] : m.marks) {
        auto *s = const_cast<Stream *>(stream);
        if (liveStreams().set.contains(s) && s->executed() < tail) return false;
    }
    return true;
}

const Tunables &tunables() {
    static const Tunables t{
        static_cast<uint32_t>(env::integer("HCCL_CPU_ENGINE_THREADS", 2, 1, 16)),
        env::integer("HCCL_CPU_SPIN_US", 20, 0, 100000) * 1000,
        static_cast<uint64_t>(env::integer("HCCL_CPU_SPLIT_BYTES", 8 << 20, 4096, INT64_MAX)),
    };
    return t;
}

uint32_t deviceCount() {
    static const uint32_t count =
        static_cast<uint32_t>(env::integer("HCCL_CPU_DEVICE_COUNT", 8, 1, kMaxDevices));
    return count;
}

Engine *engineOf(int32_t device) {
    if (device < 0 || device >= kMaxDevices) return nullptr;
    return devices()[device].engine.load(std::memory_order_acquire);
}

Err setDevice(int32_t device) {
    if (!validDevice(device)) {
        HCPU_ERROR("set device {}: out of range [0, {})", device, deviceCount());
        return Err::kDevice;
    }
    DeviceState &d = devices()[device];
    std::lock_guard lock(d.mutex);
    if (d.refs++ == 0) {
        if (d.engine.load() == nullptr) d.engine.store(new Engine(device));
        d.engine.load()->start(tunables().workersPerDevice);
        d.defaultStream = newStream(device, d.engine.load());
    }
    t_device = device;
    return Err::kOk;
}

Err resetDevice(int32_t device) {
    if (!validDevice(device)) return Err::kDevice;
    DeviceState &d = devices()[device];
    std::lock_guard lock(d.mutex);
    if (d.refs == 0) return Err::kOk;
    if (--d.refs > 0) return Err::kOk;
    for (Stream *s : d.streams)
        destroyStream(s);
    d.streams.clear();
    destroyStream(d.defaultStream);
    d.defaultStream = nullptr;
    d.engine.load()->stop();
    memory::reapFreed();
    if (t_device == device) t_device = -1;
    return Err::kOk;
}

Err currentDevice(int32_t *device) {
    if (device == nullptr) return Err::kParam;
    if (t_device < 0) return Err::kContext;
    *device = t_device;
    return Err::kOk;
}

Err defaultStream(Stream **stream) {
    if (stream == nullptr) return Err::kParam;
    if (t_device < 0) return Err::kContext;
    DeviceState &d = devices()[t_device];
    std::lock_guard lock(d.mutex);
    if (d.defaultStream == nullptr) return Err::kContext;
    *stream = d.defaultStream;
    return Err::kOk;
}

Err synchronizeDevice() {
    if (t_device < 0) return Err::kContext;
    DeviceState &d = devices()[t_device];
    std::vector<Stream *> all;
    {
        std::lock_guard lock(d.mutex);
        all = d.streams;
        if (d.defaultStream != nullptr) all.push_back(d.defaultStream);
    }
    Err first = Err::kOk;
    for (Stream *s : all) {
        Err err = s->synchronize(-1);
        if (first == Err::kOk) first = err;
    }
    return first;
}

// ---- streams ----------------------------------------------------------------------------------

Err streamCreate(Stream **stream) {
    if (stream == nullptr) return Err::kParam;
    if (t_device < 0) return Err::kContext;
    DeviceState &d = devices()[t_device];
    std::lock_guard lock(d.mutex);
    if (d.refs == 0) return Err::kContext;
    Stream *s = newStream(t_device, d.engine.load());
    d.streams.push_back(s);
    *stream = s;
    return Err::kOk;
}

Err streamDestroy(Stream *stream) {
    {
        std::lock_guard lock(liveStreams().mutex);
        if (stream == nullptr || !liveStreams().set.contains(stream)) return Err::kHandle;
    }
    DeviceState &d = devices()[stream->device()];
    std::lock_guard lock(d.mutex);
    if (stream == d.defaultStream) return Err::kParam;  // owned by the device
    std::erase(d.streams, stream);
    destroyStream(stream);
    return Err::kOk;
}

bool streamValid(const Stream *stream) {
    return stream != nullptr && stream->valid();
}

Err streamSynchronize(Stream *stream, int64_t timeoutMs) {
    if (!streamValid(stream)) return Err::kHandle;
    return stream->synchronize(timeoutMs);
}

Err streamQuery(Stream *stream, bool *complete) {
    if (!streamValid(stream)) return Err::kHandle;
    if (complete == nullptr) return Err::kParam;
    *complete = stream->drained();
    return Err::kOk;
}

bool streamIdle(Stream *stream) {
    return streamValid(stream) && stream->drained() && !stream->failed();
}

uint64_t streamIssued(const Stream *stream) {
    return streamValid(stream) ? stream->issued() : 0;
}

uint64_t streamSynchronizations(const Stream *stream) {
    return streamValid(stream) ? stream->synchronizations() : 0;
}

bool streamRunQueued(Stream *stream) {
    return streamValid(stream) && stream->engine()->runInline(stream);
}

int32_t streamId(const Stream *stream) {
    return stream->id();
}
int32_t streamDevice(const Stream *stream) {
    return stream->device();
}
std::string streamLastError(const Stream *stream) {
    return stream->lastError();
}

// ---- memory -----------------------------------------------------------------------------------

Err deviceMalloc(size_t size, void **ptr) {
    if (ptr == nullptr || size == 0) return Err::kParam;
    if (t_device < 0) return Err::kContext;
    return memory::allocDevice(t_device, size, ptr, /*populate=*/true);
}

Err deviceMallocLazy(size_t size, void **ptr) {
    if (ptr == nullptr || size == 0) return Err::kParam;
    if (t_device < 0) return Err::kContext;
    return memory::allocDevice(t_device, size, ptr, /*populate=*/false);
}

Err deviceFree(void *ptr) {
    if (ptr == nullptr) return Err::kParam;
    return memory::free(ptr, MemLocation::kDevice);
}

Err hostMalloc(size_t size, void **ptr) {
    if (ptr == nullptr || size == 0) return Err::kParam;
    return memory::allocHost(size, ptr);
}

Err hostFree(void *ptr) {
    if (ptr == nullptr) return Err::kParam;
    return memory::free(ptr, MemLocation::kHost);
}

Err deviceMemoryInfo(size_t *freeBytes, size_t *totalBytes) {
    if (freeBytes == nullptr || totalBytes == nullptr) return Err::kParam;
    if (t_device < 0) return Err::kContext;
    // A nominal capacity (HCCL_CPU_DEVICE_MEMORY_MB, default 32 GiB); host RAM is the real limit.
    static const size_t total =
        static_cast<size_t>(env::integer("HCCL_CPU_DEVICE_MEMORY_MB", 32768, 1, INT32_MAX)) << 20;
    size_t used = memory::deviceBytesInUse(t_device);
    *totalBytes = total;
    *freeBytes = used >= total ? 0 : total - used;
    return Err::kOk;
}

Err copySync(void *dst, size_t destMax, const void *src, size_t count, CopyKind kind) {
    if (dst == nullptr || src == nullptr) return Err::kParam;
    if (count > destMax) {
        HCPU_ERROR("memcpy: count {} exceeds destMax {}", count, destMax);
        return Err::kParam;
    }
    if (count == 0) return Err::kOk;
    Err err = checkCopy(dst, src, count, kind);
    if (err != Err::kOk) return err;
    std::memmove(dst, src, count);
    return Err::kOk;
}

}  // namespace hcclcpu::rt
