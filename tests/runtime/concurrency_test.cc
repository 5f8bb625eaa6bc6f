// Many threads, streams and devices issuing at once; a randomized task program checked against a
// sequential reference.
#include <atomic>
#include <chrono>
#include <cstring>
#include <random>
#include <thread>
#include <vector>

#include "runtime_test_util.h"

namespace hcclcpu::rt::test {
namespace {

TEST(Concurrency, ThreadsPerDeviceIssueCopiesAtOnce) {
    // One thread per device, as CANN programs run, each with several streams.
    constexpr int kDevices = 8, kStreams = 3, kRounds = 200;
    std::vector<std::thread> threads;
    std::atomic<int> failures{0};
    for (int dev = 0; dev < kDevices; ++dev) {
        threads.emplace_back([&, dev] {
            if (setDevice(dev) != Err::kOk) return void(++failures);
            std::vector<Stream *> streams(kStreams);
            std::vector<void *> src(kStreams), dst(kStreams);
            for (int s = 0; s < kStreams; ++s) {
                streamCreate(&streams[s]);
                deviceMalloc(4096, &src[s]);
                deviceMalloc(4096, &dst[s]);
            }
            for (int r = 0; r < kRounds; ++r) {
                for (int s = 0; s < kStreams; ++s) {
                    enqueueMemset(streams[s], src[s], 4096, (dev * 31 + s * 7 + r) & 0xff, 4096);
                    enqueueCopy(streams[s], dst[s], 4096, src[s], 4096, CopyKind::kDeviceToDevice);
                }
            }
            for (int s = 0; s < kStreams; ++s) {
                if (streamSynchronize(streams[s]) != Err::kOk) ++failures;
                auto expect = static_cast<unsigned char>((dev * 31 + s * 7 + kRounds - 1) & 0xff);
                auto *d = static_cast<unsigned char *>(dst[s]);
                if (d[0] != expect || d[4095] != expect) ++failures;
                streamDestroy(streams[s]);
                deviceFree(src[s]);
                deviceFree(dst[s]);
            }
            resetDevice(dev);
        });
    }
    for (auto &t : threads)
        t.join();
    EXPECT_EQ(failures.load(), 0);
}

TEST(Concurrency, NotifyOrdersStreamsOfDifferentDevices) {
    ASSERT_EQ(setDevice(1), Err::kOk);
    Stream *producer = nullptr;
    ASSERT_EQ(streamCreate(&producer), Err::kOk);
    ASSERT_EQ(setDevice(2), Err::kOk);
    Stream *consumer = nullptr;
    ASSERT_EQ(streamCreate(&consumer), Err::kOk);
    Notify *ready = nullptr;
    ASSERT_EQ(notifyCreate(2, &ready), Err::kOk);  // the waiter's notify, as in HCCL
    void *src = nullptr, *dst = nullptr;
    ASSERT_EQ(deviceMalloc(1 << 16, &src), Err::kOk);
    ASSERT_EQ(deviceMalloc(1 << 16, &dst), Err::kOk);
    for (int i = 0; i < 100; ++i) {
        ASSERT_EQ(enqueueNotifyWait(consumer, ready, kNoTimeout), Err::kOk);
        ASSERT_EQ(enqueueCopy(consumer, dst, 1 << 16, src, 1 << 16, CopyKind::kDeviceToDevice),
                  Err::kOk);
        ASSERT_EQ(enqueueMemset(producer, src, 1 << 16, i, 1 << 16), Err::kOk);
        ASSERT_EQ(enqueueNotifyRecord(producer, ready), Err::kOk);
        ASSERT_EQ(streamSynchronize(consumer), Err::kOk);
        ASSERT_EQ(static_cast<unsigned char *>(dst)[100], i);
    }
    EXPECT_EQ(streamSynchronize(producer), Err::kOk);
    EXPECT_EQ(notifyDestroy(ready), Err::kOk);
    EXPECT_EQ(deviceFree(src), Err::kOk);
    EXPECT_EQ(deviceFree(dst), Err::kOk);
    EXPECT_EQ(streamDestroy(consumer), Err::kOk);
    EXPECT_EQ(resetDevice(2), Err::kOk);
    EXPECT_EQ(streamDestroy(producer), Err::kOk);
    EXPECT_EQ(resetDevice(1), Err::kOk);
}

// For the two tests below: a stream that waits on a notify and then marks that it passed, and a
// host function that returns once it has (or gives up after 10 s, which fails the test's 2 s
// check).
std::atomic<int> waiterPassed{0};
void parkWaiter(Stream *waiter, Notify *notify) {
    waiterPassed = 0;
    ASSERT_EQ(enqueueNotifyWait(waiter, notify, 20'000'000'000), Err::kOk);
    ASSERT_EQ(enqueueHostFunc(
                  waiter, [](void *) { waiterPassed = 1; }, nullptr),
              Err::kOk);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // the waiter parks
}
void untilWaiterPassed(void *) {
    const auto giveUp = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (waiterPassed.load() == 0 && std::chrono::steady_clock::now() < giveUp)
        std::this_thread::sleep_for(std::chrono::microseconds(100));
}

// One worker of device 3's engine is inside a host function that returns only once stream
// `waiter` has passed its wait; the record comes from another device's stream. The waiter needs
// the engine's other worker, which went idle while a worker was still active and so sleeps in
// reserve, where records do not ring: the record must wake it because every active worker is in
// a long task.
TEST(Concurrency, AParkedStreamResumesWhileTheOtherWorkerRunsALongTask) {
    ASSERT_EQ(setDevice(3), Err::kOk);
    Stream *blocker = nullptr, *waiter = nullptr;
    ASSERT_EQ(streamCreate(&blocker), Err::kOk);
    ASSERT_EQ(streamCreate(&waiter), Err::kOk);
    Notify *notify = nullptr;
    ASSERT_EQ(notifyCreate(3, &notify), Err::kOk);
    ASSERT_EQ(setDevice(4), Err::kOk);
    Stream *recorder = nullptr;
    ASSERT_EQ(streamCreate(&recorder), Err::kOk);

    parkWaiter(waiter, notify);
    ASSERT_EQ(enqueueHostFunc(blocker, untilWaiterPassed, nullptr), Err::kOk);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // a worker is inside it
    const auto start = std::chrono::steady_clock::now();
    ASSERT_EQ(enqueueNotifyRecord(recorder, notify), Err::kOk);
    EXPECT_EQ(streamSynchronize(waiter, 30'000), Err::kOk);
    EXPECT_EQ(streamSynchronize(blocker, 30'000), Err::kOk);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
    EXPECT_EQ(waiterPassed.load(), 1);

    EXPECT_EQ(streamSynchronize(recorder), Err::kOk);
    EXPECT_EQ(streamDestroy(recorder), Err::kOk);
    EXPECT_EQ(resetDevice(4), Err::kOk);
    EXPECT_EQ(notifyDestroy(notify), Err::kOk);
    EXPECT_EQ(streamDestroy(waiter), Err::kOk);
    EXPECT_EQ(streamDestroy(blocker), Err::kOk);
    EXPECT_EQ(resetDevice(3), Err::kOk);
}

// The recording stream's next task is a host function that returns only once the waiter (another
// device) has passed its wait on the record: the record's wake-up must not wait for the stream's
// later tasks.
TEST(Concurrency, ARecordWakesItsWaiterBeforeTheRecordingStreamRunsItsNextTask) {
    ASSERT_EQ(setDevice(5), Err::kOk);
    Stream *waiter = nullptr;
    ASSERT_EQ(streamCreate(&waiter), Err::kOk);
    Notify *notify = nullptr;
    ASSERT_EQ(notifyCreate(5, &notify), Err::kOk);
    ASSERT_EQ(setDevice(6), Err::kOk);
    Stream *recorder = nullptr;
    ASSERT_EQ(streamCreate(&recorder), Err::kOk);

    parkWaiter(waiter, notify);
    const auto start = std::chrono::steady_clock::now();
    // Held back 20 ms, so the record and the host function are both queued when the record runs.
    ASSERT_EQ(
        enqueueHostFunc(
            recorder, [](void *) { std::this_thread::sleep_for(std::chrono::milliseconds(20)); },
            nullptr),
        Err::kOk);
    ASSERT_EQ(enqueueNotifyRecord(recorder, notify), Err::kOk);
    ASSERT_EQ(enqueueHostFunc(recorder, untilWaiterPassed, nullptr), Err::kOk);
    EXPECT_EQ(streamSynchronize(recorder, 30'000), Err::kOk);
    EXPECT_EQ(streamSynchronize(waiter, 30'000), Err::kOk);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
    EXPECT_EQ(waiterPassed.load(), 1);

    EXPECT_EQ(streamDestroy(recorder), Err::kOk);
    EXPECT_EQ(resetDevice(6), Err::kOk);
    EXPECT_EQ(notifyDestroy(notify), Err::kOk);
    EXPECT_EQ(streamDestroy(waiter), Err::kOk);
    EXPECT_EQ(resetDevice(5), Err::kOk);
}

// A random program of several "tokens". Each token owns a buffer and moves between streams: all of
// its operations happen on the stream that holds it, and a hand-off is a record on the old stream
// plus a wait on the new one (sometimes issued before the record). Tokens run concurrently; the
// result must equal running every token's program sequentially.
struct Op {
    enum Kind { kCopyHalf, kReduceHalf, kFill, kHandOff } kind;
    int arg;  // fill value or the target stream
};

TEST(Concurrency, RandomTaskProgramsMatchASequentialReference) {
    constexpr int kStreams = 4, kTokens = 6, kOpsPerToken = 300, kElems = 2048;
    ASSERT_EQ(setDevice(0), Err::kOk);
    std::mt19937 rng(12345);
    std::vector<Stream *> streams(kStreams);
    for (auto &s : streams)
        ASSERT_EQ(streamCreate(&s), Err::kOk);

    struct Token {
        std::vector<Op> ops;
        void *buf = nullptr;
        std::vector<int32_t> reference;
        int stream = 0;
        size_t next = 0;
    };
    std::vector<Token> tokens(kTokens);
    for (int t = 0; t < kTokens; ++t) {
        Token &tk = tokens[t];
        ASSERT_EQ(deviceMalloc(kElems * 4, &tk.buf), Err::kOk);
        tk.reference.assign(kElems, 0);
        tk.stream = t % kStreams;
        for (int i = 0; i < kOpsPerToken; ++i) {
            int r = static_cast<int>(rng() % 10);
            if (r < 3)
                tk.ops.push_back({Op::kCopyHalf, 0});
            else if (r < 6)
                tk.ops.push_back({Op::kReduceHalf, 0});
            else if (r < 7)
                tk.ops.push_back({Op::kFill, static_cast<int>(rng() % 5)});
            else
                tk.ops.push_back({Op::kHandOff, static_cast<int>(rng() % kStreams)});
        }
    }
    // Sequential reference.
    for (auto &tk : tokens) {
        auto &v = tk.reference;
        for (const Op &op : tk.ops) {
            if (op.kind == Op::kCopyHalf)
                std::copy(v.begin(), v.begin() + kElems / 2, v.begin() + kElems / 2);
            if (op.kind == Op::kReduceHalf)
                for (int i = 0; i < kElems / 2; ++i)
                    v[i] =
                        static_cast<int32_t>(static_cast<uint32_t>(v[i]) +  // wraps like the kernel
                                             static_cast<uint32_t>(v[kElems / 2 + i]) + 1u);
            if (op.kind == Op::kFill) std::fill(v.begin() + kElems / 4, v.end(), op.arg);
        }
    }
    // A ones buffer for the "+1" of kReduceHalf (two reductions: += upper half, += ones).
    void *ones = nullptr;
    ASSERT_EQ(deviceMalloc(kElems / 2 * 4, &ones), Err::kOk);
    std::fill_n(static_cast<int32_t *>(ones), kElems / 2, 1);

    std::vector<Notify *> notifies;
    size_t remaining = kTokens * kOpsPerToken;
    while (remaining > 0) {
        Token &tk = tokens[rng() % kTokens];
        if (tk.next == tk.ops.size()) continue;
        const Op &op = tk.ops[tk.next++];
        --remaining;
        Stream *s = streams[tk.stream];
        auto *base = static_cast<int32_t *>(tk.buf);
        switch (op.kind) {
            case Op::kCopyHalf:
                ASSERT_EQ(enqueueCopy(s, base + kElems / 2, kElems * 2, base, kElems * 2,
                                      CopyKind::kDeviceToDevice),
                          Err::kOk);
                break;
            case Op::kReduceHalf:
                ASSERT_EQ(enqueueReduce(s, base, base + kElems / 2, kElems / 2, DataType::kInt32,
                                        ReduceOp::kSum),
                          Err::kOk);
                ASSERT_EQ(
                    enqueueReduce(s, base, ones, kElems / 2, DataType::kInt32, ReduceOp::kSum),
                    Err::kOk);
                break;
            case Op::kFill: {
                // Fill through a host function so the value is an int32, not a byte pattern.
                struct Fill {
                    int32_t *p;
                    int value;
                };
                static thread_local std::vector<std::unique_ptr<Fill>> fills;
                fills.push_back(std::make_unique<Fill>(Fill{base + kElems / 4, op.arg}));
                ASSERT_EQ(enqueueHostFunc(
                              s,
                              [](void *a) {
                                  auto *f = static_cast<Fill *>(a);
                                  std::fill_n(f->p, kElems * 3 / 4, f->value);
                              },
                              fills.back().get()),
                          Err::kOk);
                break;
            }
            case Op::kHandOff: {
                if (op.arg == tk.stream) break;
                Notify *n = nullptr;
                ASSERT_EQ(notifyCreate(0, &n), Err::kOk);
                notifies.push_back(n);
                // Waits issued right before their record never deadlock; half the hand-offs
                // issue the wait first.
                if (rng() % 2) {
                    ASSERT_EQ(enqueueNotifyWait(streams[op.arg], n, 10'000'000'000), Err::kOk);
                    ASSERT_EQ(enqueueNotifyRecord(s, n), Err::kOk);
                } else {
                    ASSERT_EQ(enqueueNotifyRecord(s, n), Err::kOk);
                    ASSERT_EQ(enqueueNotifyWait(streams[op.arg], n, 10'000'000'000), Err::kOk);
                }
                tk.stream = op.arg;
                break;
            }
        }
    }
    for (auto *s : streams)
        EXPECT_EQ(streamSynchronize(s), Err::kOk);
    for (int t = 0; t < kTokens; ++t) {
        auto *got = static_cast<int32_t *>(tokens[t].buf);
        EXPECT_TRUE(std::equal(tokens[t].reference.begin(), tokens[t].reference.end(), got))
            << "token " << t;
        EXPECT_EQ(deviceFree(tokens[t].buf), Err::kOk);
    }
    for (auto *n : notifies)
        EXPECT_EQ(notifyDestroy(n), Err::kOk);
    EXPECT_EQ(deviceFree(ones), Err::kOk);
    for (auto *s : streams)
        EXPECT_EQ(streamDestroy(s), Err::kOk);
    EXPECT_EQ(resetDevice(0), Err::kOk);
}

TEST(Concurrency, SeveralThreadsIssueToOneStream) {
    ASSERT_EQ(setDevice(0), Err::kOk);
    Stream *s = nullptr;
    ASSERT_EQ(streamCreate(&s), Err::kOk);
    static std::atomic<int> count;
    count = 0;
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&] {
            for (int i = 0; i < 5000; ++i)
                ASSERT_EQ(enqueueHostFunc(
                              s, [](void *) { count.fetch_add(1); }, nullptr),
                          Err::kOk);
        });
    for (auto &t : threads)
        t.join();
    EXPECT_EQ(streamSynchronize(s), Err::kOk);
    EXPECT_EQ(count.load(), 20000);
    EXPECT_EQ(streamDestroy(s), Err::kOk);
    EXPECT_EQ(resetDevice(0), Err::kOk);
}

}  // namespace
}  // namespace hcclcpu::rt::test
