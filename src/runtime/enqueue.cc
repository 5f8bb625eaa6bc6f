// Task issue: the hot path of the runtime. Validate, fill one task record, push.
#include "common/log.h"
#include "runtime/engine.h"
#include "runtime/event.h"
#include "runtime/notify.h"
#include "runtime/reduce.h"
#include "runtime/runtime.h"
#include "runtime/shared_area.h"
#include "runtime/stream.h"

namespace hcclcpu::rt {

Err enqueueCopy(Stream *stream, void *dst, size_t destMax, const void *src, size_t count,
                CopyKind kind) {
    if (!streamValid(stream)) return Err::kHandle;
    if (dst == nullptr || src == nullptr) return Err::kParam;
    if (count > destMax) {
        HCPU_ERROR("memcpy async: count {} exceeds destMax {}", count, destMax);
        return Err::kParam;
    }
    if (count == 0) return Err::kOk;
    Err err = checkCopy(dst, src, count, kind);
    if (err != Err::kOk) return err;
    Task t{};
    t.type = TaskType::kCopy;
    t.dst = dst;
    t.src = src;
    t.size = count;
    return stream->push(t);
}

Err enqueueReduce(Stream *stream, void *dst, const void *src, size_t count, DataType type,
                  ReduceOp op) {
    if (!streamValid(stream)) return Err::kHandle;
    if (dst == nullptr || src == nullptr) return Err::kParam;
    if (!reduceSupported(type, op)) {
        HCPU_ERROR("reduce: no kernel for data type {} with op {}", dataTypeName(type),
                   reduceOpName(op));
        return Err::kNotSupported;
    }
    if (count == 0) return Err::kOk;
    size_t bytes = count * dataTypeSize(type);
    if (bytes / dataTypeSize(type) != count) return Err::kParam;
    Err err = checkCopy(dst, src, bytes, CopyKind::kDefault);
    if (err != Err::kOk) return err;
    Task t{};
    t.type = TaskType::kReduce;
    t.dataType = type;
    t.op = op;
    t.dst = dst;
    t.src = src;
    t.size = count;
    return stream->push(t);
}

Err enqueueMemset(Stream *stream, void *dst, size_t destMax, int value, size_t count) {
    if (!streamValid(stream)) return Err::kHandle;
    if (dst == nullptr || count > destMax) return Err::kParam;
    if (count == 0) return Err::kOk;
    Err err = checkCopy(dst, dst, count, CopyKind::kDefault);
    if (err != Err::kOk) return err;
    Task t{};
    t.type = TaskType::kMemset;
    t.dst = dst;
    t.size = count;
    t.value = value;
    return stream->push(t);
}

Err enqueueNotifyRecord(Stream *stream, Notify *notify) {
    if (!streamValid(stream)) return Err::kHandle;
    if (notify == nullptr || !notify->valid()) return Err::kHandle;
    Task t{};
    t.type = TaskType::kNotifyRecord;
    t.object = notify;
    return stream->push(t);
}

Err enqueueNotifyWait(Stream *stream, Notify *notify, uint64_t timeoutNs) {
    if (!streamValid(stream)) return Err::kHandle;
    if (notify == nullptr || !notify->valid()) return Err::kHandle;
    if (!SharedArea::local().contains(notify)) {
        // Its waiter bits would ring the other process's engines, never ours.
        HCPU_ERROR("notify wait on a notify of another process: wait on your own notifies");
        return Err::kParam;
    }
    Task t{};
    t.type = TaskType::kNotifyWait;
    t.object = notify;
    t.arg = timeoutNs;
    return stream->push(t);
}

Err enqueueEventRecord(Stream *stream, Event *event) {
    if (!streamValid(stream)) return Err::kHandle;
    if (event == nullptr || !event->valid()) return Err::kHandle;
    Task t{};
    t.type = TaskType::kEventRecord;
    t.object = event;
    t.arg = event->nextGeneration();
    return stream->push(t);
}

Err enqueueEventReset(Stream *stream, Event *event) {
    if (!streamValid(stream)) return Err::kHandle;
    if (event == nullptr || !event->valid()) return Err::kHandle;
    Task t{};
    t.type = TaskType::kEventReset;
    t.object = event;
    return stream->push(t);
}

Err enqueueEventWait(Stream *stream, Event *event) {
    if (!streamValid(stream)) return Err::kHandle;
    if (event == nullptr || !event->valid()) return Err::kHandle;
    uint64_t generation = event->issuedGeneration();
    if (generation == 0) return Err::kOk;  // never recorded: nothing to wait for
    Task t{};
    t.type = TaskType::kEventWait;
    t.object = event;
    t.arg = generation;
    return stream->push(t);
}

Err enqueueHostFunc(Stream *stream, void (*fn)(void *), void *arg) {
    if (!streamValid(stream)) return Err::kHandle;
    if (fn == nullptr) return Err::kParam;
    Task t{};
    t.type = TaskType::kHostFunc;
    t.object = reinterpret_cast<void *>(fn);
    t.arg = reinterpret_cast<uint64_t>(arg);
    return stream->push(t);
}

Err enqueueKernel(Stream *stream, KernelFn fn, const KernelArgs &args) {
    if (!streamValid(stream)) return Err::kHandle;
    if (fn == nullptr) return Err::kParam;
    Task t{};
    t.type = TaskType::kKernel;
    t.object = reinterpret_cast<void *>(fn);
    t.dst = args.dst;
    t.src = args.src;
    t.size = args.count;
    t.arg = args.word;
    t.value = static_cast<int32_t>(args.word2);
    t.context = args.context;
    t.context2 = args.context2;
    t.flags = args.burst ? kTaskBurst : 0;
    bool handed = false;
    Err err = stream->push(t, &handed);
    // Peers wait for a kernel: start it now rather than at the next nap's end. A stream a worker
    // is running needs no second one (pipelined kernels arrive while it runs the previous one).
    if (err == Err::kOk && (handed || !stream->running())) stream->engine()->kick();
    return err;
}

}  // namespace hcclcpu::rt
