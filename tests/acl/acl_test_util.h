// Helpers shared by the ACL tests.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <thread>

#include "acl/acl.h"

namespace hcclcpu::acl::test {

// Binds the test thread to device 0 for the duration of each test.
class AclDeviceTest : public ::testing::Test {
  protected:
    void SetUp() override { ASSERT_EQ(aclrtSetDevice(0), ACL_SUCCESS); }
    void TearDown() override { EXPECT_EQ(aclrtResetDevice(0), ACL_SUCCESS); }
};

// Device memory freed at scope exit.
struct AclDeviceBuffer {
    explicit AclDeviceBuffer(size_t bytes) : size(bytes) {
        EXPECT_EQ(aclrtMalloc(&ptr, bytes, ACL_MEM_MALLOC_HUGE_FIRST), ACL_SUCCESS);
    }
    ~AclDeviceBuffer() {
        if (ptr != nullptr) {
            EXPECT_EQ(aclrtFree(ptr), ACL_SUCCESS);
        }
    }
    AclDeviceBuffer(const AclDeviceBuffer &) = delete;
    AclDeviceBuffer &operator=(const AclDeviceBuffer &) = delete;
    template <typename T>
    T *as() const {
        return static_cast<T *>(ptr);
    }
    void *ptr = nullptr;
    size_t size;
};

// Runs fn on a fresh thread, which has no device bound.
inline void onFreshThread(const std::function<void()> &fn) {
    std::thread(fn).join();
}

}  // namespace hcclcpu::acl::test
