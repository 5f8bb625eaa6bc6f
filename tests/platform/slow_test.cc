// A real copy above 4 GiB: split into a 4 GiB chunk and the remainder (spec platform_api.md §2.1
// step 7). Needs about 8.5 GiB of memory.
#include <gtest/gtest.h>

#include "platform_test_util.h"

namespace hcclcpu::platform::test {
namespace {

class HcclD2DMemcpyAsyncLarge : public PlatformTest {};

TEST_F(HcclD2DMemcpyAsyncLarge, FourGiBPlusFourKiBIsTwoChunks) {
    const u64 fourGiB = 0x100000000ULL, count = fourGiB + 4096;
    hccl::DeviceMem src = hccl::DeviceMem::alloc(count), dst = hccl::DeviceMem::alloc(count);
    if (!src || !dst) GTEST_SKIP() << "not enough memory for two 4 GiB + 4 KiB buffers";
    auto *s = static_cast<uint8_t *>(src.ptr());
    auto *d = static_cast<uint8_t *>(dst.ptr());
    // Marks around the chunk edge and at both ends (device memory starts zeroed).
    for (u64 i = 0; i < 4096; ++i) {
        s[i] = static_cast<uint8_t>(i * 7 + 1);
        s[fourGiB - 4096 + i] = static_cast<uint8_t>(i * 3 + 2);
        s[fourGiB + i] = static_cast<uint8_t>(i * 5 + 3);
    }
    ASSERT_EQ(::HcclD2DMemcpyAsync(dispatcher_, dst, src, stream_, 4, hccl::LinkType::LINK_HCCS),
              HCCL_SUCCESS);
    ASSERT_EQ(sync(), rt::Err::kOk);
    auto reports = recorder_.reports();
    ASSERT_EQ(reports.size(), 2u);
    EXPECT_EQ(reports[0].dma.src, s);
    EXPECT_EQ(reports[0].dma.dst, d);
    EXPECT_EQ(reports[0].dma.size, fourGiB);
    EXPECT_EQ(reports[1].dma.src, s + fourGiB);
    EXPECT_EQ(reports[1].dma.dst, d + fourGiB);
    EXPECT_EQ(reports[1].dma.size, 4096u);
    for (const auto &r : reports) {
        EXPECT_EQ(r.type, hccl::TaskType::TASK_SDMA);
        EXPECT_EQ(r.dma.remoteUserRank, 4u);
        EXPECT_EQ(r.dma.linkType, hccl::LinkType::LINK_HCCS);
    }
    EXPECT_EQ(bytesOf(d, 4096), bytesOf(s, 4096));
    EXPECT_EQ(bytesOf(d + fourGiB - 4096, 8192), bytesOf(s + fourGiB - 4096, 8192));
    EXPECT_EQ(bytesOf(d + count - 64, 64), bytesOf(s + count - 64, 64));
    EXPECT_EQ(bytesOf(d + fourGiB / 2, 64), std::vector<uint8_t>(64, 0));
}

}  // namespace
}  // namespace hcclcpu::platform::test
