// HcclMemcpyAsync and HcclD2DMemcpyAsync (spec platform_api.md §2.1, §2.2).
#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "common/log.h"
#include "platform/split_size.h"
#include "platform_test_util.h"

namespace hcclcpu::platform::test {
namespace {

using hccl::LinkType;
using hccl::TaskType;
constexpr auto kD2D = HcclRtMemcpyKind::HCCL_RT_MEMCPY_KIND_DEVICE_TO_DEVICE;
constexpr auto kH2D = HcclRtMemcpyKind::HCCL_RT_MEMCPY_KIND_HOST_TO_DEVICE;
constexpr auto kD2H = HcclRtMemcpyKind::HCCL_RT_MEMCPY_KIND_DEVICE_TO_HOST;
constexpr auto kAddrD2D = HcclRtMemcpyKind::HCCL_RT_MEMCPY_ADDR_DEVICE_TO_DEVICE;
constexpr auto kReservedKind = HcclRtMemcpyKind::HCCL_RT_MEMCPY_KIND_RESERVED;

class HcclMemcpyAsync : public PlatformTest {};

TEST_F(HcclMemcpyAsync, NullDispatcherReturnsEPtr) {
    auto src = deviceBuffer(64, 1), dst = deviceBuffer(64);
    EXPECT_EQ(::HcclMemcpyAsync(nullptr, dst.ptr(), 64, src.ptr(), 64, kD2D, stream_,
                                INVALID_VALUE_RANKID, LinkType::LINK_ONCHIP),
              HCCL_E_PTR);
}

TEST_F(HcclMemcpyAsync, NullDstReturnsEPtrEvenWhenCountIsZero) {
    auto src = deviceBuffer(64, 1);
    EXPECT_EQ(::HcclMemcpyAsync(dispatcher_, nullptr, 64, src.ptr(), 0, kD2D, stream_, 0,
                                LinkType::LINK_ONCHIP),
              HCCL_E_PTR);
}

TEST_F(HcclMemcpyAsync, NullSrcReturnsEPtrEvenWhenCountIsZero) {
    auto dst = deviceBuffer(64);
    EXPECT_EQ(::HcclMemcpyAsync(dispatcher_, dst.ptr(), 64, nullptr, 0, kD2D, stream_, 0,
                                LinkType::LINK_ONCHIP),
              HCCL_E_PTR);
}

TEST_F(HcclMemcpyAsync, NullChecksRunBeforeTheNullStreamCopy) {
    char buffer[8] = {1};
    hccl::Stream none;
    EXPECT_EQ(
        ::HcclMemcpyAsync(dispatcher_, buffer, 0, nullptr, 0, kD2D, none, 0, LinkType::LINK_ONCHIP),
        HCCL_E_PTR);
}

TEST_F(HcclMemcpyAsync, CopiesDeviceToDeviceInStreamOrder) {
    auto src = deviceBuffer(4096, 7), mid = deviceBuffer(4096), dst = deviceBuffer(4096);
    ASSERT_EQ(::HcclMemcpyAsync(dispatcher_, mid.ptr(), 4096, src.ptr(), 4096, kD2D, stream_, 0,
                                LinkType::LINK_ONCHIP),
              HCCL_SUCCESS);
    ASSERT_EQ(::HcclMemcpyAsync(dispatcher_, dst.ptr(), 4096, mid.ptr(), 4096, kD2D, stream_, 0,
                                LinkType::LINK_ONCHIP),
              HCCL_SUCCESS);
    ASSERT_EQ(sync(), rt::Err::kOk);
    EXPECT_EQ(bytesOf(dst.ptr(), 4096), bytesOf(src.ptr(), 4096));
}

TEST_F(HcclMemcpyAsync, CopiesHostToDeviceAndBack) {
    void *host = nullptr, *back = nullptr;
    ASSERT_EQ(rt::hostMalloc(256, &host), rt::Err::kOk);
    ASSERT_EQ(rt::hostMalloc(256, &back), rt::Err::kOk);
    for (int i = 0; i < 256; ++i)
        static_cast<uint8_t *>(host)[i] = static_cast<uint8_t>(255 - i);
    auto dev = deviceBuffer(256);
    ASSERT_EQ(::HcclMemcpyAsync(dispatcher_, dev.ptr(), 256, host, 256, kH2D, stream_, 0,
                                LinkType::LINK_ONCHIP),
              HCCL_SUCCESS);
    ASSERT_EQ(::HcclMemcpyAsync(dispatcher_, back, 256, dev.ptr(), 256, kD2H, stream_, 0,
                                LinkType::LINK_ONCHIP),
              HCCL_SUCCESS);
    ASSERT_EQ(sync(), rt::Err::kOk);
    EXPECT_EQ(std::memcmp(host, back, 256), 0);
    EXPECT_EQ(rt::hostFree(host), rt::Err::kOk);
    EXPECT_EQ(rt::hostFree(back), rt::Err::kOk);
}

TEST_F(HcclMemcpyAsync, CountZeroIssuesNoTaskAndNoReport) {
    auto src = deviceBuffer(64, 1), dst = deviceBuffer(64);
    // Also with kinds that are rejected only when a task is issued.
    EXPECT_EQ(::HcclMemcpyAsync(dispatcher_, dst.ptr(), 64, src.ptr(), 0, kReservedKind, stream_, 0,
                                LinkType::LINK_ONCHIP),
              HCCL_SUCCESS);
    ASSERT_EQ(sync(), rt::Err::kOk);
    EXPECT_EQ(recorder_.size(), 0u);
    EXPECT_EQ(bytesOf(dst.ptr(), 64), std::vector<uint8_t>(64, 0));
}

TEST_F(HcclMemcpyAsync, SrcEqualsDstIssuesNoTaskAndNoReport) {
    auto buf = deviceBuffer(64, 1);
    // destMax 0 would be an error further on: the pointer test comes first.
    EXPECT_EQ(::HcclMemcpyAsync(dispatcher_, buf.ptr(), 0, buf.ptr(), 64, kAddrD2D, stream_, 0,
                                LinkType::LINK_ONCHIP),
              HCCL_SUCCESS);
    EXPECT_EQ(recorder_.size(), 0u);
}

TEST_F(HcclMemcpyAsync, DestMaxSmallerThanCountReturnsEPara) {
    auto src = deviceBuffer(64, 1), dst = deviceBuffer(64);
    EXPECT_EQ(::HcclMemcpyAsync(dispatcher_, dst.ptr(), 32, src.ptr(), 64, kD2D, stream_, 0,
                                LinkType::LINK_ONCHIP),
              HCCL_E_PARA);
    ASSERT_EQ(sync(), rt::Err::kOk);
    EXPECT_EQ(recorder_.size(), 0u);
    EXPECT_EQ(bytesOf(dst.ptr(), 64), std::vector<uint8_t>(64, 0));
}

TEST_F(HcclMemcpyAsync, KindAddrDeviceToDeviceReturnsEParaAtIssue) {
    auto src = deviceBuffer(64, 1), dst = deviceBuffer(64);
    EXPECT_EQ(::HcclMemcpyAsync(dispatcher_, dst.ptr(), 64, src.ptr(), 64, kAddrD2D, stream_, 0,
                                LinkType::LINK_ONCHIP),
              HCCL_E_PARA);
    EXPECT_EQ(recorder_.size(), 0u);
}

TEST_F(HcclMemcpyAsync, KindReservedReturnsEParaAtIssue) {
    auto src = deviceBuffer(64, 1), dst = deviceBuffer(64);
    EXPECT_EQ(::HcclMemcpyAsync(dispatcher_, dst.ptr(), 64, src.ptr(), 64, kReservedKind, stream_,
                                0, LinkType::LINK_ONCHIP),
              HCCL_E_PARA);
    EXPECT_EQ(
        ::HcclMemcpyAsync(dispatcher_, dst.ptr(), 64, src.ptr(), 64,
                          static_cast<HcclRtMemcpyKind>(77), stream_, 0, LinkType::LINK_ONCHIP),
        HCCL_E_PARA);
    EXPECT_EQ(recorder_.size(), 0u);
}

TEST_F(HcclMemcpyAsync, KindMismatchReturnsERuntimeAndWritesNothing) {
    auto src = deviceBuffer(64, 1), dst = deviceBuffer(64);
    EXPECT_EQ(::HcclMemcpyAsync(dispatcher_, dst.ptr(), 64, src.ptr(), 64, kH2D, stream_, 0,
                                LinkType::LINK_ONCHIP),
              HCCL_E_RUNTIME);
    ASSERT_EQ(sync(), rt::Err::kOk);
    EXPECT_EQ(recorder_.size(), 0u);
    EXPECT_EQ(bytesOf(dst.ptr(), 64), std::vector<uint8_t>(64, 0));
}

TEST_F(HcclMemcpyAsync, OutOfBoundsCopyReturnsERuntimeAndWritesNothing) {
    auto src = deviceBuffer(128, 1), dst = deviceBuffer(64);
    EXPECT_EQ(::HcclMemcpyAsync(dispatcher_, dst.ptr(), 128, src.ptr(), 128, kD2D, stream_, 0,
                                LinkType::LINK_ONCHIP),
              HCCL_E_RUNTIME);
    ASSERT_EQ(sync(), rt::Err::kOk);
    EXPECT_EQ(recorder_.size(), 0u);
    EXPECT_EQ(bytesOf(dst.ptr(), 64), std::vector<uint8_t>(64, 0));
}

TEST_F(HcclMemcpyAsync, NoCallbackRegisteredStillCopies) {
    HcclDispatcher quiet = nullptr;
    ASSERT_EQ(::HcclDispatcherInit(DispatcherType::DISPATCHER_NORMAL, 0, &quiet), HCCL_SUCCESS);
    auto src = deviceBuffer(64, 3), dst = deviceBuffer(64);
    EXPECT_EQ(::HcclMemcpyAsync(quiet, dst.ptr(), 64, src.ptr(), 64, kD2D, stream_, 0,
                                LinkType::LINK_ONCHIP),
              HCCL_SUCCESS);
    ASSERT_EQ(sync(), rt::Err::kOk);
    EXPECT_EQ(bytesOf(dst.ptr(), 64), bytesOf(src.ptr(), 64));
    EXPECT_EQ(::HcclDispatcherDestroy(quiet), HCCL_SUCCESS);
}

// ---- null stream: a synchronous memcpy_s -------------------------------------------------------

class HcclMemcpyAsyncNullStream : public PlatformTest {
  protected:
    hccl::Stream none_;
};

TEST_F(HcclMemcpyAsyncNullStream, CopiesSynchronouslyIgnoringKindWithoutReport) {
    char src[16] = "fifteen chars..";
    char dst[16] = {};
    EXPECT_EQ(::HcclMemcpyAsync(dispatcher_, dst, sizeof(dst), src, sizeof(src), kReservedKind,
                                none_, 0, LinkType::LINK_ONCHIP),
              HCCL_SUCCESS);
    EXPECT_EQ(std::memcmp(dst, src, sizeof(src)), 0);
    EXPECT_EQ(recorder_.size(), 0u);
}

TEST_F(HcclMemcpyAsyncNullStream, DestMaxZeroReturnsEInternalEvenWhenCountIsZero) {
    char src[4] = {1, 2, 3, 4}, dst[4] = {9, 9, 9, 9};
    EXPECT_EQ(::HcclMemcpyAsync(dispatcher_, dst, 0, src, 0, kD2D, none_, 0, LinkType::LINK_ONCHIP),
              HCCL_E_INTERNAL);
    EXPECT_EQ(dst[0], 9);
}

TEST_F(HcclMemcpyAsyncNullStream, DestMaxAbove2GiBReturnsEInternalAndWritesNothing) {
    char src[4] = {1, 2, 3, 4}, dst[4] = {9, 9, 9, 9};
    EXPECT_EQ(::HcclMemcpyAsync(dispatcher_, dst, 0x80000000ULL, src, 4, kD2D, none_, 0,
                                LinkType::LINK_ONCHIP),
              HCCL_E_INTERNAL);
    EXPECT_EQ(std::vector<char>(dst, dst + 4), std::vector<char>(4, 9));
}

TEST_F(HcclMemcpyAsyncNullStream, CountGreaterThanDestMaxZeroesDestination) {
    char src[8] = {1, 2, 3, 4, 5, 6, 7, 8}, dst[8] = {9, 9, 9, 9, 9, 9, 9, 9};
    EXPECT_EQ(::HcclMemcpyAsync(dispatcher_, dst, 6, src, 8, kD2D, none_, 0, LinkType::LINK_ONCHIP),
              HCCL_E_INTERNAL);
    // destMax bytes are zeroed, the rest is untouched.
    EXPECT_EQ(std::vector<char>(dst, dst + 8), (std::vector<char>{0, 0, 0, 0, 0, 0, 9, 9}));
}

TEST_F(HcclMemcpyAsyncNullStream, OverlappingRangesZeroDestination) {
    char buffer[16];
    for (int i = 0; i < 16; ++i)
        buffer[i] = static_cast<char>(i + 1);
    EXPECT_EQ(::HcclMemcpyAsync(dispatcher_, buffer + 4, 8, buffer, 8, kD2D, none_, 0,
                                LinkType::LINK_ONCHIP),
              HCCL_E_INTERNAL);
    EXPECT_EQ(std::vector<char>(buffer + 4, buffer + 12), std::vector<char>(8, 0));
    EXPECT_EQ(buffer[0], 1);
    EXPECT_EQ(buffer[12], 13);
}

TEST_F(HcclMemcpyAsyncNullStream, CountZeroSucceeds) {
    char src[4] = {1, 2, 3, 4}, dst[4] = {9, 9, 9, 9};
    EXPECT_EQ(::HcclMemcpyAsync(dispatcher_, dst, 4, src, 0, kD2D, none_, 0, LinkType::LINK_ONCHIP),
              HCCL_SUCCESS);
    EXPECT_EQ(dst[0], 9);
}

TEST_F(HcclMemcpyAsyncNullStream, SrcEqualsDstSucceeds) {
    char buffer[4] = {1, 2, 3, 4};
    EXPECT_EQ(
        ::HcclMemcpyAsync(dispatcher_, buffer, 4, buffer, 4, kD2D, none_, 0, LinkType::LINK_ONCHIP),
        HCCL_SUCCESS);
    EXPECT_EQ(buffer[3], 4);
}

// ---- task reports ------------------------------------------------------------------------------

class TaskReport : public PlatformTest {
  protected:
    void TearDown() override {
        HcclDispatcher handle = dispatcher_;
        EXPECT_EQ(ForceProfOn(handle, false), HCCL_SUCCESS);
        PlatformTest::TearDown();
    }
};

TEST_F(TaskReport, MemcpyCarriesRemoteUserRankAndLinkType) {
    auto src = deviceBuffer(64, 1), dst = deviceBuffer(64);
    ASSERT_EQ(::HcclMemcpyAsync(dispatcher_, dst.ptr(), 64, src.ptr(), 48, kD2D, stream_, 5,
                                LinkType::LINK_HCCS),
              HCCL_SUCCESS);
    auto reports = recorder_.reports();
    ASSERT_EQ(reports.size(), 1u);
    const hccl::TaskPara &r = reports[0];
    EXPECT_EQ(recorder_.lengths()[0], sizeof(hccl::TaskPara));
    EXPECT_EQ(r.type, TaskType::TASK_SDMA);
    EXPECT_EQ(r.profilerType, hccl::ProfilerType::TASK_ALL);
    EXPECT_EQ(r.stream, stream_.ptr());
    EXPECT_FALSE(r.isMainStream);  // Stream(StreamType) defaults to a sub-stream
    EXPECT_FALSE(r.isFftsDispatcher);
    EXPECT_EQ(r.beginTime, 0u);
    EXPECT_EQ(r.dma.src, src.ptr());
    EXPECT_EQ(r.dma.dst, dst.ptr());
    EXPECT_EQ(r.dma.size, 48u);
    EXPECT_EQ(r.dma.notifyID, INVALID_U64);
    EXPECT_EQ(r.dma.linkType, LinkType::LINK_HCCS);
    EXPECT_EQ(r.dma.remoteUserRank, 5u);
    EXPECT_EQ(r.dma.rdmaType, hccl::RdmaType::RDMA_TYPE_RESERVED);
    EXPECT_EQ(r.dma.ctxId, INVALID_UINT);
}

TEST_F(TaskReport, MainStreamFlagFollowsTheStream) {
    hccl::Stream main(stream_.ptr(), true);
    auto src = deviceBuffer(64, 1), dst = deviceBuffer(64);
    ASSERT_EQ(::HcclMemcpyAsync(dispatcher_, dst.ptr(), 64, src.ptr(), 64, kD2D, main,
                                INVALID_VALUE_RANKID, LinkType::LINK_ONCHIP),
              HCCL_SUCCESS);
    auto reports = recorder_.reports();
    ASSERT_EQ(reports.size(), 1u);
    EXPECT_TRUE(reports[0].isMainStream);
}

TEST_F(TaskReport, BeginTimeIsMonotonicWhenProfilingIsForced) {
    HcclDispatcher handle = dispatcher_;
    ASSERT_EQ(ForceProfOn(handle, true), HCCL_SUCCESS);
    auto src = deviceBuffer(64, 1), dst = deviceBuffer(64);
    for (int i = 0; i < 2; ++i)
        ASSERT_EQ(::HcclMemcpyAsync(dispatcher_, dst.ptr(), 64, src.ptr(), 64, kD2D, stream_, 0,
                                    LinkType::LINK_ONCHIP),
                  HCCL_SUCCESS);
    auto reports = recorder_.reports();
    ASSERT_EQ(reports.size(), 2u);
    EXPECT_GT(reports[0].beginTime, 0u);
    EXPECT_GT(reports[1].beginTime, reports[0].beginTime);
}

// HCCL_DEBUG_CONFIG with TASK writes the per-task line whatever the log level.
TEST_F(TaskReport, DebugConfigTaskLogsEveryIssuedCopy) {
    log::setLevel(log::Level::kError);  // INFO lines off
    auto src = deviceBuffer(64, 1), dst = deviceBuffer(64);
    auto issueAndCapture = [&](const char *debugConfig) {
        if (debugConfig != nullptr) setenv("HCCL_DEBUG_CONFIG", debugConfig, 1);
        HcclDispatcher handle = nullptr;
        EXPECT_EQ(::HcclDispatcherInit(DispatcherType::DISPATCHER_NORMAL, 0, &handle),
                  HCCL_SUCCESS);
        unsetenv("HCCL_DEBUG_CONFIG");
        ::testing::internal::CaptureStderr();
        EXPECT_EQ(::HcclMemcpyAsync(handle, dst.ptr(), 64, src.ptr(), 64, kD2D, stream_, 2,
                                    LinkType::LINK_HCCS),
                  HCCL_SUCCESS);
        std::string output = ::testing::internal::GetCapturedStderr();
        EXPECT_EQ(::HcclDispatcherDestroy(handle), HCCL_SUCCESS);
        return output;
    };
    EXPECT_EQ(issueAndCapture(nullptr).find("MemcpyAsync para:"), std::string::npos);
    EXPECT_EQ(issueAndCapture("^TASK").find("MemcpyAsync para:"), std::string::npos);
    std::string line = issueAndCapture("ALG,task");
    EXPECT_NE(line.find("MemcpyAsync para:"), std::string::npos);
    EXPECT_NE(line.find("count[64]"), std::string::npos);
    EXPECT_NE(line.find("remoteUserRank[2]"), std::string::npos);
}

// ---- the 4 GiB split, with the split size lowered to 4 KiB (slow_test.cc copies > 4 GiB) -------

class HcclMemcpyAsyncSplit : public PlatformTest {
  protected:
    static constexpr u64 kSplit = 4096;  // stands for HCCL_SDMA_MAX_COUNT_4GB
    void SetUp() override {
        PlatformTest::SetUp();
        ASSERT_TRUE(setSdmaSplitSizeForTest(kSplit));
    }
    void TearDown() override {
        HcclDispatcher handle = dispatcher_;
        EXPECT_EQ(ForceProfOn(handle, false), HCCL_SUCCESS);
        EXPECT_TRUE(setSdmaSplitSizeForTest(0));
        PlatformTest::TearDown();
    }
};

TEST_F(HcclMemcpyAsyncSplit, RealSplitSizeIsFourGiB) {
    EXPECT_TRUE(setSdmaSplitSizeForTest(0));
    EXPECT_EQ(sdmaSplitSize(), 0x100000000ULL);
    EXPECT_FALSE(setSdmaSplitSizeForTest(100));  // not a multiple of 16
}

TEST_F(HcclMemcpyAsyncSplit, ExactlyFourGiBIsOneChunk) {
    auto src = deviceBuffer(kSplit, 1), dst = deviceBuffer(kSplit);
    ASSERT_EQ(::HcclMemcpyAsync(dispatcher_, dst.ptr(), kSplit, src.ptr(), kSplit, kD2D, stream_, 0,
                                LinkType::LINK_ONCHIP),
              HCCL_SUCCESS);
    auto reports = recorder_.reports();
    ASSERT_EQ(reports.size(), 1u);
    EXPECT_EQ(reports[0].dma.size, kSplit);
}

TEST_F(HcclMemcpyAsyncSplit, FourGiBPlusOneIsTwoChunks) {
    auto src = deviceBuffer(kSplit + 1, 1), dst = deviceBuffer(kSplit + 1);
    ASSERT_EQ(::HcclMemcpyAsync(dispatcher_, dst.ptr(), kSplit + 1, src.ptr(), kSplit + 1, kD2D,
                                stream_, 3, LinkType::LINK_PCIE),
              HCCL_SUCCESS);
    ASSERT_EQ(sync(), rt::Err::kOk);
    auto reports = recorder_.reports();
    ASSERT_EQ(reports.size(), 2u);
    EXPECT_EQ(reports[0].dma.size, kSplit);
    EXPECT_EQ(reports[1].dma.size, 1u);
    EXPECT_EQ(bytesOf(dst.ptr(), kSplit + 1), bytesOf(src.ptr(), kSplit + 1));
}

TEST_F(HcclMemcpyAsyncSplit, ChunksStartAtMultiplesOfFourGiBAndShareBeginTime) {
    HcclDispatcher handle = dispatcher_;
    ASSERT_EQ(ForceProfOn(handle, true), HCCL_SUCCESS);
    const u64 count = 3 * kSplit + 100;
    auto src = deviceBuffer(count, 5), dst = deviceBuffer(count + 64);
    ASSERT_EQ(::HcclMemcpyAsync(dispatcher_, dst.ptr(), count + 64, src.ptr(), count, kD2D, stream_,
                                7, LinkType::LINK_SIO),
              HCCL_SUCCESS);
    ASSERT_EQ(sync(), rt::Err::kOk);
    auto reports = recorder_.reports();
    ASSERT_EQ(reports.size(), 4u);
    for (size_t i = 0; i < reports.size(); ++i) {
        EXPECT_EQ(reports[i].type, TaskType::TASK_SDMA);
        EXPECT_EQ(reports[i].dma.src, static_cast<uint8_t *>(src.ptr()) + i * kSplit);
        EXPECT_EQ(reports[i].dma.dst, static_cast<uint8_t *>(dst.ptr()) + i * kSplit);
        EXPECT_EQ(reports[i].dma.size, i < 3 ? kSplit : 100u);
        EXPECT_EQ(reports[i].dma.remoteUserRank, 7u);
        EXPECT_EQ(reports[i].dma.linkType, LinkType::LINK_SIO);
        EXPECT_EQ(reports[i].beginTime, reports[0].beginTime);
    }
    EXPECT_GT(reports[0].beginTime, 0u);
    EXPECT_EQ(bytesOf(dst.ptr(), count), bytesOf(src.ptr(), count));
}

TEST_F(HcclMemcpyAsyncSplit, FailingChunkStopsAfterEarlierChunksWereIssued) {
    // The second chunk runs past the end of dst: the first one is issued and reported.
    auto src = deviceBuffer(2 * kSplit, 1), dst = deviceBuffer(kSplit + 16);
    EXPECT_EQ(::HcclMemcpyAsync(dispatcher_, dst.ptr(), 2 * kSplit, src.ptr(), 2 * kSplit, kD2D,
                                stream_, 0, LinkType::LINK_ONCHIP),
              HCCL_E_RUNTIME);
    ASSERT_EQ(sync(), rt::Err::kOk);
    EXPECT_EQ(recorder_.size(), 1u);
    EXPECT_EQ(bytesOf(dst.ptr(), kSplit), bytesOf(src.ptr(), kSplit));
    EXPECT_EQ(bytesOf(static_cast<uint8_t *>(dst.ptr()) + kSplit, 16), std::vector<uint8_t>(16, 0));
}

// ---- HcclD2DMemcpyAsync ------------------------------------------------------------------------

class HcclD2DMemcpyAsync : public PlatformTest {};

TEST_F(HcclD2DMemcpyAsync, NullDstPointerReturnsEPtrEvenForZeroSize) {
    auto src = deviceBuffer(64, 1);
    hccl::DeviceMem empty;
    EXPECT_EQ(::HcclD2DMemcpyAsync(dispatcher_, empty, src.range(0, 0), stream_), HCCL_E_PTR);
}

TEST_F(HcclD2DMemcpyAsync, NullSrcPointerReturnsEPtr) {
    auto dst = deviceBuffer(64);
    EXPECT_EQ(::HcclD2DMemcpyAsync(dispatcher_, dst, hccl::DeviceMem(), stream_), HCCL_E_PTR);
    EXPECT_EQ(::HcclD2DMemcpyAsync(nullptr, dst, dst, stream_), HCCL_E_PTR);
}

TEST_F(HcclD2DMemcpyAsync, DstSmallerThanSrcReturnsEPtr) {
    auto src = deviceBuffer(64, 1), dst = deviceBuffer(64);
    hccl::DeviceMem small = dst.range(0, 32);
    EXPECT_EQ(::HcclD2DMemcpyAsync(dispatcher_, small, src, stream_), HCCL_E_PTR);
    EXPECT_EQ(recorder_.size(), 0u);
}

TEST_F(HcclD2DMemcpyAsync, CopiesSrcSizeBytesWithDefaultRankAndLink) {
    auto src = deviceBuffer(64, 1), dst = deviceBuffer(128);
    hccl::DeviceMem dstView = dst.range(0, 128);
    ASSERT_EQ(::HcclD2DMemcpyAsync(dispatcher_, dstView, src.range(0, 40), stream_), HCCL_SUCCESS);
    ASSERT_EQ(sync(), rt::Err::kOk);
    EXPECT_EQ(bytesOf(dst.ptr(), 40), bytesOf(src.ptr(), 40));
    EXPECT_EQ(bytesOf(static_cast<uint8_t *>(dst.ptr()) + 40, 88), std::vector<uint8_t>(88, 0));
    auto reports = recorder_.reports();
    ASSERT_EQ(reports.size(), 1u);
    EXPECT_EQ(reports[0].type, TaskType::TASK_SDMA);
    EXPECT_EQ(reports[0].dma.size, 40u);
    EXPECT_EQ(reports[0].dma.remoteUserRank, INVALID_VALUE_RANKID);
    EXPECT_EQ(reports[0].dma.linkType, LinkType::LINK_ONCHIP);
}

TEST_F(HcclD2DMemcpyAsync, ZeroSizeIsANoOp) {
    auto src = deviceBuffer(64, 1), dst = deviceBuffer(64);
    hccl::DeviceMem dstView = dst.range(0, 0);
    EXPECT_EQ(::HcclD2DMemcpyAsync(dispatcher_, dstView, src.range(0, 0), stream_), HCCL_SUCCESS);
    EXPECT_EQ(recorder_.size(), 0u);
}

TEST_F(HcclD2DMemcpyAsync, SamePointerIsANoOpWhateverTheSizes) {
    auto buf = deviceBuffer(64, 1);
    hccl::DeviceMem dstView = buf.range(0, 64);
    EXPECT_EQ(::HcclD2DMemcpyAsync(dispatcher_, dstView, buf.range(0, 32), stream_), HCCL_SUCCESS);
    EXPECT_EQ(recorder_.size(), 0u);
}

TEST_F(HcclD2DMemcpyAsync, NullStreamCopiesSynchronously) {
    auto src = deviceBuffer(64, 1), dst = deviceBuffer(64);
    hccl::Stream none;
    EXPECT_EQ(::HcclD2DMemcpyAsync(dispatcher_, dst, src, none, 1, LinkType::LINK_HCCS),
              HCCL_SUCCESS);
    EXPECT_EQ(bytesOf(dst.ptr(), 64), bytesOf(src.ptr(), 64));
    EXPECT_EQ(recorder_.size(), 0u);
}

}  // namespace
}  // namespace hcclcpu::platform::test
