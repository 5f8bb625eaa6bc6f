#include <sys/mman.h>

#include <algorithm>
#include <cstring>
#include <thread>
#include <vector>

#include "runtime_test_util.h"

namespace hcclcpu::rt::test {
namespace {

using MemoryTest = DeviceTest;

TEST(Device, CountDefaultsToEight) {
    EXPECT_EQ(deviceCount(), 8u);
}

TEST(Device, SetDeviceOutOfRangeIsRejected) {
    EXPECT_EQ(setDevice(8), Err::kDevice);
    EXPECT_EQ(setDevice(-1), Err::kDevice);
}

TEST(Device, CurrentDeviceIsPerThread) {
    ASSERT_EQ(setDevice(3), Err::kOk);
    int32_t d = -1;
    EXPECT_EQ(currentDevice(&d), Err::kOk);
    EXPECT_EQ(d, 3);
    std::thread([] {
        int32_t other = -1;
        EXPECT_EQ(currentDevice(&other), Err::kContext);
    }).join();
    EXPECT_EQ(resetDevice(3), Err::kOk);
}

TEST(Device, NothingWorksWithoutADevice) {
    std::thread([] {
        void *p = nullptr;
        Stream *s = nullptr;
        EXPECT_EQ(deviceMalloc(64, &p), Err::kContext);
        EXPECT_EQ(streamCreate(&s), Err::kContext);
        EXPECT_EQ(defaultStream(&s), Err::kContext);
    }).join();
}

TEST_F(MemoryTest, DeviceMemoryIsZeroFilledAndRegistered) {
    DeviceBuffer buf(10000);
    auto *p = buf.as<unsigned char>();
    for (size_t i = 0; i < buf.size; ++i)
        ASSERT_EQ(p[i], 0);
    MemInfo info = memoryInfo(p + 100, 200);
    EXPECT_EQ(info.location, MemLocation::kDevice);
    EXPECT_EQ(info.device, 0);
    EXPECT_EQ(info.base, buf.ptr);
    EXPECT_EQ(info.size, 10000u);
    EXPECT_GE(info.fd, 0);
    EXPECT_EQ(memoryInfo(p + 9999, 2).location, MemLocation::kUnregistered);
}

TEST_F(MemoryTest, LazyDeviceMemoryIsZeroFilledRegisteredAndPopulatedOnTouch) {
    constexpr size_t kBytes = 64 << 20;
    void *ptr = nullptr;
    ASSERT_EQ(deviceMallocLazy(kBytes, &ptr), Err::kOk);
    MemInfo info = memoryInfo(ptr, kBytes);
    EXPECT_EQ(info.location, MemLocation::kDevice);
    EXPECT_EQ(info.size, kBytes);
    EXPECT_GE(info.fd, 0);
    // Not populated: only the pages touched below become resident.
    auto *p = static_cast<unsigned char *>(ptr);
    std::vector<unsigned char> resident(kBytes / 4096);
    ASSERT_EQ(mincore(ptr, kBytes, resident.data()), 0);
    EXPECT_EQ(
        std::count_if(resident.begin(), resident.end(), [](unsigned char c) { return c & 1; }), 0);
    p[0] = 7;
    EXPECT_EQ(p[kBytes - 1], 0);
    EXPECT_EQ(deviceFree(ptr), Err::kOk);
    EXPECT_EQ(deviceMallocLazy(0, &ptr), Err::kParam);
}

TEST_F(MemoryTest, HostMemoryIsZeroFilledAndRegistered) {
    void *p = nullptr;
    ASSERT_EQ(hostMalloc(5000, &p), Err::kOk);
    EXPECT_EQ(static_cast<unsigned char *>(p)[4999], 0);
    EXPECT_EQ(memoryInfo(p, 5000).location, MemLocation::kHost);
    EXPECT_EQ(hostFree(p), Err::kOk);
    EXPECT_EQ(memoryInfo(p, 1).location, MemLocation::kUnregistered);
}

TEST_F(MemoryTest, ZeroSizeAndBadFreesAreRejected) {
    void *p = nullptr;
    EXPECT_EQ(deviceMalloc(0, &p), Err::kParam);
    EXPECT_EQ(deviceFree(nullptr), Err::kParam);
    int local = 0;
    EXPECT_EQ(deviceFree(&local), Err::kHandle);
    DeviceBuffer buf(64);
    EXPECT_EQ(deviceFree(buf.as<char>() + 8), Err::kHandle);  // not the start
    EXPECT_EQ(hostFree(buf.ptr), Err::kHandle);               // not host memory
}

TEST_F(MemoryTest, KindContradictingTheMemoryIsRejectedAndNothingIsWritten) {
    DeviceBuffer dev(64);
    std::vector<unsigned char> host(64, 0xee);
    std::memset(dev.ptr, 1, 64);
    Stream *s = nullptr;
    ASSERT_EQ(defaultStream(&s), Err::kOk);
    // dst is host memory but the kind says device.
    EXPECT_EQ(enqueueCopy(s, host.data(), 64, dev.ptr, 64, CopyKind::kHostToDevice), Err::kKind);
    EXPECT_EQ(enqueueCopy(s, host.data(), 64, dev.ptr, 64, CopyKind::kDeviceToDevice), Err::kKind);
    EXPECT_EQ(enqueueCopy(s, dev.ptr, 64, host.data(), 64, CopyKind::kHostToHost), Err::kKind);
    EXPECT_EQ(copySync(dev.ptr, 64, host.data(), 64, CopyKind::kDeviceToHost), Err::kKind);
    EXPECT_EQ(streamSynchronize(s), Err::kOk);
    EXPECT_EQ(host[0], 0xee);
    EXPECT_EQ(dev.as<unsigned char>()[0], 1);
    // The right kinds work.
    EXPECT_EQ(enqueueCopy(s, host.data(), 64, dev.ptr, 64, CopyKind::kDeviceToHost), Err::kOk);
    EXPECT_EQ(streamSynchronize(s), Err::kOk);
    EXPECT_EQ(host[0], 1);
}

TEST_F(MemoryTest, CopyRunningOutsideADeviceAllocationIsRejected) {
    DeviceBuffer a(4096), b(4096);
    Stream *s = nullptr;
    ASSERT_EQ(defaultStream(&s), Err::kOk);
    EXPECT_EQ(enqueueCopy(s, a.ptr, 8192, b.ptr, 4097, CopyKind::kDeviceToDevice), Err::kBounds);
    EXPECT_EQ(enqueueCopy(s, a.as<char>() + 4000, 4096, b.ptr, 100, CopyKind::kDeviceToDevice),
              Err::kBounds);
    EXPECT_EQ(enqueueReduce(s, a.ptr, b.ptr, 1025, DataType::kFp32, ReduceOp::kSum), Err::kBounds);
    EXPECT_EQ(enqueueCopy(s, a.as<char>() + 4000, 96, b.ptr, 96, CopyKind::kDeviceToDevice),
              Err::kOk);
    EXPECT_EQ(streamSynchronize(s), Err::kOk);
}

TEST_F(MemoryTest, CountLargerThanDestMaxIsRejected) {
    DeviceBuffer a(64), b(64);
    Stream *s = nullptr;
    ASSERT_EQ(defaultStream(&s), Err::kOk);
    EXPECT_EQ(enqueueCopy(s, a.ptr, 32, b.ptr, 64, CopyKind::kDeviceToDevice), Err::kParam);
    EXPECT_EQ(copySync(a.ptr, 32, b.ptr, 64, CopyKind::kDeviceToDevice), Err::kParam);
}

TEST_F(MemoryTest, ReduceWithoutAKernelIsNotSupported) {
    DeviceBuffer a(64), b(64);
    Stream *s = nullptr;
    ASSERT_EQ(defaultStream(&s), Err::kOk);
    EXPECT_EQ(enqueueReduce(s, a.ptr, b.ptr, 8, DataType::kFp8E4M3, ReduceOp::kSum),
              Err::kNotSupported);
}

}  // namespace
}  // namespace hcclcpu::rt::test

namespace hcclcpu::rt::test {
namespace {

TEST_F(MemoryTest, FreeingMemoryAQueuedTaskStillUsesDoesNotCrash) {
    // The copy waits behind a notify; the buffers are freed before it runs. The freed pages stay
    // mapped until the stream has run past the copy, so the worker never faults.
    Stream *s = nullptr;
    Notify *gate = nullptr;
    ASSERT_EQ(streamCreate(&s), Err::kOk);
    ASSERT_EQ(notifyCreate(0, &gate), Err::kOk);
    void *src = nullptr, *dst = nullptr;
    ASSERT_EQ(deviceMalloc(1 << 20, &src), Err::kOk);
    ASSERT_EQ(deviceMalloc(1 << 20, &dst), Err::kOk);
    ASSERT_EQ(enqueueNotifyWait(s, gate, kNoTimeout), Err::kOk);
    ASSERT_EQ(enqueueCopy(s, dst, 1 << 20, src, 1 << 20, CopyKind::kDeviceToDevice), Err::kOk);
    EXPECT_EQ(deviceFree(src), Err::kOk);
    EXPECT_EQ(deviceFree(dst), Err::kOk);
    EXPECT_EQ(memoryInfo(src, 1).location, MemLocation::kUnregistered);  // gone for new tasks
    Stream *other = nullptr;
    ASSERT_EQ(streamCreate(&other), Err::kOk);
    ASSERT_EQ(enqueueNotifyRecord(other, gate), Err::kOk);
    EXPECT_EQ(streamSynchronize(s), Err::kOk);
    EXPECT_EQ(streamSynchronize(other), Err::kOk);
    EXPECT_EQ(streamDestroy(other), Err::kOk);
    EXPECT_EQ(streamDestroy(s), Err::kOk);
    EXPECT_EQ(notifyDestroy(gate), Err::kOk);
}

}  // namespace
}  // namespace hcclcpu::rt::test
