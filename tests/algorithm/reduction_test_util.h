// Shared by the reduction tests: a LinkSet of N thread ranks, element encoding for every data
// type, a host reference for the reductions, and the supported (dtype, op) pairs.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "algorithm/op_context.h"
#include "dtype_common.h"
#include "hccl_cpu_links.h"
#include "log.h"

namespace hcclcpu::algorithm::test {

// The (type, op) pairs a reduction must compute (spec public_api §3.3): PROD not for int16, bf16.
struct TypeOp {
    HcclDataType type;
    HcclReduceOp op;
};
inline std::vector<TypeOp> SupportedTypeOps() {
    const HcclDataType types[] = {HCCL_DATA_TYPE_INT8,  HCCL_DATA_TYPE_INT16,  HCCL_DATA_TYPE_INT32,
                                  HCCL_DATA_TYPE_INT64, HCCL_DATA_TYPE_FP16,   HCCL_DATA_TYPE_FP32,
                                  HCCL_DATA_TYPE_BFP16, HCCL_DATA_TYPE_UINT64, HCCL_DATA_TYPE_FP64};
    const HcclReduceOp ops[] = {HCCL_REDUCE_SUM, HCCL_REDUCE_PROD, HCCL_REDUCE_MAX,
                                HCCL_REDUCE_MIN};
    std::vector<TypeOp> pairs;
    for (HcclDataType type : types)
        for (HcclReduceOp op : ops) {
            if (op == HCCL_REDUCE_PROD &&
                (type == HCCL_DATA_TYPE_INT16 || type == HCCL_DATA_TYPE_BFP16))
                continue;
            pairs.push_back({type, op});
        }
    return pairs;
}
inline std::string Name(TypeOp typeOp) {
    static const char *const ops[] = {"sum", "prod", "max", "min"};
    return "type " + std::to_string(typeOp.type) + " " + ops[typeOp.op];
}
inline bool IsFloat(HcclDataType type) {
    return type == HCCL_DATA_TYPE_FP16 || type == HCCL_DATA_TYPE_FP32 ||
           type == HCCL_DATA_TYPE_BFP16 || type == HCCL_DATA_TYPE_FP64;
}

// Small integers only (|v| < 2^11): exact in every type, so encoding needs no rounding.
inline uint16_t FloatToHalfExact(float f) {
    uint32_t bits;
    std::memcpy(&bits, &f, 4);
    const uint16_t sign = static_cast<uint16_t>((bits >> 16) & 0x8000);
    if ((bits & 0x7fffffff) == 0) return sign;
    const int exponent = static_cast<int>((bits >> 23) & 0xff) - 127 + 15;
    return static_cast<uint16_t>(sign | (exponent << 10) | ((bits >> 13) & 0x3ff));
}
inline float HalfToFloat(uint16_t h) {
    const uint32_t sign = (h & 0x8000u) << 16;
    const int exponent = (h >> 10) & 0x1f;
    const uint32_t mantissa = h & 0x3ffu;
    float value;
    if (exponent == 0)
        value = std::ldexp(static_cast<float>(mantissa), -24);
    else if (exponent == 31)
        value = mantissa ? NAN : INFINITY;
    else
        value = std::ldexp(static_cast<float>(mantissa | 0x400u), exponent - 25);
    return sign ? -value : value;
}

// Writes integer value v as element i of a buffer of `type`.
inline void Encode(HcclDataType type, void *buffer, uint64_t i, int64_t v) {
    auto *p = static_cast<uint8_t *>(buffer);
    switch (type) {
        case HCCL_DATA_TYPE_INT8: {
            int8_t x = static_cast<int8_t>(v);
            std::memcpy(p + i, &x, 1);
            break;
        }
        case HCCL_DATA_TYPE_INT16: {
            int16_t x = static_cast<int16_t>(v);
            std::memcpy(p + 2 * i, &x, 2);
            break;
        }
        case HCCL_DATA_TYPE_INT32: {
            int32_t x = static_cast<int32_t>(v);
            std::memcpy(p + 4 * i, &x, 4);
            break;
        }
        case HCCL_DATA_TYPE_INT64:
            std::memcpy(p + 8 * i, &v, 8);
            break;
        case HCCL_DATA_TYPE_UINT64: {
            uint64_t x = static_cast<uint64_t>(v);
            std::memcpy(p + 8 * i, &x, 8);
            break;
        }
        case HCCL_DATA_TYPE_FP16: {
            uint16_t x = FloatToHalfExact(static_cast<float>(v));
            std::memcpy(p + 2 * i, &x, 2);
            break;
        }
        case HCCL_DATA_TYPE_BFP16: {
            float f = static_cast<float>(v);
            uint32_t bits;
            std::memcpy(&bits, &f, 4);
            uint16_t x = static_cast<uint16_t>(bits >> 16);
            std::memcpy(p + 2 * i, &x, 2);
            break;
        }
        case HCCL_DATA_TYPE_FP32: {
            float x = static_cast<float>(v);
            std::memcpy(p + 4 * i, &x, 4);
            break;
        }
        case HCCL_DATA_TYPE_FP64: {
            double x = static_cast<double>(v);
            std::memcpy(p + 8 * i, &x, 8);
            break;
        }
        default:
            FAIL() << "type " << type;
    }
}

// Element i as a double (integers exactly, uint64 modulo 2^64 read as signed to compare).
inline double Decode(HcclDataType type, const void *buffer, uint64_t i) {
    const auto *p = static_cast<const uint8_t *>(buffer);
    switch (type) {
        case HCCL_DATA_TYPE_INT8: {
            int8_t x;
            std::memcpy(&x, p + i, 1);
            return x;
        }
        case HCCL_DATA_TYPE_INT16: {
            int16_t x;
            std::memcpy(&x, p + 2 * i, 2);
            return x;
        }
        case HCCL_DATA_TYPE_INT32: {
            int32_t x;
            std::memcpy(&x, p + 4 * i, 4);
            return x;
        }
        case HCCL_DATA_TYPE_INT64:
        case HCCL_DATA_TYPE_UINT64: {
            int64_t x;
            std::memcpy(&x, p + 8 * i, 8);
            return static_cast<double>(x);
        }
        case HCCL_DATA_TYPE_FP16: {
            uint16_t x;
            std::memcpy(&x, p + 2 * i, 2);
            return HalfToFloat(x);
        }
        case HCCL_DATA_TYPE_BFP16: {
            uint16_t x;
            std::memcpy(&x, p + 2 * i, 2);
            uint32_t bits = static_cast<uint32_t>(x) << 16;
            float f;
            std::memcpy(&f, &bits, 4);
            return f;
        }
        case HCCL_DATA_TYPE_FP32: {
            float x;
            std::memcpy(&x, p + 4 * i, 4);
            return x;
        }
        case HCCL_DATA_TYPE_FP64: {
            double x;
            std::memcpy(&x, p + 8 * i, 8);
            return x;
        }
        default:
            return NAN;
    }
}

// The value rank r contributes at element i: small integers; for PROD only -1, 1, 2 (so eight
// ranks stay exact in fp16/bf16 and int8 wraps the same way on host and device).
// uint64 gets [0, 16] so that MAX/MIN compare the same signed and unsigned.
inline int64_t Value(HcclDataType type, HcclReduceOp op, uint32_t rank, uint64_t i) {
    const uint64_t h = (i * 2654435761u + rank * 40503u + 7) % 1000003;
    if (op == HCCL_REDUCE_PROD) {
        static const int64_t factors[] = {-1, 1, 2, 1, 2};
        return factors[h % 5];
    }
    if (type == HCCL_DATA_TYPE_UINT64) return static_cast<int64_t>(h % 17);
    return static_cast<int64_t>(h % 17) - 8;  // [-8, 8]
}

// The reduction of Value(op, r, i) over ranks, in the element type (integers wrap).
inline double Expected(HcclDataType type, HcclReduceOp op, uint32_t rankSize, uint64_t i) {
    int64_t acc = Value(type, op, 0, i);
    for (uint32_t r = 1; r < rankSize; ++r) {
        const int64_t v = Value(type, op, r, i);
        switch (op) {
            case HCCL_REDUCE_SUM:
                acc += v;
                break;
            case HCCL_REDUCE_PROD:
                acc *= v;
                break;
            case HCCL_REDUCE_MAX:
                acc = std::max(acc, v);
                break;
            default:
                acc = std::min(acc, v);
                break;
        }
    }
    std::vector<uint8_t> one(8);
    Encode(type, one.data(), 0, acc);  // wraps integers like the device does
    return Decode(type, one.data(), 0);
}

inline void FillRank(HcclDataType type, HcclReduceOp op, uint32_t rank, void *buffer,
                     uint64_t count, uint64_t firstElement = 0) {
    for (uint64_t i = 0; i < count; ++i)
        Encode(type, buffer, i, Value(type, op, rank, firstElement + i));
}

// A LinkSet of thread ranks whose waits fail within a minute instead of hanging.
class ThreadRanks {
  public:
    ThreadRanks(uint32_t rankSize, uint64_t bufferBytes) {
        const char *old = std::getenv("HCCL_EXEC_TIMEOUT");
        if (old == nullptr) setenv("HCCL_EXEC_TIMEOUT", "60", 1);
        EXPECT_EQ(LinkSet::Create(rankSize, bufferBytes, set_), HCCL_SUCCESS);
        if (old == nullptr) unsetenv("HCCL_EXEC_TIMEOUT");
        for (uint32_t rank = 0; set_ != nullptr && rank < size(); ++rank)
            links_.push_back(set_->Links(rank));
    }
    ~ThreadRanks() { LinkSet::Destroy(set_); }
    ThreadRanks(const ThreadRanks &) = delete;
    ThreadRanks &operator=(const ThreadRanks &) = delete;

    LinkSet &set() { return *set_; }
    uint32_t size() const { return set_->RankSize(); }
    // The executor context of `rank` on `stream`.
    OpContext Context(uint32_t rank, hccl::Stream &stream, const AlgoConfig &algo = {}) {
        OpContext ctx;
        ctx.rank = rank;
        ctx.rankSize = size();
        ctx.dispatcher = set_->Dispatcher(rank);
        ctx.stream = stream;
        ctx.cclInput = set_->Input(rank);
        ctx.cclOutput = set_->Output(rank);
        ctx.links = &links_[rank];
        ctx.algo = algo;
        return ctx;
    }

  private:
    LinkSet *set_ = nullptr;
    std::vector<std::vector<hccl::LINK>> links_;
};

// Per-rank user buffers of device memory, allocated and freed on the ranks' own threads.
class UserBuffers {
  public:
    UserBuffers(ThreadRanks &ranks, uint64_t bytes) : ranks_(ranks), buffers_(ranks.size()) {
        EXPECT_EQ(ranks_.set().RunRanks([&](u32 rank, hccl::Stream &) {
            return hccl::DeviceMem::alloc(buffers_[rank], bytes == 0 ? 1 : bytes);
        }),
                  HCCL_SUCCESS);
    }
    ~UserBuffers() {
        (void)ranks_.set().RunRanks([&](u32 rank, hccl::Stream &) {
            buffers_[rank].free();
            return HCCL_SUCCESS;
        });
    }
    UserBuffers(const UserBuffers &) = delete;
    UserBuffers &operator=(const UserBuffers &) = delete;
    void *ptr(uint32_t rank) const { return buffers_[rank].ptr(); }
    uint8_t *bytes(uint32_t rank) const { return static_cast<uint8_t *>(buffers_[rank].ptr()); }

  private:
    ThreadRanks &ranks_;
    std::vector<hccl::DeviceMem> buffers_;
};

}  // namespace hcclcpu::algorithm::test
