#include "framework/algo_config.h"

#include <strings.h>

#include <array>
#include <atomic>
#include <cstring>
#include <optional>
#include <string_view>
#include <vector>

#include "common/log.h"

namespace hcclcpu::framework {

namespace {

using algorithm::AlgoConfig;
using algorithm::AlgoKind;
using algorithm::OpKind;

constexpr size_t kOpCount = static_cast<size_t>(OpKind::kCount);

struct OpName {
    const char *name;
    OpKind op;
};
constexpr std::array<OpName, kOpCount> kOps{{{"allgather", OpKind::kAllGather},
                                             {"reducescatter", OpKind::kReduceScatter},
                                             {"allreduce", OpKind::kAllReduce},
                                             {"broadcast", OpKind::kBroadcast},
                                             {"reduce", OpKind::kReduce},
                                             {"scatter", OpKind::kScatter},
                                             {"alltoall", OpKind::kAlltoAll}}};

// The vendor's algorithms this library does not have; the index is their warn-once slot.
constexpr std::array<const char *, 5> kNotImplemented{"NHR", "NHR_V1", "NB", "AHC", "pipeline"};
std::array<std::atomic<bool>, kNotImplemented.size()> g_warned{};

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    return s;
}

bool same(std::string_view a, const char *b) {
    return a.size() == std::strlen(b) && strncasecmp(a.data(), b, a.size()) == 0;
}

std::vector<std::string_view> split(std::string_view s, char separator) {
    std::vector<std::string_view> parts;
    for (;;) {
        size_t at = s.find(separator);
        parts.push_back(trim(s.substr(0, at)));
        if (at == std::string_view::npos) return parts;
        s.remove_prefix(at + 1);
    }
}

// An algorithm name; nullopt when unknown. Not implemented ones warn and give kAuto.
std::optional<AlgoKind> algoNamed(std::string_view name) {
    if (same(name, "NA")) return AlgoKind::kAuto;
    if (same(name, "ring")) return AlgoKind::kRing;
    if (same(name, "H-D_R")) return AlgoKind::kRecursiveHD;
    if (same(name, "pairwise")) return AlgoKind::kPairwise;
    if (same(name, "mesh")) return AlgoKind::kMesh;
    if (same(name, "star")) return AlgoKind::kStar;
    for (size_t i = 0; i < kNotImplemented.size(); ++i)
        if (same(name, kNotImplemented[i])) {
            if (!g_warned[i].exchange(true))
                HCPU_WARN(
                    "HCCL_ALGO: algorithm {} is not implemented here; the automatic choice "
                    "is used instead",
                    kNotImplemented[i]);
            return AlgoKind::kAuto;
        }
    return std::nullopt;
}

// "level0:NA;level1:<algo>[;level2:<algo>]" -> the level1 algorithm (kAuto when absent).
HcclResult parseLevels(std::string_view text, const std::string &whole, AlgoKind *algo) {
    *algo = AlgoKind::kAuto;
    bool seen[3] = {false, false, false};
    for (std::string_view level : split(text, ';')) {
        if (level.empty()) continue;  // a trailing ';'
        size_t colon = level.find(':');
        std::string_view key =
            colon == std::string_view::npos ? level : trim(level.substr(0, colon));
        int index = same(key, "level0")   ? 0
                    : same(key, "level1") ? 1
                    : same(key, "level2") ? 2
                                          : -1;
        if (colon == std::string_view::npos || index < 0) {
            HCPU_ERROR(
                "HCCL_ALGO \"{}\": \"{}\" is not level0:<algo>, level1:<algo> or "
                "level2:<algo>",
                whole, level);
            return HCCL_E_PARA;
        }
        if (seen[index]) {
            HCPU_ERROR("HCCL_ALGO \"{}\": {} is given twice", whole, key);
            return HCCL_E_PARA;
        }
        seen[index] = true;
        std::string_view name = trim(level.substr(colon + 1));
        std::optional<AlgoKind> kind = algoNamed(name);
        if (!kind) {
            HCPU_ERROR(
                "HCCL_ALGO \"{}\": unknown algorithm \"{}\" (expected NA, ring, H-D_R, "
                "pairwise, mesh, star, NHR, NHR_V1, NB, AHC or pipeline)",
                whole, name);
            return HCCL_E_PARA;
        }
        if (index == 0 && *kind != AlgoKind::kAuto)
            HCPU_WARN("HCCL_ALGO \"{}\": level0 can only be NA (one server); \"{}\" is ignored",
                      whole, name);
        if (index == 1) *algo = *kind;
        // level2 (between super-pods) has no meaning on one host.
    }
    return HCCL_SUCCESS;
}

// pairwise exists for alltoall only; elsewhere the executor chooses.
AlgoKind forOp(OpKind op, AlgoKind algo, const std::string &whole) {
    if (algo == AlgoKind::kPairwise && op != OpKind::kAlltoAll) {
        HCPU_WARN(
            "HCCL_ALGO \"{}\": pairwise applies to alltoall only; {} uses the automatic "
            "choice",
            whole, kOps[static_cast<size_t>(op)].name);
        return AlgoKind::kAuto;
    }
    return algo;
}

}  // namespace

HcclResult parseAlgoConfig(const std::string &text, AlgoConfig *config) {
    AlgoConfig parsed;
    parsed.deterministic = config->deterministic;
    std::string_view whole = trim(text);
    if (whole.empty()) {
        *config = parsed;
        return HCCL_SUCCESS;
    }
    if (whole.find('=') == std::string_view::npos) {
        AlgoKind algo;
        if (HcclResult r = parseLevels(whole, text, &algo); r != HCCL_SUCCESS) return r;
        if (algo == AlgoKind::kPairwise) {
            parsed.perOp[static_cast<size_t>(OpKind::kAlltoAll)] = algo;  // the others: auto
        } else {
            parsed.perOp.fill(algo);
        }
        *config = parsed;
        return HCCL_SUCCESS;
    }
    std::array<bool, kOpCount> given{};
    for (std::string_view entry : split(whole, '/')) {
        if (entry.empty()) continue;  // a trailing '/'
        size_t equals = entry.find('=');
        if (equals == std::string_view::npos) {
            HCPU_ERROR("HCCL_ALGO \"{}\": \"{}\" is not <op>=level0:NA;level1:<algo>", text, entry);
            return HCCL_E_PARA;
        }
        std::string_view opName = trim(entry.substr(0, equals));
        const OpName *op = nullptr;
        for (const OpName &candidate : kOps)
            if (same(opName, candidate.name)) op = &candidate;
        if (op == nullptr) {
            HCPU_ERROR(
                "HCCL_ALGO \"{}\": unknown operation \"{}\" (expected allgather, "
                "reducescatter, allreduce, broadcast, reduce, scatter or alltoall)",
                text, opName);
            return HCCL_E_PARA;
        }
        size_t index = static_cast<size_t>(op->op);
        if (given[index]) {
            HCPU_ERROR("HCCL_ALGO \"{}\": operation {} is given twice", text, op->name);
            return HCCL_E_PARA;
        }
        given[index] = true;
        AlgoKind algo;
        if (HcclResult r = parseLevels(entry.substr(equals + 1), text, &algo); r != HCCL_SUCCESS)
            return r;
        parsed.perOp[index] = forOp(op->op, algo, text);
    }
    *config = parsed;
    return HCCL_SUCCESS;
}

}  // namespace hcclcpu::framework
