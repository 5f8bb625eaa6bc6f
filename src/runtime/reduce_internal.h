// Internals of the reduction kernels, exposed so tests can run each kernel set.
#pragma once

#include <cstddef>

#include "runtime/types.h"

namespace hcclcpu::rt::detail {

// reduce() runs one of two kernel sets, chosen once per process. Both must give bit-identical
// results (up to the payload of a NaN that fp32/fp64 SUM/PROD produce from two NaN inputs).
enum class KernelSet {
    kPortable,  // loops built for the baseline ISA; fp16 through the scalar conversions
    kAvx2,      // x86 with AVX2 and F16C: the loops built for AVX2, vector fp16/bf16 kernels
};

// True when this CPU and OS can run KernelSet::kAvx2; reduce() then uses it.
bool avx2Usable();

// reduce() through the given set (kAvx2 falls back to kPortable when !avx2Usable()).
void reduceWith(KernelSet set, void *dst, const void *a, const void *b, size_t count, DataType type,
                ReduceOp op);

}  // namespace hcclcpu::rt::detail
