// Several host threads using ACL at once, as the vendor examples do: one thread per device.
#include <atomic>
#include <cstring>
#include <thread>
#include <vector>

#include "acl_test_util.h"

namespace hcclcpu::acl::test {
namespace {

TEST(AclConcurrency, OneThreadPerDeviceWithEightDevices) {
    uint32_t count = 0;
    ASSERT_EQ(aclrtGetDeviceCount(&count), ACL_SUCCESS);
    if (count < 8) GTEST_SKIP() << "needs 8 devices, HCCL_CPU_DEVICE_COUNT gives " << count;
    constexpr size_t kBytes = 1 << 20;
    std::atomic<int> succeeded{0};
    std::vector<std::thread> threads;
    for (int32_t device = 0; device < 8; ++device) {
        threads.emplace_back([device, &succeeded] {
            ASSERT_EQ(aclrtSetDevice(device), ACL_SUCCESS);
            int32_t bound = -1;
            ASSERT_EQ(aclrtGetDevice(&bound), ACL_SUCCESS);
            ASSERT_EQ(bound, device);
            aclrtStream stream = nullptr;
            ASSERT_EQ(aclrtCreateStream(&stream), ACL_SUCCESS);
            void *a = nullptr, *b = nullptr;
            ASSERT_EQ(aclrtMalloc(&a, kBytes, ACL_MEM_MALLOC_HUGE_ONLY), ACL_SUCCESS);
            ASSERT_EQ(aclrtMalloc(&b, kBytes, ACL_MEM_MALLOC_HUGE_ONLY), ACL_SUCCESS);
            std::vector<unsigned char> src(kBytes, static_cast<unsigned char>(device + 1));
            std::vector<unsigned char> back(kBytes, 0);
            for (int round = 0; round < 20; ++round) {
                ASSERT_EQ(aclrtMemcpyAsync(a, kBytes, src.data(), kBytes, ACL_MEMCPY_HOST_TO_DEVICE,
                                           stream),
                          ACL_SUCCESS);
                ASSERT_EQ(
                    aclrtMemcpyAsync(b, kBytes, a, kBytes, ACL_MEMCPY_DEVICE_TO_DEVICE, stream),
                    ACL_SUCCESS);
                ASSERT_EQ(aclrtMemcpyAsync(back.data(), kBytes, b, kBytes,
                                           ACL_MEMCPY_DEVICE_TO_HOST, stream),
                          ACL_SUCCESS);
                ASSERT_EQ(aclrtSynchronizeStream(stream), ACL_SUCCESS);
                ASSERT_EQ(back, src);
                std::memset(back.data(), 0, kBytes);
            }
            EXPECT_EQ(aclrtFree(a), ACL_SUCCESS);
            EXPECT_EQ(aclrtFree(b), ACL_SUCCESS);
            EXPECT_EQ(aclrtDestroyStream(stream), ACL_SUCCESS);
            EXPECT_EQ(aclrtResetDevice(device), ACL_SUCCESS);
            succeeded.fetch_add(1);
        });
    }
    for (std::thread &t : threads)
        t.join();
    EXPECT_EQ(succeeded.load(), 8);
}

TEST(AclConcurrency, ThreadsSharingOneDeviceUseItsDefaultStream) {
    // The examples set device 0 in main and again in every worker thread.
    ASSERT_EQ(aclrtSetDevice(0), ACL_SUCCESS);
    constexpr int kThreads = 4;
    constexpr size_t kBytes = 64 << 10;
    std::vector<std::thread> threads;
    std::atomic<int> succeeded{0};
    for (int i = 0; i < kThreads; ++i) {
        threads.emplace_back([i, &succeeded] {
            ASSERT_EQ(aclrtSetDevice(0), ACL_SUCCESS);
            void *dev = nullptr;
            ASSERT_EQ(aclrtMalloc(&dev, kBytes, ACL_MEM_MALLOC_HUGE_FIRST), ACL_SUCCESS);
            std::vector<unsigned char> src(kBytes, static_cast<unsigned char>(i + 10));
            std::vector<unsigned char> back(kBytes, 0);
            ASSERT_EQ(aclrtMemcpyAsync(dev, kBytes, src.data(), kBytes, ACL_MEMCPY_HOST_TO_DEVICE,
                                       nullptr),
                      ACL_SUCCESS);
            ASSERT_EQ(aclrtMemcpyAsync(back.data(), kBytes, dev, kBytes, ACL_MEMCPY_DEVICE_TO_HOST,
                                       nullptr),
                      ACL_SUCCESS);
            ASSERT_EQ(aclrtSynchronizeStream(nullptr), ACL_SUCCESS);
            EXPECT_EQ(back, src);
            EXPECT_EQ(aclrtFree(dev), ACL_SUCCESS);
            EXPECT_EQ(aclrtResetDevice(0), ACL_SUCCESS);
            succeeded.fetch_add(1);
        });
    }
    for (std::thread &t : threads)
        t.join();
    EXPECT_EQ(succeeded.load(), kThreads);
    EXPECT_EQ(aclrtResetDevice(0), ACL_SUCCESS);
}

TEST(AclConcurrency, ContextsCreatedAndDestroyedFromManyThreads) {
    constexpr int kThreads = 4;
    std::vector<std::thread> threads;
    std::atomic<int> succeeded{0};
    for (int i = 0; i < kThreads; ++i) {
        threads.emplace_back([i, &succeeded] {
            for (int round = 0; round < 20; ++round) {
                aclrtContext context = nullptr;
                ASSERT_EQ(aclrtCreateContext(&context, i % 2), ACL_SUCCESS);
                aclrtContext current = nullptr;
                ASSERT_EQ(aclrtGetCurrentContext(&current), ACL_SUCCESS);
                ASSERT_EQ(current, context);
                ASSERT_EQ(aclrtDestroyContext(context), ACL_SUCCESS);
            }
            succeeded.fetch_add(1);
        });
    }
    for (std::thread &t : threads)
        t.join();
    EXPECT_EQ(succeeded.load(), kThreads);
}

}  // namespace
}  // namespace hcclcpu::acl::test
