#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <numeric>
#include <thread>
#include <vector>

#include "runtime_test_util.h"

namespace hcclcpu::rt::test {
namespace {

using Clock = std::chrono::steady_clock;

long voluntaryContextSwitches() {
    rusage usage{};
    getrusage(RUSAGE_THREAD, &usage);
    return usage.ru_nvcsw;
}

class StreamTest : public DeviceTest {
  protected:
    void SetUp() override {
        DeviceTest::SetUp();
        ASSERT_EQ(streamCreate(&a_), Err::kOk);
        ASSERT_EQ(streamCreate(&b_), Err::kOk);
        ASSERT_EQ(notifyCreate(0, &n1_), Err::kOk);
        ASSERT_EQ(notifyCreate(0, &n2_), Err::kOk);
    }
    void TearDown() override {
        EXPECT_EQ(notifyDestroy(n1_), Err::kOk);
        EXPECT_EQ(notifyDestroy(n2_), Err::kOk);
        EXPECT_EQ(streamDestroy(a_), Err::kOk);
        EXPECT_EQ(streamDestroy(b_), Err::kOk);
        DeviceTest::TearDown();
    }
    Stream *a_ = nullptr;
    Stream *b_ = nullptr;
    Notify *n1_ = nullptr;
    Notify *n2_ = nullptr;
};

TEST_F(StreamTest, CopyCompletesBySynchronize) {
    DeviceBuffer src(4096), dst(4096);
    std::memset(src.ptr, 0x5a, 4096);
    ASSERT_EQ(enqueueCopy(a_, dst.ptr, 4096, src.ptr, 4096, CopyKind::kDeviceToDevice), Err::kOk);
    ASSERT_EQ(streamSynchronize(a_), Err::kOk);
    EXPECT_EQ(std::memcmp(dst.ptr, src.ptr, 4096), 0);
}

TEST_F(StreamTest, TasksOfOneStreamRunInIssueOrder) {
    // A chain x -> y -> z only gives the right z if the copies run in order.
    DeviceBuffer x(1 << 20), y(1 << 20), z(1 << 20);
    std::memset(x.ptr, 7, x.size);
    for (int i = 0; i < 50; ++i) {
        ASSERT_EQ(enqueueMemset(a_, y.ptr, y.size, 0, y.size), Err::kOk);
        ASSERT_EQ(enqueueCopy(a_, y.ptr, y.size, x.ptr, x.size, CopyKind::kDeviceToDevice),
                  Err::kOk);
        ASSERT_EQ(enqueueCopy(a_, z.ptr, z.size, y.ptr, y.size, CopyKind::kDeviceToDevice),
                  Err::kOk);
        ASSERT_EQ(enqueueMemset(a_, z.ptr, z.size, i, 1), Err::kOk);
    }
    ASSERT_EQ(streamSynchronize(a_), Err::kOk);
    EXPECT_EQ(z.as<unsigned char>()[0], 49);
    EXPECT_EQ(z.as<unsigned char>()[1], 7);
    EXPECT_EQ(z.as<unsigned char>()[z.size - 1], 7);
}

TEST_F(StreamTest, WaitIssuedBeforeItsRecordCompletes) {
    DeviceBuffer src(64), dst(64);
    std::memset(src.ptr, 3, 64);
    // b waits first; a copies then records: b's copy must see a's result.
    DeviceBuffer mid(64);
    ASSERT_EQ(enqueueNotifyWait(b_, n1_, kNoTimeout), Err::kOk);
    ASSERT_EQ(enqueueCopy(b_, dst.ptr, 64, mid.ptr, 64, CopyKind::kDeviceToDevice), Err::kOk);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // b is parked by now
    ASSERT_EQ(enqueueCopy(a_, mid.ptr, 64, src.ptr, 64, CopyKind::kDeviceToDevice), Err::kOk);
    ASSERT_EQ(enqueueNotifyRecord(a_, n1_), Err::kOk);
    ASSERT_EQ(streamSynchronize(b_), Err::kOk);
    EXPECT_EQ(std::memcmp(dst.ptr, src.ptr, 64), 0);
    ASSERT_EQ(streamSynchronize(a_), Err::kOk);
}

TEST_F(StreamTest, TwoRecordsBeforeAWaitCollapseIntoOne) {
    ASSERT_EQ(enqueueNotifyRecord(a_, n1_), Err::kOk);
    ASSERT_EQ(enqueueNotifyRecord(a_, n1_), Err::kOk);
    ASSERT_EQ(streamSynchronize(a_), Err::kOk);
    ASSERT_EQ(enqueueNotifyWait(b_, n1_, 1'000'000'000), Err::kOk);
    ASSERT_EQ(streamSynchronize(b_), Err::kOk);
    // The flag was consumed by the first wait: a second wait has nothing to take.
    ASSERT_EQ(enqueueNotifyWait(b_, n1_, 100'000'000), Err::kOk);
    EXPECT_EQ(streamSynchronize(b_), Err::kTimeout);
}

TEST_F(StreamTest, WaitNeverRecordedFailsItsStreamWithinTheTimeout) {
    auto start = Clock::now();
    ASSERT_EQ(enqueueNotifyWait(a_, n1_, 200'000'000), Err::kOk);
    EXPECT_EQ(streamSynchronize(a_), Err::kTimeout);
    double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    EXPECT_GE(seconds, 0.19);
    EXPECT_LT(seconds, 2.0);
    EXPECT_NE(streamLastError(a_).find("notify wait timed out"), std::string::npos);
    // Reported once; the stream works again afterwards.
    DeviceBuffer src(64), dst(64);
    std::memset(src.ptr, 1, 64);
    ASSERT_EQ(enqueueCopy(a_, dst.ptr, 64, src.ptr, 64, CopyKind::kDeviceToDevice), Err::kOk);
    EXPECT_EQ(streamSynchronize(a_), Err::kOk);
    EXPECT_EQ(std::memcmp(dst.ptr, src.ptr, 64), 0);
}

TEST_F(StreamTest, FailedStreamSkipsTasksIssuedBeforeTheFailureIsReported) {
    DeviceBuffer src(64), dst(64);
    std::memset(src.ptr, 9, 64);
    ASSERT_EQ(enqueueNotifyWait(a_, n1_, 50'000'000), Err::kOk);
    ASSERT_EQ(enqueueCopy(a_, dst.ptr, 64, src.ptr, 64, CopyKind::kDeviceToDevice), Err::kOk);
    EXPECT_EQ(streamSynchronize(a_), Err::kTimeout);
    EXPECT_EQ(dst.as<unsigned char>()[0], 0);
}

TEST_F(StreamTest, NotifyPingPongBetweenTwoStreams) {
    constexpr int kRounds = 2000;
    for (int i = 0; i < kRounds; ++i) {
        ASSERT_EQ(enqueueNotifyRecord(a_, n1_), Err::kOk);
        ASSERT_EQ(enqueueNotifyWait(a_, n2_, kNoTimeout), Err::kOk);
        ASSERT_EQ(enqueueNotifyWait(b_, n1_, kNoTimeout), Err::kOk);
        ASSERT_EQ(enqueueNotifyRecord(b_, n2_), Err::kOk);
    }
    EXPECT_EQ(streamSynchronize(a_, 30000), Err::kOk);
    EXPECT_EQ(streamSynchronize(b_, 30000), Err::kOk);
}

// A stream that parks and resumes on every round must not wake a host thread that waits for its
// last task: with more threads than cores each needless wake-up is a context switch on the
// critical path.
TEST_F(StreamTest, SynchronizeSleepsThroughAPingPongUntilItsTasksAreDone) {
    constexpr int kRounds = 2000;
    for (int i = 0; i < kRounds; ++i) {
        ASSERT_EQ(enqueueNotifyRecord(a_, n1_), Err::kOk);
        ASSERT_EQ(enqueueNotifyWait(a_, n2_, kNoTimeout), Err::kOk);
    }
    std::thread other([&] {
        for (int i = 0; i < kRounds; ++i) {
            ASSERT_EQ(enqueueNotifyWait(b_, n1_, kNoTimeout), Err::kOk);
            ASSERT_EQ(enqueueNotifyRecord(b_, n2_), Err::kOk);
        }
    });
    const long before = voluntaryContextSwitches();
    const auto start = Clock::now();
    EXPECT_EQ(streamSynchronize(a_, 30000), Err::kOk);
    const long slices = (Clock::now() - start) / std::chrono::milliseconds(100);
    const long switches = voluntaryContextSwitches() - before;
    other.join();
    EXPECT_EQ(streamSynchronize(b_, 30000), Err::kOk);
    // Woken at the end and once per 100 ms sleep slice; 100-200 times when woken by parks.
    EXPECT_LT(switches, 10 + slices) << "the synchronizing thread was woken for parked runs";
}

TEST_F(StreamTest, IssuerWaitsWhenTheRingIsFullAndContinuesWhenItDrains) {
    // More tasks than the ring holds, all behind a wait that another thread satisfies later.
    ASSERT_EQ(enqueueNotifyWait(a_, n1_, kNoTimeout), Err::kOk);
    std::atomic<bool> recorded{false};
    std::thread recorder([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        recorded = true;
        ASSERT_EQ(enqueueNotifyRecord(b_, n1_), Err::kOk);
    });
    DeviceBuffer buf(64);
    for (uint64_t i = 0; i < 3 * 4096; ++i)
        ASSERT_EQ(enqueueMemset(a_, buf.ptr, 64, static_cast<int>(i & 0xff), 1), Err::kOk);
    EXPECT_TRUE(recorded.load());
    recorder.join();
    EXPECT_EQ(streamSynchronize(a_), Err::kOk);
    EXPECT_EQ(buf.as<unsigned char>()[0], (3 * 4096 - 1) & 0xff);
}

TEST_F(StreamTest, DestroyingAStreamParkedOnAWaitDoesNotHang) {
    Stream *s = nullptr;
    ASSERT_EQ(streamCreate(&s), Err::kOk);
    ASSERT_EQ(enqueueNotifyWait(s, n1_, kNoTimeout), Err::kOk);
    auto start = Clock::now();
    EXPECT_EQ(streamDestroy(s), Err::kOk);
    EXPECT_LT(std::chrono::duration<double>(Clock::now() - start).count(), 10.0);
}

TEST_F(StreamTest, HostFunctionRunsInStreamOrder) {
    DeviceBuffer buf(64);
    static std::atomic<int> seen;
    seen = -1;
    ASSERT_EQ(enqueueMemset(a_, buf.ptr, 64, 42, 64), Err::kOk);
    ASSERT_EQ(enqueueHostFunc(
                  a_, [](void *p) { seen = *static_cast<unsigned char *>(p); }, buf.ptr),
              Err::kOk);
    ASSERT_EQ(streamSynchronize(a_), Err::kOk);
    EXPECT_EQ(seen.load(), 42);
}

TEST_F(StreamTest, LargeCopyIsCorrectAtChunkEdges) {
    // Larger than the split size, not a multiple of the chunk: every chunk boundary is checked.
    const size_t bytes = (24 << 20) + 12345;
    DeviceBuffer src(bytes), dst(bytes);
    auto *s = src.as<uint8_t>();
    for (size_t i = 0; i < bytes; ++i)
        s[i] = static_cast<uint8_t>(i * 131 + (i >> 20));
    ASSERT_EQ(enqueueCopy(a_, dst.ptr, bytes, src.ptr, bytes, CopyKind::kDeviceToDevice), Err::kOk);
    ASSERT_EQ(streamSynchronize(a_), Err::kOk);
    EXPECT_EQ(std::memcmp(dst.ptr, src.ptr, bytes), 0);
}

TEST_F(StreamTest, LargeReduceIsCorrect) {
    const size_t count = (12 << 20) / 4 + 7;
    DeviceBuffer x(count * 4), y(count * 4);
    auto *xs = x.as<int32_t>();
    auto *ys = y.as<int32_t>();
    for (size_t i = 0; i < count; ++i)
        xs[i] = static_cast<int32_t>(i), ys[i] = 1;
    ASSERT_EQ(enqueueReduce(a_, y.ptr, x.ptr, count, DataType::kInt32, ReduceOp::kSum), Err::kOk);
    ASSERT_EQ(streamSynchronize(a_), Err::kOk);
    for (size_t i = 0; i < count; i += 4097)
        ASSERT_EQ(ys[i], static_cast<int32_t>(i) + 1);
    EXPECT_EQ(ys[count - 1], static_cast<int32_t>(count - 1) + 1);
}

TEST_F(StreamTest, EventOrdersWorkAcrossStreamsAndMeasuresTime) {
    Event *start = nullptr, *stop = nullptr;
    ASSERT_EQ(eventCreate(&start, 0), Err::kOk);
    ASSERT_EQ(eventCreate(&stop, 0), Err::kOk);
    DeviceBuffer src(1 << 20), dst(1 << 20);
    std::memset(src.ptr, 4, src.size);
    ASSERT_EQ(enqueueEventRecord(a_, start), Err::kOk);
    ASSERT_EQ(enqueueCopy(a_, dst.ptr, dst.size, src.ptr, src.size, CopyKind::kDeviceToDevice),
              Err::kOk);
    ASSERT_EQ(enqueueEventRecord(a_, stop), Err::kOk);
    DeviceBuffer out(1 << 20);
    ASSERT_EQ(enqueueEventWait(b_, stop), Err::kOk);
    ASSERT_EQ(enqueueCopy(b_, out.ptr, out.size, dst.ptr, dst.size, CopyKind::kDeviceToDevice),
              Err::kOk);
    ASSERT_EQ(streamSynchronize(b_), Err::kOk);
    EXPECT_EQ(std::memcmp(out.ptr, src.ptr, src.size), 0);
    ASSERT_EQ(eventSynchronize(stop), Err::kOk);
    float ms = -1;
    ASSERT_EQ(eventElapsedMs(start, stop, &ms), Err::kOk);
    EXPECT_GE(ms, 0.0f);
    EXPECT_LT(ms, 1000.0f);
    EXPECT_EQ(eventDestroy(start), Err::kOk);
    EXPECT_EQ(eventDestroy(stop), Err::kOk);
}

TEST_F(StreamTest, InvalidHandlesAreRejected) {
    EXPECT_EQ(enqueueCopy(nullptr, this, 1, this, 1, CopyKind::kHostToHost), Err::kHandle);
    EXPECT_EQ(enqueueNotifyWait(a_, nullptr, 1), Err::kHandle);
    EXPECT_EQ(streamDestroy(nullptr), Err::kHandle);
    int junk = 0;
    EXPECT_EQ(streamDestroy(reinterpret_cast<Stream *>(&junk)), Err::kHandle);
    EXPECT_EQ(streamSynchronize(nullptr), Err::kHandle);
}

}  // namespace
}  // namespace hcclcpu::rt::test
