#include <cstring>
#include <numeric>
#include <vector>

#include "acl_test_util.h"

namespace hcclcpu::acl::test {
namespace {

bool allBytesAre(const void *p, size_t n, unsigned char value) {
    const auto *bytes = static_cast<const unsigned char *>(p);
    for (size_t i = 0; i < n; ++i)
        if (bytes[i] != value) return false;
    return true;
}

std::vector<unsigned char> pattern(size_t n) {
    std::vector<unsigned char> v(n);
    for (size_t i = 0; i < n; ++i)
        v[i] = static_cast<unsigned char>(i * 7 + 1);
    return v;
}

using AclMalloc = AclDeviceTest;
using AclFree = AclDeviceTest;
using AclMemcpy = AclDeviceTest;
using AclMemcpyAsync = AclDeviceTest;
using AclMemset = AclDeviceTest;
using AclMemsetAsync = AclDeviceTest;
using AclGetMemInfo = AclDeviceTest;

TEST_F(AclMalloc, SizeZeroIsInvalidParam) {
    void *p = nullptr;
    EXPECT_EQ(aclrtMalloc(&p, 0, ACL_MEM_MALLOC_HUGE_FIRST), ACL_ERROR_INVALID_PARAM);
    EXPECT_EQ(p, nullptr);
    EXPECT_EQ(aclrtMallocHost(&p, 0), ACL_ERROR_INVALID_PARAM);
    EXPECT_EQ(p, nullptr);
}

TEST_F(AclMalloc, NullOutputIsInvalidParam) {
    EXPECT_EQ(aclrtMalloc(nullptr, 64, ACL_MEM_MALLOC_HUGE_FIRST), ACL_ERROR_INVALID_PARAM);
    EXPECT_EQ(aclrtMallocHost(nullptr, 64), ACL_ERROR_INVALID_PARAM);
}

TEST(AclMallocNoDevice, WithoutDeviceIsContextNull) {
    onFreshThread([] {
        void *p = nullptr;
        EXPECT_EQ(aclrtMalloc(&p, 64, ACL_MEM_MALLOC_HUGE_FIRST), ACL_ERROR_RT_CONTEXT_NULL);
    });
}

TEST_F(AclMalloc, EveryPolicyGivesZeroFilledAlignedMemory) {
    for (int policy :
         {int{ACL_MEM_MALLOC_HUGE_FIRST}, int{ACL_MEM_MALLOC_HUGE_ONLY},
          int{ACL_MEM_MALLOC_NORMAL_ONLY}, int{ACL_MEM_MALLOC_HUGE_ONLY_P2P}, 0x1234}) {
        void *p = nullptr;
        ASSERT_EQ(aclrtMalloc(&p, 1000, static_cast<aclrtMemMallocPolicy>(policy)), ACL_SUCCESS);
        EXPECT_EQ(reinterpret_cast<uintptr_t>(p) % 64, 0u);
        EXPECT_TRUE(allBytesAre(p, 1000, 0));
        EXPECT_EQ(aclrtFree(p), ACL_SUCCESS);
    }
}

TEST_F(AclMalloc, HostMemoryIsAlignedAndUsable) {
    void *p = nullptr;
    ASSERT_EQ(aclrtMallocHost(&p, 100), ACL_SUCCESS);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(p) % 64, 0u);
    std::memset(p, 0xab, 100);
    EXPECT_EQ(aclrtFreeHost(p), ACL_SUCCESS);
}

TEST_F(AclFree, NullIsInvalidParam) {
    EXPECT_EQ(aclrtFree(nullptr), ACL_ERROR_INVALID_PARAM);
    EXPECT_EQ(aclrtFreeHost(nullptr), ACL_ERROR_INVALID_PARAM);
}

TEST_F(AclFree, PointerNotFromAclrtMallocIsInvalidHandle) {
    int local = 0;
    EXPECT_EQ(aclrtFree(&local), ACL_ERROR_RT_INVALID_HANDLE);
    void *host = nullptr;
    ASSERT_EQ(aclrtMallocHost(&host, 64), ACL_SUCCESS);
    EXPECT_EQ(aclrtFree(host), ACL_ERROR_RT_INVALID_HANDLE);
    EXPECT_EQ(aclrtFreeHost(host), ACL_SUCCESS);
}

TEST_F(AclFree, DoubleFreeIsInvalidHandle) {
    void *p = nullptr;
    ASSERT_EQ(aclrtMalloc(&p, 64, ACL_MEM_MALLOC_HUGE_FIRST), ACL_SUCCESS);
    ASSERT_EQ(aclrtFree(p), ACL_SUCCESS);
    EXPECT_EQ(aclrtFree(p), ACL_ERROR_RT_INVALID_HANDLE);
}

TEST_F(AclMemcpy, HostToDeviceAndBackRoundTrips) {
    constexpr size_t kBytes = 10000;
    AclDeviceBuffer dev(kBytes);
    std::vector<unsigned char> src = pattern(kBytes), back(kBytes, 0);
    ASSERT_EQ(aclrtMemcpy(dev.ptr, kBytes, src.data(), kBytes, ACL_MEMCPY_HOST_TO_DEVICE),
              ACL_SUCCESS);
    ASSERT_EQ(aclrtMemcpy(back.data(), kBytes, dev.ptr, kBytes, ACL_MEMCPY_DEVICE_TO_HOST),
              ACL_SUCCESS);
    EXPECT_EQ(back, src);
}

TEST_F(AclMemcpy, EveryKindMovesBytesInItsDirection) {
    constexpr size_t kBytes = 256;
    AclDeviceBuffer a(kBytes), b(kBytes);
    std::vector<unsigned char> src = pattern(kBytes), mid(kBytes), back(kBytes);
    ASSERT_EQ(aclrtMemcpy(a.ptr, kBytes, src.data(), kBytes, ACL_MEMCPY_HOST_TO_BUF_TO_DEVICE),
              ACL_SUCCESS);
    ASSERT_EQ(aclrtMemcpy(b.ptr, kBytes, a.ptr, kBytes, ACL_MEMCPY_DEVICE_TO_DEVICE), ACL_SUCCESS);
    ASSERT_EQ(aclrtMemcpy(a.ptr, kBytes, b.ptr, kBytes, ACL_MEMCPY_INNER_DEVICE_TO_DEVICE),
              ACL_SUCCESS);
    ASSERT_EQ(aclrtMemcpy(b.ptr, kBytes, a.ptr, kBytes, ACL_MEMCPY_INTER_DEVICE_TO_DEVICE),
              ACL_SUCCESS);
    ASSERT_EQ(aclrtMemcpy(mid.data(), kBytes, b.ptr, kBytes, ACL_MEMCPY_DEFAULT), ACL_SUCCESS);
    ASSERT_EQ(aclrtMemcpy(back.data(), kBytes, mid.data(), kBytes, ACL_MEMCPY_HOST_TO_HOST),
              ACL_SUCCESS);
    EXPECT_EQ(back, src);
}

TEST_F(AclMemcpy, DestMaxSmallerThanCountIsInvalidParam) {
    AclDeviceBuffer dev(128);
    std::vector<unsigned char> src(128, 0xee);
    EXPECT_EQ(aclrtMemcpy(dev.ptr, 64, src.data(), 128, ACL_MEMCPY_HOST_TO_DEVICE),
              ACL_ERROR_INVALID_PARAM);
    EXPECT_TRUE(allBytesAre(dev.ptr, 128, 0));
}

TEST_F(AclMemcpy, KindMismatchIsRejectedAndNothingWritten) {
    AclDeviceBuffer dev(128);
    std::vector<unsigned char> host(128, 0xee);
    // dst is device memory, but the kind says it is host memory.
    EXPECT_EQ(aclrtMemcpy(dev.ptr, 128, host.data(), 128, ACL_MEMCPY_HOST_TO_HOST),
              ACL_ERROR_RT_PARAM_INVALID);
    EXPECT_EQ(aclrtMemcpy(dev.ptr, 128, host.data(), 128, ACL_MEMCPY_DEVICE_TO_DEVICE),
              ACL_ERROR_RT_PARAM_INVALID);
    EXPECT_TRUE(allBytesAre(dev.ptr, 128, 0));
    // src is host memory, but the kind says device.
    EXPECT_EQ(aclrtMemcpy(host.data(), 128, host.data() + 1, 64, ACL_MEMCPY_DEVICE_TO_HOST),
              ACL_ERROR_RT_PARAM_INVALID);
    EXPECT_TRUE(allBytesAre(host.data(), 128, 0xee));
}

TEST_F(AclMemcpy, RangeBeyondTheAllocationIsRejectedAndNothingWritten) {
    AclDeviceBuffer small(64), big(256);
    std::vector<unsigned char> host(256, 0xee);
    EXPECT_EQ(aclrtMemcpy(small.ptr, 256, host.data(), 128, ACL_MEMCPY_HOST_TO_DEVICE),
              ACL_ERROR_RT_PARAM_INVALID);
    EXPECT_TRUE(allBytesAre(small.ptr, 64, 0));
    EXPECT_EQ(aclrtMemcpy(big.ptr, 256, small.ptr, 128, ACL_MEMCPY_DEVICE_TO_DEVICE),
              ACL_ERROR_RT_PARAM_INVALID);
    EXPECT_TRUE(allBytesAre(big.ptr, 256, 0));
}

TEST_F(AclMemcpy, InvalidKindIsInvalidParam) {
    AclDeviceBuffer dev(64);
    std::vector<unsigned char> host(64, 1);
    EXPECT_EQ(aclrtMemcpy(dev.ptr, 64, host.data(), 64, static_cast<aclrtMemcpyKind>(8)),
              ACL_ERROR_INVALID_PARAM);
    EXPECT_EQ(aclrtMemcpy(dev.ptr, 64, host.data(), 64, static_cast<aclrtMemcpyKind>(-1)),
              ACL_ERROR_INVALID_PARAM);
    EXPECT_TRUE(allBytesAre(dev.ptr, 64, 0));
}

TEST_F(AclMemcpy, NullPointerIsInvalidParam) {
    AclDeviceBuffer dev(64);
    EXPECT_EQ(aclrtMemcpy(nullptr, 64, dev.ptr, 64, ACL_MEMCPY_DEVICE_TO_HOST),
              ACL_ERROR_INVALID_PARAM);
    EXPECT_EQ(aclrtMemcpy(dev.ptr, 64, nullptr, 64, ACL_MEMCPY_HOST_TO_DEVICE),
              ACL_ERROR_INVALID_PARAM);
}

TEST_F(AclMemcpy, ZeroCountCopiesNothing) {
    AclDeviceBuffer dev(64);
    unsigned char host = 0xee;
    EXPECT_EQ(aclrtMemcpy(dev.ptr, 64, &host, 0, ACL_MEMCPY_HOST_TO_DEVICE), ACL_SUCCESS);
    EXPECT_TRUE(allBytesAre(dev.ptr, 64, 0));
}

TEST_F(AclMemcpyAsync, CopiesRunInStreamOrder) {
    constexpr size_t kBytes = 1 << 20;
    AclDeviceBuffer a(kBytes), b(kBytes);
    std::vector<unsigned char> src = pattern(kBytes), back(kBytes, 0);
    aclrtStream stream = nullptr;
    ASSERT_EQ(aclrtCreateStream(&stream), ACL_SUCCESS);
    // h -> a -> b -> back only gives back == src if the three copies run in issue order.
    ASSERT_EQ(
        aclrtMemcpyAsync(a.ptr, kBytes, src.data(), kBytes, ACL_MEMCPY_HOST_TO_DEVICE, stream),
        ACL_SUCCESS);
    ASSERT_EQ(aclrtMemcpyAsync(b.ptr, kBytes, a.ptr, kBytes, ACL_MEMCPY_DEVICE_TO_DEVICE, stream),
              ACL_SUCCESS);
    ASSERT_EQ(
        aclrtMemcpyAsync(back.data(), kBytes, b.ptr, kBytes, ACL_MEMCPY_DEVICE_TO_HOST, stream),
        ACL_SUCCESS);
    ASSERT_EQ(aclrtSynchronizeStream(stream), ACL_SUCCESS);
    EXPECT_EQ(back, src);
    EXPECT_EQ(aclrtDestroyStream(stream), ACL_SUCCESS);
}

TEST_F(AclMemcpyAsync, NullStreamIsTheDefaultStream) {
    constexpr size_t kBytes = 4096;
    AclDeviceBuffer dev(kBytes);
    std::vector<unsigned char> src = pattern(kBytes), back(kBytes, 0);
    ASSERT_EQ(
        aclrtMemcpyAsync(dev.ptr, kBytes, src.data(), kBytes, ACL_MEMCPY_HOST_TO_DEVICE, nullptr),
        ACL_SUCCESS);
    ASSERT_EQ(
        aclrtMemcpyAsync(back.data(), kBytes, dev.ptr, kBytes, ACL_MEMCPY_DEVICE_TO_HOST, nullptr),
        ACL_SUCCESS);
    ASSERT_EQ(aclrtSynchronizeStream(nullptr), ACL_SUCCESS);
    EXPECT_EQ(back, src);
}

TEST_F(AclMemcpyAsync, HostToHostIsNotSupported) {
    std::vector<unsigned char> a(64, 1), b(64, 2);
    EXPECT_EQ(aclrtMemcpyAsync(a.data(), 64, b.data(), 64, ACL_MEMCPY_HOST_TO_HOST, nullptr),
              ACL_ERROR_RT_FEATURE_NOT_SUPPORT);
    EXPECT_EQ(a[0], 1);
}

TEST_F(AclMemcpyAsync, InvalidArgumentsAreRejectedAtIssue) {
    AclDeviceBuffer dev(128);
    std::vector<unsigned char> host(256, 0xee);
    EXPECT_EQ(aclrtMemcpyAsync(dev.ptr, 64, host.data(), 128, ACL_MEMCPY_HOST_TO_DEVICE, nullptr),
              ACL_ERROR_INVALID_PARAM);
    EXPECT_EQ(aclrtMemcpyAsync(nullptr, 64, host.data(), 64, ACL_MEMCPY_HOST_TO_DEVICE, nullptr),
              ACL_ERROR_INVALID_PARAM);
    EXPECT_EQ(aclrtMemcpyAsync(dev.ptr, 256, host.data(), 256, ACL_MEMCPY_HOST_TO_DEVICE, nullptr),
              ACL_ERROR_RT_PARAM_INVALID);
    EXPECT_EQ(aclrtMemcpyAsync(dev.ptr, 128, host.data(), 128, ACL_MEMCPY_DEVICE_TO_HOST, nullptr),
              ACL_ERROR_RT_PARAM_INVALID);
    ASSERT_EQ(aclrtSynchronizeStream(nullptr), ACL_SUCCESS);
    EXPECT_TRUE(allBytesAre(dev.ptr, 128, 0));
}

TEST(AclMemcpyAsyncNoDevice, NullStreamWithoutDeviceIsContextNull) {
    onFreshThread([] {
        std::vector<unsigned char> a(64), b(64);
        EXPECT_EQ(aclrtMemcpyAsync(a.data(), 64, b.data(), 64, ACL_MEMCPY_DEFAULT, nullptr),
                  ACL_ERROR_RT_CONTEXT_NULL);
    });
}

TEST_F(AclMemset, SetsTheBytesBeforeReturning) {
    AclDeviceBuffer dev(1000);
    ASSERT_EQ(aclrtMemset(dev.ptr, 1000, 0x5a, 600), ACL_SUCCESS);
    EXPECT_TRUE(allBytesAre(dev.ptr, 600, 0x5a));
    EXPECT_TRUE(allBytesAre(dev.as<unsigned char>() + 600, 400, 0));
}

TEST_F(AclMemset, CountAboveMaxCountIsInvalidParam) {
    AclDeviceBuffer dev(1000);
    EXPECT_EQ(aclrtMemset(dev.ptr, 100, 0x5a, 200), ACL_ERROR_INVALID_PARAM);
    EXPECT_EQ(aclrtMemset(nullptr, 100, 0x5a, 10), ACL_ERROR_INVALID_PARAM);
    EXPECT_TRUE(allBytesAre(dev.ptr, 1000, 0));
}

TEST_F(AclMemset, RangeOutsideAnAllocationIsRejectedAndNothingWritten) {
    AclDeviceBuffer dev(100);
    EXPECT_EQ(aclrtMemset(dev.ptr, 200, 0x5a, 200), ACL_ERROR_RT_PARAM_INVALID);
    EXPECT_TRUE(allBytesAre(dev.ptr, 100, 0));
    std::vector<unsigned char> pageable(64, 1);
    EXPECT_EQ(aclrtMemset(pageable.data(), 64, 0, 64), ACL_ERROR_RT_PARAM_INVALID);
    EXPECT_TRUE(allBytesAre(pageable.data(), 64, 1));
}

TEST_F(AclMemsetAsync, SetsTheBytesInStreamOrder) {
    constexpr size_t kBytes = 1 << 20;
    AclDeviceBuffer dev(kBytes);
    std::vector<unsigned char> back(kBytes, 0);
    aclrtStream stream = nullptr;
    ASSERT_EQ(aclrtCreateStream(&stream), ACL_SUCCESS);
    ASSERT_EQ(aclrtMemsetAsync(dev.ptr, kBytes, 0x11, kBytes, stream), ACL_SUCCESS);
    ASSERT_EQ(aclrtMemsetAsync(dev.ptr, kBytes, 0x22, kBytes / 2, stream), ACL_SUCCESS);
    ASSERT_EQ(
        aclrtMemcpyAsync(back.data(), kBytes, dev.ptr, kBytes, ACL_MEMCPY_DEVICE_TO_HOST, stream),
        ACL_SUCCESS);
    ASSERT_EQ(aclrtSynchronizeStream(stream), ACL_SUCCESS);
    EXPECT_TRUE(allBytesAre(back.data(), kBytes / 2, 0x22));
    EXPECT_TRUE(allBytesAre(back.data() + kBytes / 2, kBytes / 2, 0x11));
    EXPECT_EQ(aclrtMemsetAsync(dev.ptr, 16, 0, 32, stream), ACL_ERROR_INVALID_PARAM);
    EXPECT_EQ(aclrtDestroyStream(stream), ACL_SUCCESS);
}

TEST_F(AclGetMemInfo, FreeShrinksByWhatIsAllocated) {
    size_t free0 = 0, total0 = 0, free1 = 0, total1 = 0;
    ASSERT_EQ(aclrtGetMemInfo(ACL_HBM_MEM_HUGE, &free0, &total0), ACL_SUCCESS);
    EXPECT_GT(total0, 0u);
    EXPECT_LE(free0, total0);
    {
        AclDeviceBuffer dev(8 << 20);
        ASSERT_EQ(aclrtGetMemInfo(ACL_DDR_MEM_HUGE, &free1, &total1), ACL_SUCCESS);
    }
    EXPECT_EQ(total1, total0);
    EXPECT_LE(free1 + (8 << 20), free0);
}

TEST_F(AclGetMemInfo, InvalidArgumentsAreInvalidParam) {
    size_t freeBytes = 0, total = 0;
    EXPECT_EQ(aclrtGetMemInfo(ACL_HBM_MEM, nullptr, &total), ACL_ERROR_INVALID_PARAM);
    EXPECT_EQ(aclrtGetMemInfo(ACL_HBM_MEM, &freeBytes, nullptr), ACL_ERROR_INVALID_PARAM);
    EXPECT_EQ(aclrtGetMemInfo(static_cast<aclrtMemAttr>(18), &freeBytes, &total),
              ACL_ERROR_INVALID_PARAM);
}

TEST(AclGetMemInfoNoDevice, WithoutDeviceIsContextNull) {
    onFreshThread([] {
        size_t freeBytes = 0, total = 0;
        EXPECT_EQ(aclrtGetMemInfo(ACL_HBM_MEM, &freeBytes, &total), ACL_ERROR_RT_CONTEXT_NULL);
    });
}

TEST(AclVmm, AllocationGranularityIsTwoMiB) {
    aclrtPhysicalMemProp prop = {ACL_MEM_HANDLE_TYPE_NONE,
                                 ACL_MEM_ALLOCATION_TYPE_PINNED,
                                 ACL_HBM_MEM_HUGE,
                                 {0, ACL_MEM_LOCATION_TYPE_DEVICE},
                                 0};
    size_t granularity = 0;
    ASSERT_EQ(
        aclrtMemGetAllocationGranularity(&prop, ACL_RT_MEM_ALLOC_GRANULARITY_MINIMUM, &granularity),
        ACL_SUCCESS);
    EXPECT_EQ(granularity, 2u << 20);
    granularity = 0;
    ASSERT_EQ(aclrtMemGetAllocationGranularity(&prop, ACL_RT_MEM_ALLOC_GRANULARITY_RECOMMENDED,
                                               &granularity),
              ACL_SUCCESS);
    EXPECT_EQ(granularity, 2u << 20);
}

TEST(AclVmm, GranularityInvalidArgumentsAreInvalidParam) {
    aclrtPhysicalMemProp prop = {};
    size_t granularity = 0;
    EXPECT_EQ(aclrtMemGetAllocationGranularity(nullptr, ACL_RT_MEM_ALLOC_GRANULARITY_MINIMUM,
                                               &granularity),
              ACL_ERROR_INVALID_PARAM);
    EXPECT_EQ(
        aclrtMemGetAllocationGranularity(&prop, ACL_RT_MEM_ALLOC_GRANULARITY_MINIMUM, nullptr),
        ACL_ERROR_INVALID_PARAM);
    EXPECT_EQ(
        aclrtMemGetAllocationGranularity(&prop, ACL_RT_MEM_ALLOC_GRANULARITY_UNDEF, &granularity),
        ACL_ERROR_INVALID_PARAM);
}

TEST(AclVmm, MappingFunctionsAreNotSupportedYet) {
    void *va = nullptr;
    aclrtDrvMemHandle handle = nullptr;
    aclrtPhysicalMemProp prop = {ACL_MEM_HANDLE_TYPE_NONE,
                                 ACL_MEM_ALLOCATION_TYPE_PINNED,
                                 ACL_HBM_MEM_HUGE,
                                 {0, ACL_MEM_LOCATION_TYPE_DEVICE},
                                 0};
    int dummy = 0;
    EXPECT_EQ(aclrtReserveMemAddress(&va, 2 << 20, 0, nullptr, 1),
              ACL_ERROR_RT_FEATURE_NOT_SUPPORT);
    EXPECT_EQ(va, nullptr);
    EXPECT_EQ(aclrtMallocPhysical(&handle, 2 << 20, &prop, 0), ACL_ERROR_RT_FEATURE_NOT_SUPPORT);
    EXPECT_EQ(handle, nullptr);
    EXPECT_EQ(aclrtMapMem(&dummy, 2 << 20, 0, &dummy, 0), ACL_ERROR_RT_FEATURE_NOT_SUPPORT);
    EXPECT_EQ(aclrtUnmapMem(&dummy), ACL_ERROR_RT_FEATURE_NOT_SUPPORT);
    EXPECT_EQ(aclrtFreePhysical(&dummy), ACL_ERROR_RT_FEATURE_NOT_SUPPORT);
    EXPECT_EQ(aclrtReleaseMemAddress(&dummy), ACL_ERROR_RT_FEATURE_NOT_SUPPORT);
}

}  // namespace
}  // namespace hcclcpu::acl::test
