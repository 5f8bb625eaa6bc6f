// Compares a rank's output, element by element, with what it must hold.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ops.h"

namespace hccltest {

struct Mismatch {
    uint64_t index;
    double expected;
    double got;
};

struct CheckResult {
    uint64_t mismatches = 0;
    std::vector<Mismatch> first;  // the first few, in index order
};

// Every element of `output` (count elements of dataType) against `expected`.
CheckResult compareOutput(const void *output, uint64_t count, HcclDataType dataType,
                          const Expectation &expected, size_t keep = 5);

// "rank 3: element 17: expected 4, got 5"
std::string describeMismatch(uint32_t rank, const Mismatch &m);

}  // namespace hccltest
