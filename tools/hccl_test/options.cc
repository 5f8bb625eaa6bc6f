#include "options.h"

#include <charconv>
#include <limits>

#include "dtype.h"

namespace hccltest {

namespace {

const char *const kReduceOps[] = {"sum", "prod", "max", "min"};  // index = HcclReduceOp

std::optional<uint64_t> parseUnsigned(std::string_view text) {
    uint64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
    return value;
}

std::string_view baseName(std::string_view path) {
    size_t slash = path.rfind('/');
    return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

struct Parser {
    Options options;
    std::string error;

    bool fail(std::string message) {
        error = std::move(message);
        return false;
    }

    bool number(std::string_view flag, std::string_view text, uint64_t max, uint64_t *out) {
        auto v = parseUnsigned(text);
        if (!v || *v > max)
            return fail(std::string(flag) + " expects a number up to " + std::to_string(max) +
                        ", got '" + std::string(text) + "'");
        *out = *v;
        return true;
    }

    bool number32(std::string_view flag, std::string_view text, uint32_t *out) {
        uint64_t v = 0;
        if (!number(flag, text, std::numeric_limits<uint32_t>::max(), &v)) return false;
        *out = static_cast<uint32_t>(v);
        return true;
    }

    bool bytes(std::string_view flag, std::string_view text, uint64_t *out) {
        auto v = parseBytes(text);
        if (!v)
            return fail(std::string(flag) +
                        " expects a size in bytes > 0 (suffix K, M or G), got '" +
                        std::string(text) + "'");
        *out = *v;
        return true;
    }

    // One option with its value; false on error.
    bool apply(std::string_view name, std::string_view value) {
        Options &o = options;
        if (name == "b" || name == "minbytes") return bytes("-b", value, &o.minBytes);
        if (name == "e" || name == "maxbytes") return bytes("-e", value, &o.maxBytes);
        if (name == "i" || name == "stepbytes") return bytes("-i", value, &o.stepBytes);
        if (name == "f" || name == "stepfactor") {
            o.stepFactorGiven = true;
            return number("-f", value, 1u << 20, &o.stepFactor);
        }
        if (name == "d" || name == "datatype") {
            const DataTypeInfo *type = findDataType(value);
            if (!type)
                return fail("unknown data type '" + std::string(value) + "' (-d takes one of " +
                            dataTypeNames() + ")");
            o.dataType = type->type;
            return true;
        }
        if (name == "o" || name == "op") {
            for (int i = 0; i < 4; ++i)
                if (value == kReduceOps[i]) {
                    o.reduceOp = static_cast<HcclReduceOp>(i);
                    return true;
                }
            return fail("unknown reduction '" + std::string(value) +
                        "' (-o takes sum, prod, max or min)");
        }
        if (name == "r" || name == "root") return number32("-r", value, &o.root);
        if (name == "p" || name == "npus") {
            if (!number32("-p", value, &o.npusPerNode)) return false;
            return o.npusPerNode > 0 || fail("-p must be at least 1");
        }
        if (name == "n" || name == "iters") {
            if (!number32("-n", value, &o.iters)) return false;
            return o.iters > 0 || fail("-n must be at least 1");
        }
        if (name == "w" || name == "warmup_iters") return number32("-w", value, &o.warmupIters);
        if (name == "c" || name == "check") {
            if (value != "0" && value != "1")
                return fail("-c expects 0 or 1, got '" + std::string(value) + "'");
            o.check = value == "1";
            return true;
        }
        if (name == "z" || name == "blocking") {
            if (value != "0" && value != "1")
                return fail("-z expects 0 or 1, got '" + std::string(value) + "'");
            o.blocking = value == "1";
            return true;
        }
        if (name == "bind-to") {
            if (value != "core" && value != "none")
                return fail("--bind-to expects core or none, got '" + std::string(value) + "'");
            o.bindToCore = value == "core";
            return true;
        }
        if (name == "np") {
            if (!number32("-np", value, &o.processes)) return false;
            return (o.processes >= 1 && o.processes <= 1024) ||
                   fail("-np must be between 1 and 1024");
        }
        return fail("unknown option '-" + std::string(name) + "'");
    }
};

}  // namespace

std::optional<uint64_t> parseBytes(std::string_view text) {
    uint64_t scale = 1;
    if (!text.empty()) {
        switch (text.back()) {
            case 'K':
            case 'k':
                scale = 1ull << 10;
                break;
            case 'M':
            case 'm':
                scale = 1ull << 20;
                break;
            case 'G':
            case 'g':
                scale = 1ull << 30;
                break;
            default:
                break;
        }
        if (scale != 1) text.remove_suffix(1);
    }
    auto value = parseUnsigned(text);
    if (!value || *value == 0 || *value > std::numeric_limits<uint64_t>::max() / scale / 16)
        return std::nullopt;
    return *value * scale;
}

ParseResult parseArgs(int argc, const char *const *argv) {
    ParseResult result;
    Parser parser;
    const OpInfo *op = argc > 0 ? findOp(baseName(argv[0])) : nullptr;
    if (op && baseName(argv[0]) == op->name) op = nullptr;  // "<op>_test" only
    bool opFromProgram = op != nullptr;

    for (int i = 1; i < argc; ++i) {
        std::string_view arg = argv[i];
        if (arg == "-h" || arg == "--help") {
            result.help = true;
            return result;
        }
        if (arg.size() < 2 || arg[0] != '-') {  // the operation
            const OpInfo *named = findOp(arg);
            if (opFromProgram || op || !named) {
                result.error =
                    opFromProgram || op
                        ? "unexpected argument '" + std::string(arg) + "'"
                        : "unknown operation '" + std::string(arg) + "' (one of " + opNames() + ")";
                return result;
            }
            op = named;
            continue;
        }
        // -b 8K, -b8K, --minbytes 8K, --minbytes=8K, -np 4
        std::string_view name, value;
        bool attached = false;
        if (arg.substr(0, 2) == "--") {
            name = arg.substr(2);
            size_t eq = name.find('=');
            if (eq != std::string_view::npos) {
                value = name.substr(eq + 1);
                name = name.substr(0, eq);
                attached = true;
            }
        } else if (arg == "-np") {
            name = "np";
        } else {
            name = arg.substr(1, 1);
            if (arg.size() > 2) {
                value = arg.substr(2);
                attached = true;
            }
        }
        if (!attached) {
            if (i + 1 >= argc) {
                result.error = "option '" + std::string(arg) + "' needs a value";
                return result;
            }
            value = argv[++i];
        }
        if (!parser.apply(name, value)) {
            result.error = parser.error;
            return result;
        }
    }
    if (!op) {
        result.error = "no operation given (one of " + opNames() + ")";
        return result;
    }
    Options &o = parser.options;
    o.op = op->id;
    if (o.minBytes > o.maxBytes) {
        result.error = "-b (" + std::to_string(o.minBytes) + ") is larger than -e (" +
                       std::to_string(o.maxBytes) + ")";
        return result;
    }
    bool additive = o.stepBytes > 0 && !(o.stepFactorGiven && o.stepFactor > 1);
    if (!additive && o.stepFactor < 2 && o.minBytes < o.maxBytes) {
        result.error = "-f must be at least 2 (or give -i) when -b is below -e";
        return result;
    }
    result.options = o;
    return result;
}

std::vector<uint64_t> sizeSequence(const Options &o) {
    std::vector<uint64_t> sizes;
    bool additive = o.stepBytes > 0 && !(o.stepFactorGiven && o.stepFactor > 1);
    for (uint64_t size = o.minBytes; size <= o.maxBytes;) {
        sizes.push_back(size);
        uint64_t next = additive ? size + o.stepBytes : size * o.stepFactor;
        if (next <= size) break;  // -f 1 with -b == -e
        size = next;
    }
    return sizes;
}

std::string validateForRanks(const Options &o, uint32_t ranks) {
    const OpInfo &op = opInfo(o.op);
    if (op.rooted && o.root >= ranks)
        return "root " + std::to_string(o.root) + " is not a rank of this job (ranks 0.." +
               std::to_string(ranks - 1) + ")";
    if (op.twoRanks && ranks < 2)
        return std::string(op.name) + " needs at least 2 ranks (use -np or mpirun)";
    if (o.npusPerNode > ranks)
        return "-p " + std::to_string(o.npusPerNode) + " is more than the " +
               std::to_string(ranks) + " ranks of this job";
    if (o.npusPerNode != 0 && ranks % o.npusPerNode != 0)
        return std::to_string(ranks) + " ranks are not a whole number of nodes of -p " +
               std::to_string(o.npusPerNode);
    return "";
}

std::string usage(std::string_view program) {
    std::string p(program);
    return "usage: " + p + " <operation> [options]     (or <operation>_test [options])\n" +
           "  operations: " + opNames() + "\n" +
           "  -b, --minbytes <size>      smallest data size (K, M, G suffixes) [32M]\n"
           "  -e, --maxbytes <size>      largest data size [32M]\n"
           "  -f, --stepfactor <n>       multiply the size by n each step [2]\n"
           "  -i, --stepbytes <size>     add size each step instead (when -f is not given)\n"
           "  -d, --datatype <type>      " +
           dataTypeNames() + " [fp32]\n" +
           "  -o, --op <op>              sum, prod, max, min [sum]\n"
           "  -r, --root <rank>          root of broadcast, reduce, scatter [0]\n"
           "  -p, --npus <n>             ranks per node [all]\n"
           "  -n, --iters <n>            timed iterations [20]\n"
           "  -w, --warmup_iters <n>     untimed iterations first [5]\n"
           "  -c, --check <0|1>          check every element of the output [1]\n"
           "  -z, --blocking <0|1>       synchronize after every operation, as nccl-tests -z 1:\n"
           "                             one operation's latency, not back-to-back pace [0]\n"
           "  -np <n>                    start n ranks as processes of this machine\n"
           "                             (without -np and outside mpirun: one rank)\n"
           "  --bind-to <core|none>      pin -np rank r to the (r mod n)-th usable CPU, as\n"
           "                             mpirun --bind-to core does [core]\n"
           "  -h, --help\n";
}

}  // namespace hccltest
