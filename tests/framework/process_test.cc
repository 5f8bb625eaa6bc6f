// Ranks as processes, as hccl_test runs them: the root info travels to the other processes as a
// plain byte blob. The test binary starts itself again (posix_spawn of /proc/self/exe, which
// execs at once: no process with engine threads is ever forked) with the child's rank in the
// environment; ChildRank.Run is the child's body and is skipped in a normal run.
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "framework/communicator.h"
#include "framework_test_util.h"

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

std::vector<uint8_t> blockOf(uint32_t rank) {
    return std::vector<uint8_t>(rank + 3, static_cast<uint8_t>(0xa0 + rank));
}

// What every rank does in the "basic" scenario: init, check, allGather, barrier, destroy.
void basicRank(uint32_t rank, uint32_t n, const HcclRootInfo &root) {
    HcclComm comm = nullptr;
    ASSERT_EQ(HcclCommInitRootInfo(n, &root, rank, &comm), HCCL_SUCCESS) << "rank " << rank;
    uint32_t size = 0, id = 99;
    EXPECT_EQ(HcclGetRankSize(comm, &size), HCCL_SUCCESS);
    EXPECT_EQ(HcclGetRankId(comm, &id), HCCL_SUCCESS);
    EXPECT_EQ(size, n);
    EXPECT_EQ(id, rank);
    Bootstrap &b = findCommunicator(comm, "test")->bootstrap();
    for (uint32_t r = 0; r < n; ++r) {
        EXPECT_EQ(b.peer(r).sameProcessAs(b.self()), r == rank);
        EXPECT_TRUE(b.peer(r).sameHostAs(b.self()));
    }
    std::vector<uint8_t> mine = blockOf(rank);
    std::vector<std::vector<uint8_t>> all;
    ASSERT_EQ(b.allGather(mine.data(), mine.size(), all), HCCL_SUCCESS);
    for (uint32_t r = 0; r < n; ++r)
        EXPECT_EQ(all[r], blockOf(r));
    EXPECT_EQ(b.barrier(), HCCL_SUCCESS);
    EXPECT_EQ(HcclCommDestroy(comm), HCCL_SUCCESS);
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
    if (std::strcmp(scenario, "basic") == 0) {
        basicRank(rank, n, root);
    } else if (std::strcmp(scenario, "die") == 0) {
        // Join, talk once, then vanish without destroying anything.
        HcclComm comm = nullptr;
        ASSERT_EQ(HcclCommInitRootInfo(n, &root, rank, &comm), HCCL_SUCCESS);
        EXPECT_EQ(findCommunicator(comm, "test")->bootstrap().barrier(), HCCL_SUCCESS);
        _exit(0);
    } else {
        FAIL() << "unknown scenario " << scenario;
    }
    aclrtResetDevice(static_cast<int32_t>(rank % 8));
}

// ---- the parent -----------------------------------------------------------------------------

// Starts ranks 1..n-1 as processes; returns their pids.
std::vector<pid_t> spawnRanks(uint32_t n, const HcclRootInfo &root, const char *scenario) {
    std::vector<pid_t> pids;
    std::string exe = "/proc/self/exe";
    std::string filter = "--gtest_filter=ChildRank.Run";
    for (uint32_t rank = 1; rank < n; ++rank) {
        std::vector<std::string> env;
        for (char **e = environ; *e != nullptr; ++e)
            if (std::strncmp(*e, "HCCLCPU_TEST_", 13) != 0) env.emplace_back(*e);
        env.push_back(std::string(kScenarioVar) + "=" + scenario);
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

// Waits for the children; a child still running after `timeout` is killed and counts as
// failed. Returns how many exited with status 0.
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

class ProcessRanks : public ::testing::TestWithParam<uint32_t> {};

TEST_P(ProcessRanks, InitAllGatherBarrierDestroy) {
    const uint32_t n = GetParam();
    ASSERT_EQ(aclrtSetDevice(0), ACL_SUCCESS);
    HcclRootInfo root{};
    ASSERT_EQ(HcclGetRootInfo(&root), HCCL_SUCCESS);
    std::vector<pid_t> pids = spawnRanks(n, root, "basic");
    ASSERT_EQ(pids.size(), n - 1);
    basicRank(0, n, root);
    EXPECT_EQ(waitRanks(pids, std::chrono::seconds(60)), static_cast<int>(n - 1));
    aclrtResetDevice(0);
}

INSTANTIATE_TEST_SUITE_P(Ranks, ProcessRanks, ::testing::Values(2u, 4u, 8u));

// The bootstrap sees the hang-up as HCCL_E_TCP_TRANSFER; HcclGetCommAsyncError reports the dead
// peer process as HCCL_E_REMOTE (the links' verdict comes first).
TEST(ProcessRanks, APeerProcessThatDiesIsTcpTransferNotAHang) {
    ASSERT_EQ(aclrtSetDevice(0), ACL_SUCCESS);
    HcclRootInfo root{};
    ASSERT_EQ(HcclGetRootInfo(&root), HCCL_SUCCESS);
    std::vector<pid_t> pids = spawnRanks(2, root, "die");
    HcclComm comm = nullptr;
    ASSERT_EQ(HcclCommInitRootInfo(2, &root, 0, &comm), HCCL_SUCCESS);
    Bootstrap &b = findCommunicator(comm, "test")->bootstrap();
    EXPECT_EQ(b.barrier(), HCCL_SUCCESS);
    std::vector<uint8_t> never;
    auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(b.recv(1, never), HCCL_E_TCP_TRANSFER);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(30));
    // The link monitor notices the hang-up on its own thread, soon after the bootstrap did.
    HcclResult async = HCCL_SUCCESS;
    EXPECT_TRUE(eventually(
        [&] {
            return HcclGetCommAsyncError(comm, &async) == HCCL_SUCCESS && async == HCCL_E_REMOTE;
        },
        std::chrono::seconds(2)))
        << "async error " << async;
    EXPECT_EQ(HcclCommDestroy(comm), HCCL_SUCCESS);
    EXPECT_EQ(waitRanks(pids, std::chrono::seconds(30)), 1);
    aclrtResetDevice(0);
}

}  // namespace
}  // namespace hcclcpu::framework::test
