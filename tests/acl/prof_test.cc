#include "acl/acl_prof.h"
#include "acl_test_util.h"

namespace hcclcpu::acl::test {
namespace {

TEST(AclProf, HcclTestSequenceSucceedsWithoutCollectingData) {
    const char path[] = "/tmp/prof";
    ASSERT_EQ(aclprofInit(path, sizeof path - 1), ACL_SUCCESS);
    uint32_t devices[] = {0, 1};
    aclprofConfig *config = aclprofCreateConfig(
        devices, 2, ACL_AICORE_PIPE_UTILIZATION, nullptr,
        ACL_PROF_ACL_API | ACL_PROF_TASK_TIME | ACL_PROF_AICORE_METRICS | ACL_PROF_AICPU |
            ACL_PROF_HCCL_TRACE | ACL_PROF_MSPROFTX | ACL_PROF_RUNTIME_API);
    ASSERT_NE(config, nullptr);
    EXPECT_EQ(aclprofStart(config), ACL_SUCCESS);
    EXPECT_EQ(aclprofStop(config), ACL_SUCCESS);
    EXPECT_EQ(aclprofDestroyConfig(config), ACL_SUCCESS);
    EXPECT_EQ(aclprofFinalize(), ACL_SUCCESS);
}

TEST(AclProf, InitRejectsMissingOrOverlongPath) {
    EXPECT_EQ(aclprofInit(nullptr, 4), ACL_ERROR_INVALID_PARAM);
    EXPECT_EQ(aclprofInit("/tmp", 0), ACL_ERROR_INVALID_PARAM);
    EXPECT_EQ(aclprofInit("/tmp", 4097), ACL_ERROR_INVALID_PARAM);
}

TEST(AclProf, CreateConfigRejectsBadDeviceList) {
    uint32_t outOfRange[] = {0, 1000};
    EXPECT_EQ(aclprofCreateConfig(outOfRange, 2, ACL_AICORE_NONE, nullptr, 0), nullptr);
    EXPECT_EQ(aclprofCreateConfig(nullptr, 1, ACL_AICORE_NONE, nullptr, 0), nullptr);
}

TEST(AclProf, UnknownOrDestroyedConfigIsInvalidParam) {
    EXPECT_EQ(aclprofStart(nullptr), ACL_ERROR_INVALID_PARAM);
    EXPECT_EQ(aclprofStop(nullptr), ACL_ERROR_INVALID_PARAM);
    aclprofConfig *config = aclprofCreateConfig(nullptr, 0, ACL_AICORE_NONE, nullptr, 0);
    ASSERT_NE(config, nullptr);
    ASSERT_EQ(aclprofDestroyConfig(config), ACL_SUCCESS);
    EXPECT_EQ(aclprofDestroyConfig(config), ACL_ERROR_INVALID_PARAM);
    EXPECT_EQ(aclprofStart(config), ACL_ERROR_INVALID_PARAM);
}

}  // namespace
}  // namespace hcclcpu::acl::test
