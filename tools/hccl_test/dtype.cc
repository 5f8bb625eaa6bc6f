#include "dtype.h"

#include <cmath>
#include <cstring>

namespace hccltest {

namespace {

constexpr double k2p24 = 16777216.0;
constexpr double k2p53 = 9007199254740992.0;

// Indexed by HcclDataType value (0..11), as hccl_test maps -d.
const DataTypeInfo kTypes[] = {
    {HCCL_DATA_TYPE_INT8, "int8", 1, false, true, 127},
    {HCCL_DATA_TYPE_INT16, "int16", 2, false, true, 32767},
    {HCCL_DATA_TYPE_INT32, "int32", 4, false, true, 2147483647.0},
    {HCCL_DATA_TYPE_FP16, "fp16", 2, true, true, 2048},
    {HCCL_DATA_TYPE_FP32, "fp32", 4, true, true, k2p24},
    {HCCL_DATA_TYPE_INT64, "int64", 8, false, true, k2p53},
    {HCCL_DATA_TYPE_UINT64, "uint64", 8, false, false, k2p53},
    {HCCL_DATA_TYPE_UINT8, "uint8", 1, false, false, 255},
    {HCCL_DATA_TYPE_UINT16, "uint16", 2, false, false, 65535},
    {HCCL_DATA_TYPE_UINT32, "uint32", 4, false, false, 4294967295.0},
    {HCCL_DATA_TYPE_FP64, "fp64", 8, true, true, k2p53},
    {HCCL_DATA_TYPE_BFP16, "bfp16", 2, true, true, 256},
};

template <typename T>
T load(const void *buffer, size_t i) {
    T v;
    std::memcpy(&v, static_cast<const char *>(buffer) + i * sizeof(T), sizeof(T));
    return v;
}

template <typename T>
void store(void *buffer, size_t i, T v) {
    std::memcpy(static_cast<char *>(buffer) + i * sizeof(T), &v, sizeof(T));
}

uint32_t floatBits(float f) {
    uint32_t x;
    std::memcpy(&x, &f, 4);
    return x;
}

float bitsFloat(uint32_t x) {
    float f;
    std::memcpy(&f, &x, 4);
    return f;
}

// Rounds `value >> shift` to nearest even.
uint32_t shiftRoundEven(uint32_t value, int shift) {
    uint32_t kept = value >> shift;
    uint32_t rest = value & ((1u << shift) - 1);
    uint32_t half = 1u << (shift - 1);
    if (rest > half || (rest == half && (kept & 1))) ++kept;
    return kept;
}

}  // namespace

const DataTypeInfo *findDataType(std::string_view name) {
    for (const auto &t : kTypes)
        if (name == t.name) return &t;
    return nullptr;
}

const DataTypeInfo &dataTypeInfo(HcclDataType type) {
    return kTypes[static_cast<size_t>(type)];
}

std::string dataTypeNames() {
    std::string names;
    for (const auto &t : kTypes)
        names += std::string(names.empty() ? "" : ", ") + t.name;
    return names;
}

uint16_t floatToHalf(float f) {
    uint32_t x = floatBits(f);
    uint32_t sign = (x >> 16) & 0x8000;
    uint32_t mantissa = x & 0x7fffff;
    int exponent = static_cast<int>((x >> 23) & 0xff);
    if (exponent == 0xff) return static_cast<uint16_t>(sign | 0x7c00 | (mantissa ? 0x200 : 0));
    int e = exponent - 127 + 15;
    if (e >= 0x1f) return static_cast<uint16_t>(sign | 0x7c00);
    if (e <= 0) {  // subnormal half (or zero)
        if (e < -10) return static_cast<uint16_t>(sign);
        return static_cast<uint16_t>(sign | shiftRoundEven(mantissa | 0x800000, 14 - e));
    }
    // A rounding carry out of the mantissa bumps the exponent, as it must (up to infinity).
    return static_cast<uint16_t>(sign + (static_cast<uint32_t>(e) << 10) +
                                 shiftRoundEven(mantissa, 13));
}

float halfToFloat(uint16_t h) {
    uint32_t sign = static_cast<uint32_t>(h & 0x8000) << 16;
    uint32_t exponent = (h >> 10) & 0x1f;
    uint32_t mantissa = h & 0x3ff;
    if (exponent == 0) {
        float magnitude = std::ldexp(static_cast<float>(mantissa), -24);
        return sign ? -magnitude : magnitude;
    }
    if (exponent == 0x1f) return bitsFloat(sign | 0x7f800000 | (mantissa << 13));
    return bitsFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
}

uint16_t floatToBf16(float f) {
    uint32_t x = floatBits(f);
    if ((x & 0x7fffffff) > 0x7f800000) return static_cast<uint16_t>((x >> 16) | 0x40);  // NaN
    return static_cast<uint16_t>((x + 0x7fff + ((x >> 16) & 1)) >> 16);
}

float bf16ToFloat(uint16_t b) {
    return bitsFloat(static_cast<uint32_t>(b) << 16);
}

double loadElement(const void *buffer, size_t i, HcclDataType type) {
    switch (type) {
        case HCCL_DATA_TYPE_INT8:
            return load<int8_t>(buffer, i);
        case HCCL_DATA_TYPE_INT16:
            return load<int16_t>(buffer, i);
        case HCCL_DATA_TYPE_INT32:
            return load<int32_t>(buffer, i);
        case HCCL_DATA_TYPE_FP16:
            return halfToFloat(load<uint16_t>(buffer, i));
        case HCCL_DATA_TYPE_FP32:
            return load<float>(buffer, i);
        case HCCL_DATA_TYPE_INT64:
            return static_cast<double>(load<int64_t>(buffer, i));
        case HCCL_DATA_TYPE_UINT64:
            return static_cast<double>(load<uint64_t>(buffer, i));
        case HCCL_DATA_TYPE_UINT8:
            return load<uint8_t>(buffer, i);
        case HCCL_DATA_TYPE_UINT16:
            return load<uint16_t>(buffer, i);
        case HCCL_DATA_TYPE_UINT32:
            return load<uint32_t>(buffer, i);
        case HCCL_DATA_TYPE_FP64:
            return load<double>(buffer, i);
        case HCCL_DATA_TYPE_BFP16:
            return bf16ToFloat(load<uint16_t>(buffer, i));
        default:
            return std::nan("");
    }
}

void storeElement(void *buffer, size_t i, HcclDataType type, double v) {
    switch (type) {
        case HCCL_DATA_TYPE_INT8:
            store(buffer, i, static_cast<int8_t>(v));
            break;
        case HCCL_DATA_TYPE_INT16:
            store(buffer, i, static_cast<int16_t>(v));
            break;
        case HCCL_DATA_TYPE_INT32:
            store(buffer, i, static_cast<int32_t>(v));
            break;
        case HCCL_DATA_TYPE_FP16:
            store(buffer, i, floatToHalf(static_cast<float>(v)));
            break;
        case HCCL_DATA_TYPE_FP32:
            store(buffer, i, static_cast<float>(v));
            break;
        case HCCL_DATA_TYPE_INT64:
            store(buffer, i, static_cast<int64_t>(v));
            break;
        case HCCL_DATA_TYPE_UINT64:
            store(buffer, i, static_cast<uint64_t>(v));
            break;
        case HCCL_DATA_TYPE_UINT8:
            store(buffer, i, static_cast<uint8_t>(v));
            break;
        case HCCL_DATA_TYPE_UINT16:
            store(buffer, i, static_cast<uint16_t>(v));
            break;
        case HCCL_DATA_TYPE_UINT32:
            store(buffer, i, static_cast<uint32_t>(v));
            break;
        case HCCL_DATA_TYPE_FP64:
            store(buffer, i, v);
            break;
        case HCCL_DATA_TYPE_BFP16:
            store(buffer, i, floatToBf16(static_cast<float>(v)));
            break;
        default:
            break;
    }
}

}  // namespace hccltest
