// Runs with HCCL_CPU_CHECK_MEMORY=0 (set by CTest): the kind and bounds checks are off.
#include <cstring>
#include <vector>

#include "runtime_test_util.h"

namespace hcclcpu::rt::test {
namespace {

using UncheckedMemoryTest = DeviceTest;

TEST_F(UncheckedMemoryTest, KindMismatchIsAcceptedWhenChecksAreOff) {
    ASSERT_FALSE(memoryChecksEnabled());
    DeviceBuffer dev(64);
    std::vector<unsigned char> host(64, 0xab);
    Stream *s = nullptr;
    ASSERT_EQ(defaultStream(&s), Err::kOk);
    EXPECT_EQ(enqueueCopy(s, dev.ptr, 64, host.data(), 64, CopyKind::kDeviceToHost), Err::kOk);
    EXPECT_EQ(streamSynchronize(s), Err::kOk);
    EXPECT_EQ(dev.as<unsigned char>()[63], 0xab);
}

}  // namespace
}  // namespace hcclcpu::rt::test
