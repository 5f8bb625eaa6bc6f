// The comparator behind -c 1, and the fp16 / bf16 conversions the tool uses.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "check.h"
#include "dtype.h"

namespace hccltest {
namespace {

std::vector<unsigned char> expectedOutput(const Shape &s, const Expectation &e, uint32_t me) {
    size_t size = dataTypeInfo(s.dataType).size;
    std::vector<unsigned char> out(s.recvCount(me) * size);
    for (uint64_t i = 0; i < s.recvCount(me); ++i)
        storeElement(out.data(), i, s.dataType, *e.at(i));
    return out;
}

TEST(HcclTestCheck, CorrectOutputPasses) {
    Shape s = makeShape(OpId::kAllReduce, 4096, HCCL_DATA_TYPE_FP16, 4);
    Expectation e(s, HCCL_REDUCE_SUM, 0, 2);
    std::vector<unsigned char> out = expectedOutput(s, e, 2);
    CheckResult r = compareOutput(out.data(), s.recvCount(2), s.dataType, e);
    EXPECT_EQ(r.mismatches, 0u);
    EXPECT_TRUE(r.first.empty());
}

TEST(HcclTestCheck, EveryMismatchIsCountedAndTheFirstFewAreKept) {
    Shape s = makeShape(OpId::kAllGather, 8192, HCCL_DATA_TYPE_INT32, 4);
    Expectation e(s, HCCL_REDUCE_SUM, 0, 1);
    std::vector<unsigned char> out = expectedOutput(s, e, 1);
    for (uint64_t i : {3ull, 100ull, 101ull, 700ull, 1500ull, 2000ull, 2047ull})
        storeElement(out.data(), i, s.dataType, -5);
    CheckResult r = compareOutput(out.data(), s.recvCount(1), s.dataType, e, 5);
    EXPECT_EQ(r.mismatches, 7u);
    ASSERT_EQ(r.first.size(), 5u);
    EXPECT_EQ(r.first[0].index, 3u);
    EXPECT_EQ(r.first[0].got, -5);
    EXPECT_EQ(r.first[0].expected, *e.at(3));
    EXPECT_EQ(r.first[4].index, 1500u);
}

TEST(HcclTestCheck, UnwrittenFloatOutputFails) {
    Shape s = makeShape(OpId::kBroadcast, 64, HCCL_DATA_TYPE_BFP16, 2);
    Expectation e(s, HCCL_REDUCE_SUM, 0, 1);
    std::vector<unsigned char> out(64, 0xff);  // NaN in every element
    EXPECT_EQ(compareOutput(out.data(), s.count, s.dataType, e).mismatches, s.count);
}

TEST(HcclTestCheck, UndefinedOutputIsNotChecked) {
    Shape s = makeShape(OpId::kReduce, 64, HCCL_DATA_TYPE_FP32, 2);
    Expectation notRoot(s, HCCL_REDUCE_SUM, 0, 1);
    std::vector<unsigned char> out(64, 0xa5);
    EXPECT_EQ(compareOutput(out.data(), s.count, s.dataType, notRoot).mismatches, 0u);
    Expectation root(s, HCCL_REDUCE_SUM, 0, 0);
    EXPECT_EQ(compareOutput(out.data(), s.count, s.dataType, root).mismatches, s.count);
}

TEST(HcclTestCheck, MismatchReportNamesRankElementExpectedAndGot) {
    EXPECT_EQ(describeMismatch(3, {17, 4, 5.5}), "rank 3: element 17: expected 4, got 5.5");
}

TEST(HcclTestDataType, HalfRoundsToNearestEven) {
    EXPECT_EQ(floatToHalf(1.0f), 0x3c00);
    EXPECT_EQ(floatToHalf(-2.0f), 0xc000);
    EXPECT_EQ(floatToHalf(65504.0f), 0x7bff);
    EXPECT_EQ(floatToHalf(70000.0f), 0x7c00);
    EXPECT_EQ(halfToFloat(floatToHalf(2049.0f)), 2048.0f);  // tie: even
    EXPECT_EQ(halfToFloat(floatToHalf(2051.0f)), 2052.0f);
    EXPECT_EQ(floatToHalf(std::ldexp(1.0f, -24)), 0x0001);  // smallest subnormal
    EXPECT_EQ(halfToFloat(0x0001), std::ldexp(1.0f, -24));
    EXPECT_TRUE(std::isnan(halfToFloat(0x7e00)));
    for (int v = -2048; v <= 2048; ++v)
        ASSERT_EQ(halfToFloat(floatToHalf(static_cast<float>(v))), v);
}

TEST(HcclTestDataType, Bf16RoundsToNearestEven) {
    EXPECT_EQ(floatToBf16(1.0f), 0x3f80);
    EXPECT_EQ(bf16ToFloat(floatToBf16(257.0f)), 256.0f);
    EXPECT_EQ(bf16ToFloat(floatToBf16(259.0f)), 260.0f);
    for (int v = -256; v <= 256; ++v)
        ASSERT_EQ(bf16ToFloat(floatToBf16(static_cast<float>(v))), v);
}

}  // namespace
}  // namespace hccltest
