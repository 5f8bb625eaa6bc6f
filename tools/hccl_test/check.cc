#include "check.h"

#include <cstdio>

#include "dtype.h"

namespace hccltest {

CheckResult compareOutput(const void *output, uint64_t count, HcclDataType dataType,
                          const Expectation &expected, size_t keep) {
    CheckResult result;
    for (uint64_t i = 0; i < count; ++i) {
        std::optional<double> want = expected.at(i);
        if (!want) continue;
        double got = loadElement(output, i, dataType);
        if (got == *want) continue;  // NaN (an unwritten fp element) never compares equal
        if (result.first.size() < keep) result.first.push_back({i, *want, got});
        ++result.mismatches;
    }
    return result;
}

std::string describeMismatch(uint32_t rank, const Mismatch &m) {
    char line[160];
    std::snprintf(line, sizeof(line), "rank %u: element %llu: expected %.17g, got %.17g", rank,
                  static_cast<unsigned long long>(m.index), m.expected, m.got);
    return line;
}

}  // namespace hccltest
