// Reduction kernels and the fp16/bf16 conversions. Expected values come from an independent
// source each time: exact wide-integer arithmetic, GCC's _Float16, or rounding done in double.
#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "runtime/reduce.h"
#include "runtime/reduce_internal.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace hcclcpu::rt {
namespace {

using i128 = __int128;
using u128 = unsigned __int128;

constexpr ReduceOp kOps[] = {ReduceOp::kSum, ReduceOp::kProd, ReduceOp::kMax, ReduceOp::kMin};

uint64_t splitmix(uint64_t &state) {
    uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

template <typename T>
std::vector<T> runReduce(detail::KernelSet set, DataType type, ReduceOp op, const std::vector<T> &a,
                         const std::vector<T> &b) {
    std::vector<T> dst(a.size());
    detail::reduceWith(set, dst.data(), a.data(), b.data(), a.size(), type, op);
    return dst;
}

uint16_t float16Bits(_Float16 h) {
    return std::bit_cast<uint16_t>(h);
}
_Float16 float16(uint16_t bits) {
    return std::bit_cast<_Float16>(bits);
}
bool isHalfNan(uint16_t h) {
    return (h & 0x7C00) == 0x7C00 && (h & 0x3FF) != 0;
}
bool isBf16Nan(uint16_t b) {
    return (b & 0x7F80) == 0x7F80 && (b & 0x7F) != 0;
}

// Round a double to the nearest bf16 (ties to even) by arithmetic on values, not bit patterns:
// scale to units of the bf16 ulp at that magnitude and round with nearbyint.
uint16_t referenceBf16(double x) {
    const uint16_t sign = std::signbit(x) ? 0x8000 : 0;
    const double magnitude = std::fabs(x);
    if (magnitude == 0) return sign;
    int exponent;
    std::frexp(magnitude, &exponent);  // magnitude in [2^(exponent-1), 2^exponent)
    const double ulp = std::ldexp(1.0, std::max(exponent - 1 - 7, -133));
    const double rounded = std::nearbyint(magnitude / ulp) * ulp;
    if (rounded >= std::ldexp(1.0, 128)) return sign | 0x7F80;
    return sign | static_cast<uint16_t>(std::bit_cast<uint32_t>(static_cast<float>(rounded)) >> 16);
}

// Float bit patterns over the whole range (a prime stride hits every exponent and many
// mantissas), without NaNs.
std::vector<float> floatSweep() {
    std::vector<float> values;
    for (uint64_t bits = 0; bits <= 0xFFFFFFFFull; bits += 997) {
        const float f = std::bit_cast<float>(static_cast<uint32_t>(bits));
        if (!std::isnan(f)) values.push_back(f);
    }
    return values;
}

// Kernel behaviour is checked on both kernel sets; the AVX2 one only where the CPU has it.
class KernelSetTest : public ::testing::TestWithParam<detail::KernelSet> {
  protected:
    void SetUp() override {
        if (GetParam() == detail::KernelSet::kAvx2 && !detail::avx2Usable())
            GTEST_SKIP() << "no AVX2/F16C on this CPU";
        set = GetParam();
    }
    detail::KernelSet set = detail::KernelSet::kPortable;
};

std::string kernelSetName(const ::testing::TestParamInfo<detail::KernelSet> &info) {
    return info.param == detail::KernelSet::kPortable ? "Portable" : "Avx2";
}

#define HCPU_KERNEL_SET_SUITE(suite)                                                        \
    class suite : public KernelSetTest {};                                                  \
    INSTANTIATE_TEST_SUITE_P(                                                               \
        , suite, ::testing::Values(detail::KernelSet::kPortable, detail::KernelSet::kAvx2), \
        kernelSetName)
HCPU_KERNEL_SET_SUITE(IntegerReduce);
HCPU_KERNEL_SET_SUITE(FloatReduce);
HCPU_KERNEL_SET_SUITE(Fp16Reduce);
HCPU_KERNEL_SET_SUITE(Bf16Reduce);
HCPU_KERNEL_SET_SUITE(ReduceContract);
#undef HCPU_KERNEL_SET_SUITE

// ---- table functions --------------------------------------------------------------------------

TEST(ReduceTables, DataTypeSizeFollowsVendorSizeTable) {
    const size_t expected[] = {1, 2, 4, 2, 4, 8, 8, 1, 2, 4, 8, 2, 16, 2, 1, 1, 1, 1};
    for (uint32_t t = 0; t < 18; ++t)
        EXPECT_EQ(dataTypeSize(static_cast<DataType>(t)), expected[t]) << t;
    EXPECT_EQ(dataTypeSize(static_cast<DataType>(18)), 0u);
    EXPECT_EQ(dataTypeSize(static_cast<DataType>(255)), 0u);
    EXPECT_EQ(dataTypeSize(static_cast<DataType>(0xFFFFFFFFu)), 0u);
}

TEST(ReduceTables, DataTypeNamesUseHcclTestSpelling) {
    const char *expected[] = {"int8",   "int16",   "int32",  "fp16",    "fp32",    "int64",
                              "uint64", "uint8",   "uint16", "uint32",  "fp64",    "bfp16",
                              "int128", "unknown", "hif8",   "fp8e4m3", "fp8e5m2", "fp8e8m0"};
    for (uint32_t t = 0; t < 18; ++t)
        EXPECT_STREQ(dataTypeName(static_cast<DataType>(t)), expected[t]);
    EXPECT_STREQ(dataTypeName(static_cast<DataType>(18)), "unknown");
    EXPECT_STREQ(dataTypeName(static_cast<DataType>(255)), "unknown");
}

TEST(ReduceTables, ReduceOpNamesUseHcclTestSpelling) {
    EXPECT_STREQ(reduceOpName(ReduceOp::kSum), "sum");
    EXPECT_STREQ(reduceOpName(ReduceOp::kProd), "prod");
    EXPECT_STREQ(reduceOpName(ReduceOp::kMax), "max");
    EXPECT_STREQ(reduceOpName(ReduceOp::kMin), "min");
    EXPECT_STREQ(reduceOpName(static_cast<ReduceOp>(4)), "unknown");
    EXPECT_STREQ(reduceOpName(static_cast<ReduceOp>(255)), "unknown");
}

TEST(ReduceTables, EveryOpIsSupportedForIntegerAndFloatTypes) {
    for (uint32_t t = 0; t <= 12; ++t)
        for (ReduceOp op : kOps)
            EXPECT_TRUE(reduceSupported(static_cast<DataType>(t), op)) << t;
}

TEST(ReduceTables, Hif8Fp8AndUnknownValuesAreNotSupported) {
    for (uint32_t t : {13u, 14u, 15u, 16u, 17u, 18u, 255u, 0xFFFFFFFFu})
        for (ReduceOp op : kOps)
            EXPECT_FALSE(reduceSupported(static_cast<DataType>(t), op)) << t;
    for (uint32_t op : {4u, 255u, 0xFFFFFFFFu})
        EXPECT_FALSE(reduceSupported(DataType::kFp32, static_cast<ReduceOp>(op))) << op;
}

// ---- conversions ------------------------------------------------------------------------------

TEST(HalfConversion, EveryPatternRoundTripsUnchanged) {
    for (uint32_t h = 0; h < 0x10000; ++h) {
        const float f = halfToFloat(static_cast<uint16_t>(h));
        EXPECT_EQ(std::isnan(f), isHalfNan(static_cast<uint16_t>(h))) << std::hex << h;
        EXPECT_EQ(floatToHalf(f), h) << std::hex << h;
    }
}

TEST(HalfConversion, HalfToFloatMatchesFloat16Widening) {
    for (uint32_t h = 0; h < 0x10000; ++h) {
        if (isHalfNan(static_cast<uint16_t>(h))) continue;
        const float expected = static_cast<float>(float16(static_cast<uint16_t>(h)));
        EXPECT_EQ(std::bit_cast<uint32_t>(halfToFloat(static_cast<uint16_t>(h))),
                  std::bit_cast<uint32_t>(expected))
            << std::hex << h;
    }
}

TEST(HalfConversion, FloatToHalfMatchesFloat16OnSweep) {
    size_t mismatches = 0;
    for (float f : floatSweep()) {
        const uint16_t expected = float16Bits(static_cast<_Float16>(f));
        if (floatToHalf(f) != expected && ++mismatches < 10)
            ADD_FAILURE() << "float " << std::hexfloat << f << " gives " << std::hex
                          << floatToHalf(f) << " expected " << expected;
    }
    EXPECT_EQ(mismatches, 0u);
}

TEST(HalfConversion, FloatToHalfRoundsHalfwayCasesToEven) {
    // Midpoints between neighbouring halves (exact in float) and the floats just around them;
    // this covers subnormals, the subnormal/normal boundary and the overflow to infinity.
    size_t mismatches = 0;
    for (uint32_t h = 0; h < 0x7C00; ++h) {
        const double low = halfToFloat(static_cast<uint16_t>(h));
        const double high = h == 0x7BFF ? 65536.0 : halfToFloat(static_cast<uint16_t>(h + 1));
        const float mid = static_cast<float>((low + high) / 2);
        ASSERT_EQ(static_cast<double>(mid), (low + high) / 2);
        for (float sign : {1.0f, -1.0f}) {
            for (float f : {mid, std::nextafter(mid, 0.0f), std::nextafter(mid, 1e30f)}) {
                const float x = sign * f;
                const uint16_t expected = float16Bits(static_cast<_Float16>(x));
                if (floatToHalf(x) != expected && ++mismatches < 10)
                    ADD_FAILURE() << std::hexfloat << x << " gives " << std::hex << floatToHalf(x)
                                  << " expected " << expected;
            }
        }
    }
    EXPECT_EQ(mismatches, 0u);
    EXPECT_EQ(floatToHalf(65504.0f), 0x7BFF);
    EXPECT_EQ(floatToHalf(65519.99f), 0x7BFF);
    EXPECT_EQ(floatToHalf(65520.0f), 0x7C00);
    EXPECT_EQ(floatToHalf(-1e30f), 0xFC00);
    EXPECT_EQ(floatToHalf(std::numeric_limits<float>::infinity()), 0x7C00);
    EXPECT_EQ(floatToHalf(0x1p-24f), 0x0001);
    EXPECT_EQ(floatToHalf(0x1p-25f), 0x0000);          // tie with zero: even
    EXPECT_EQ(floatToHalf(-0x1.000002p-25f), 0x8001);  // just above the tie
    EXPECT_EQ(floatToHalf(std::numeric_limits<float>::denorm_min()), 0x0000);
    EXPECT_EQ(floatToHalf(-0.0f), 0x8000);
}

TEST(HalfConversion, NanStaysNanWithItsSign) {
    for (uint32_t bits :
         {0x7FC00000u, 0xFFC00000u, 0x7F800001u, 0xFF800001u, 0x7FFFFFFFu, 0x7FA00000u}) {
        const uint16_t h = floatToHalf(std::bit_cast<float>(bits));
        EXPECT_TRUE(isHalfNan(h)) << std::hex << bits;
        EXPECT_EQ(h & 0x8000, (bits >> 16) & 0x8000) << std::hex << bits;
    }
}

TEST(Bf16Conversion, WideningIsExact) {
    for (uint32_t b = 0; b < 0x10000; ++b) {
        const uint32_t exponent = (b >> 7) & 0xFF, mantissa = b & 0x7F;
        const float f = bf16ToFloat(static_cast<uint16_t>(b));
        if (exponent == 0xFF) {
            EXPECT_EQ(std::isnan(f), mantissa != 0) << std::hex << b;
            continue;
        }
        const double magnitude = exponent == 0
                                     ? std::ldexp(mantissa, -133)
                                     : std::ldexp(128 + mantissa, static_cast<int>(exponent) - 134);
        EXPECT_EQ(static_cast<double>(f), (b & 0x8000) ? -magnitude : magnitude) << std::hex << b;
        EXPECT_EQ(std::signbit(f), (b & 0x8000) != 0) << std::hex << b;
    }
}

TEST(Bf16Conversion, EveryNonNanPatternRoundTripsUnchanged) {
    for (uint32_t b = 0; b < 0x10000; ++b) {
        if (isBf16Nan(static_cast<uint16_t>(b))) continue;
        EXPECT_EQ(floatToBf16(bf16ToFloat(static_cast<uint16_t>(b))), b) << std::hex << b;
    }
}

TEST(Bf16Conversion, FloatToBf16MatchesValueRoundingOnSweep) {
    size_t mismatches = 0;
    for (float f : floatSweep()) {
        const uint16_t expected = std::isinf(f)
                                      ? static_cast<uint16_t>(std::bit_cast<uint32_t>(f) >> 16)
                                      : referenceBf16(f);
        if (floatToBf16(f) != expected && ++mismatches < 10)
            ADD_FAILURE() << std::hexfloat << f << " gives " << std::hex << floatToBf16(f)
                          << " expected " << expected;
    }
    EXPECT_EQ(mismatches, 0u);
}

TEST(Bf16Conversion, FloatToBf16RoundsHalfwayCasesToEven) {
    size_t mismatches = 0;
    for (uint32_t b = 0; b < 0x7F80; ++b) {
        const double low = bf16ToFloat(static_cast<uint16_t>(b));
        const double high =
            b == 0x7F7F ? std::ldexp(1.0, 128) : bf16ToFloat(static_cast<uint16_t>(b + 1));
        const float mid = static_cast<float>((low + high) / 2);
        for (float sign : {1.0f, -1.0f}) {
            for (float f : {mid, std::nextafter(mid, 0.0f),
                            std::nextafter(mid, std::numeric_limits<float>::infinity())}) {
                const float x = sign * f;
                if (std::isinf(x)) continue;
                if (floatToBf16(x) != referenceBf16(x) && ++mismatches < 10)
                    ADD_FAILURE() << std::hexfloat << x << " gives " << std::hex << floatToBf16(x)
                                  << " expected " << referenceBf16(x);
            }
        }
    }
    EXPECT_EQ(mismatches, 0u);
    EXPECT_EQ(floatToBf16(1.0f + 0x1p-8f), 0x3F80);      // tie, even below
    EXPECT_EQ(floatToBf16(1.0f + 3 * 0x1p-8f), 0x3F82);  // tie, even above
    EXPECT_EQ(floatToBf16(std::numeric_limits<float>::max()), 0x7F80);
}

TEST(Bf16Conversion, NanStaysNanQuietedWithItsSign) {
    // 0x7F800001 has its payload only in the bits that are cut off: truncation would give inf.
    for (uint32_t bits : {0x7F800001u, 0xFF800001u, 0x7FC00000u, 0x7FA00000u, 0xFFFFFFFFu}) {
        const uint16_t b = floatToBf16(std::bit_cast<float>(bits));
        EXPECT_TRUE(isBf16Nan(b)) << std::hex << bits;
        EXPECT_TRUE(b & 0x40) << std::hex << bits;
        EXPECT_EQ(b & 0x8000, (bits >> 16) & 0x8000) << std::hex << bits;
    }
}

// ---- integer kernels --------------------------------------------------------------------------

// The exact result reduced into T's range modulo 2^bits: the two's complement wrap.
template <typename T>
T wrapExact(i128 exact) {
    constexpr int kBits = 8 * sizeof(T);
    const i128 modulus = static_cast<i128>(1) << kBits;
    i128 r = exact % modulus;
    if (r < 0) r += modulus;  // now in [0, 2^bits)
    if (std::numeric_limits<T>::is_signed && r > static_cast<i128>(std::numeric_limits<T>::max()))
        r -= modulus;
    return static_cast<T>(r);
}

template <typename T>
T expectedInteger(ReduceOp op, T a, T b) {
    switch (op) {
        case ReduceOp::kSum:
            return wrapExact<T>(static_cast<i128>(a) + static_cast<i128>(b));
        case ReduceOp::kProd:
            if constexpr (std::is_same_v<T, uint64_t>)  // exact product needs up to 128 bits
                return static_cast<T>((static_cast<u128>(a) * b) % (static_cast<u128>(1) << 64));
            else
                return wrapExact<T>(static_cast<i128>(a) * static_cast<i128>(b));
        case ReduceOp::kMax:
            return a < b ? b : a;
        case ReduceOp::kMin:
            return b < a ? b : a;
    }
    return 0;
}

template <typename T>
void checkIntegerType(detail::KernelSet set, DataType type) {
    SCOPED_TRACE(dataTypeName(type));
    using L = std::numeric_limits<T>;
    // Extremes paired with everything, then random values; 1000 elements cover the blocked loop
    // and its remainder for every element size.
    std::vector<T> specials = {0,
                               1,
                               2,
                               3,
                               L::max(),
                               L::min(),
                               static_cast<T>(L::max() - 1),
                               static_cast<T>(L::max() / 2 + 1)};
    if (L::is_signed)
        specials.insert(specials.end(),
                        {static_cast<T>(-1), static_cast<T>(-2), static_cast<T>(L::min() + 1)});
    std::vector<T> a, b;
    for (T x : specials)
        for (T y : specials)
            a.push_back(x), b.push_back(y);
    uint64_t seed = 42;
    while (a.size() < 1000)
        a.push_back(static_cast<T>(splitmix(seed))), b.push_back(static_cast<T>(splitmix(seed)));
    for (ReduceOp op : kOps) {
        const std::vector<T> got = runReduce(set, type, op, a, b);
        for (size_t i = 0; i < a.size(); ++i)
            ASSERT_EQ(got[i], expectedInteger(op, a[i], b[i]))
                << reduceOpName(op) << " of " << +a[i] << " and " << +b[i] << " at " << i;
    }
}

TEST_P(IntegerReduce, EveryOpMatchesExactArithmeticWrapped) {
    checkIntegerType<int8_t>(set, DataType::kInt8);
    checkIntegerType<int16_t>(set, DataType::kInt16);
    checkIntegerType<int32_t>(set, DataType::kInt32);
    checkIntegerType<int64_t>(set, DataType::kInt64);
    checkIntegerType<uint8_t>(set, DataType::kUint8);
    checkIntegerType<uint16_t>(set, DataType::kUint16);
    checkIntegerType<uint32_t>(set, DataType::kUint32);
    checkIntegerType<uint64_t>(set, DataType::kUint64);
}

TEST_P(IntegerReduce, SumAndProdWrapInTwosComplement) {
    EXPECT_EQ(runReduce<int8_t>(set, DataType::kInt8, ReduceOp::kSum, {127}, {1})[0], -128);
    EXPECT_EQ(runReduce<int8_t>(set, DataType::kInt8, ReduceOp::kProd, {-128}, {-1})[0], -128);
    EXPECT_EQ(runReduce<uint8_t>(set, DataType::kUint8, ReduceOp::kSum, {255}, {1})[0], 0);
    EXPECT_EQ(runReduce<int16_t>(set, DataType::kInt16, ReduceOp::kProd, {300}, {300})[0],
              24464);  // 90000 - 65536
    EXPECT_EQ(runReduce<uint16_t>(set, DataType::kUint16, ReduceOp::kProd, {65535}, {65535})[0], 1);
    EXPECT_EQ(runReduce<int32_t>(set, DataType::kInt32, ReduceOp::kSum, {INT32_MAX}, {1})[0],
              INT32_MIN);
    EXPECT_EQ(runReduce<uint32_t>(set, DataType::kUint32, ReduceOp::kProd, {0x10000}, {0x10000})[0],
              0u);
    EXPECT_EQ(runReduce<int64_t>(set, DataType::kInt64, ReduceOp::kProd, {INT64_MIN}, {-1})[0],
              INT64_MIN);
    EXPECT_EQ(
        runReduce<uint64_t>(set, DataType::kUint64, ReduceOp::kProd, {UINT64_MAX}, {UINT64_MAX})[0],
        1u);
}

TEST_P(IntegerReduce, Int128WrapsAndComparesSigned) {
    const i128 max = static_cast<i128>(~static_cast<u128>(0) >> 1);
    const i128 min = -max - 1;
    const i128 two64 = static_cast<i128>(1) << 64;
    const std::vector<i128> a = {max, min, min, two64, max, -1, -1, 123456789012345678, -7};
    const std::vector<i128> b = {1, min, -1, two64, max, -1, 0, 987654321, 6};
    const std::vector<i128> sum = runReduce(set, DataType::kInt128, ReduceOp::kSum, a, b);
    const std::vector<i128> prod = runReduce(set, DataType::kInt128, ReduceOp::kProd, a, b);
    const std::vector<i128> maxv = runReduce(set, DataType::kInt128, ReduceOp::kMax, a, b);
    const std::vector<i128> minv = runReduce(set, DataType::kInt128, ReduceOp::kMin, a, b);
    EXPECT_TRUE(sum[0] == min);  // max + 1
    EXPECT_TRUE(sum[1] == 0);    // min + min
    EXPECT_TRUE(sum[2] == max);  // min - 1
    EXPECT_TRUE(sum[3] == (static_cast<i128>(1) << 65));
    EXPECT_TRUE(sum[7] == static_cast<i128>(123456789012345678) + 987654321);
    EXPECT_TRUE(sum[8] == -1);
    EXPECT_TRUE(prod[2] == min);  // min * -1
    EXPECT_TRUE(prod[3] == 0);    // 2^64 * 2^64 = 2^128
    EXPECT_TRUE(prod[4] == 1);    // (2^127 - 1)^2 = 2^254 - 2^128 + 1
    EXPECT_TRUE(prod[5] == 1);
    EXPECT_TRUE(prod[7] == static_cast<i128>(123456789012345678) * 987654321);
    EXPECT_TRUE(prod[8] == -42);
    EXPECT_TRUE(maxv[1] == min && minv[1] == min);
    EXPECT_TRUE(maxv[6] == 0 && minv[6] == -1);  // a signed comparison
    EXPECT_TRUE(maxv[0] == max && minv[0] == 1);
    EXPECT_TRUE(maxv[8] == 6 && minv[8] == -7);
}

TEST_P(IntegerReduce, MisalignedBuffersAreReducedCorrectly) {
    // Kernels must not assume element alignment (int128 in particular).
    constexpr size_t kCount = 300;
    std::vector<unsigned char> bufA(kCount * 16 + 16), bufB(kCount * 16 + 16),
        bufD(kCount * 16 + 16);
    std::vector<i128> a(kCount), b(kCount);
    for (size_t i = 0; i < kCount; ++i)
        a[i] = static_cast<i128>(i) << 70, b[i] = static_cast<i128>(i) + 5;
    std::memcpy(bufA.data() + 8, a.data(), kCount * 16);
    std::memcpy(bufB.data() + 3, b.data(), kCount * 16);
    detail::reduceWith(set, bufD.data() + 1, bufA.data() + 8, bufB.data() + 3, kCount,
                       DataType::kInt128, ReduceOp::kSum);
    for (size_t i = 0; i < kCount; ++i) {
        i128 r;
        std::memcpy(&r, bufD.data() + 1 + i * 16, 16);
        ASSERT_TRUE(r == a[i] + b[i]) << i;
    }
    std::vector<float> fa(kCount), fb(kCount);
    for (size_t i = 0; i < kCount; ++i)
        fa[i] = static_cast<float>(i), fb[i] = 0.5f;
    std::memcpy(bufA.data() + 1, fa.data(), kCount * 4);
    std::memcpy(bufB.data() + 2, fb.data(), kCount * 4);
    detail::reduceWith(set, bufD.data() + 3, bufA.data() + 1, bufB.data() + 2, kCount,
                       DataType::kFp32, ReduceOp::kSum);
    for (size_t i = 0; i < kCount; ++i) {
        float r;
        std::memcpy(&r, bufD.data() + 3 + i * 4, 4);
        ASSERT_EQ(r, static_cast<float>(i) + 0.5f) << i;
    }
}

// ---- float kernels ----------------------------------------------------------------------------

template <typename F>
void checkFloatType(detail::KernelSet set, DataType type) {
    SCOPED_TRACE(dataTypeName(type));
    // Closed forms: a[i] = i/4 - 100, b[i] = 3 - i/2, all exact in both formats.
    constexpr size_t kCount = 1000;
    std::vector<F> a(kCount), b(kCount);
    for (size_t i = 0; i < kCount; ++i) {
        a[i] = static_cast<F>(i) / 4 - 100;
        b[i] = 3 - static_cast<F>(i) / 2;
    }
    const auto sum = runReduce(set, type, ReduceOp::kSum, a, b);
    const auto prod = runReduce(set, type, ReduceOp::kProd, a, b);
    const auto max = runReduce(set, type, ReduceOp::kMax, a, b);
    const auto min = runReduce(set, type, ReduceOp::kMin, a, b);
    for (size_t i = 0; i < kCount; ++i) {
        const double x = static_cast<double>(i);
        ASSERT_EQ(sum[i], static_cast<F>(-97 - x / 4)) << i;
        ASSERT_EQ(prod[i], static_cast<F>((x / 4 - 100) * (3 - x / 2))) << i;
        // a > b from i = 138 on (i/4 - 100 = 3 - i/2 at i = 137.33).
        ASSERT_EQ(max[i], i >= 138 ? a[i] : b[i]) << i;
        ASSERT_EQ(min[i], i >= 138 ? b[i] : a[i]) << i;
    }
}

TEST_P(FloatReduce, EveryOpMatchesClosedForm) {
    checkFloatType<float>(set, DataType::kFp32);
    checkFloatType<double>(set, DataType::kFp64);
}

template <typename F>
void checkNanAndZeroRules(detail::KernelSet set, DataType type) {
    SCOPED_TRACE(dataTypeName(type));
    const F nan = std::numeric_limits<F>::quiet_NaN(), inf = std::numeric_limits<F>::infinity();
    const std::vector<F> a = {nan, 1, nan, -inf, inf, -0.0, 0.0, -0.0, 0.0};
    const std::vector<F> b = {1, nan, nan, nan, -inf, 0.0, -0.0, -0.0, 0.0};
    const auto max = runReduce(set, type, ReduceOp::kMax, a, b);
    const auto min = runReduce(set, type, ReduceOp::kMin, a, b);
    const auto sum = runReduce(set, type, ReduceOp::kSum, a, b);
    for (size_t i = 0; i < 4; ++i) {
        EXPECT_TRUE(std::isnan(max[i])) << i;
        EXPECT_TRUE(std::isnan(min[i])) << i;
        EXPECT_TRUE(std::isnan(sum[i])) << i;
    }
    EXPECT_EQ(max[4], inf);
    EXPECT_EQ(min[4], -inf);
    EXPECT_TRUE(std::isnan(sum[4]));  // inf + -inf
    // max(-0, +0) = +0 and min = -0, whatever the order.
    EXPECT_FALSE(std::signbit(max[5]));
    EXPECT_FALSE(std::signbit(max[6]));
    EXPECT_TRUE(std::signbit(min[5]));
    EXPECT_TRUE(std::signbit(min[6]));
    EXPECT_TRUE(std::signbit(max[7]) && std::signbit(min[7]));
    EXPECT_FALSE(std::signbit(max[8]) || std::signbit(min[8]));
}

TEST_P(FloatReduce, MaxMinPropagateNanAndOrderSignedZeros) {
    checkNanAndZeroRules<float>(set, DataType::kFp32);
    checkNanAndZeroRules<double>(set, DataType::kFp64);
}

TEST_P(FloatReduce, SignallingNanComesOutQuiet) {
    const float snan = std::bit_cast<float>(0x7F800001u);
    const auto max =
        runReduce<float>(set, DataType::kFp32, ReduceOp::kMax, {snan, 1.0f}, {1.0f, snan});
    EXPECT_EQ(std::bit_cast<uint32_t>(max[0]), 0x7FC00001u);
    EXPECT_EQ(std::bit_cast<uint32_t>(max[1]), 0x7FC00001u);
}

// ---- fp16 and bf16 kernels --------------------------------------------------------------------

// Interesting halves: zeros, subnormals, the normal boundary, ordinary values, max, inf, NaNs.
const std::vector<uint16_t> kHalfSpecials = {
    0x0000, 0x8000, 0x0001, 0x8001, 0x0002, 0x01FF, 0x0200, 0x03FF, 0x83FF, 0x0400,
    0x0401, 0x3C00, 0xBC00, 0x3C01, 0x3555, 0x4000, 0x5BFF, 0x7BFF, 0xFBFF, 0x7800,
    0x7C00, 0xFC00, 0x7E00, 0xFE00, 0x7C01, 0x7D23, 0xFF80, 0x1400, 0x9400, 0x0C00};

std::vector<uint16_t> randomHalves(size_t count, uint64_t seed) {
    std::vector<uint16_t> values(count);
    for (auto &v : values)
        v = static_cast<uint16_t>(splitmix(seed));
    return values;
}

TEST_P(Fp16Reduce, NonNanResultsMatchFloat16Arithmetic) {
    // GCC computes _Float16 a op b in float and rounds once: the correctly rounded result.
    std::vector<uint16_t> a = randomHalves(20000, 7), b = randomHalves(20000, 8);
    for (uint16_t x : kHalfSpecials)
        for (uint16_t y : kHalfSpecials)
            a.push_back(x), b.push_back(y);
    for (ReduceOp op : kOps) {
        const auto got = runReduce(set, DataType::kFp16, op, a, b);
        for (size_t i = 0; i < a.size(); ++i) {
            const _Float16 x = float16(a[i]), y = float16(b[i]);
            if (isHalfNan(a[i]) || isHalfNan(b[i])) {
                ASSERT_TRUE(isHalfNan(got[i])) << i;
                continue;
            }
            _Float16 expected = 0;
            switch (op) {
                case ReduceOp::kSum:
                    expected = x + y;
                    break;
                case ReduceOp::kProd:
                    expected = x * y;
                    break;
                case ReduceOp::kMax:
                    expected = x > y ? x : (y > x ? y : float16(a[i] & b[i]));
                    break;
                case ReduceOp::kMin:
                    expected = x < y ? x : (y < x ? y : float16(a[i] | b[i]));
                    break;
            }
            if (isHalfNan(float16Bits(expected)))
                ASSERT_TRUE(isHalfNan(got[i])) << i;
            else
                ASSERT_EQ(got[i], float16Bits(expected))
                    << reduceOpName(op) << " " << std::hex << a[i] << " " << b[i];
        }
    }
}

TEST_P(Fp16Reduce, SumOfSubnormalsIsExact) {
    const auto sum = runReduce<uint16_t>(set, DataType::kFp16, ReduceOp::kSum,
                                         {0x0001, 0x0200, 0x03FF, 0x8001, 0x0001},
                                         {0x0001, 0x0200, 0x0001, 0x8002, 0x8001});
    EXPECT_EQ(sum, (std::vector<uint16_t>{0x0002, 0x0400, 0x0400, 0x8003, 0x0000}));
    // 2^-24 * 0.5 is a tie between 0 and 2^-24: even gives 0; 3 * 2^-24 * 0.5 gives 2 * 2^-24.
    const auto prod = runReduce<uint16_t>(set, DataType::kFp16, ReduceOp::kProd, {0x0001, 0x0003},
                                          {0x3800, 0x3800});
    EXPECT_EQ(prod, (std::vector<uint16_t>{0x0000, 0x0002}));
}

TEST_P(Fp16Reduce, MaxMinPropagateNanAndOrderSignedZeros) {
    const std::vector<uint16_t> a = {0x7E00, 0x3C00, 0xFE01, 0x8000, 0x0000, 0x7C01};
    const std::vector<uint16_t> b = {0x3C00, 0x7E00, 0x7E02, 0x0000, 0x8000, 0x3C00};
    const auto max = runReduce(set, DataType::kFp16, ReduceOp::kMax, a, b);
    const auto min = runReduce(set, DataType::kFp16, ReduceOp::kMin, a, b);
    for (size_t i = 0; i < 3; ++i)
        EXPECT_TRUE(isHalfNan(max[i]) && isHalfNan(min[i])) << i;
    EXPECT_EQ(max[2], 0xFE01);  // the first NaN wins
    EXPECT_EQ(max[3], 0x0000);
    EXPECT_EQ(max[4], 0x0000);
    EXPECT_EQ(min[3], 0x8000);
    EXPECT_EQ(min[4], 0x8000);
    EXPECT_EQ(max[5], 0x7E01);  // a signalling NaN comes out quiet
}

TEST_P(Bf16Reduce, EveryOpMatchesRoundingInDouble) {
    // Exponents within +-30: products are exact in double, and a sum is either exact or its
    // smaller operand lies far below half a bf16 ulp, so rounding the double is the bf16 answer.
    std::vector<uint16_t> a, b;
    uint64_t seed = 3;
    auto randomBf16 = [&seed] {
        const uint64_t r = splitmix(seed);
        return static_cast<uint16_t>((r & 0x807F) | (((r >> 8) % 61 + 97) << 7));
    };
    for (int i = 0; i < 20000; ++i)
        a.push_back(randomBf16()), b.push_back(randomBf16());
    for (ReduceOp op : kOps) {
        const auto got = runReduce(set, DataType::kBf16, op, a, b);
        for (size_t i = 0; i < a.size(); ++i) {
            const double x = bf16ToFloat(a[i]), y = bf16ToFloat(b[i]);
            double exact = 0;
            switch (op) {
                case ReduceOp::kSum:
                    exact = x + y;
                    break;
                case ReduceOp::kProd:
                    exact = x * y;
                    break;
                case ReduceOp::kMax:
                    exact = std::max(x, y);
                    break;
                case ReduceOp::kMin:
                    exact = std::min(x, y);
                    break;
            }
            ASSERT_EQ(got[i], referenceBf16(exact))
                << reduceOpName(op) << " " << std::hex << a[i] << " " << b[i];
        }
    }
}

TEST_P(Bf16Reduce, SubnormalsAreExactAndNanPropagates) {
    const auto sum =
        runReduce<uint16_t>(set, DataType::kBf16, ReduceOp::kSum, {0x0001, 0x007F, 0x7FC0, 0x7F80},
                            {0x0001, 0x0001, 0x3F80, 0xFF80});
    EXPECT_EQ(sum[0], 0x0002);
    EXPECT_EQ(sum[1], 0x0080);
    EXPECT_TRUE(isBf16Nan(sum[2]));
    EXPECT_TRUE(isBf16Nan(sum[3]));  // inf + -inf
    const auto max = runReduce<uint16_t>(set, DataType::kBf16, ReduceOp::kMax,
                                         {0x3F80, 0x8000, 0x7F81}, {0x7FC0, 0x0000, 0x0000});
    EXPECT_TRUE(isBf16Nan(max[0]));
    EXPECT_EQ(max[1], 0x0000);
    EXPECT_EQ(max[2], 0x7FC1);  // quieted
    const auto min = runReduce<uint16_t>(set, DataType::kBf16, ReduceOp::kMin, {0x0000, 0xFFC0},
                                         {0x8000, 0x3F80});
    EXPECT_EQ(min[0], 0x8000);
    EXPECT_TRUE(isBf16Nan(min[1]));
}

#if defined(__x86_64__) || defined(__i386__)
TEST_P(FloatReduce, CallerFlushToZeroModeDoesNotFlushAndIsRestored) {
    const unsigned saved = _mm_getcsr();
    const unsigned flushing = (saved | 0x8040u) & ~0x3Fu;  // FTZ | DAZ, flags clear
    _mm_setcsr(flushing);
    const auto bf16 = runReduce<uint16_t>(set, DataType::kBf16, ReduceOp::kSum, {0x0001}, {0x0001});
    const auto fp32 =
        runReduce<float>(set, DataType::kFp32, ReduceOp::kSum, {0x1p-149f}, {0x1p-149f});
    const auto fp16 = runReduce<uint16_t>(set, DataType::kFp16, ReduceOp::kSum, {0x0001}, {0x0001});
    const unsigned after = _mm_getcsr();
    _mm_setcsr(saved);
    EXPECT_EQ(bf16[0], 0x0002);
    EXPECT_EQ(std::bit_cast<uint32_t>(fp32[0]), 2u);
    EXPECT_EQ(fp16[0], 0x0002);
    EXPECT_EQ(after & ~0x3Fu, flushing);
}
#endif

// ---- call contract ------------------------------------------------------------------------------

TEST_P(ReduceContract, DstMayAliasEitherInput) {
    constexpr size_t kCount = 1001;
    for (DataType type : {DataType::kInt8, DataType::kInt32, DataType::kFp16, DataType::kFp32,
                          DataType::kFp64, DataType::kBf16, DataType::kInt128}) {
        SCOPED_TRACE(dataTypeName(type));
        const size_t size = dataTypeSize(type);
        std::vector<unsigned char> a(kCount * size), b(kCount * size);
        uint64_t seed = 11;
        for (auto &v : a)
            v = static_cast<unsigned char>(splitmix(seed) & 0x3F);
        for (auto &v : b)
            v = static_cast<unsigned char>(splitmix(seed) & 0x3F);
        for (ReduceOp op : kOps) {
            std::vector<unsigned char> expected(a.size());
            detail::reduceWith(set, expected.data(), a.data(), b.data(), kCount, type, op);
            auto inA = a;
            detail::reduceWith(set, inA.data(), inA.data(), b.data(), kCount, type, op);
            EXPECT_EQ(inA, expected) << reduceOpName(op);
            auto inB = b;
            detail::reduceWith(set, inB.data(), a.data(), inB.data(), kCount, type, op);
            EXPECT_EQ(inB, expected) << reduceOpName(op);
        }
    }
}

template <typename T>
void checkEveryCount(detail::KernelSet set, DataType type, T one, T two, T three) {
    SCOPED_TRACE(dataTypeName(type));
    // Past the largest inner block (256 int8 elements) and every remainder length.
    for (size_t count = 0; count <= 300; ++count) {
        std::vector<T> a(count + 1, one), b(count + 1, two), d(count + 1, one);
        detail::reduceWith(set, d.data(), a.data(), b.data(), count, type, ReduceOp::kSum);
        for (size_t i = 0; i < count; ++i)
            ASSERT_TRUE(d[i] == three) << "count " << count << " element " << i;
        ASSERT_TRUE(d[count] == one) << "count " << count << ": wrote past the end";
    }
}

TEST_P(ReduceContract, EveryCountIsReducedWithoutOverrun) {
    checkEveryCount<int8_t>(set, DataType::kInt8, 1, 2, 3);
    checkEveryCount<uint16_t>(set, DataType::kFp16, 0x3C00, 0x4000, 0x4200);
    checkEveryCount<uint16_t>(set, DataType::kBf16, 0x3F80, 0x4000, 0x4040);
    checkEveryCount<float>(set, DataType::kFp32, 1.0f, 2.0f, 3.0f);
    checkEveryCount<i128>(set, DataType::kInt128, 1, 2, 3);
}

TEST_P(ReduceContract, CountZeroTouchesNothing) {
    std::vector<uint32_t> a = {1}, b = {2}, d = {0xDEADBEEF};
    for (uint32_t t = 0; t <= 12; ++t)
        for (ReduceOp op : kOps)
            detail::reduceWith(set, d.data(), a.data(), b.data(), 0, static_cast<DataType>(t), op);
    EXPECT_EQ(d[0], 0xDEADBEEFu);
    detail::reduceWith(set, nullptr, nullptr, nullptr, 0, DataType::kFp32,
                       ReduceOp::kSum);  // must not crash
}

TEST_P(ReduceContract, UnsupportedPairLeavesDstUntouched) {
    std::vector<uint8_t> a(16, 1), b(16, 2), d(16, 0xEE);
    detail::reduceWith(set, d.data(), a.data(), b.data(), 16, DataType::kFp8E4M3, ReduceOp::kSum);
    detail::reduceWith(set, d.data(), a.data(), b.data(), 16, DataType::kHif8, ReduceOp::kMax);
    detail::reduceWith(set, d.data(), a.data(), b.data(), 16, static_cast<DataType>(200),
                       ReduceOp::kSum);
    detail::reduceWith(set, d.data(), a.data(), b.data(), 16, DataType::kInt8,
                       static_cast<ReduceOp>(9));
    EXPECT_EQ(d, std::vector<uint8_t>(16, 0xEE));
}

TEST_P(ReduceContract, NullBufferWithElementsIsRejected) {
    std::vector<float> a(4, 1.0f), d(4, 7.0f);
    detail::reduceWith(set, d.data(), a.data(), nullptr, 4, DataType::kFp32, ReduceOp::kSum);
    detail::reduceWith(set, nullptr, a.data(), a.data(), 4, DataType::kFp32, ReduceOp::kSum);
    EXPECT_EQ(d, std::vector<float>(4, 7.0f));
}

// ---- the two kernel sets agree ------------------------------------------------------------------

// fp32/fp64 SUM and PROD leave NaN propagation to the hardware, and which of two NaN inputs an
// instruction returns depends on the operand order the compiler picked: only NaN-ness is compared.
bool sameElement(DataType type, ReduceOp op, const unsigned char *x, const unsigned char *y) {
    const size_t size = dataTypeSize(type);
    if (std::memcmp(x, y, size) == 0) return true;
    if (op != ReduceOp::kSum && op != ReduceOp::kProd) return false;
    if (type == DataType::kFp32) {
        float f, g;
        std::memcpy(&f, x, 4), std::memcpy(&g, y, 4);
        return std::isnan(f) && std::isnan(g);
    }
    if (type == DataType::kFp64) {
        double f, g;
        std::memcpy(&f, x, 8), std::memcpy(&g, y, 8);
        return std::isnan(f) && std::isnan(g);
    }
    return false;
}

TEST(KernelSets, Avx2SetIsBitIdenticalToPortableSetOnRandomData) {
    if (!detail::avx2Usable()) GTEST_SKIP() << "no AVX2/F16C on this CPU";
    constexpr size_t kCount = 100003;
    uint64_t seed = 5;
    for (uint32_t t = 0; t <= 12; ++t) {
        const auto type = static_cast<DataType>(t);
        SCOPED_TRACE(dataTypeName(type));
        const size_t size = dataTypeSize(type);
        std::vector<unsigned char> a(kCount * size), b(kCount * size);
        for (auto &v : a)
            v = static_cast<unsigned char>(splitmix(seed));
        for (auto &v : b)
            v = static_cast<unsigned char>(splitmix(seed));
        for (ReduceOp op : kOps) {
            std::vector<unsigned char> portable(a.size()), avx2(a.size());
            detail::reduceWith(detail::KernelSet::kPortable, portable.data(), a.data(), b.data(),
                               kCount, type, op);
            detail::reduceWith(detail::KernelSet::kAvx2, avx2.data(), a.data(), b.data(), kCount,
                               type, op);
            size_t mismatches = 0;
            for (size_t i = 0; i < kCount; ++i)
                if (!sameElement(type, op, &portable[i * size], &avx2[i * size]) &&
                    ++mismatches < 5)
                    ADD_FAILURE() << reduceOpName(op) << " differs at element " << i;
            EXPECT_EQ(mismatches, 0u) << reduceOpName(op);
        }
    }
}

TEST(KernelSets, F16cAndScalarFp16AgreeOnSpecialValues) {
    if (!detail::avx2Usable()) GTEST_SKIP() << "no AVX2/F16C on this CPU";
    std::vector<uint16_t> a, b;
    for (uint16_t x : kHalfSpecials)
        for (uint16_t y : kHalfSpecials)
            a.push_back(x), b.push_back(y);
    for (ReduceOp op : kOps) {
        const auto scalar = runReduce(detail::KernelSet::kPortable, DataType::kFp16, op, a, b);
        const auto f16c = runReduce(detail::KernelSet::kAvx2, DataType::kFp16, op, a, b);
        for (size_t i = 0; i < a.size(); ++i)
            EXPECT_EQ(scalar[i], f16c[i])
                << reduceOpName(op) << " " << std::hex << a[i] << " " << b[i];
    }
}

TEST(ReduceEntry, ReduceRunsAKernelSet) {
    const std::vector<uint16_t> a = randomHalves(1000, 3), b = randomHalves(1000, 4);
    std::vector<uint16_t> viaReduce(a.size());
    reduce(viaReduce.data(), a.data(), b.data(), a.size(), DataType::kFp16, ReduceOp::kSum);
    EXPECT_EQ(viaReduce,
              runReduce(detail::KernelSet::kPortable, DataType::kFp16, ReduceOp::kSum, a, b));
}

}  // namespace
}  // namespace hcclcpu::rt
