#include <string>

#include "acl/error.h"
#include "acl_test_util.h"

namespace hcclcpu::acl::test {
namespace {

TEST(AclLastError, GetLastErrorReturnsTheLastFailureAndClearsIt) {
    onFreshThread([] {
        EXPECT_EQ(aclrtGetLastError(ACL_RT_THREAD_LEVEL), ACL_SUCCESS);
        EXPECT_EQ(aclrtMalloc(nullptr, 16, ACL_MEM_MALLOC_HUGE_FIRST), ACL_ERROR_INVALID_PARAM);
        int32_t device = 0;
        EXPECT_EQ(aclrtGetDevice(&device), ACL_ERROR_RT_CONTEXT_NULL);
        EXPECT_EQ(aclrtGetLastError(ACL_RT_THREAD_LEVEL), ACL_ERROR_RT_CONTEXT_NULL);
        EXPECT_EQ(aclrtGetLastError(ACL_RT_THREAD_LEVEL), ACL_SUCCESS);
    });
}

TEST(AclLastError, SuccessDoesNotClearTheLastError) {
    onFreshThread([] {
        EXPECT_EQ(aclrtFree(nullptr), ACL_ERROR_INVALID_PARAM);
        uint32_t count = 0;
        EXPECT_EQ(aclrtGetDeviceCount(&count), ACL_SUCCESS);
        EXPECT_EQ(aclrtGetLastError(ACL_RT_THREAD_LEVEL), ACL_ERROR_INVALID_PARAM);
    });
}

TEST(AclLastError, PeekDoesNotClear) {
    onFreshThread([] {
        EXPECT_EQ(aclrtFree(nullptr), ACL_ERROR_INVALID_PARAM);
        EXPECT_EQ(aclrtPeekAtLastError(ACL_RT_THREAD_LEVEL), ACL_ERROR_INVALID_PARAM);
        EXPECT_EQ(aclrtPeekAtLastError(ACL_RT_THREAD_LEVEL), ACL_ERROR_INVALID_PARAM);
        EXPECT_EQ(aclrtGetLastError(ACL_RT_THREAD_LEVEL), ACL_ERROR_INVALID_PARAM);
    });
}

TEST(AclLastError, LastErrorBelongsToTheFailingThread) {
    onFreshThread([] { EXPECT_EQ(aclrtFree(nullptr), ACL_ERROR_INVALID_PARAM); });
    onFreshThread([] {
        EXPECT_EQ(aclrtPeekAtLastError(ACL_RT_THREAD_LEVEL), ACL_SUCCESS);
        EXPECT_EQ(aclGetRecentErrMsg(), nullptr);
    });
}

TEST(AclLastError, UnknownLevelIsInvalidParam) {
    EXPECT_EQ(aclrtGetLastError(static_cast<aclrtLastErrLevel>(1)), ACL_ERROR_INVALID_PARAM);
    EXPECT_EQ(aclrtPeekAtLastError(static_cast<aclrtLastErrLevel>(1)), ACL_ERROR_INVALID_PARAM);
}

TEST(AclRecentErrMsg, NullWhenNothingFailed) {
    onFreshThread([] { EXPECT_EQ(aclGetRecentErrMsg(), nullptr); });
}

TEST(AclRecentErrMsg, DescribesTheLastFailureOnce) {
    onFreshThread([] {
        EXPECT_EQ(aclrtMalloc(nullptr, 16, ACL_MEM_MALLOC_HUGE_FIRST), ACL_ERROR_INVALID_PARAM);
        EXPECT_EQ(aclrtSetDevice(-5), ACL_ERROR_RT_INVALID_DEVICEID);
        const char *message = aclGetRecentErrMsg();
        ASSERT_NE(message, nullptr);
        EXPECT_NE(std::string(message).find("aclrtSetDevice"), std::string::npos) << message;
        EXPECT_EQ(aclGetRecentErrMsg(), nullptr);
    });
}

TEST(AclErrorMapping, RuntimeErrorsMapToTheDocumentedCodes) {
    EXPECT_EQ(toAclError(rt::Err::kOk), ACL_SUCCESS);
    EXPECT_EQ(toAclError(rt::Err::kParam), ACL_ERROR_RT_PARAM_INVALID);
    EXPECT_EQ(toAclError(rt::Err::kDevice), ACL_ERROR_RT_INVALID_DEVICEID);
    EXPECT_EQ(toAclError(rt::Err::kContext), ACL_ERROR_RT_CONTEXT_NULL);
    EXPECT_EQ(toAclError(rt::Err::kNoMemory), ACL_ERROR_RT_MEMORY_ALLOCATION);
    EXPECT_EQ(toAclError(rt::Err::kHandle), ACL_ERROR_RT_INVALID_HANDLE);
    EXPECT_EQ(toAclError(rt::Err::kKind), ACL_ERROR_RT_PARAM_INVALID);
    EXPECT_EQ(toAclError(rt::Err::kBounds), ACL_ERROR_RT_PARAM_INVALID);
    EXPECT_EQ(toAclError(rt::Err::kNotSupported), ACL_ERROR_RT_FEATURE_NOT_SUPPORT);
    EXPECT_EQ(toAclError(rt::Err::kTimeout), ACL_ERROR_RT_STREAM_SYNC_TIMEOUT);
    EXPECT_EQ(toAclError(rt::Err::kTaskFailed), ACL_ERROR_RT_TS_ERROR);
    EXPECT_EQ(toAclError(rt::Err::kInternal), ACL_ERROR_RT_INTERNAL_ERROR);
}

}  // namespace
}  // namespace hcclcpu::acl::test
