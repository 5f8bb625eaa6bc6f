#include <cstdlib>
#include <cstring>
#include <vector>

#include "acl_test_util.h"
#include "runtime/runtime.h"

namespace hcclcpu::acl::test {
namespace {

TEST(AclDevice, GetDeviceCountIsTheRuntimeDeviceCount) {
    uint32_t count = 0;
    ASSERT_EQ(aclrtGetDeviceCount(&count), ACL_SUCCESS);
    EXPECT_EQ(count, rt::deviceCount());
    if (std::getenv("HCCL_CPU_DEVICE_COUNT") == nullptr) {
        EXPECT_EQ(count, 8u);
    }
}

TEST(AclDevice, NullOutputIsInvalidParam) {
    EXPECT_EQ(aclrtGetDeviceCount(nullptr), ACL_ERROR_INVALID_PARAM);
    EXPECT_EQ(aclrtGetDevice(nullptr), ACL_ERROR_INVALID_PARAM);
}

TEST(AclDevice, SetDeviceOutOfRangeIsInvalidDeviceId) {
    uint32_t count = 0;
    ASSERT_EQ(aclrtGetDeviceCount(&count), ACL_SUCCESS);
    EXPECT_EQ(aclrtSetDevice(-1), ACL_ERROR_RT_INVALID_DEVICEID);
    EXPECT_EQ(aclrtSetDevice(static_cast<int32_t>(count)), ACL_ERROR_RT_INVALID_DEVICEID);
}

TEST(AclDevice, GetDeviceReturnsTheDeviceThisThreadSet) {
    onFreshThread([] {
        ASSERT_EQ(aclrtSetDevice(3), ACL_SUCCESS);
        int32_t device = -1;
        EXPECT_EQ(aclrtGetDevice(&device), ACL_SUCCESS);
        EXPECT_EQ(device, 3);
        EXPECT_EQ(aclrtResetDevice(3), ACL_SUCCESS);
    });
}

TEST(AclDevice, GetDeviceWithoutSetDeviceIsContextNull) {
    onFreshThread([] {
        int32_t device = -1;
        EXPECT_EQ(aclrtGetDevice(&device), ACL_ERROR_RT_CONTEXT_NULL);
        EXPECT_EQ(device, -1);
    });
}

TEST(AclDevice, SynchronizeDeviceWithoutSetDeviceIsContextNull) {
    onFreshThread([] { EXPECT_EQ(aclrtSynchronizeDevice(), ACL_ERROR_RT_CONTEXT_NULL); });
}

TEST_F(AclDeviceTest, SynchronizeDeviceWaitsForEveryStream) {
    constexpr size_t kBytes = 4 << 20;
    AclDeviceBuffer a(kBytes), b(kBytes), c(kBytes);
    std::vector<unsigned char> host(kBytes, 0x3c);
    aclrtStream s1 = nullptr, s2 = nullptr;
    ASSERT_EQ(aclrtCreateStream(&s1), ACL_SUCCESS);
    ASSERT_EQ(aclrtCreateStream(&s2), ACL_SUCCESS);
    ASSERT_EQ(aclrtMemcpyAsync(a.ptr, kBytes, host.data(), kBytes, ACL_MEMCPY_HOST_TO_DEVICE, s1),
              ACL_SUCCESS);
    ASSERT_EQ(aclrtMemsetAsync(b.ptr, kBytes, 0x7e, kBytes, s2), ACL_SUCCESS);
    ASSERT_EQ(aclrtMemsetAsync(c.ptr, kBytes, 0x11, kBytes, nullptr), ACL_SUCCESS);
    ASSERT_EQ(aclrtSynchronizeDevice(), ACL_SUCCESS);
    // Nothing is pending any more: plain reads see the final bytes of all three streams.
    EXPECT_EQ(std::memcmp(a.ptr, host.data(), kBytes), 0);
    EXPECT_EQ(b.as<unsigned char>()[kBytes - 1], 0x7e);
    EXPECT_EQ(c.as<unsigned char>()[kBytes - 1], 0x11);
    for (aclrtStream s : {s1, s2, static_cast<aclrtStream>(nullptr)}) {
        aclrtStreamStatus status = ACL_STREAM_STATUS_NOT_READY;
        EXPECT_EQ(aclrtStreamQuery(s, &status), ACL_SUCCESS);
        EXPECT_EQ(status, ACL_STREAM_STATUS_COMPLETE);
    }
    EXPECT_EQ(aclrtDestroyStream(s1), ACL_SUCCESS);
    EXPECT_EQ(aclrtDestroyStream(s2), ACL_SUCCESS);
}

TEST(AclSatMode, InfNanModeIsTheDefault) {
    aclrtFloatOverflowMode mode = ACL_RT_OVERFLOW_MODE_UNDEF;
    ASSERT_EQ(aclrtGetDeviceSatMode(&mode), ACL_SUCCESS);
    EXPECT_EQ(mode, ACL_RT_OVERFLOW_MODE_INFNAN);
}

TEST(AclSatMode, SetModeIsReportedByGetMode) {
    ASSERT_EQ(aclrtSetDeviceSatMode(ACL_RT_OVERFLOW_MODE_SATURATION), ACL_SUCCESS);
    aclrtFloatOverflowMode mode = ACL_RT_OVERFLOW_MODE_UNDEF;
    ASSERT_EQ(aclrtGetDeviceSatMode(&mode), ACL_SUCCESS);
    EXPECT_EQ(mode, ACL_RT_OVERFLOW_MODE_SATURATION);
    // hccl_test's call on an "Ascend910Bx" SoC.
    ASSERT_EQ(aclrtSetDeviceSatMode(ACL_RT_OVERFLOW_MODE_INFNAN), ACL_SUCCESS);
    ASSERT_EQ(aclrtGetDeviceSatMode(&mode), ACL_SUCCESS);
    EXPECT_EQ(mode, ACL_RT_OVERFLOW_MODE_INFNAN);
}

TEST(AclSatMode, InvalidModeIsInvalidParam) {
    EXPECT_EQ(aclrtSetDeviceSatMode(ACL_RT_OVERFLOW_MODE_UNDEF), ACL_ERROR_INVALID_PARAM);
    EXPECT_EQ(aclrtSetDeviceSatMode(static_cast<aclrtFloatOverflowMode>(-1)),
              ACL_ERROR_INVALID_PARAM);
    EXPECT_EQ(aclrtGetDeviceSatMode(nullptr), ACL_ERROR_INVALID_PARAM);
}

}  // namespace
}  // namespace hcclcpu::acl::test
