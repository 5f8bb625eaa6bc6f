// Helpers shared by the runtime tests.
#pragma once

#include <gtest/gtest.h>

#include "runtime/runtime.h"

namespace hcclcpu::rt::test {

// Binds the test thread to device 0 for the duration of each test.
class DeviceTest : public ::testing::Test {
  protected:
    void SetUp() override { ASSERT_EQ(setDevice(0), Err::kOk); }
    void TearDown() override { EXPECT_EQ(resetDevice(0), Err::kOk); }
};

// A device allocation freed at scope exit.
struct DeviceBuffer {
    explicit DeviceBuffer(size_t bytes) : size(bytes) {
        EXPECT_EQ(deviceMalloc(bytes, &ptr), Err::kOk);
    }
    ~DeviceBuffer() {
        if (ptr != nullptr) {
            EXPECT_EQ(deviceFree(ptr), Err::kOk);
        }
    }
    template <typename T>
    T *as() const {
        return static_cast<T *>(ptr);
    }
    void *ptr = nullptr;
    size_t size;
};

}  // namespace hcclcpu::rt::test
