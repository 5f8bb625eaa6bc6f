// HcclReduceAsync: the inline path and the TBE path (spec platform_api.md §2.3, §6 items 5, 11).
#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <string>
#include <type_traits>
#include <vector>

#include "dtype_common.h"
#include "platform/split_size.h"
#include "platform_test_util.h"
#include "runtime/reduce.h"

namespace hcclcpu::platform::test {
namespace {

using hccl::LinkType;
using hccl::TaskType;

// ---- reference arithmetic ----------------------------------------------------------------------

template <typename T>
T intOp(T a, T b, HcclReduceOp op) {
    // Wrapping arithmetic in an unsigned type wide enough to hold T.
    using W = std::conditional_t<(sizeof(T) > 8), unsigned __int128, uint64_t>;
    switch (op) {
        case HCCL_REDUCE_SUM:
            return static_cast<T>(static_cast<W>(a) + static_cast<W>(b));
        case HCCL_REDUCE_PROD:
            return static_cast<T>(static_cast<W>(a) * static_cast<W>(b));
        case HCCL_REDUCE_MAX:
            return a > b ? a : b;
        default:
            return a < b ? a : b;
    }
}

template <typename T>
T floatOp(T a, T b, HcclReduceOp op) {
    switch (op) {
        case HCCL_REDUCE_SUM:
            return a + b;
        case HCCL_REDUCE_PROD:
            return a * b;
        case HCCL_REDUCE_MAX:
            return a > b ? a : b;
        default:
            return a < b ? a : b;
    }
}

template <typename T>
void applyInts(uint8_t *dst, const uint8_t *src, size_t n, HcclReduceOp op) {
    for (size_t i = 0; i < n; ++i) {
        T a, b;
        std::memcpy(&a, dst + i * sizeof(T), sizeof(T));
        std::memcpy(&b, src + i * sizeof(T), sizeof(T));
        T r = intOp(a, b, op);
        std::memcpy(dst + i * sizeof(T), &r, sizeof(T));
    }
}

template <typename T>
void applyFloats(uint8_t *dst, const uint8_t *src, size_t n, HcclReduceOp op) {
    for (size_t i = 0; i < n; ++i) {
        T a, b;
        std::memcpy(&a, dst + i * sizeof(T), sizeof(T));
        std::memcpy(&b, src + i * sizeof(T), sizeof(T));
        T r = floatOp(a, b, op);
        std::memcpy(dst + i * sizeof(T), &r, sizeof(T));
    }
}

// fp16/bf16: computed in float, rounded once (what one native operation gives).
void applyNarrow(uint8_t *dst, const uint8_t *src, size_t n, HcclReduceOp op, bool half) {
    for (size_t i = 0; i < n; ++i) {
        uint16_t a, b;
        std::memcpy(&a, dst + 2 * i, 2);
        std::memcpy(&b, src + 2 * i, 2);
        float fa = half ? rt::halfToFloat(a) : rt::bf16ToFloat(a);
        float fb = half ? rt::halfToFloat(b) : rt::bf16ToFloat(b);
        float fr = floatOp(fa, fb, op);
        uint16_t r = half ? rt::floatToHalf(fr) : rt::floatToBf16(fr);
        std::memcpy(dst + 2 * i, &r, 2);
    }
}

// dst = dst op src, element-wise: the expected result.
std::vector<uint8_t> expected(HcclDataType type, HcclReduceOp op, std::vector<uint8_t> dst,
                              const std::vector<uint8_t> &src) {
    const size_t n = dst.size() / SIZE_TABLE[type];
    switch (type) {
        case HCCL_DATA_TYPE_INT8:
            applyInts<int8_t>(dst.data(), src.data(), n, op);
            break;
        case HCCL_DATA_TYPE_INT16:
            applyInts<int16_t>(dst.data(), src.data(), n, op);
            break;
        case HCCL_DATA_TYPE_INT32:
            applyInts<int32_t>(dst.data(), src.data(), n, op);
            break;
        case HCCL_DATA_TYPE_INT64:
            applyInts<int64_t>(dst.data(), src.data(), n, op);
            break;
        case HCCL_DATA_TYPE_UINT8:
            applyInts<uint8_t>(dst.data(), src.data(), n, op);
            break;
        case HCCL_DATA_TYPE_UINT16:
            applyInts<uint16_t>(dst.data(), src.data(), n, op);
            break;
        case HCCL_DATA_TYPE_UINT32:
            applyInts<uint32_t>(dst.data(), src.data(), n, op);
            break;
        case HCCL_DATA_TYPE_UINT64:
            applyInts<uint64_t>(dst.data(), src.data(), n, op);
            break;
        case HCCL_DATA_TYPE_INT128:
            applyInts<__int128>(dst.data(), src.data(), n, op);
            break;
        case HCCL_DATA_TYPE_FP32:
            applyFloats<float>(dst.data(), src.data(), n, op);
            break;
        case HCCL_DATA_TYPE_FP64:
            applyFloats<double>(dst.data(), src.data(), n, op);
            break;
        case HCCL_DATA_TYPE_FP16:
            applyNarrow(dst.data(), src.data(), n, op, true);
            break;
        case HCCL_DATA_TYPE_BFP16:
            applyNarrow(dst.data(), src.data(), n, op, false);
            break;
        default:
            ADD_FAILURE() << "no reference for type " << type;
    }
    return dst;
}

// n elements of `type`: any bit pattern for integers, finite values with fractions for floats.
std::vector<uint8_t> values(HcclDataType type, size_t n, unsigned seed) {
    std::mt19937 rng(seed);
    const size_t unit = SIZE_TABLE[type];
    std::vector<uint8_t> bytes(n * unit);
    auto number = [&rng] { return static_cast<float>(static_cast<int>(rng() % 4001) - 2000) / 16; };
    for (size_t i = 0; i < n; ++i) {
        uint8_t *out = bytes.data() + i * unit;
        if (type == HCCL_DATA_TYPE_FP32) {
            float v = number();
            std::memcpy(out, &v, 4);
        } else if (type == HCCL_DATA_TYPE_FP64) {
            double v = static_cast<double>(number()) / 3;
            std::memcpy(out, &v, 8);
        } else if (type == HCCL_DATA_TYPE_FP16 || type == HCCL_DATA_TYPE_BFP16) {
            uint16_t v = type == HCCL_DATA_TYPE_FP16 ? rt::floatToHalf(number() / 7)
                                                     : rt::floatToBf16(number() / 7);
            std::memcpy(out, &v, 2);
        } else {
            for (size_t b = 0; b < unit; ++b)
                out[b] = static_cast<uint8_t>(rng());
        }
    }
    return bytes;
}

std::string caseName(HcclDataType type, HcclReduceOp op) {
    return std::string(rt::dataTypeName(static_cast<rt::DataType>(type))) + "_" +
           rt::reduceOpName(static_cast<rt::ReduceOp>(op));
}

// ---- fixtures ----------------------------------------------------------------------------------

class HcclReduceAsync : public PlatformTest {
  protected:
    // Runs one reduction of n elements; returns the result (after a synchronize).
    std::vector<uint8_t> run(HcclDataType type, HcclReduceOp op, size_t n, u64 attr,
                             const std::vector<uint8_t> &dstValues,
                             const std::vector<uint8_t> &srcValues, u32 rank = 3,
                             LinkType link = LinkType::LINK_HCCS) {
        const size_t bytes = n * SIZE_TABLE[type];
        auto src = deviceBuffer(bytes), dst = deviceBuffer(bytes);
        std::memcpy(src.ptr(), srcValues.data(), bytes);
        std::memcpy(dst.ptr(), dstValues.data(), bytes);
        srcPtr_ = src.ptr();
        dstPtr_ = dst.ptr();
        EXPECT_EQ(::HcclReduceAsync(dispatcher_, src.ptr(), n, type, op, stream_, dst.ptr(), rank,
                                    link, attr),
                  HCCL_SUCCESS);
        EXPECT_EQ(sync(), rt::Err::kOk);
        return bytesOf(dst.ptr(), bytes);
    }
    void *srcPtr_ = nullptr;
    void *dstPtr_ = nullptr;
};

TEST_F(HcclReduceAsync, NullPointersReturnEPtrEvenWhenCountIsZero) {
    auto buf = deviceBuffer(64);
    EXPECT_EQ(::HcclReduceAsync(nullptr, buf.ptr(), 0, HCCL_DATA_TYPE_FP32, HCCL_REDUCE_SUM,
                                stream_, buf.ptr(), 0, LinkType::LINK_ONCHIP, INLINE_REDUCE_BIT),
              HCCL_E_PTR);
    EXPECT_EQ(::HcclReduceAsync(dispatcher_, nullptr, 0, HCCL_DATA_TYPE_FP32, HCCL_REDUCE_SUM,
                                stream_, buf.ptr(), 0, LinkType::LINK_ONCHIP, INLINE_REDUCE_BIT),
              HCCL_E_PTR);
    EXPECT_EQ(::HcclReduceAsync(dispatcher_, buf.ptr(), 0, HCCL_DATA_TYPE_FP32, HCCL_REDUCE_SUM,
                                stream_, nullptr, 0, LinkType::LINK_ONCHIP, 0),
              HCCL_E_PTR);
}

TEST_F(HcclReduceAsync, InlineCountZeroSucceedsBeforeTheStreamCheck) {
    auto buf = deviceBuffer(64);
    hccl::Stream none;
    EXPECT_EQ(::HcclReduceAsync(dispatcher_, buf.ptr(), 0, HCCL_DATA_TYPE_INT64, HCCL_REDUCE_PROD,
                                none, buf.ptr(), 0, LinkType::LINK_ONCHIP, INLINE_REDUCE_BIT),
              HCCL_SUCCESS);
    EXPECT_EQ(recorder_.size(), 0u);
}

TEST_F(HcclReduceAsync, InlineNullStreamReturnsEPtr) {
    auto src = deviceBuffer(64, 1), dst = deviceBuffer(64, 2);
    hccl::Stream none;
    EXPECT_EQ(::HcclReduceAsync(dispatcher_, src.ptr(), 16, HCCL_DATA_TYPE_FP32, HCCL_REDUCE_SUM,
                                none, dst.ptr(), 0, LinkType::LINK_ONCHIP, INLINE_REDUCE_BIT),
              HCCL_E_PTR);
}

TEST_F(HcclReduceAsync, InlineRejectsProd) {
    auto src = deviceBuffer(64, 1), dst = deviceBuffer(64, 2);
    EXPECT_EQ(::HcclReduceAsync(dispatcher_, src.ptr(), 16, HCCL_DATA_TYPE_FP32, HCCL_REDUCE_PROD,
                                stream_, dst.ptr(), 0, LinkType::LINK_ONCHIP, INLINE_REDUCE_BIT),
              HCCL_E_PARA);
    EXPECT_EQ(recorder_.size(), 0u);
}

TEST_F(HcclReduceAsync, InlineRejectsTypesSdmaCannotReduce) {
    auto src = deviceBuffer(256, 1), dst = deviceBuffer(256, 2);
    for (HcclDataType type :
         {HCCL_DATA_TYPE_INT64, HCCL_DATA_TYPE_UINT64, HCCL_DATA_TYPE_UINT8, HCCL_DATA_TYPE_UINT16,
          HCCL_DATA_TYPE_UINT32, HCCL_DATA_TYPE_FP64, HCCL_DATA_TYPE_INT128, HCCL_DATA_TYPE_HIF8,
          HCCL_DATA_TYPE_RESERVED}) {
        EXPECT_EQ(::HcclReduceAsync(dispatcher_, src.ptr(), 8, type, HCCL_REDUCE_SUM, stream_,
                                    dst.ptr(), 0, LinkType::LINK_ONCHIP, INLINE_REDUCE_BIT),
                  HCCL_E_PARA)
            << "type " << type;
    }
    EXPECT_EQ(
        ::HcclReduceAsync(dispatcher_, src.ptr(), 8, HCCL_DATA_TYPE_FP32, HCCL_REDUCE_RESERVED,
                          stream_, dst.ptr(), 0, LinkType::LINK_ONCHIP, INLINE_REDUCE_BIT),
        HCCL_E_PARA);
    ASSERT_EQ(sync(), rt::Err::kOk);
    EXPECT_EQ(recorder_.size(), 0u);
}

TEST_F(HcclReduceAsync, InlineOutOfBoundsReturnsERuntimeAndWritesNothing) {
    auto src = deviceBuffer(128, 1), dst = deviceBuffer(64, 2);
    auto before = bytesOf(dst.ptr(), 64);
    EXPECT_EQ(::HcclReduceAsync(dispatcher_, src.ptr(), 32, HCCL_DATA_TYPE_FP32, HCCL_REDUCE_MAX,
                                stream_, dst.ptr(), 0, LinkType::LINK_ONCHIP, INLINE_REDUCE_BIT),
              HCCL_E_RUNTIME);
    ASSERT_EQ(sync(), rt::Err::kOk);
    EXPECT_EQ(bytesOf(dst.ptr(), 64), before);
    EXPECT_EQ(recorder_.size(), 0u);
}

TEST_F(HcclReduceAsync, InlineReportsChunkBytesRankAndLink) {
    auto dstValues = values(HCCL_DATA_TYPE_INT16, 100, 1),
         srcValues = values(HCCL_DATA_TYPE_INT16, 100, 2);
    run(HCCL_DATA_TYPE_INT16, HCCL_REDUCE_MIN, 100, INLINE_REDUCE_BIT | RDMA_REDUCE_BITMASK,
        dstValues, srcValues, 6, LinkType::LINK_SIO);
    auto reports = recorder_.reports();
    ASSERT_EQ(reports.size(), 1u);
    const hccl::TaskPara &r = reports[0];
    EXPECT_EQ(r.type, TaskType::TASK_REDUCE_INLINE);
    EXPECT_EQ(r.stream, stream_.ptr());
    EXPECT_EQ(r.reduce.src, srcPtr_);
    EXPECT_EQ(r.reduce.dst, dstPtr_);
    EXPECT_EQ(r.reduce.size, 200u);  // bytes
    EXPECT_EQ(r.reduce.op, HCCL_REDUCE_MIN);
    EXPECT_EQ(r.reduce.dataType, HCCL_DATA_TYPE_INT16);
    EXPECT_EQ(r.reduce.linkType, LinkType::LINK_SIO);
    EXPECT_EQ(r.reduce.remoteUserRank, 6u);
    EXPECT_EQ(r.reduce.ctxId, INVALID_UINT);
}

// Inline reduce splits by bytes; the split size is lowered to 64 bytes here.
TEST_F(HcclReduceAsync, InlineSplitsByBytesAtFourGiB) {
    ASSERT_TRUE(setSdmaSplitSizeForTest(64));
    auto dstValues = values(HCCL_DATA_TYPE_FP32, 40, 3),
         srcValues = values(HCCL_DATA_TYPE_FP32, 40, 4);
    auto result =
        run(HCCL_DATA_TYPE_FP32, HCCL_REDUCE_SUM, 40, INLINE_REDUCE_BIT, dstValues, srcValues);
    EXPECT_TRUE(setSdmaSplitSizeForTest(0));
    EXPECT_EQ(result, expected(HCCL_DATA_TYPE_FP32, HCCL_REDUCE_SUM, dstValues, srcValues));
    auto reports = recorder_.reports();
    ASSERT_EQ(reports.size(), 3u);  // 160 bytes: 64 + 64 + 32
    const u64 sizes[] = {64, 64, 32};
    for (size_t i = 0; i < 3; ++i) {
        EXPECT_EQ(reports[i].reduce.size, sizes[i]);
        EXPECT_EQ(reports[i].reduce.src, static_cast<uint8_t *>(srcPtr_) + 64 * i);
        EXPECT_EQ(reports[i].reduce.dst, static_cast<uint8_t *>(dstPtr_) + 64 * i);
    }
}

TEST_F(HcclReduceAsync, TbeCountZeroSucceedsWithoutReport) {
    auto buf = deviceBuffer(64);
    EXPECT_EQ(::HcclReduceAsync(dispatcher_, buf.ptr(), 0, HCCL_DATA_TYPE_RESERVED, HCCL_REDUCE_SUM,
                                stream_, buf.ptr(), 0, LinkType::LINK_ONCHIP, 0),
              HCCL_SUCCESS);
    EXPECT_EQ(recorder_.size(), 0u);
}

TEST_F(HcclReduceAsync, TbeReservedTypeReturnsEPara) {
    auto src = deviceBuffer(64, 1), dst = deviceBuffer(64, 2);
    // (Values above 255 are outside HcclDataType's range in C++.)
    EXPECT_EQ(::HcclReduceAsync(dispatcher_, src.ptr(), 4, HCCL_DATA_TYPE_RESERVED, HCCL_REDUCE_SUM,
                                stream_, dst.ptr(), 0, LinkType::LINK_ONCHIP, 0),
              HCCL_E_PARA);
    EXPECT_EQ(recorder_.size(), 0u);
}

TEST_F(HcclReduceAsync, TbeTypeTheRuntimeCannotReduceReturnsERuntime) {
    auto src = deviceBuffer(64, 1), dst = deviceBuffer(64, 2);
    for (HcclDataType type :
         {HCCL_DATA_TYPE_HIF8, HCCL_DATA_TYPE_FP8E4M3, static_cast<HcclDataType>(13)}) {
        EXPECT_EQ(::HcclReduceAsync(dispatcher_, src.ptr(), 4, type, HCCL_REDUCE_SUM, stream_,
                                    dst.ptr(), 0, LinkType::LINK_ONCHIP, 0),
                  HCCL_E_RUNTIME)
            << "type " << type;
    }
    EXPECT_EQ(
        ::HcclReduceAsync(dispatcher_, src.ptr(), 4, HCCL_DATA_TYPE_FP32, HCCL_REDUCE_RESERVED,
                          stream_, dst.ptr(), 0, LinkType::LINK_ONCHIP, 0),
        HCCL_E_RUNTIME);
    EXPECT_EQ(recorder_.size(), 0u);
}

TEST_F(HcclReduceAsync, TbeNullStreamReturnsEPtr) {
    auto src = deviceBuffer(64, 1), dst = deviceBuffer(64, 2);
    hccl::Stream none;
    EXPECT_EQ(::HcclReduceAsync(dispatcher_, src.ptr(), 4, HCCL_DATA_TYPE_FP32, HCCL_REDUCE_SUM,
                                none, dst.ptr(), 0, LinkType::LINK_ONCHIP, 0),
              HCCL_E_PTR);
}

TEST_F(HcclReduceAsync, TbeIsOneTaskReportedInElementsOnChipWithoutRank) {
    ASSERT_TRUE(setSdmaSplitSizeForTest(64));  // TBE never splits
    auto dstValues = values(HCCL_DATA_TYPE_FP32, 40, 5),
         srcValues = values(HCCL_DATA_TYPE_FP32, 40, 6);
    auto result = run(HCCL_DATA_TYPE_FP32, HCCL_REDUCE_PROD, 40, 0, dstValues, srcValues, 9,
                      LinkType::LINK_ROCE);
    EXPECT_TRUE(setSdmaSplitSizeForTest(0));
    EXPECT_EQ(result, expected(HCCL_DATA_TYPE_FP32, HCCL_REDUCE_PROD, dstValues, srcValues));
    auto reports = recorder_.reports();
    ASSERT_EQ(reports.size(), 1u);
    const hccl::TaskPara &r = reports[0];
    EXPECT_EQ(r.type, TaskType::TASK_REDUCE_TBE);
    EXPECT_EQ(r.reduce.src, srcPtr_);
    EXPECT_EQ(r.reduce.dst, dstPtr_);
    EXPECT_EQ(r.reduce.size, 40u);  // elements
    EXPECT_EQ(r.reduce.op, HCCL_REDUCE_PROD);
    EXPECT_EQ(r.reduce.dataType, HCCL_DATA_TYPE_FP32);
    EXPECT_EQ(r.reduce.linkType, LinkType::LINK_ONCHIP);
    EXPECT_EQ(r.reduce.remoteUserRank, INVALID_UINT);
}

// ---- every type and op, bit-exact --------------------------------------------------------------

struct ReduceCase {
    HcclDataType type;
    HcclReduceOp op;
};

class InlineReduceResult : public HcclReduceAsync,
                           public ::testing::WithParamInterface<ReduceCase> {};

TEST_P(InlineReduceResult, MatchesReferenceBitExactly) {
    const auto [type, op] = GetParam();
    const size_t n = 257;  // not a multiple of any vector width
    auto dstValues = values(type, n, 11), srcValues = values(type, n, 12);
    auto result = run(type, op, n, INLINE_REDUCE_BIT, dstValues, srcValues);
    EXPECT_EQ(result, expected(type, op, dstValues, srcValues));
}

std::vector<ReduceCase> inlineCases() {
    std::vector<ReduceCase> cases;
    for (HcclDataType type : {HCCL_DATA_TYPE_INT8, HCCL_DATA_TYPE_INT16, HCCL_DATA_TYPE_INT32,
                              HCCL_DATA_TYPE_FP16, HCCL_DATA_TYPE_FP32, HCCL_DATA_TYPE_BFP16})
        for (HcclReduceOp op : {HCCL_REDUCE_SUM, HCCL_REDUCE_MAX, HCCL_REDUCE_MIN})
            cases.push_back({type, op});
    return cases;
}

INSTANTIATE_TEST_SUITE_P(EverySdmaType, InlineReduceResult, ::testing::ValuesIn(inlineCases()),
                         [](const auto &info) { return caseName(info.param.type, info.param.op); });

class TbeReduceResult : public HcclReduceAsync, public ::testing::WithParamInterface<ReduceCase> {};

TEST_P(TbeReduceResult, MatchesReferenceBitExactly) {
    const auto [type, op] = GetParam();
    const size_t n = 129;
    auto dstValues = values(type, n, 21), srcValues = values(type, n, 22);
    auto result = run(type, op, n, 0, dstValues, srcValues);
    EXPECT_EQ(result, expected(type, op, dstValues, srcValues));
}

std::vector<ReduceCase> tbeCases() {
    std::vector<ReduceCase> cases;
    for (HcclDataType type :
         {HCCL_DATA_TYPE_INT8, HCCL_DATA_TYPE_INT16, HCCL_DATA_TYPE_INT32, HCCL_DATA_TYPE_FP16,
          HCCL_DATA_TYPE_FP32, HCCL_DATA_TYPE_INT64, HCCL_DATA_TYPE_UINT64, HCCL_DATA_TYPE_UINT8,
          HCCL_DATA_TYPE_UINT16, HCCL_DATA_TYPE_UINT32, HCCL_DATA_TYPE_FP64, HCCL_DATA_TYPE_BFP16,
          HCCL_DATA_TYPE_INT128})
        for (HcclReduceOp op :
             {HCCL_REDUCE_SUM, HCCL_REDUCE_PROD, HCCL_REDUCE_MAX, HCCL_REDUCE_MIN})
            cases.push_back({type, op});
    return cases;
}

INSTANTIATE_TEST_SUITE_P(EveryType, TbeReduceResult, ::testing::ValuesIn(tbeCases()),
                         [](const auto &info) { return caseName(info.param.type, info.param.op); });

}  // namespace
}  // namespace hcclcpu::platform::test
