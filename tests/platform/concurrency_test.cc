// Several streams and threads: notify ordering between streams and issue from many threads
// (spec platform_api.md §5.3 "intra-rank multi-stream", §6 item 8).
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <thread>
#include <vector>

#include "local_notify.h"
#include "platform_test_util.h"

namespace hcclcpu::platform::test {
namespace {

constexpr auto kD2D = HcclRtMemcpyKind::HCCL_RT_MEMCPY_KIND_DEVICE_TO_DEVICE;
using hccl::LinkType;

class MultiStream : public PlatformTest {
  protected:
    void SetUp() override {
        PlatformTest::SetUp();
        for (int i = 0; i < 3; ++i) {
            subStreams_.emplace_back(hccl::StreamType::STREAM_TYPE_ONLINE);
            ASSERT_TRUE(subStreams_.back());
        }
    }
    void TearDown() override {
        for (auto &s : subStreams_)
            (void)sync(s);
        (void)sync();
        subStreams_.clear();
        notifies_.clear();
        PlatformTest::TearDown();
    }
    std::shared_ptr<hccl::LocalNotify> newNotify() {
        auto notify = std::make_shared<hccl::LocalNotify>();
        EXPECT_EQ(notify->Init(), HCCL_SUCCESS);
        notifies_.push_back(notify);
        return notify;
    }
    std::vector<hccl::Stream> subStreams_;
    std::vector<std::shared_ptr<hccl::LocalNotify>> notifies_;
};

using HcclSignalWait = MultiStream;
using LocalNotify = MultiStream;
using HcclMemcpyAsync = MultiStream;

TEST_F(HcclSignalWait, WaitIssuedBeforeRecordCompletes) {
    auto notify = newNotify();
    auto src = deviceBuffer(4096, 9), dst = deviceBuffer(4096);
    // Stream A: wait, then copy. Nothing may run before stream B records.
    ASSERT_EQ(::HcclSignalWait(dispatcher_, notify->ptr(), stream_, 0, 0, -1, true), HCCL_SUCCESS);
    ASSERT_EQ(::HcclMemcpyAsync(dispatcher_, dst.ptr(), 4096, src.ptr(), 4096, kD2D, stream_, 0,
                                LinkType::LINK_ONCHIP),
              HCCL_SUCCESS);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    bool complete = true;
    ASSERT_EQ(rt::streamQuery(static_cast<rt::Stream *>(stream_.ptr()), &complete), rt::Err::kOk);
    EXPECT_FALSE(complete);
    EXPECT_EQ(bytesOf(dst.ptr(), 4096), std::vector<uint8_t>(4096, 0));
    ASSERT_EQ(
        ::HcclSignalRecord(dispatcher_, notify->ptr(), subStreams_[0], 0, INVALID_U64, -1, true, 0),
        HCCL_SUCCESS);
    ASSERT_EQ(sync(), rt::Err::kOk);
    EXPECT_EQ(bytesOf(dst.ptr(), 4096), bytesOf(src.ptr(), 4096));
}

// The template pattern: main posts aux[i]; sub-stream i waits, works, posts signal[i]; main
// waits for every signal[i], then uses the sub-streams' results.
TEST_F(LocalNotify, OrdersAMainStreamWithItsSubStreams) {
    const u64 slice = 1 << 16;
    const size_t n = subStreams_.size();
    auto input = deviceBuffer(slice * n, 3), staged = deviceBuffer(slice * n),
         output = deviceBuffer(slice * n);
    std::vector<std::shared_ptr<hccl::LocalNotify>> aux, signal;
    for (size_t i = 0; i < n; ++i) {
        aux.push_back(newNotify());
        signal.push_back(newNotify());
    }
    for (size_t i = 0; i < n; ++i) {
        // Waits first on the sub-streams, posts afterwards on the main stream.
        ASSERT_EQ(hccl::LocalNotify::Wait(subStreams_[i], dispatcher_, aux[i]), HCCL_SUCCESS);
        hccl::DeviceMem to = staged.range(i * slice, slice);
        ASSERT_EQ(
            ::HcclD2DMemcpyAsync(dispatcher_, to, input.range(i * slice, slice), subStreams_[i]),
            HCCL_SUCCESS);
        ASSERT_EQ(hccl::LocalNotify::Post(subStreams_[i], dispatcher_, signal[i]), HCCL_SUCCESS);
    }
    for (size_t i = 0; i < n; ++i)
        ASSERT_EQ(hccl::LocalNotify::Post(stream_, dispatcher_, aux[i]), HCCL_SUCCESS);
    for (size_t i = 0; i < n; ++i)
        ASSERT_EQ(hccl::LocalNotify::Wait(stream_, dispatcher_, signal[i]), HCCL_SUCCESS);
    ASSERT_EQ(::HcclD2DMemcpyAsync(dispatcher_, output, staged, stream_), HCCL_SUCCESS);
    ASSERT_EQ(sync(), rt::Err::kOk);
    EXPECT_EQ(bytesOf(output.ptr(), slice * n), bytesOf(input.ptr(), slice * n));
    // 3 sub-streams x (wait, copy, post) + 3 posts + 3 waits + 1 copy.
    EXPECT_EQ(recorder_.size(), 3 * 3 + 3 + 3 + 1u);
}

TEST_F(HcclMemcpyAsync, ThreadsIssueOnTheirOwnStreamsThroughOneDispatcher) {
    const int threads = 3, copies = 500;
    const u64 size = 256;
    auto src = deviceBuffer(size * threads, 1), dst = deviceBuffer(size * threads);
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
        workers.emplace_back([&, t] {
            ASSERT_EQ(rt::setDevice(0), rt::Err::kOk);
            auto *from = static_cast<uint8_t *>(src.ptr()) + t * size;
            auto *to = static_cast<uint8_t *>(dst.ptr()) + t * size;
            for (int i = 0; i < copies; ++i) {
                u64 length = 1 + (i % size);
                ASSERT_EQ(::HcclMemcpyAsync(dispatcher_, to, size, from, length, kD2D,
                                            subStreams_[t], t, LinkType::LINK_HCCS),
                          HCCL_SUCCESS);
            }
            ASSERT_EQ(sync(subStreams_[t]), rt::Err::kOk);
            EXPECT_EQ(rt::resetDevice(0), rt::Err::kOk);
        });
    }
    for (auto &w : workers)
        w.join();
    EXPECT_EQ(bytesOf(dst.ptr(), size * threads), bytesOf(src.ptr(), size * threads));
    auto reports = recorder_.reports();
    ASSERT_EQ(reports.size(), static_cast<size_t>(threads * copies));
    std::vector<int> perRank(threads, 0);
    for (const auto &r : reports) {
        ASSERT_LT(r.dma.remoteUserRank, static_cast<u32>(threads));
        EXPECT_EQ(r.stream, subStreams_[r.dma.remoteUserRank].ptr());
        ++perRank[r.dma.remoteUserRank];
    }
    for (int count : perRank)
        EXPECT_EQ(count, copies);
}

TEST_F(HcclMemcpyAsync, ReductionsChainedAcrossStreamsByNotifies) {
    // Stream k adds its source into acc after stream k-1 is done with it.
    const u64 count = 1024;
    auto acc = deviceBuffer(count * 4);
    std::vector<hccl::DeviceMem> sources;
    for (size_t k = 0; k < subStreams_.size(); ++k) {
        sources.push_back(deviceBuffer(count * 4));
        auto *values = static_cast<int32_t *>(sources.back().ptr());
        for (u64 i = 0; i < count; ++i)
            values[i] = static_cast<int32_t>(i * (k + 1));
    }
    std::vector<std::shared_ptr<hccl::LocalNotify>> done;
    for (size_t k = 0; k < subStreams_.size(); ++k)
        done.push_back(newNotify());
    for (size_t k = subStreams_.size(); k-- > 0;) {  // issued in reverse: waits come first
        if (k > 0) {
            ASSERT_EQ(hccl::LocalNotify::Wait(subStreams_[k], dispatcher_, done[k - 1]),
                      HCCL_SUCCESS);
        }
        ASSERT_EQ(::HcclReduceAsync(dispatcher_, sources[k].ptr(), count, HCCL_DATA_TYPE_INT32,
                                    HCCL_REDUCE_SUM, subStreams_[k], acc.ptr(), 0,
                                    LinkType::LINK_ONCHIP, INLINE_REDUCE_BIT),
                  HCCL_SUCCESS);
        ASSERT_EQ(hccl::LocalNotify::Post(subStreams_[k], dispatcher_, done[k]), HCCL_SUCCESS);
    }
    ASSERT_EQ(hccl::LocalNotify::Wait(stream_, dispatcher_, done.back()), HCCL_SUCCESS);
    ASSERT_EQ(sync(), rt::Err::kOk);
    auto *result = static_cast<int32_t *>(acc.ptr());
    for (u64 i = 0; i < count; ++i)
        ASSERT_EQ(result[i], static_cast<int32_t>(i * 6)) << i;
}

}  // namespace
}  // namespace hcclcpu::platform::test
