// Element-wise reduction kernels: what the emulated SDMA/vector engines compute.
//
// fp16 and bf16 are computed in float and rounded back to nearest-even; denormals are kept (no
// flush to zero). Because float has at least 2p+2 significand bits for both formats, this gives the
// correctly rounded result of one native half-precision operation. Integer sums and products wrap
// (two's complement). MAX/MIN of floats propagate NaN.
#pragma once

#include <cstddef>
#include <cstdint>

#include "runtime/types.h"

namespace hcclcpu::rt {

// Bytes per element; 0 for values that are not data types.
size_t dataTypeSize(DataType type);
const char *dataTypeName(DataType type);
const char *reduceOpName(ReduceOp op);
// True when reduce() has a kernel for the pair.
bool reduceSupported(DataType type, ReduceOp op);
// dst[i] = a[i] op b[i] for i < count. dst may alias a or b exactly (not partially).
// Precondition: reduceSupported(type, op).
void reduce(void *dst, const void *a, const void *b, size_t count, DataType type, ReduceOp op);

// Scalar conversions (exposed for tests and for building reference results).
float halfToFloat(uint16_t h);
uint16_t floatToHalf(float f);  // round to nearest even
float bf16ToFloat(uint16_t b);
uint16_t floatToBf16(float f);  // round to nearest even; NaN stays NaN

}  // namespace hcclcpu::rt
