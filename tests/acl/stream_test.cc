#include <cstring>
#include <string>
#include <vector>

#include "acl_test_util.h"
#include "runtime/runtime.h"

namespace hcclcpu::acl::test {
namespace {

using AclStream = AclDeviceTest;

TEST_F(AclStream, CreateSynchronizeDestroy) {
    aclrtStream stream = nullptr;
    ASSERT_EQ(aclrtCreateStream(&stream), ACL_SUCCESS);
    ASSERT_NE(stream, nullptr);
    EXPECT_EQ(aclrtSynchronizeStream(stream), ACL_SUCCESS);
    EXPECT_EQ(aclrtDestroyStream(stream), ACL_SUCCESS);
}

TEST_F(AclStream, StreamsAreDistinct) {
    aclrtStream a = nullptr, b = nullptr;
    ASSERT_EQ(aclrtCreateStream(&a), ACL_SUCCESS);
    ASSERT_EQ(aclrtCreateStream(&b), ACL_SUCCESS);
    EXPECT_NE(a, b);
    EXPECT_EQ(aclrtDestroyStream(a), ACL_SUCCESS);
    EXPECT_EQ(aclrtDestroyStream(b), ACL_SUCCESS);
}

TEST_F(AclStream, NullArgumentsAreInvalidParam) {
    EXPECT_EQ(aclrtCreateStream(nullptr), ACL_ERROR_INVALID_PARAM);
    // The default stream belongs to the device.
    EXPECT_EQ(aclrtDestroyStream(nullptr), ACL_ERROR_INVALID_PARAM);
    EXPECT_EQ(aclrtStreamQuery(nullptr, nullptr), ACL_ERROR_INVALID_PARAM);
}

TEST_F(AclStream, NullStreamSynchronizesTheDefaultStream) {
    constexpr size_t kBytes = 1 << 20;
    AclDeviceBuffer dev(kBytes);
    ASSERT_EQ(aclrtMemsetAsync(dev.ptr, kBytes, 0x42, kBytes, nullptr), ACL_SUCCESS);
    ASSERT_EQ(aclrtSynchronizeStream(nullptr), ACL_SUCCESS);
    EXPECT_EQ(dev.as<unsigned char>()[0], 0x42);
    EXPECT_EQ(dev.as<unsigned char>()[kBytes - 1], 0x42);
}

TEST(AclStreamNoDevice, WithoutDeviceIsContextNull) {
    onFreshThread([] {
        aclrtStream stream = nullptr;
        EXPECT_EQ(aclrtCreateStream(&stream), ACL_ERROR_RT_CONTEXT_NULL);
        EXPECT_EQ(aclrtSynchronizeStream(nullptr), ACL_ERROR_RT_CONTEXT_NULL);
    });
}

TEST_F(AclStream, QueryIsCompleteAfterSynchronize) {
    aclrtStream stream = nullptr;
    ASSERT_EQ(aclrtCreateStream(&stream), ACL_SUCCESS);
    AclDeviceBuffer dev(1 << 20);
    ASSERT_EQ(aclrtMemsetAsync(dev.ptr, dev.size, 1, dev.size, stream), ACL_SUCCESS);
    ASSERT_EQ(aclrtSynchronizeStream(stream), ACL_SUCCESS);
    aclrtStreamStatus status = ACL_STREAM_STATUS_NOT_READY;
    EXPECT_EQ(aclrtStreamQuery(stream, &status), ACL_SUCCESS);
    EXPECT_EQ(status, ACL_STREAM_STATUS_COMPLETE);
    EXPECT_EQ(aclrtDestroyStream(stream), ACL_SUCCESS);
}

TEST_F(AclStream, FailureModeAcceptsBothModesAndTheDefaultStream) {
    aclrtStream stream = nullptr;
    ASSERT_EQ(aclrtCreateStream(&stream), ACL_SUCCESS);
    EXPECT_EQ(aclrtSetStreamFailureMode(stream, ACL_STOP_ON_FAILURE), ACL_SUCCESS);
    EXPECT_EQ(aclrtSetStreamFailureMode(stream, ACL_CONTINUE_ON_FAILURE), ACL_SUCCESS);
    EXPECT_EQ(aclrtSetStreamFailureMode(nullptr, 1), ACL_SUCCESS);  // hccl_test passes 1
    EXPECT_EQ(aclrtDestroyStream(stream), ACL_SUCCESS);
}

TEST_F(AclStream, FailureModeUnknownModeIsInvalidParam) {
    EXPECT_EQ(aclrtSetStreamFailureMode(nullptr, 2), ACL_ERROR_INVALID_PARAM);
}

TEST(AclStreamNoDevice, FailureModeOnDefaultStreamWithoutDeviceIsContextNull) {
    onFreshThread([] {
        EXPECT_EQ(aclrtSetStreamFailureMode(nullptr, ACL_STOP_ON_FAILURE),
                  ACL_ERROR_RT_CONTEXT_NULL);
    });
}

// A notify wait that nobody satisfies fails the stream when its deadline passes; synchronize
// reports that once, as a stream synchronize timeout, with the runtime's description.
TEST_F(AclStream, FailedWaitIsReportedOnceBySynchronizeAsStreamSyncTimeout) {
    aclrtStream stream = nullptr;
    ASSERT_EQ(aclrtCreateStream(&stream), ACL_SUCCESS);
    rt::Notify *notify = nullptr;
    ASSERT_EQ(rt::notifyCreate(0, &notify), rt::Err::kOk);
    ASSERT_EQ(rt::enqueueNotifyWait(static_cast<rt::Stream *>(stream), notify, 20'000'000),
              rt::Err::kOk);
    EXPECT_EQ(aclrtSynchronizeStream(stream), ACL_ERROR_RT_STREAM_SYNC_TIMEOUT);
    const char *message = aclGetRecentErrMsg();
    ASSERT_NE(message, nullptr);
    EXPECT_NE(std::string(message).find("aclrtSynchronizeStream"), std::string::npos) << message;
    EXPECT_EQ(aclrtSynchronizeStream(stream), ACL_SUCCESS);
    EXPECT_EQ(aclrtDestroyStream(stream), ACL_SUCCESS);
    EXPECT_EQ(rt::notifyDestroy(notify), rt::Err::kOk);
}

}  // namespace
}  // namespace hcclcpu::acl::test
