// Element-wise reduction kernels.
//
// reduce() looks the (type, op) pair up once in a table of typed kernels. Each kernel is one plain
// loop that the compiler vectorises, built twice on x86 (baseline SSE2 and an AVX2 copy picked at
// run time); the AVX2 set has hand-written fp16 (F16C) and bf16 kernels. Per element rules:
// - integers: SUM and PROD wrap in two's complement, computed in an unsigned type so there is no
//   signed overflow; MAX/MIN compare signed or unsigned as the type says (INT128 is signed).
// - floats: SUM/PROD are the IEEE operations. MAX/MIN return the first NaN input (a before b),
//   quieted; for equal inputs they follow IEEE 754-2019 maximum/minimum, so max(-0, +0) = +0 and
//   min(-0, +0) = -0 whatever the order, which keeps collectives independent of rank order.
// - fp16/bf16: widen to float (exact), operate, round back to nearest-even; no flush to zero.
//   A NaN result is the quieted first NaN input for every op, or the CPU's default NaN when the
//   operation creates one (inf - inf), so the portable and AVX2 kernels agree bit for bit.
#include "runtime/reduce.h"

#include <array>
#include <bit>
#include <cstring>

#include "common/log.h"
#include "runtime/reduce_internal.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define HCPU_REDUCE_X86 1
#endif

namespace hcclcpu::rt {
namespace {

// Values of the HcclDataType / HcclReduceOp enums that have an entry in our tables.
constexpr size_t kTypeCount = 18;
constexpr size_t kOpCount = 4;

// SIZE_TABLE of the vendor's dtype_common.h; value 13 is unused but the table holds 2.
constexpr std::array<size_t, kTypeCount> kTypeSizes = {1, 2, 4, 2,  4, 8, 8, 1, 2,
                                                       4, 8, 2, 16, 2, 1, 1, 1, 1};
// hccl_test's -d spelling for 0..11, then the newer types.
constexpr std::array<const char *, kTypeCount> kTypeNames = {
    "int8",   "int16", "int32", "fp16",   "fp32",    "int64", "uint64",  "uint8",   "uint16",
    "uint32", "fp64",  "bfp16", "int128", "unknown", "hif8",  "fp8e4m3", "fp8e5m2", "fp8e8m0"};
constexpr std::array<const char *, kOpCount> kOpNames = {"sum", "prod", "max", "min"};

// ---- element access ---------------------------------------------------------------------------
// memcpy loads and stores: no alignment assumption (a misaligned buffer must not fault, and
// __int128 would otherwise get 16-byte aligned moves); they compile to plain moves.
template <typename T>
inline T loadAt(const void *base, size_t i) {
    T value;
    std::memcpy(&value, static_cast<const char *>(base) + i * sizeof(T), sizeof(T));
    return value;
}
template <typename T>
inline void storeAt(void *base, size_t i, T value) {
    std::memcpy(static_cast<char *>(base) + i * sizeof(T), &value, sizeof(T));
}

using KernelFn = void (*)(void *dst, const void *a, const void *b, size_t count);

// The one loop every portable kernel uses. Element i reads a[i] and b[i] before it writes dst[i],
// so dst may alias a or b exactly and there is no dependence between iterations (ivdep spares the
// compiler a run-time overlap check). The fixed-size inner loop needs no remainder handling, which
// lets even -O2's cheap vectoriser take it; the last partial block runs element by element.
template <typename T, typename Op>
__attribute__((always_inline)) inline void elementwiseLoop(void *dst, const void *a, const void *b,
                                                           size_t count) {
    constexpr size_t kBlock = 256 / sizeof(T);
    size_t i = 0;
    for (; i + kBlock <= count; i += kBlock) {
#pragma GCC ivdep
        for (size_t j = i; j < i + kBlock; ++j)
            storeAt<T>(dst, j, Op::apply(loadAt<T>(a, j), loadAt<T>(b, j)));
    }
    for (; i < count; ++i)
        storeAt<T>(dst, i, Op::apply(loadAt<T>(a, i), loadAt<T>(b, i)));
}

template <typename T, typename Op>
void elementwise(void *dst, const void *a, const void *b, size_t count) {
    elementwiseLoop<T, Op>(dst, a, b, count);
}

#ifdef HCPU_REDUCE_X86
// Code for the kAvx2 set; detail::avx2Usable() checks both features before it runs.
#define HCPU_AVX2_TARGET __attribute__((target("avx2,f16c")))

// The same loop compiled for AVX2: twice the vector width, and the 64-bit compares and blends
// that SSE2 lacks (int64 max/min and fp64 max/min vectorise only here).
template <typename T, typename Op>
HCPU_AVX2_TARGET void elementwiseAvx2(void *dst, const void *a, const void *b, size_t count) {
    elementwiseLoop<T, Op>(dst, a, b, count);
}
#endif

// ---- integers ---------------------------------------------------------------------------------
// Unsigned type wide enough that SUM/PROD never promote to a signed int (uint16*uint16 would).
template <typename T>
struct WrapType {
    using type = uint32_t;
};
template <>
struct WrapType<int64_t> {
    using type = uint64_t;
};
template <>
struct WrapType<uint64_t> {
    using type = uint64_t;
};
template <>
struct WrapType<__int128> {
    using type = unsigned __int128;
};

template <typename T, ReduceOp kOp>
struct IntOp {
    using U = typename WrapType<T>::type;
    static T apply(T a, T b) {
        // Converting the wrapped unsigned result back to T is modular (C++20).
        if constexpr (kOp == ReduceOp::kSum)
            return static_cast<T>(static_cast<U>(a) + static_cast<U>(b));
        if constexpr (kOp == ReduceOp::kProd)
            return static_cast<T>(static_cast<U>(a) * static_cast<U>(b));
        if constexpr (kOp == ReduceOp::kMax) return a > b ? a : b;
        if constexpr (kOp == ReduceOp::kMin) return a < b ? a : b;
    }
};

// ---- floats -----------------------------------------------------------------------------------
template <typename F>
struct FloatBits;
template <>
struct FloatBits<float> {
    using type = uint32_t;
    static constexpr uint32_t kQuiet = 0x00400000u;
};
template <>
struct FloatBits<double> {
    using type = uint64_t;
    static constexpr uint64_t kQuiet = 0x0008000000000000ull;
};

// The NaN rule: the first NaN input, quieted; otherwise the computed result. Written without
// branches on purpose: given a branch, the compiler sinks the arithmetic into it and, since a
// float operation may trap, will not vectorise the loop any more.
template <typename F>
inline F propagateNan(F a, F b, F result) {
    using B = FloatBits<F>;
    using U = typename B::type;
    const bool aIsNan = a != a;
    const U nan = (aIsNan ? std::bit_cast<U>(a) : std::bit_cast<U>(b)) | B::kQuiet;
    const U useNan = U{0} - static_cast<U>(aIsNan || b != b);
    return std::bit_cast<F>((std::bit_cast<U>(result) & ~useNan) | (nan & useNan));
}

template <typename F>
inline F bitAnd(F a, F b) {
    using B = typename FloatBits<F>::type;
    return std::bit_cast<F>(std::bit_cast<B>(a) & std::bit_cast<B>(b));
}
template <typename F>
inline F bitOr(F a, F b) {
    using B = typename FloatBits<F>::type;
    return std::bit_cast<F>(std::bit_cast<B>(a) | std::bit_cast<B>(b));
}

// Equal non-NaN inputs differ at most in the sign of zero: AND of the bits gives +0 for a mixed
// pair (max), OR gives -0 (min), and the value itself otherwise.
template <typename F>
inline F maxOf(F a, F b) {
    return propagateNan(a, b, a > b ? a : (b > a ? b : bitAnd(a, b)));
}
template <typename F>
inline F minOf(F a, F b) {
    return propagateNan(a, b, a < b ? a : (b < a ? b : bitOr(a, b)));
}

template <typename F, ReduceOp kOp>
struct FloatOp {
    static F apply(F a, F b) {
        if constexpr (kOp == ReduceOp::kSum) return a + b;
        if constexpr (kOp == ReduceOp::kProd) return a * b;
        if constexpr (kOp == ReduceOp::kMax) return maxOf(a, b);
        if constexpr (kOp == ReduceOp::kMin) return minOf(a, b);
    }
};

// ---- fp16 / bf16 ------------------------------------------------------------------------------
struct Fp16Codec {
    static float toFloat(uint16_t h) { return halfToFloat(h); }
    static uint16_t fromFloat(float f) { return floatToHalf(f); }
};
struct Bf16Codec {
    static float toFloat(uint16_t b) { return bf16ToFloat(b); }
    static uint16_t fromFloat(float f) { return floatToBf16(f); }
};

// Widening is exact and float has more than 2p+2 significand bits, so one float operation
// followed by one rounding is the correctly rounded half-precision result. The NaN rule is
// applied to every op (not left to the hardware) so the result does not depend on which operand
// order the compiler picks for a commutative instruction.
template <typename Codec, ReduceOp kOp>
struct NarrowOp {
    static uint16_t apply(uint16_t a, uint16_t b) {
        const float x = Codec::toFloat(a);
        const float y = Codec::toFloat(b);
        return Codec::fromFloat(propagateNan(x, y, FloatOp<float, kOp>::apply(x, y)));
    }
};

// Vector twins of the codecs (x86 only).
struct Fp16Lanes;
struct Bf16Lanes;

#ifdef HCPU_REDUCE_X86
// Eight lanes of the same arithmetic as NarrowOp, between the conversions.
template <ReduceOp kOp>
HCPU_AVX2_TARGET inline __m256 combine8(__m256 x, __m256 y) {
    __m256 r;
    if constexpr (kOp == ReduceOp::kSum) r = _mm256_add_ps(x, y);
    if constexpr (kOp == ReduceOp::kProd) r = _mm256_mul_ps(x, y);
    if constexpr (kOp == ReduceOp::kMax || kOp == ReduceOp::kMin) {
        const __m256 xGreater = _mm256_cmp_ps(x, y, _CMP_GT_OQ);
        const __m256 yGreater = _mm256_cmp_ps(y, x, _CMP_GT_OQ);
        if constexpr (kOp == ReduceOp::kMax) {
            r = _mm256_blendv_ps(_mm256_and_ps(x, y), x, xGreater);
            r = _mm256_blendv_ps(r, y, yGreater);
        } else {
            r = _mm256_blendv_ps(_mm256_or_ps(x, y), y, xGreater);
            r = _mm256_blendv_ps(r, x, yGreater);
        }
    }
    // NaN inputs are rare: test all eight lanes at once and skip the NaN rule when there are none.
    if (_mm256_movemask_ps(_mm256_cmp_ps(x, y, _CMP_UNORD_Q)) == 0) return r;
    const __m256 quiet = _mm256_castsi256_ps(_mm256_set1_epi32(0x00400000));
    r = _mm256_blendv_ps(r, _mm256_or_ps(y, quiet), _mm256_cmp_ps(y, y, _CMP_UNORD_Q));
    r = _mm256_blendv_ps(r, _mm256_or_ps(x, quiet), _mm256_cmp_ps(x, x, _CMP_UNORD_Q));
    return r;
}

// Conversions of eight 16-bit values, the vector twins of Fp16Codec and Bf16Codec.
struct Fp16Lanes {
    HCPU_AVX2_TARGET static __m256 widen(__m128i h) { return _mm256_cvtph_ps(h); }
    // The rounding is in the immediate, so MXCSR's rounding mode does not matter.
    HCPU_AVX2_TARGET static __m128i narrow(__m256 f) {
        return _mm256_cvtps_ph(f, _MM_FROUND_TO_NEAREST_INT);
    }
};
struct Bf16Lanes {
    HCPU_AVX2_TARGET static __m256 widen(__m128i b) {
        return _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_cvtepu16_epi32(b), 16));
    }
    // floatToBf16 on each lane: round to nearest even on the bits. NaNs need no special case
    // here: every NaN that reaches this point is quiet (combine8 quiets NaN inputs, and a NaN
    // the operation creates is the quiet default NaN) and has zero low 16 bits (widened from
    // bf16, or the default NaN), so the rounding leaves it unchanged.
    HCPU_AVX2_TARGET static __m128i narrow(__m256 f) {
        const __m256i bits = _mm256_castps_si256(f);
        const __m256i lsb = _mm256_and_si256(_mm256_srli_epi32(bits, 16), _mm256_set1_epi32(1));
        const __m256i bias = _mm256_add_epi32(lsb, _mm256_set1_epi32(0x7FFF));
        const __m256i r = _mm256_srli_epi32(_mm256_add_epi32(bits, bias), 16);
        // Every lane is below 0x10000, so the saturating pack is an exact narrowing.
        return _mm_packus_epi32(_mm256_castsi256_si128(r), _mm256_extracti128_si256(r, 1));
    }
};

template <typename Lanes, ReduceOp kOp>
HCPU_AVX2_TARGET inline __m128i block8(const void *a, const void *b) {
    const __m256 x = Lanes::widen(_mm_loadu_si128(static_cast<const __m128i *>(a)));
    const __m256 y = Lanes::widen(_mm_loadu_si128(static_cast<const __m128i *>(b)));
    return Lanes::narrow(combine8<kOp>(x, y));
}

// fp16/bf16 eight elements at a time: F16C or shifts to widen, the float op, round back.
template <typename Lanes, ReduceOp kOp>
HCPU_AVX2_TARGET void narrowAvx2(void *dst, const void *a, const void *b, size_t count) {
    auto *d = static_cast<uint16_t *>(dst);
    const auto *x = static_cast<const uint16_t *>(a);
    const auto *y = static_cast<const uint16_t *>(b);
    size_t i = 0;
    for (; i + 8 <= count; i += 8)
        _mm_storeu_si128(reinterpret_cast<__m128i *>(d + i), block8<Lanes, kOp>(x + i, y + i));
    if (i == count) return;
    // The tail goes through the same vector code via zero-padded copies, so it cannot differ.
    uint16_t tailA[8] = {}, tailB[8] = {}, tailD[8];
    const size_t rest = count - i;
    std::memcpy(tailA, x + i, rest * sizeof(uint16_t));
    std::memcpy(tailB, y + i, rest * sizeof(uint16_t));
    _mm_storeu_si128(reinterpret_cast<__m128i *>(tailD), block8<Lanes, kOp>(tailA, tailB));
    std::memcpy(d + i, tailD, rest * sizeof(uint16_t));
}
#endif

// ---- the tables ---------------------------------------------------------------------------------
template <detail::KernelSet kSet, typename T, typename Op>
constexpr KernelFn loopKernel() {
#ifdef HCPU_REDUCE_X86
    if constexpr (kSet == detail::KernelSet::kAvx2) return &elementwiseAvx2<T, Op>;
#endif
    return &elementwise<T, Op>;
}

template <detail::KernelSet kSet, template <typename, ReduceOp> class Op, typename T>
constexpr std::array<KernelFn, kOpCount> kernelsOf() {
    return {
        loopKernel<kSet, T, Op<T, ReduceOp::kSum>>(), loopKernel<kSet, T, Op<T, ReduceOp::kProd>>(),
        loopKernel<kSet, T, Op<T, ReduceOp::kMax>>(), loopKernel<kSet, T, Op<T, ReduceOp::kMin>>()};
}

// fp16 and bf16: the hand-written AVX2 kernels, or the portable loop over NarrowOp.
template <detail::KernelSet kSet, typename Codec, typename Lanes>
constexpr std::array<KernelFn, kOpCount> narrowKernels() {
#ifdef HCPU_REDUCE_X86
    if constexpr (kSet == detail::KernelSet::kAvx2)
        return {&narrowAvx2<Lanes, ReduceOp::kSum>, &narrowAvx2<Lanes, ReduceOp::kProd>,
                &narrowAvx2<Lanes, ReduceOp::kMax>, &narrowAvx2<Lanes, ReduceOp::kMin>};
#endif
    return {&elementwise<uint16_t, NarrowOp<Codec, ReduceOp::kSum>>,
            &elementwise<uint16_t, NarrowOp<Codec, ReduceOp::kProd>>,
            &elementwise<uint16_t, NarrowOp<Codec, ReduceOp::kMax>>,
            &elementwise<uint16_t, NarrowOp<Codec, ReduceOp::kMin>>};
}

using KernelTable = std::array<std::array<KernelFn, kOpCount>, kTypeCount>;

// HIF8 and the FP8 formats have no kernel: the vendor reduces none of them, and there is no
// agreed arithmetic (saturation, scaling) to emulate. Their rows stay null, as does value 13.
template <detail::KernelSet kSet>
constexpr KernelTable makeKernelTable() {
    KernelTable table{};
    auto set = [&table](DataType type, std::array<KernelFn, kOpCount> kernels) {
        table[static_cast<size_t>(type)] = kernels;
    };
    set(DataType::kInt8, kernelsOf<kSet, IntOp, int8_t>());
    set(DataType::kInt16, kernelsOf<kSet, IntOp, int16_t>());
    set(DataType::kInt32, kernelsOf<kSet, IntOp, int32_t>());
    set(DataType::kInt64, kernelsOf<kSet, IntOp, int64_t>());
    set(DataType::kUint8, kernelsOf<kSet, IntOp, uint8_t>());
    set(DataType::kUint16, kernelsOf<kSet, IntOp, uint16_t>());
    set(DataType::kUint32, kernelsOf<kSet, IntOp, uint32_t>());
    set(DataType::kUint64, kernelsOf<kSet, IntOp, uint64_t>());
    set(DataType::kInt128, kernelsOf<kSet, IntOp, __int128>());
    set(DataType::kFp32, kernelsOf<kSet, FloatOp, float>());
    set(DataType::kFp64, kernelsOf<kSet, FloatOp, double>());
    set(DataType::kFp16, narrowKernels<kSet, Fp16Codec, Fp16Lanes>());
    set(DataType::kBf16, narrowKernels<kSet, Bf16Codec, Bf16Lanes>());
    return table;
}
constexpr KernelTable kPortableKernels = makeKernelTable<detail::KernelSet::kPortable>();
#ifdef HCPU_REDUCE_X86
constexpr KernelTable kAvx2Kernels = makeKernelTable<detail::KernelSet::kAvx2>();
#endif

KernelFn findKernel(detail::KernelSet set, DataType type, ReduceOp op) {
    const auto t = static_cast<size_t>(type);
    const auto o = static_cast<size_t>(op);
    if (t >= kTypeCount || o >= kOpCount) return nullptr;
#ifdef HCPU_REDUCE_X86
    if (set == detail::KernelSet::kAvx2 && detail::avx2Usable()) return kAvx2Kernels[t][o];
#endif
    return kPortableKernels[t][o];
}

// The kernels assume IEEE default arithmetic: round to nearest and, above all, no flush of
// denormals (bf16 subnormals are float subnormals). MXCSR is per thread and a caller built with
// -ffast-math sets FTZ/DAZ, so each call runs under the default and restores the caller's. The
// cost is one stmxcsr per call, plus two ldmxcsr only when the caller's mode is not the default.
class DefaultFloatMode {
  public:
#ifdef HCPU_REDUCE_X86
    DefaultFloatMode() : saved_(_mm_getcsr()) {
        if ((saved_ & ~kStatusFlags) != kDefault) _mm_setcsr(kDefault);
    }
    ~DefaultFloatMode() {
        if ((saved_ & ~kStatusFlags) != kDefault) _mm_setcsr(saved_);
    }
    DefaultFloatMode(const DefaultFloatMode &) = delete;
    DefaultFloatMode &operator=(const DefaultFloatMode &) = delete;

  private:
    static constexpr unsigned kDefault = 0x1F80;    // all exceptions masked, nearest, no FTZ/DAZ
    static constexpr unsigned kStatusFlags = 0x3F;  // sticky exception flags: not a mode
    unsigned saved_;
#endif
};

}  // namespace

namespace detail {

bool avx2Usable() {
#ifdef HCPU_REDUCE_X86
    // Every CPU with AVX2 also has F16C; both are checked since the code uses both.
    static const bool usable = [] {
        __builtin_cpu_init();
        return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("f16c");
    }();
    return usable;
#else
    return false;
#endif
}

void reduceWith(KernelSet set, void *dst, const void *a, const void *b, size_t count, DataType type,
                ReduceOp op) {
    if (count == 0) return;
    const KernelFn kernel = findKernel(set, type, op);
    if (kernel == nullptr) {
        HCPU_ERROR("reduce: no kernel for data type {} ({}) with op {} ({})", dataTypeName(type),
                   static_cast<uint32_t>(type), reduceOpName(op), static_cast<uint32_t>(op));
        return;
    }
    if (dst == nullptr || a == nullptr || b == nullptr) {
        HCPU_ERROR("reduce: null buffer (dst {}, a {}, b {}) for {} elements", dst, a, b, count);
        return;
    }
    [[maybe_unused]] DefaultFloatMode mode;
    kernel(dst, a, b, count);
}

}  // namespace detail

size_t dataTypeSize(DataType type) {
    const auto t = static_cast<size_t>(type);
    return t < kTypeCount ? kTypeSizes[t] : 0;
}

const char *dataTypeName(DataType type) {
    const auto t = static_cast<size_t>(type);
    return t < kTypeCount ? kTypeNames[t] : "unknown";
}

const char *reduceOpName(ReduceOp op) {
    const auto o = static_cast<size_t>(op);
    return o < kOpCount ? kOpNames[o] : "unknown";
}

bool reduceSupported(DataType type, ReduceOp op) {
    return findKernel(detail::KernelSet::kPortable, type, op) != nullptr;
}

void reduce(void *dst, const void *a, const void *b, size_t count, DataType type, ReduceOp op) {
    detail::reduceWith(detail::KernelSet::kAvx2, dst, a, b, count, type, op);
}

// ---- scalar conversions -------------------------------------------------------------------------

float halfToFloat(uint16_t h) {
    const uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
    const uint32_t exponent = (h >> 10) & 0x1Fu;
    const uint32_t mantissa = h & 0x3FFu;
    if (exponent == 0x1F)  // inf, or NaN with its payload (and signalling bit) kept as is
        return std::bit_cast<float>(sign | 0x7F800000u | (mantissa << 13));
    if (exponent != 0)
        return std::bit_cast<float>(sign | ((exponent + 112) << 23) | (mantissa << 13));
    // Zero or subnormal: mantissa * 2^-24, exact in float (a normal float unless zero).
    const float magnitude = static_cast<float>(mantissa) * 0x1p-24f;
    return sign ? -magnitude : magnitude;
}

uint16_t floatToHalf(float f) {
    const uint32_t bits = std::bit_cast<uint32_t>(f);
    const auto sign = static_cast<uint16_t>((bits >> 16) & 0x8000u);
    const uint32_t magnitude = bits & 0x7FFFFFFFu;
    if (magnitude > 0x7F800000u) {
        // NaN: keep the top payload bits (so fp16 -> float -> fp16 is the identity); if they are
        // all zero, set the quiet bit so the result does not become infinity.
        uint16_t payload = static_cast<uint16_t>((magnitude >> 13) & 0x3FFu);
        if (payload == 0) payload = 0x200;
        return sign | 0x7C00u | payload;
    }
    // 65520 = 65504 + half an ulp: ties to even round up to infinity.
    if (magnitude >= 0x477FF000u) return sign | 0x7C00u;
    if (magnitude >= 0x38800000u) {  // >= 2^-14: normal half; rebias the exponent, round 13 bits
        const uint32_t rebiased = magnitude - 0x38000000u;
        return sign | static_cast<uint16_t>((rebiased + 0xFFFu + ((rebiased >> 13) & 1u)) >> 13);
    }
    // <= 2^-25 (half the smallest subnormal; the tie goes to even, i.e. zero).
    if (magnitude <= 0x33000000u) return sign;
    // Subnormal half: round the 24-bit significand to units of 2^-24. A carry into bit 10 yields
    // the smallest normal, which is the right encoding.
    const uint32_t significand = (magnitude & 0x7FFFFFu) | 0x800000u;
    const uint32_t shift = 126 - (magnitude >> 23);  // 14..24 here
    const uint32_t kept = significand >> shift;
    const uint32_t rest = significand & ((1u << shift) - 1);
    const uint32_t half = 1u << (shift - 1);
    const uint32_t rounded = kept + (rest > half || (rest == half && (kept & 1u)) ? 1u : 0u);
    return sign | static_cast<uint16_t>(rounded);
}

float bf16ToFloat(uint16_t b) {
    return std::bit_cast<float>(static_cast<uint32_t>(b) << 16);
}

uint16_t floatToBf16(float f) {
    const uint32_t bits = std::bit_cast<uint32_t>(f);
    // NaN: truncate and set the quiet bit; plain truncation could turn it into infinity.
    if ((bits & 0x7FFFFFFFu) > 0x7F800000u) return static_cast<uint16_t>((bits >> 16) | 0x40u);
    // Round to nearest even on the bit pattern; a carry into the exponent is the right result
    // (up to infinity), and subnormals round on the same grid.
    return static_cast<uint16_t>((bits + 0x7FFFu + ((bits >> 16) & 1u)) >> 16);
}

}  // namespace hcclcpu::rt
