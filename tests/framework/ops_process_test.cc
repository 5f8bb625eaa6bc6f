// Communicators whose ranks are processes: links between processes, operations end to end,
// init/destroy without leaks, and a peer killed with SIGKILL. The test binary starts itself
// again (posix_spawn of /proc/self/exe) with the child's rank and scenario in the environment;
// ChildRank.Run is the child's body and is skipped in a normal run.
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "framework_test_util.h"
#include "ops_test_util.h"
#include "resource_counts.h"

extern char **environ;

namespace hcclcpu::framework::test {
namespace {

constexpr const char *kScenarioVar = "HCCLCPU_TEST_SCENARIO";
constexpr const char *kRankVar = "HCCLCPU_TEST_RANK";
constexpr const char *kRanksVar = "HCCLCPU_TEST_NRANKS";
constexpr const char *kRootVar = "HCCLCPU_TEST_ROOT_INFO";

std::string toHex(const HcclRootInfo &root) {
    static const char *digits = "0123456789abcdef";
    std::string hex;
    for (char c : root.internal) {
        hex += digits[static_cast<uint8_t>(c) >> 4];
        hex += digits[static_cast<uint8_t>(c) & 15];
    }
    return hex;
}

bool fromHex(const std::string &hex, HcclRootInfo *root) {
    if (hex.size() != 2 * sizeof(root->internal)) return false;
    for (size_t i = 0; i < sizeof(root->internal); ++i)
        root->internal[i] = static_cast<char>(std::stoi(hex.substr(2 * i, 2), nullptr, 16));
    return true;
}

// Init, the body with a stream of the rank's device, destroy.
void asRank(uint32_t rank, uint32_t n, const HcclRootInfo &root,
            const std::function<void(HcclComm, aclrtStream)> &body) {
    HcclComm comm = nullptr;
    ASSERT_EQ(HcclCommInitRootInfo(n, &root, rank, &comm), HCCL_SUCCESS) << "rank " << rank;
    aclrtStream stream = nullptr;
    ASSERT_EQ(aclrtCreateStream(&stream), ACL_SUCCESS);
    body(comm, stream);
    EXPECT_EQ(HcclCommDestroy(comm), HCCL_SUCCESS);
    EXPECT_EQ(aclrtDestroyStream(stream), ACL_SUCCESS);
}

void allOps(uint32_t rank, uint32_t n, const HcclRootInfo &root) {
    asRank(rank, n, root, [&](HcclComm comm, aclrtStream stream) {
        for (const NamedCheck &op : allOpChecks())
            op.check(rank, n, comm, stream, 1000);
    });
}

void oneAllReduce(uint32_t rank, uint32_t n, const HcclRootInfo &root) {
    asRank(rank, n, root,
           [&](HcclComm comm, aclrtStream stream) { checkAllReduce(rank, n, comm, stream, 4096); });
}

void directEdges(uint32_t rank, uint32_t n, const HcclRootInfo &root) {
    asRank(rank, n, root,
           [&](HcclComm comm, aclrtStream stream) { checkDirectEdges(rank, n, comm, stream); });
}

void pipelinedBatch(uint32_t rank, uint32_t n, const HcclRootInfo &root) {
    asRank(rank, n, root,
           [&](HcclComm comm, aclrtStream stream) { checkPipelinedBatch(rank, n, comm, stream); });
}

// A large all-reduce whose send buffer is host memory on rank 1: the peers in other processes
// cannot map it, so every rank's operation fails (none waits for the exec timeout), and the
// communicator still works afterwards.
void hostBuffer(uint32_t rank, uint32_t n, const HcclRootInfo &root) {
    asRank(rank, n, root, [&](HcclComm comm, aclrtStream stream) {
        const uint64_t count = 100000;
        DeviceInts in(count), out(count);
        void *host = nullptr;
        ASSERT_EQ(aclrtMallocHost(&host, count * sizeof(int32_t)), ACL_SUCCESS);
        const auto start = std::chrono::steady_clock::now();
        ASSERT_EQ(HcclAllReduce(rank == 1 ? host : in.ptr(), out.ptr(), count, HCCL_DATA_TYPE_INT32,
                                HCCL_REDUCE_SUM, comm, stream),
                  HCCL_SUCCESS);
        EXPECT_NE(aclrtSynchronizeStream(stream), ACL_SUCCESS);
        EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
        checkAllReduce(rank, n, comm, stream, count);
        aclrtFreeHost(host);
    });
}

// Two barriers: when rank 0 has finished the second, every rank has finished the first. The
// victim may be killed while this rank is still in the second, which may then fail.
void twoBarriers(HcclComm comm, aclrtStream stream, bool checkSecond) {
    ASSERT_EQ(HcclBarrier(comm, stream), HCCL_SUCCESS);
    ASSERT_EQ(aclrtSynchronizeStream(stream), ACL_SUCCESS);
    ASSERT_EQ(HcclBarrier(comm, stream), HCCL_SUCCESS);
    aclError second = aclrtSynchronizeStream(stream);
    if (checkSecond) {
        ASSERT_EQ(second, ACL_SUCCESS);
    }
}

// Takes part in the barriers, then waits for HcclGetCommAsyncError to report the dead peer.
void survivor(uint32_t rank, uint32_t n, const HcclRootInfo &root) {
    asRank(rank, n, root, [&](HcclComm comm, aclrtStream stream) {
        twoBarriers(comm, stream, false);
        EXPECT_TRUE(eventually(
            [&] {
                HcclResult async = HCCL_SUCCESS;
                return HcclGetCommAsyncError(comm, &async) == HCCL_SUCCESS &&
                       async == HCCL_E_REMOTE;
            },
            std::chrono::seconds(30)));
    });
}

// ---- the child ------------------------------------------------------------------------------

TEST(ChildRank, Run) {
    const char *scenario = getenv(kScenarioVar);
    if (scenario == nullptr) GTEST_SKIP() << "runs only in the processes the other tests start";
    uint32_t rank = static_cast<uint32_t>(std::stoul(getenv(kRankVar)));
    uint32_t n = static_cast<uint32_t>(std::stoul(getenv(kRanksVar)));
    HcclRootInfo root;
    ASSERT_TRUE(fromHex(getenv(kRootVar), &root));
    ASSERT_EQ(aclrtSetDevice(static_cast<int32_t>(rank % 8)), ACL_SUCCESS);
    if (std::strcmp(scenario, "ops") == 0) {
        allOps(rank, n, root);
    } else if (std::strcmp(scenario, "allreduce") == 0) {
        oneAllReduce(rank, n, root);
    } else if (std::strcmp(scenario, "direct") == 0) {
        directEdges(rank, n, root);
    } else if (std::strcmp(scenario, "pipeline") == 0) {
        pipelinedBatch(rank, n, root);
    } else if (std::strcmp(scenario, "hostbuffer") == 0) {
        hostBuffer(rank, n, root);
    } else if (std::strcmp(scenario, "survivor") == 0) {
        survivor(rank, n, root);
    } else if (std::strcmp(scenario, "victim") == 0) {
        HcclComm comm = nullptr;
        ASSERT_EQ(HcclCommInitRootInfo(n, &root, rank, &comm), HCCL_SUCCESS);
        aclrtStream stream = nullptr;
        ASSERT_EQ(aclrtCreateStream(&stream), ACL_SUCCESS);
        twoBarriers(comm, stream, false);
        for (;;)
            pause();  // until SIGKILL
    } else {
        FAIL() << "unknown scenario " << scenario;
    }
    aclrtResetDevice(static_cast<int32_t>(rank % 8));
}

// ---- the parent -----------------------------------------------------------------------------

// Starts ranks 1..n-1 as processes, rank r running scenario(r); returns their pids.
std::vector<pid_t> spawnRanks(uint32_t n, const HcclRootInfo &root,
                              const std::function<const char *(uint32_t)> &scenario) {
    std::vector<pid_t> pids;
    std::string exe = "/proc/self/exe";
    std::string filter = "--gtest_filter=ChildRank.Run";
    for (uint32_t rank = 1; rank < n; ++rank) {
        std::vector<std::string> env;
        for (char **e = environ; *e != nullptr; ++e)
            if (std::strncmp(*e, "HCCLCPU_TEST_", 13) != 0) env.emplace_back(*e);
        env.push_back(std::string(kScenarioVar) + "=" + scenario(rank));
        env.push_back(std::string(kRankVar) + "=" + std::to_string(rank));
        env.push_back(std::string(kRanksVar) + "=" + std::to_string(n));
        env.push_back(std::string(kRootVar) + "=" + toHex(root));
        std::vector<char *> envp;
        for (std::string &s : env)
            envp.push_back(s.data());
        envp.push_back(nullptr);
        char *argv[] = {exe.data(), filter.data(), nullptr};
        pid_t pid = -1;
        EXPECT_EQ(posix_spawn(&pid, exe.c_str(), nullptr, nullptr, argv, envp.data()), 0);
        if (pid > 0) pids.push_back(pid);
    }
    return pids;
}

// Waits for the children (a child still running after `timeout` is killed); returns how many
// exited with status 0.
int waitRanks(const std::vector<pid_t> &pids, std::chrono::seconds timeout) {
    auto end = std::chrono::steady_clock::now() + timeout;
    int ok = 0;
    for (pid_t pid : pids) {
        int status = 0;
        for (;;) {
            pid_t done = waitpid(pid, &status, WNOHANG);
            if (done == pid) break;
            if (std::chrono::steady_clock::now() > end) {
                kill(pid, SIGKILL);
                waitpid(pid, &status, 0);
                status = -1;
                break;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        if (status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0) ++ok;
    }
    return ok;
}

HcclRootInfo rootInfo() {
    HcclRootInfo root{};
    EXPECT_EQ(HcclGetRootInfo(&root), HCCL_SUCCESS);
    return root;
}

// Ranks 1..n-1 run `scenario` as processes while this process runs rank 0 of it; every child
// must pass.
void runJob(uint32_t n, const char *scenario,
            void (*rank0)(uint32_t, uint32_t, const HcclRootInfo &)) {
    HcclRootInfo root = rootInfo();
    std::vector<pid_t> pids = spawnRanks(n, root, [&](uint32_t) { return scenario; });
    ASSERT_EQ(pids.size(), n - 1);
    rank0(0, n, root);
    EXPECT_EQ(waitRanks(pids, std::chrono::seconds(120)), static_cast<int>(n - 1));
}

class ProcessOps : public ::testing::TestWithParam<uint32_t> {
  protected:
    void SetUp() override { ASSERT_EQ(aclrtSetDevice(0), ACL_SUCCESS); }
    void TearDown() override { aclrtResetDevice(0); }
};

TEST_P(ProcessOps, EveryOperationGivesTheDocumentedResult) {
    runJob(GetParam(), "ops", allOps);
}

TEST_P(ProcessOps, InitAndDestroyLoopsLeakNothing) {
    const uint32_t n = GetParam();
    auto iteration = [&] {
        HcclRootInfo root = rootInfo();
        std::vector<pid_t> pids = spawnRanks(n, root, [](uint32_t) { return "allreduce"; });
        oneAllReduce(0, n, root);
        EXPECT_EQ(waitRanks(pids, std::chrono::seconds(60)), static_cast<int>(n - 1));
    };
    iteration();  // the engines of device 0 start once
    ResourceCounts before = ResourceCounts::now();
    for (int i = 0; i < 3; ++i)
        iteration();
    expectSameCounts(before, ResourceCounts::now());
}

TEST_P(ProcessOps, DirectKernelEdgesGiveTheDocumentedResult) {
    runJob(GetParam(), "direct", directEdges);
}

TEST_P(ProcessOps, PipelinedSmallOperationsSeeWhatTheStreamDidBeforeThem) {
    runJob(GetParam(), "pipeline", pipelinedBatch);
}

TEST_P(ProcessOps, AHostBufferThatPeersCannotMapFailsEveryRankQuickly) {
    runJob(GetParam(), "hostbuffer", hostBuffer);
}

INSTANTIATE_TEST_SUITE_P(Ranks, ProcessOps, ::testing::Values(2u, 4u));

// Three ranks: this process is rank 0, rank 1 a survivor, rank 2 a victim to be killed (pids[1]);
// all have passed two barriers on the returned communicator and stream.
void startWithVictim(std::vector<pid_t> *pids, HcclComm *comm, aclrtStream *stream) {
    HcclRootInfo root = rootInfo();
    *pids = spawnRanks(3, root, [](uint32_t rank) { return rank == 2 ? "victim" : "survivor"; });
    ASSERT_EQ(pids->size(), 2u);
    ASSERT_EQ(HcclCommInitRootInfo(3, &root, 0, comm), HCCL_SUCCESS);
    ASSERT_EQ(aclrtCreateStream(stream), ACL_SUCCESS);
    twoBarriers(*comm, *stream, true);
}

// Rank 2 is killed with SIGKILL after the barriers: the survivors' HcclGetCommAsyncError says
// HCCL_E_REMOTE within 2 s, and destroying their communicators still works.
TEST(ProcessPeers, APeerKilledWithSigkillIsRemoteErrorWithinTwoSeconds) {
    ASSERT_EQ(aclrtSetDevice(0), ACL_SUCCESS);
    std::vector<pid_t> pids;
    HcclComm comm = nullptr;
    aclrtStream stream = nullptr;
    startWithVictim(&pids, &comm, &stream);
    if (HasFatalFailure()) return;
    HcclResult async = HCCL_E_INTERNAL;
    EXPECT_EQ(HcclGetCommAsyncError(comm, &async), HCCL_SUCCESS);
    EXPECT_EQ(async, HCCL_SUCCESS);

    ASSERT_EQ(kill(pids[1], SIGKILL), 0);
    auto killed = std::chrono::steady_clock::now();
    EXPECT_TRUE(eventually(
        [&] {
            return HcclGetCommAsyncError(comm, &async) == HCCL_SUCCESS && async == HCCL_E_REMOTE;
        },
        std::chrono::seconds(10)));
    EXPECT_LT(std::chrono::steady_clock::now() - killed, std::chrono::seconds(2));
    EXPECT_EQ(HcclCommDestroy(comm), HCCL_SUCCESS);
    EXPECT_EQ(aclrtDestroyStream(stream), ACL_SUCCESS);
    EXPECT_EQ(waitRanks(pids, std::chrono::seconds(60)), 1);  // the survivor; the victim was killed
    aclrtResetDevice(0);
}

// The same kill while an all-reduce runs as a direct kernel: rank 0's kernel waits for the
// victim, and fails within 2 s of the kill, naming it.
TEST(ProcessPeers, ADirectKernelWaitingForAKilledPeerFailsWithinTwoSeconds) {
    ASSERT_EQ(aclrtSetDevice(0), ACL_SUCCESS);
    std::vector<pid_t> pids;
    HcclComm comm = nullptr;
    aclrtStream stream = nullptr;
    startWithVictim(&pids, &comm, &stream);
    if (HasFatalFailure()) return;
    const uint64_t count = 100000;
    DeviceInts in(count), out(count);
    ASSERT_EQ(HcclAllReduce(in.ptr(), out.ptr(), count, HCCL_DATA_TYPE_INT32, HCCL_REDUCE_SUM, comm,
                            stream),
              HCCL_SUCCESS);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));  // the kernel is waiting
    ASSERT_EQ(kill(pids[1], SIGKILL), 0);
    auto killed = std::chrono::steady_clock::now();
    EXPECT_NE(aclrtSynchronizeStream(stream), ACL_SUCCESS);
    EXPECT_LT(std::chrono::steady_clock::now() - killed, std::chrono::seconds(2));
    HcclResult async = HCCL_SUCCESS;
    EXPECT_EQ(HcclGetCommAsyncError(comm, &async), HCCL_SUCCESS);
    EXPECT_EQ(async, HCCL_E_REMOTE);
    EXPECT_EQ(HcclCommDestroy(comm), HCCL_SUCCESS);
    EXPECT_EQ(aclrtDestroyStream(stream), ACL_SUCCESS);
    EXPECT_EQ(waitRanks(pids, std::chrono::seconds(60)), 1);
    aclrtResetDevice(0);
}

}  // namespace
}  // namespace hcclcpu::framework::test
