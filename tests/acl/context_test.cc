#include "acl_test_util.h"

namespace hcclcpu::acl::test {
namespace {

int32_t currentDevice() {
    int32_t device = -1;
    EXPECT_EQ(aclrtGetDevice(&device), ACL_SUCCESS);
    return device;
}

TEST(AclContext, CreateBindsTheThreadToTheDeviceAndBecomesCurrent) {
    onFreshThread([] {
        aclrtContext context = nullptr;
        ASSERT_EQ(aclrtCreateContext(&context, 2), ACL_SUCCESS);
        ASSERT_NE(context, nullptr);
        EXPECT_EQ(currentDevice(), 2);
        aclrtContext current = nullptr;
        EXPECT_EQ(aclrtGetCurrentContext(&current), ACL_SUCCESS);
        EXPECT_EQ(current, context);
        EXPECT_EQ(aclrtDestroyContext(context), ACL_SUCCESS);
    });
}

TEST(AclContext, CreateOnInvalidDeviceIsInvalidDeviceId) {
    aclrtContext context = nullptr;
    EXPECT_EQ(aclrtCreateContext(&context, -1), ACL_ERROR_RT_INVALID_DEVICEID);
    EXPECT_EQ(context, nullptr);
}

TEST(AclContext, SetCurrentContextSwitchesTheThreadsDevice) {
    aclrtContext onDevice3 = nullptr;
    onFreshThread([&] { ASSERT_EQ(aclrtCreateContext(&onDevice3, 3), ACL_SUCCESS); });
    ASSERT_NE(onDevice3, nullptr);
    onFreshThread([&] {
        ASSERT_EQ(aclrtSetDevice(1), ACL_SUCCESS);
        ASSERT_EQ(aclrtSetCurrentContext(onDevice3), ACL_SUCCESS);
        EXPECT_EQ(currentDevice(), 3);
        aclrtContext current = nullptr;
        EXPECT_EQ(aclrtGetCurrentContext(&current), ACL_SUCCESS);
        EXPECT_EQ(current, onDevice3);
        // Work issued now goes to device 3.
        aclrtStream stream = nullptr;
        ASSERT_EQ(aclrtCreateStream(&stream), ACL_SUCCESS);
        EXPECT_EQ(aclrtDestroyStream(stream), ACL_SUCCESS);
        EXPECT_EQ(aclrtResetDevice(1), ACL_SUCCESS);
    });
    EXPECT_EQ(aclrtDestroyContext(onDevice3), ACL_SUCCESS);
}

TEST(AclContext, SetDeviceMakesTheDefaultContextCurrent) {
    onFreshThread([] {
        aclrtContext created = nullptr;
        ASSERT_EQ(aclrtCreateContext(&created, 4), ACL_SUCCESS);
        ASSERT_EQ(aclrtSetDevice(4), ACL_SUCCESS);
        aclrtContext current = nullptr;
        ASSERT_EQ(aclrtGetCurrentContext(&current), ACL_SUCCESS);
        EXPECT_NE(current, nullptr);
        EXPECT_NE(current, created);
        // The default context can be made current again and is stable.
        ASSERT_EQ(aclrtSetCurrentContext(created), ACL_SUCCESS);
        ASSERT_EQ(aclrtSetCurrentContext(current), ACL_SUCCESS);
        aclrtContext again = nullptr;
        ASSERT_EQ(aclrtGetCurrentContext(&again), ACL_SUCCESS);
        EXPECT_EQ(again, current);
        EXPECT_EQ(aclrtDestroyContext(created), ACL_SUCCESS);
        EXPECT_EQ(aclrtResetDevice(4), ACL_SUCCESS);
    });
}

TEST(AclContext, DestroyedContextIsNoLongerCurrent) {
    onFreshThread([] {
        ASSERT_EQ(aclrtSetDevice(5), ACL_SUCCESS);
        aclrtContext defaultContext = nullptr;
        ASSERT_EQ(aclrtGetCurrentContext(&defaultContext), ACL_SUCCESS);
        aclrtContext created = nullptr;
        ASSERT_EQ(aclrtCreateContext(&created, 5), ACL_SUCCESS);
        ASSERT_EQ(aclrtDestroyContext(created), ACL_SUCCESS);
        // The thread's own aclrtSetDevice still binds it.
        aclrtContext current = nullptr;
        ASSERT_EQ(aclrtGetCurrentContext(&current), ACL_SUCCESS);
        EXPECT_EQ(current, defaultContext);
        EXPECT_EQ(aclrtResetDevice(5), ACL_SUCCESS);
    });
}

TEST(AclContext, GetCurrentContextWithoutDeviceIsContextNull) {
    onFreshThread([] {
        aclrtContext context = nullptr;
        EXPECT_EQ(aclrtGetCurrentContext(&context), ACL_ERROR_RT_CONTEXT_NULL);
        EXPECT_EQ(context, nullptr);
    });
}

TEST(AclContext, DestroyingAnUnknownContextIsInvalidHandle) {
    int notAContext = 0;
    EXPECT_EQ(aclrtDestroyContext(&notAContext), ACL_ERROR_RT_INVALID_HANDLE);
    EXPECT_EQ(aclrtSetCurrentContext(&notAContext), ACL_ERROR_RT_INVALID_HANDLE);
    onFreshThread([] {
        ASSERT_EQ(aclrtSetDevice(0), ACL_SUCCESS);
        aclrtContext defaultContext = nullptr;
        ASSERT_EQ(aclrtGetCurrentContext(&defaultContext), ACL_SUCCESS);
        EXPECT_EQ(aclrtDestroyContext(defaultContext), ACL_ERROR_RT_INVALID_HANDLE);
        EXPECT_EQ(aclrtResetDevice(0), ACL_SUCCESS);
    });
}

TEST(AclContext, NullArgumentsAreInvalidParam) {
    EXPECT_EQ(aclrtCreateContext(nullptr, 0), ACL_ERROR_INVALID_PARAM);
    EXPECT_EQ(aclrtDestroyContext(nullptr), ACL_ERROR_INVALID_PARAM);
    EXPECT_EQ(aclrtSetCurrentContext(nullptr), ACL_ERROR_INVALID_PARAM);
    EXPECT_EQ(aclrtGetCurrentContext(nullptr), ACL_ERROR_INVALID_PARAM);
}

}  // namespace
}  // namespace hcclcpu::acl::test
