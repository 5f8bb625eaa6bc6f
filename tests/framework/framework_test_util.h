// Shared set-up for the framework tests: loopback-only networking, ranks as threads, fd counts.
#pragma once

#include <dirent.h>
#include <gtest/gtest.h>

#include <stdlib.h>
#include "open_fds.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "hccl/hccl.h"

namespace hcclcpu::framework::test {

// Every rendezvous of the tests stays on loopback, on ports the kernel picks (other test
// binaries run at the same time). Tests about NIC or port choice set their own values.
// CCL buffers of 1 MB (not 200): every communicator allocates both at creation.
class LoopbackEnvironment : public ::testing::Environment {
  public:
    void SetUp() override {
        setenv("HCCL_IF_IP", "127.0.0.1", 1);
        setenv("HCCL_HOST_SOCKET_PORT_RANGE", "auto", 1);
        setenv("HCCL_BUFFSIZE", "1", 0);
    }
};
inline ::testing::Environment *const kLoopbackEnvironment =
    ::testing::AddGlobalTestEnvironment(new LoopbackEnvironment);

// Runs fn(rank) on `n` threads, each bound to device `rank` as the vendor examples do, and
// waits for all of them.
inline void runRanks(uint32_t n, const std::function<void(uint32_t)> &fn) {
    std::vector<std::thread> threads;
    for (uint32_t rank = 0; rank < n; ++rank)
        threads.emplace_back([rank, &fn] {
            ASSERT_EQ(aclrtSetDevice(static_cast<int32_t>(rank)), ACL_SUCCESS);
            fn(rank);
            aclrtResetDevice(static_cast<int32_t>(rank));
        });
    for (std::thread &t : threads)
        t.join();
}

// Initialises `n` ranks as threads from one root info; results[r] and comms[r] per rank.
inline void initRanks(uint32_t n, const HcclRootInfo &root, std::vector<HcclResult> &results,
                      std::vector<HcclComm> &comms) {
    results.assign(n, HCCL_E_RESERVED);
    comms.assign(n, nullptr);
    runRanks(n, [&](uint32_t rank) {
        results[rank] = HcclCommInitRootInfo(n, &root, rank, &comms[rank]);
    });
}

// A root info made on device 0 by the calling thread (which keeps no device afterwards).
inline HcclRootInfo makeRootInfo() {
    HcclRootInfo root{};
    EXPECT_EQ(aclrtSetDevice(0), ACL_SUCCESS);
    EXPECT_EQ(HcclGetRootInfo(&root), HCCL_SUCCESS);
    aclrtResetDevice(0);
    return root;
}

inline void destroyAll(std::vector<HcclComm> &comms) {
    for (HcclComm &comm : comms)
        if (comm != nullptr) {
            EXPECT_EQ(HcclCommDestroy(comm), HCCL_SUCCESS);
            comm = nullptr;
        }
}

// Polls `condition` every 10 ms until it holds or `timeout` passes.
inline bool eventually(const std::function<bool()> &condition,
                       std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    auto end = std::chrono::steady_clock::now() + timeout;
    while (!condition()) {
        if (std::chrono::steady_clock::now() > end) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return true;
}

}  // namespace hcclcpu::framework::test
