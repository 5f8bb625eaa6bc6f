// Gloo baseline for hccl_test: the same operations, sizes and table, one forked process per
// rank, TCP over loopback, rendezvous through a FileStore in a fresh temporary directory.
// `gloo_coll_bench create -np 8` times the context creation (rendezvous + full mesh) instead.
#include <gloo/allgather.h>
#include <gloo/allreduce.h>
#include <gloo/barrier.h>
#include <gloo/broadcast.h>
#include <gloo/math.h>
#include <gloo/rendezvous/context.h>
#include <gloo/rendezvous/file_store.h>
#include <gloo/transport/tcp/device.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "coll_common.h"
#include "fork_launcher.h"

namespace {

using hcclcpu::compare::Op;
using Clock = std::chrono::steady_clock;

constexpr int kTimeoutSeconds = 600;
constexpr auto kOpTimeout = std::chrono::seconds(60);

std::shared_ptr<gloo::Context> connectContext(const std::string &dir, int rank, int nranks) {
    gloo::transport::tcp::attr attr("127.0.0.1");
    auto device = gloo::transport::tcp::CreateDevice(attr);
    gloo::rendezvous::FileStore store(dir);
    auto context = std::make_shared<gloo::rendezvous::Context>(rank, nranks);
    context->setTimeout(kOpTimeout);
    context->connectFullMesh(store, device);
    return context;
}

double maxOverRanks(const std::shared_ptr<gloo::Context> &context, double value) {
    gloo::AllreduceOptions opts(context);
    opts.setOutput(&value, 1);
    opts.setReduceFunction(
        static_cast<void (*)(void *, const void *, const void *, size_t)>(&gloo::max<double>));
    opts.setTag(1);
    gloo::allreduce(opts);
    return value;
}

// Runs one size: warm-up, barrier, -n timed operations. Returns the slowest rank's mean (µs)
// and whether every rank's result was right.
std::pair<double, bool> runSize(const std::shared_ptr<gloo::Context> &context,
                                const hcclcpu::compare::Options &o, std::size_t bytes) {
    const int rank = context->rank, nranks = context->size;
    std::size_t sendCount = hcclcpu::compare::sendElements(o.op, bytes, nranks);
    std::size_t recvCount = hcclcpu::compare::recvElements(o.op, bytes, nranks);
    std::vector<float> send(sendCount), recv(recvCount);
    for (std::size_t i = 0; i < sendCount; ++i) {
        send[i] = hcclcpu::compare::inputValue(rank, i);
    }
    for (std::size_t i = 0; i < recvCount; ++i) {
        recv[i] = o.op == Op::kBroadcast && rank == 0 ? send[i] : -1.0f;
    }

    gloo::AllreduceOptions allreduce(context);
    gloo::AllgatherOptions allgather(context);
    gloo::BroadcastOptions broadcast(context);
    switch (o.op) {
        case Op::kAllReduce:
            allreduce.setInput(send.data(), sendCount);
            allreduce.setOutput(recv.data(), recvCount);
            allreduce.setReduceFunction(
                static_cast<void (*)(void *, const void *, const void *, size_t)>(
                    &gloo::sum<float>));
            break;
        case Op::kAllGather:
            allgather.setInput(send.data(), sendCount);
            allgather.setOutput(recv.data(), recvCount);
            break;
        case Op::kBroadcast:
            broadcast.setOutput(recv.data(), recvCount);
            broadcast.setRoot(0);
            break;
    }
    auto run = [&] {
        switch (o.op) {
            case Op::kAllReduce:
                gloo::allreduce(allreduce);
                break;
            case Op::kAllGather:
                gloo::allgather(allgather);
                break;
            case Op::kBroadcast:
                gloo::broadcast(broadcast);
                break;
        }
    };
    for (int i = 0; i < o.warmup; ++i) {
        run();
    }
    gloo::BarrierOptions barrier(context);
    gloo::barrier(barrier);
    auto start = Clock::now();
    for (int i = 0; i < o.iters; ++i) {
        run();
    }
    double mine = std::chrono::duration<double, std::micro>(Clock::now() - start).count() / o.iters;
    bool ok = true;
    for (std::size_t i = 0; i < recvCount && ok; ++i) {
        ok = recv[i] == hcclcpu::compare::expectedValue(o.op, nranks, sendCount, i);
    }
    double slowest = maxOverRanks(context, mine);
    bool allOk = maxOverRanks(context, ok ? 0.0 : 1.0) == 0.0;
    return {slowest, allOk};
}

int benchRank(const std::string &dir, const hcclcpu::compare::Options &o, int rank) {
    try {
        auto context = connectContext(dir, rank, o.nranks);
        bool allOk = true;
        for (std::size_t bytes : hcclcpu::compare::sizeSequence(o)) {
            auto [avgUs, ok] = runSize(context, o, bytes);
            if (rank == 0) {
                std::size_t shown =
                    hcclcpu::compare::recvElements(o.op, bytes, o.nranks) * sizeof(float);
                hcclcpu::compare::printRow(shown, avgUs, o.op, o.nranks, ok);
            }
            allOk = allOk && ok;
        }
        return allOk ? 0 : 1;
    } catch (const std::exception &e) {
        std::fprintf(stderr, "gloo rank %d: %s\n", rank, e.what());
        return 3;
    }
}

// Context creation: from the rank's first gloo call to a connected full mesh, plus the barrier
// that shows every peer is connected.
int createRank(const std::string &dir, int nranks, int rank) {
    try {
        auto start = Clock::now();
        auto context = connectContext(dir, rank, nranks);
        double connectMs = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
        gloo::BarrierOptions barrier(context);
        gloo::barrier(barrier);
        double slowest = maxOverRanks(context, connectMs);
        if (rank == 0) {
            std::printf(
                "gloo context (FileStore + tcp connectFullMesh), %d ranks: %.2f ms "
                "(slowest rank)\n",
                nranks, slowest);
        }
        return 0;
    } catch (const std::exception &e) {
        std::fprintf(stderr, "gloo rank %d: %s\n", rank, e.what());
        return 3;
    }
}

std::string makeStoreDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "gloo-store-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) {
        std::perror("mkdtemp");
        std::exit(1);
    }
    return pattern;
}

}  // namespace

int main(int argc, char **argv) {
    const char *usage =
        "gloo_coll_bench all_reduce|all_gather|broadcast|create -np N "
        "[-b 8] [-e 64M] [-f 2] [-n 20] [-w 5]";
    bool create = argc >= 2 && std::strcmp(argv[1], "create") == 0;
    std::string opWord = "all_reduce";
    if (create) {
        argv[1] = opWord.data();  // parse the remaining flags the same way
    }
    auto options = hcclcpu::compare::parseOptions(argc, argv, usage);
    if (!options) {
        return 2;
    }
    if (options->nranks < 1) {
        std::fprintf(stderr, "-np N is required\nusage: %s\n", usage);
        return 2;
    }
    std::string dir = makeStoreDir();
    int code;
    if (create) {
        code = hcclcpu::compare::runForked(options->nranks, kTimeoutSeconds, [&](int rank) {
            return createRank(dir, options->nranks, rank);
        });
    } else {
        hcclcpu::compare::printHeader("Gloo (tcp, loopback)", *options, options->nranks);
        code = hcclcpu::compare::runForked(options->nranks, kTimeoutSeconds, [&](int rank) {
            return benchRank(dir, *options, rank);
        });
    }
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
    return code;
}
