#include "coll_common.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace hcclcpu::compare {
namespace {

std::optional<std::size_t> parseSize(const char *text) {
    char *end = nullptr;
    errno = 0;
    unsigned long long value = std::strtoull(text, &end, 10);
    if (errno != 0 || end == text) {
        return std::nullopt;
    }
    unsigned long long scale = 1;
    switch (std::toupper(static_cast<unsigned char>(*end))) {
        case 'K':
            scale = 1ull << 10;
            break;
        case 'M':
            scale = 1ull << 20;
            break;
        case 'G':
            scale = 1ull << 30;
            break;
        default:
            break;
    }
    if (scale != 1) {
        ++end;
    }
    if (*end == 'B' || *end == 'b') {
        ++end;
    }
    if (*end != '\0' || value > (1ull << 40) / scale) {
        return std::nullopt;
    }
    return value * scale;
}

std::optional<Op> parseOp(const std::string &name) {
    if (name == "all_reduce" || name == "allreduce") return Op::kAllReduce;
    if (name == "all_gather" || name == "allgather") return Op::kAllGather;
    if (name == "broadcast") return Op::kBroadcast;
    return std::nullopt;
}

}  // namespace

std::optional<Options> parseOptions(int argc, char **argv, const char *usage) {
    Options o;
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s\n", usage);
        return std::nullopt;
    }
    auto op = parseOp(argv[1]);
    if (!op) {
        std::fprintf(stderr, "unknown operation '%s'\nusage: %s\n", argv[1], usage);
        return std::nullopt;
    }
    o.op = *op;
    for (int i = 2; i < argc; i += 2) {
        std::string flag = argv[i];
        if (i + 1 >= argc) {
            std::fprintf(stderr, "%s needs a value\nusage: %s\n", flag.c_str(), usage);
            return std::nullopt;
        }
        auto value = parseSize(argv[i + 1]);
        if (!value) {
            std::fprintf(stderr, "bad value '%s' for %s\n", argv[i + 1], flag.c_str());
            return std::nullopt;
        }
        if (flag == "-b")
            o.minBytes = *value;
        else if (flag == "-e")
            o.maxBytes = *value;
        else if (flag == "-f")
            o.factor = *value;
        else if (flag == "-n")
            o.iters = static_cast<int>(*value);
        else if (flag == "-w")
            o.warmup = static_cast<int>(*value);
        else if (flag == "-np")
            o.nranks = static_cast<int>(*value);
        else {
            std::fprintf(stderr, "unknown flag %s\nusage: %s\n", flag.c_str(), usage);
            return std::nullopt;
        }
    }
    if (o.minBytes == 0 || o.maxBytes < o.minBytes || o.factor < 2 || o.iters < 1 ||
        o.iters > 100000 || o.warmup > 100000 || o.nranks > 64) {
        std::fprintf(stderr,
                     "need 0 < -b <= -e, -f >= 2, 1 <= -n <= 100000, -w <= 100000, -np <= 64\n");
        return std::nullopt;
    }
    return o;
}

std::vector<std::size_t> sizeSequence(const Options &o) {
    std::vector<std::size_t> sizes;
    for (std::size_t s = o.minBytes; s <= o.maxBytes; s *= o.factor) {
        sizes.push_back(s);
    }
    return sizes;
}

const char *opName(Op op) {
    switch (op) {
        case Op::kAllReduce:
            return "all_reduce";
        case Op::kAllGather:
            return "all_gather";
        case Op::kBroadcast:
            return "broadcast";
    }
    return "?";
}

std::size_t sendElements(Op op, std::size_t bytes, int nranks) {
    std::size_t elements = bytes / sizeof(float);
    if (op == Op::kAllGather) {
        elements /= static_cast<std::size_t>(nranks);
    }
    return std::max<std::size_t>(elements, 1);
}

std::size_t recvElements(Op op, std::size_t bytes, int nranks) {
    std::size_t send = sendElements(op, bytes, nranks);
    return op == Op::kAllGather ? send * static_cast<std::size_t>(nranks) : send;
}

double busFactor(Op op, int nranks) {
    double n = nranks;
    switch (op) {
        case Op::kAllReduce:
            return 2.0 * (n - 1) / n;
        case Op::kAllGather:
            return (n - 1) / n;
        case Op::kBroadcast:
            return 1.0;
    }
    return 1.0;
}

float inputValue(int rank, std::size_t i) {
    return static_cast<float>(rank + 1) + static_cast<float>(i % 7);
}

float expectedValue(Op op, int nranks, std::size_t sendCount, std::size_t i) {
    switch (op) {
        case Op::kAllReduce: {
            float sum = 0;
            for (int r = 0; r < nranks; ++r) {
                sum += inputValue(r, i);
            }
            return sum;
        }
        case Op::kAllGather:
            return inputValue(static_cast<int>(i / sendCount), i % sendCount);
        case Op::kBroadcast:
            return inputValue(0, i);
    }
    return 0;
}

void printHeader(const char *who, const Options &o, int nranks) {
    std::printf("%s %s: %d ranks, float32%s\n", who, opName(o.op), nranks,
                o.op == Op::kAllReduce ? ", sum" : (o.op == Op::kBroadcast ? ", root 0" : ""));
    std::printf("the minbytes is %zu, maxbytes is %zu, iters is %d, warmup_iters is %d\n",
                o.minBytes, o.maxBytes, o.iters, o.warmup);
    std::printf(
        "data_size(Bytes): | aveg_time(us): | alg_bandwidth(GB/s): | check_result: | "
        "bus_bandwidth(GB/s):\n");
    std::fflush(stdout);
}

void printRow(std::size_t bytes, double avgUs, Op op, int nranks, bool ok) {
    double algbw = avgUs > 0 ? static_cast<double>(bytes) / avgUs / 1e3 : 0.0;
    std::printf("%-18zu| %-15.2f| %-21.5f| %-14s| %.5f\n", bytes, avgUs, algbw,
                ok ? "success" : "fail", algbw * busFactor(op, nranks));
    std::fflush(stdout);
}

}  // namespace hcclcpu::compare
