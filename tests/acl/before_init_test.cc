// Behaviour of a process that has not called aclInit. Its own binary, so no other test has
// initialised the library first.
#include <gtest/gtest.h>

#include "acl/acl.h"

namespace {

TEST(AclDevice, GetDeviceCountWorksBeforeInit) {
    uint32_t count = 0;
    ASSERT_EQ(aclrtGetDeviceCount(&count), ACL_SUCCESS);
    EXPECT_GE(count, 1u);
}

TEST(AclDevice, GetSocNameWorksBeforeInit) {
    EXPECT_NE(aclrtGetSocName(), nullptr);
}

TEST(AclInit, FinalizeWithoutInitSucceeds) {
    EXPECT_EQ(aclFinalize(), ACL_SUCCESS);
    // Still never initialised: a second call is not a repeated finalize either.
    EXPECT_EQ(aclFinalize(), ACL_SUCCESS);
}

}  // namespace
