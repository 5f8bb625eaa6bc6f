#include <cmath>
#include <limits>

#include "acl_test_util.h"

namespace hcclcpu::acl::test {
namespace {

TEST(AclDataTypeSize, WholeByteTypesHaveTheirSize) {
    EXPECT_EQ(aclDataTypeSize(ACL_FLOAT), 4u);
    EXPECT_EQ(aclDataTypeSize(ACL_FLOAT16), 2u);
    EXPECT_EQ(aclDataTypeSize(ACL_BF16), 2u);
    EXPECT_EQ(aclDataTypeSize(ACL_INT8), 1u);
    EXPECT_EQ(aclDataTypeSize(ACL_UINT8), 1u);
    EXPECT_EQ(aclDataTypeSize(ACL_BOOL), 1u);
    EXPECT_EQ(aclDataTypeSize(ACL_INT16), 2u);
    EXPECT_EQ(aclDataTypeSize(ACL_UINT16), 2u);
    EXPECT_EQ(aclDataTypeSize(ACL_INT32), 4u);
    EXPECT_EQ(aclDataTypeSize(ACL_UINT32), 4u);
    EXPECT_EQ(aclDataTypeSize(ACL_INT64), 8u);
    EXPECT_EQ(aclDataTypeSize(ACL_UINT64), 8u);
    EXPECT_EQ(aclDataTypeSize(ACL_DOUBLE), 8u);
    EXPECT_EQ(aclDataTypeSize(ACL_COMPLEX32), 4u);
    EXPECT_EQ(aclDataTypeSize(ACL_COMPLEX64), 8u);
    EXPECT_EQ(aclDataTypeSize(ACL_COMPLEX128), 16u);
    EXPECT_EQ(aclDataTypeSize(ACL_HIFLOAT8), 1u);
    EXPECT_EQ(aclDataTypeSize(ACL_FLOAT8_E4M3FN), 1u);
}

TEST(AclDataTypeSize, SizelessAndSubByteTypesAreZero) {
    EXPECT_EQ(aclDataTypeSize(ACL_DT_UNDEFINED), 0u);
    EXPECT_EQ(aclDataTypeSize(ACL_STRING), 0u);
    EXPECT_EQ(aclDataTypeSize(ACL_INT4), 0u);
    EXPECT_EQ(aclDataTypeSize(ACL_UINT1), 0u);
    EXPECT_EQ(aclDataTypeSize(ACL_FLOAT4_E2M1), 0u);
    EXPECT_EQ(aclDataTypeSize(static_cast<aclDataType>(5)), 0u);  // a gap in the enum
    EXPECT_EQ(aclDataTypeSize(static_cast<aclDataType>(1000)), 0u);
}

TEST(AclFloat16, ConvertsExactValuesBothWays) {
    EXPECT_EQ(aclFloatToFloat16(1.0f), 0x3c00);
    EXPECT_EQ(aclFloatToFloat16(-2.0f), 0xc000);
    EXPECT_EQ(aclFloatToFloat16(65504.0f), 0x7bff);
    EXPECT_EQ(aclFloat16ToFloat(0x3c00), 1.0f);
    EXPECT_EQ(aclFloat16ToFloat(0x7bff), 65504.0f);
    EXPECT_EQ(aclFloat16ToFloat(0x0001), std::ldexp(1.0f, -24));  // smallest denormal
}

TEST(AclFloat16, RoundsToNearestEvenAndOverflowsToInfinity) {
    // 1 + 2^-11 lies halfway between 1 and the next half (1 + 2^-10): ties go to even (1).
    EXPECT_EQ(aclFloatToFloat16(1.0f + std::ldexp(1.0f, -11)), 0x3c00);
    EXPECT_EQ(aclFloatToFloat16(1.0f + 3 * std::ldexp(1.0f, -11)), 0x3c02);
    EXPECT_EQ(aclFloatToFloat16(1e6f), 0x7c00);
    EXPECT_TRUE(std::isinf(aclFloat16ToFloat(0x7c00)));
    EXPECT_TRUE(std::isnan(aclFloat16ToFloat(aclFloatToFloat16(std::nanf("")))));
}

}  // namespace
}  // namespace hcclcpu::acl::test
