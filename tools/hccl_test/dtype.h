// The data types hccl_test knows, their element sizes, and exact conversion between a host
// `double` and the bytes of one element. Every value the tool writes or expects is an integer
// small enough to be exact in its type (fp16 and bf16 included), so a double holds it exactly.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "hccl/hccl_types.h"

namespace hccltest {

struct DataTypeInfo {
    HcclDataType type;
    const char *name;  // as given to -d
    size_t size;       // bytes per element
    bool isFloat;
    bool isSigned;
    double maxExact;  // largest integer every element can hold exactly
};

// -d names in hccl_test's order: the index is the HcclDataType value.
const DataTypeInfo *findDataType(std::string_view name);
const DataTypeInfo &dataTypeInfo(HcclDataType type);
std::string dataTypeNames();  // "int8, int16, ..." for messages

// Element i of a buffer of `type` as a double, and back (exact for the tool's values).
double loadElement(const void *buffer, size_t i, HcclDataType type);
void storeElement(void *buffer, size_t i, HcclDataType type, double value);

// IEEE half and bfloat16 from/to float, round to nearest even.
uint16_t floatToHalf(float f);
float halfToFloat(uint16_t h);
uint16_t floatToBf16(float f);
float bf16ToFloat(uint16_t b);

}  // namespace hccltest
