#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>
#include <string>

#include "acl/acl.h"

namespace {

// Each test starts with the library not initialised.
class AclInit : public ::testing::Test {
  protected:
    void SetUp() override { aclFinalize(); }
    void TearDown() override { aclFinalize(); }
};

TEST_F(AclInit, NullConfigPathSucceeds) {
    EXPECT_EQ(aclInit(nullptr), ACL_SUCCESS);
}

TEST_F(AclInit, EmptyConfigPathSucceeds) {
    EXPECT_EQ(aclInit(""), ACL_SUCCESS);
}

TEST_F(AclInit, RepeatedInitReturnsRepeatInitialize) {
    ASSERT_EQ(aclInit(nullptr), ACL_SUCCESS);
    EXPECT_EQ(aclInit(nullptr), ACL_ERROR_REPEAT_INITIALIZE);
    // Still initialised: one finalize ends it.
    EXPECT_EQ(aclFinalize(), ACL_SUCCESS);
}

TEST_F(AclInit, FinalizeTwiceReturnsRepeatFinalize) {
    ASSERT_EQ(aclInit(nullptr), ACL_SUCCESS);
    EXPECT_EQ(aclFinalize(), ACL_SUCCESS);
    EXPECT_EQ(aclFinalize(), ACL_ERROR_REPEAT_FINALIZE);
}

TEST_F(AclInit, InitAfterFinalizeSucceeds) {
    ASSERT_EQ(aclInit(nullptr), ACL_SUCCESS);
    ASSERT_EQ(aclFinalize(), ACL_SUCCESS);
    EXPECT_EQ(aclInit(nullptr), ACL_SUCCESS);
}

TEST_F(AclInit, MissingConfigFileIsInvalidFile) {
    EXPECT_EQ(aclInit("/nonexistent/acl.json"), ACL_ERROR_INVALID_FILE);
    // The failed call left the library uninitialised.
    EXPECT_EQ(aclInit(nullptr), ACL_SUCCESS);
}

TEST_F(AclInit, ReadableConfigFileIsAccepted) {
    std::string path = ::testing::TempDir() + "acl_init_test.json";
    std::FILE *file = std::fopen(path.c_str(), "w");
    ASSERT_NE(file, nullptr);
    std::fputs("{}", file);
    std::fclose(file);
    EXPECT_EQ(aclInit(path.c_str()), ACL_SUCCESS);
    std::remove(path.c_str());
}

TEST(AclVersion, GetVersionReportsHeaderVersion) {
    int32_t major = -1, minor = -1, patch = -1;
    ASSERT_EQ(aclrtGetVersion(&major, &minor, &patch), ACL_SUCCESS);
    EXPECT_EQ(major, ACL_MAJOR_VERSION);
    EXPECT_EQ(minor, ACL_MINOR_VERSION);
    EXPECT_EQ(patch, ACL_PATCH_VERSION);
}

TEST(AclVersion, NullOutputIsInvalidParam) {
    int32_t v = 0;
    EXPECT_EQ(aclrtGetVersion(nullptr, &v, &v), ACL_ERROR_INVALID_PARAM);
    EXPECT_EQ(aclrtGetVersion(&v, nullptr, &v), ACL_ERROR_INVALID_PARAM);
    EXPECT_EQ(aclrtGetVersion(&v, &v, nullptr), ACL_ERROR_INVALID_PARAM);
}

TEST(AclRunMode, RunModeIsHost) {
    aclrtRunMode mode = ACL_DEVICE;
    ASSERT_EQ(aclrtGetRunMode(&mode), ACL_SUCCESS);
    EXPECT_EQ(mode, ACL_HOST);
    EXPECT_EQ(aclrtGetRunMode(nullptr), ACL_ERROR_INVALID_PARAM);
}

TEST(AclSocName, SocNameMakesHcclTestSelectInfNanMode) {
    // hccl_test: non-NULL, starts with "Ascend910B" and is longer than 10 characters.
    const char *name = aclrtGetSocName();
    ASSERT_NE(name, nullptr);
    EXPECT_STREQ(name, "Ascend910B4");
    EXPECT_EQ(std::strncmp(name, "Ascend910B", 10), 0);
    EXPECT_GT(std::strlen(name), 10u);
}

}  // namespace
