// hccl::DeviceMem, hccl::HostMem and hccl::Stream (spec platform_api.md §3.1-§3.3, §6 item 14).
#include <gtest/gtest.h>

#include <memory>
#include <utility>

#include "mem_device_pub.h"
#include "mem_host_pub.h"
#include "runtime/runtime.h"
#include "stream_pub.h"

namespace hcclcpu::platform::test {
namespace {

bool registered(const void *ptr) {
    return rt::memoryInfo(ptr, 0).location != rt::MemLocation::kUnregistered;
}

class MemoryTest : public ::testing::Test {
  protected:
    void SetUp() override { ASSERT_EQ(rt::setDevice(0), rt::Err::kOk); }
    void TearDown() override { EXPECT_EQ(rt::resetDevice(0), rt::Err::kOk); }
};

using DeviceMem = MemoryTest;
using HostMem = MemoryTest;
using Stream = MemoryTest;

TEST_F(DeviceMem, AllocOwnsDeviceMemoryAndFreesItAtDestruction) {
    void *ptr = nullptr;
    {
        hccl::DeviceMem mem = hccl::DeviceMem::alloc(4096);
        ASSERT_TRUE(mem);
        EXPECT_TRUE(mem.owner());
        EXPECT_EQ(mem.size(), 4096u);
        ptr = mem.ptr();
        EXPECT_EQ(rt::memoryInfo(ptr, 4096).location, rt::MemLocation::kDevice);
    }
    EXPECT_FALSE(registered(ptr));
}

TEST_F(DeviceMem, AllocStatusOverloadReportsSuccessAndFailure) {
    hccl::DeviceMem mem;
    EXPECT_EQ(hccl::DeviceMem::alloc(mem, 256), HCCL_SUCCESS);
    EXPECT_TRUE(mem);
    EXPECT_EQ(hccl::DeviceMem::alloc(mem, 1ULL << 60), HCCL_E_MEMORY);
    EXPECT_FALSE(mem);
}

TEST_F(DeviceMem, FailedAllocReturnsAnEmptyObject) {
    hccl::DeviceMem mem = hccl::DeviceMem::alloc(1ULL << 60);
    EXPECT_FALSE(mem);
    EXPECT_EQ(mem.ptr(), nullptr);
}

TEST_F(DeviceMem, CopyIsANonOwningAlias) {
    hccl::DeviceMem owner = hccl::DeviceMem::alloc(256);
    {
        hccl::DeviceMem alias(owner);
        EXPECT_FALSE(alias.owner());
        EXPECT_EQ(alias, owner);
    }
    EXPECT_TRUE(registered(owner.ptr()));
}

TEST_F(DeviceMem, CopyAssignmentDoesNotLeakTheOldOwnedBuffer) {
    hccl::DeviceMem other = hccl::DeviceMem::alloc(128);
    hccl::DeviceMem mem = hccl::DeviceMem::alloc(256);
    void *old = mem.ptr();
    mem = other;
    EXPECT_FALSE(registered(old));
    EXPECT_FALSE(mem.owner());
    EXPECT_EQ(mem, other);
    EXPECT_TRUE(registered(other.ptr()));
}

TEST_F(DeviceMem, CopyAssignmentOfAViewIntoTheOwnedBufferKeepsItAlive) {
    hccl::DeviceMem mem = hccl::DeviceMem::alloc(256);
    void *base = mem.ptr();
    mem = mem.range(64, 32);
    EXPECT_TRUE(registered(base));
    EXPECT_EQ(mem.ptr(), static_cast<uint8_t *>(base) + 64);
    EXPECT_EQ(mem.size(), 32u);
    mem.free();
    EXPECT_FALSE(registered(base));
}

TEST_F(DeviceMem, MoveTransfersOwnership) {
    hccl::DeviceMem a = hccl::DeviceMem::alloc(256);
    void *ptr = a.ptr();
    hccl::DeviceMem b(std::move(a));
    EXPECT_FALSE(a);
    EXPECT_TRUE(b.owner());
    hccl::DeviceMem c;
    c = std::move(b);
    EXPECT_TRUE(c.owner());
    EXPECT_EQ(c.ptr(), ptr);
    EXPECT_TRUE(registered(ptr));
}

TEST_F(DeviceMem, MoveAssignmentFreesTheOldOwnedBuffer) {
    hccl::DeviceMem a = hccl::DeviceMem::alloc(256);
    hccl::DeviceMem b = hccl::DeviceMem::alloc(256);
    void *old = b.ptr();
    b = std::move(a);
    EXPECT_FALSE(registered(old));
}

TEST_F(DeviceMem, RangeIsANonOwningView) {
    hccl::DeviceMem mem = hccl::DeviceMem::alloc(256);
    hccl::DeviceMem view = mem.range(16, 240);
    EXPECT_EQ(view.ptr(), static_cast<uint8_t *>(mem.ptr()) + 16);
    EXPECT_EQ(view.size(), 240u);
    EXPECT_FALSE(view.owner());
}

TEST_F(DeviceMem, RangeOutOfBoundsReturnsEmpty) {
    hccl::DeviceMem mem = hccl::DeviceMem::alloc(256);
    EXPECT_FALSE(mem.range(16, 241));
    EXPECT_FALSE(mem.range(257, 0));
    EXPECT_FALSE(mem.range(~0ULL, 2));  // offset + size wraps around
    EXPECT_EQ(mem.range(16, 241).size(), 0u);
    EXPECT_TRUE(mem.range(256, 0));  // the empty range at the end is in bounds
}

TEST_F(DeviceMem, RangeOfAnEmptyObjectReturnsEmpty) {
    hccl::DeviceMem empty;
    EXPECT_FALSE(empty.range(0, 0));
}

TEST_F(DeviceMem, EqualityComparesPointerAndSize) {
    hccl::DeviceMem mem = hccl::DeviceMem::alloc(256);
    EXPECT_EQ(mem.range(0, 8), hccl::DeviceMem::create(mem.ptr(), 8));
    EXPECT_NE(mem.range(0, 8), mem.range(0, 16));
    EXPECT_NE(mem.range(0, 8), mem.range(8, 8));
}

TEST_F(DeviceMem, FreeReleasesAndNullsThePointerButKeepsTheSize) {
    hccl::DeviceMem mem = hccl::DeviceMem::alloc(256);
    void *ptr = mem.ptr();
    mem.free();
    EXPECT_EQ(mem.ptr(), nullptr);
    EXPECT_EQ(mem.size(), 256u);
    EXPECT_FALSE(registered(ptr));
}

TEST_F(DeviceMem, FreeOfANonOwnerKeepsTheMemory) {
    hccl::DeviceMem mem = hccl::DeviceMem::alloc(256);
    hccl::DeviceMem view = hccl::DeviceMem::create(mem.ptr(), 256);
    view.free();
    EXPECT_TRUE(registered(mem.ptr()));
}

TEST_F(DeviceMem, ExplicitOwnerConstructorFreesAtDestruction) {
    void *ptr = nullptr;
    ASSERT_EQ(rt::deviceMalloc(128, &ptr), rt::Err::kOk);
    { hccl::DeviceMem mem(ptr, 128, true); }
    EXPECT_FALSE(registered(ptr));
}

TEST_F(HostMem, AllocTakesRegisteredHostMemory) {
    void *ptr = nullptr;
    {
        hccl::HostMem mem = hccl::HostMem::alloc(512);
        ASSERT_TRUE(mem);
        ptr = mem.ptr();
        EXPECT_EQ(rt::memoryInfo(ptr, 512).location, rt::MemLocation::kHost);
    }
    EXPECT_FALSE(registered(ptr));
}

TEST_F(HostMem, AllocOfPlainHeapMemoryIsZeroedAndOwned) {
    hccl::HostMem mem = hccl::HostMem::alloc(64, false);
    ASSERT_TRUE(mem);
    EXPECT_TRUE(mem.owner());
    EXPECT_EQ(static_cast<uint8_t *>(mem.ptr())[63], 0);
}

TEST_F(HostMem, FreeOfACreatedViewDoesNotFreeMemoryItDoesNotOwn) {
    hccl::HostMem owner = hccl::HostMem::alloc(512);
    hccl::HostMem view = hccl::HostMem::create(owner.ptr(), 512);
    view.free();
    EXPECT_TRUE(registered(owner.ptr()));
    int local = 5;
    hccl::HostMem stackView = hccl::HostMem::create(&local, sizeof(local));
    stackView.free();  // the vendor would delete[] a stack address here
    EXPECT_EQ(local, 5);
}

TEST_F(HostMem, CopyAssignmentDoesNotLeakTheOldOwnedBuffer) {
    hccl::HostMem other = hccl::HostMem::alloc(64);
    hccl::HostMem mem = hccl::HostMem::alloc(64);
    void *old = mem.ptr();
    mem = other;
    EXPECT_FALSE(registered(old));
    EXPECT_EQ(mem, other);
}

TEST_F(HostMem, RangeOutOfBoundsReturnsEmpty) {
    hccl::HostMem mem = hccl::HostMem::alloc(64);
    EXPECT_FALSE(mem.range(60, 8));
    EXPECT_EQ(mem.range(8, 8).ptr(), static_cast<uint8_t *>(mem.ptr()) + 8);
}

TEST_F(Stream, DefaultHasNoStreamAndIsTheMainStream) {
    hccl::Stream stream;
    EXPECT_EQ(stream.ptr(), nullptr);
    EXPECT_FALSE(stream);
    EXPECT_TRUE(stream.IsMainStream());
    EXPECT_FALSE(stream.IsInvalid());
}

TEST_F(Stream, TypedConstructorOwnsANewRuntimeStream) {
    void *ptr = nullptr;
    int32_t id = -1;
    {
        hccl::Stream stream(hccl::StreamType::STREAM_TYPE_OFFLINE);
        ASSERT_TRUE(stream);
        EXPECT_FALSE(stream.IsMainStream());
        ptr = stream.ptr();
        id = stream.id();
        EXPECT_TRUE(rt::streamValid(static_cast<rt::Stream *>(ptr)));
        EXPECT_EQ(id, rt::streamId(static_cast<rt::Stream *>(ptr)));
    }
    EXPECT_GE(id, 0);
}

TEST_F(Stream, WrappingDoesNotOwn) {
    rt::Stream *raw = nullptr;
    ASSERT_EQ(rt::streamCreate(&raw), rt::Err::kOk);
    {
        hccl::Stream wrapped(static_cast<rtStream_t>(raw));
        EXPECT_TRUE(wrapped.IsMainStream());
        EXPECT_EQ(wrapped.id(), rt::streamId(raw));
    }
    EXPECT_TRUE(rt::streamValid(raw));
    EXPECT_EQ(rt::streamDestroy(raw), rt::Err::kOk);
}

TEST_F(Stream, CopiesAreAliasesThatSeeTheOwnerDestroyTheStream) {
    auto owner = std::make_unique<hccl::Stream>(hccl::StreamType::STREAM_TYPE_ONLINE, true);
    hccl::Stream alias(*owner);
    EXPECT_EQ(alias.ptr(), owner->ptr());
    EXPECT_EQ(alias.id(), owner->id());
    EXPECT_TRUE(alias.IsMainStream());
    EXPECT_FALSE(alias.IsInvalid());
    owner.reset();
    EXPECT_TRUE(alias.IsInvalid());
}

TEST_F(Stream, MoveTransfersOwnership) {
    hccl::Stream a(hccl::StreamType::STREAM_TYPE_ONLINE);
    void *ptr = a.ptr();
    hccl::Stream b(std::move(a));
    EXPECT_EQ(a.ptr(), nullptr);
    EXPECT_EQ(b.ptr(), ptr);
    hccl::Stream c;
    c = std::move(b);
    EXPECT_EQ(c.ptr(), ptr);
    EXPECT_FALSE(c.IsInvalid());
    EXPECT_TRUE(rt::streamValid(static_cast<rt::Stream *>(ptr)));
}

TEST_F(Stream, SetAndGetMode) {
    hccl::Stream stream(hccl::StreamType::STREAM_TYPE_ONLINE);
    u64 mode = 1;
    EXPECT_EQ(stream.GetMode(&mode), HCCL_SUCCESS);
    EXPECT_EQ(mode, 0u);
    EXPECT_EQ(stream.SetMode(3), HCCL_SUCCESS);
    EXPECT_EQ(stream.GetMode(&mode), HCCL_SUCCESS);
    EXPECT_EQ(mode, 3u);
    EXPECT_EQ(stream.GetMode(nullptr), HCCL_E_PTR);
}

}  // namespace
}  // namespace hcclcpu::platform::test
