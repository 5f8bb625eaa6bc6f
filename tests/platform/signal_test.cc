// HcclSignalRecord / HcclSignalWait, wait times and the exec timeout (spec platform_api.md §2.4,
// §2.5, §6 items 8-10).
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <thread>

#include "common/clock.h"
#include "local_notify.h"
#include "platform/dispatcher_impl.h"
#include "platform_test_util.h"

namespace hcclcpu::platform::test {
namespace {

using hccl::TaskType;

class HcclSignal : public PlatformTest {
  protected:
    void SetUp() override {
        PlatformTest::SetUp();
        ASSERT_EQ(notify_.Init(), HCCL_SUCCESS);
        other_ = hccl::Stream(hccl::StreamType::STREAM_TYPE_ONLINE);
    }
    void TearDown() override {
        (void)sync();
        (void)sync(other_);
        other_ = hccl::Stream();
        EXPECT_EQ(notify_.Destroy(), HCCL_SUCCESS);
        PlatformTest::TearDown();
    }
    hccl::Stream &stream2() { return other_; }
    u64 ownOffset() {
        u64 offset = 0;
        EXPECT_EQ(notify_.GetNotifyOffset(offset), HCCL_SUCCESS);
        return offset;
    }
    hccl::LocalNotify notify_;
    hccl::Stream other_;
};

using HcclSignalRecord = HcclSignal;
using HcclSignalWait = HcclSignal;

TEST_F(HcclSignalRecord, NullDispatcherOrSignalReturnsEPtr) {
    EXPECT_EQ(::HcclSignalRecord(nullptr, notify_.ptr(), stream_, 0, 0, -1, true, 0), HCCL_E_PTR);
    EXPECT_EQ(::HcclSignalRecord(dispatcher_, nullptr, stream_, 0, 0, -1, true, 0), HCCL_E_PTR);
}

TEST_F(HcclSignalRecord, NullStreamReturnsEPtr) {
    hccl::Stream none;
    EXPECT_EQ(::HcclSignalRecord(dispatcher_, notify_.ptr(), none, 0, 0, -1, true, 0), HCCL_E_PTR);
    EXPECT_EQ(recorder_.size(), 0u);
}

TEST_F(HcclSignalRecord, ReportPacksUserRankAndLow32BitsOfOffset) {
    ASSERT_EQ(::HcclSignalRecord(dispatcher_, notify_.ptr(), stream_, 5, 0x1234567890ULL, 2, false,
                                 0xdead),
              HCCL_SUCCESS);
    ASSERT_EQ(::HcclSignalWait(dispatcher_, notify_.ptr(), stream_, 5, 5, -1, false), HCCL_SUCCESS);
    auto reports = recorder_.reports();
    ASSERT_EQ(reports.size(), 2u);
    EXPECT_EQ(reports[0].type, TaskType::TASK_NOTIFY_RECORD);
    EXPECT_EQ(reports[0].notify.notifyID, (5ULL << 32) | 0x34567890ULL);
    EXPECT_EQ(reports[0].notify.remoteUserRank, 5u);  // the record's userRank
    EXPECT_EQ(reports[0].notify.stage, 2);
    EXPECT_EQ(reports[0].notify.ctxId, INVALID_UINT);
    EXPECT_EQ(reports[0].stream, stream_.ptr());
}

TEST_F(HcclSignalRecord, InvalidOffsetUsesTheNotifysOwnOffset) {
    ASSERT_EQ(::HcclSignalRecord(dispatcher_, notify_.ptr(), stream_, 2, INVALID_U64, -1, true, 0),
              HCCL_SUCCESS);
    ASSERT_EQ(::HcclSignalWait(dispatcher_, notify_.ptr(), stream_, 2, 2, -1, true), HCCL_SUCCESS);
    auto reports = recorder_.reports();
    ASSERT_EQ(reports.size(), 2u);
    EXPECT_EQ(reports[0].notify.notifyID, hccl::MakeNotifyId(2, ownOffset()));
}

TEST_F(HcclSignalWait, NullDispatcherOrSignalOrStreamReturnsEPtr) {
    hccl::Stream none;
    EXPECT_EQ(::HcclSignalWait(nullptr, notify_.ptr(), stream_, 0, 0, -1, true), HCCL_E_PTR);
    EXPECT_EQ(::HcclSignalWait(dispatcher_, nullptr, stream_, 0, 0, -1, true), HCCL_E_PTR);
    EXPECT_EQ(::HcclSignalWait(dispatcher_, notify_.ptr(), none, 0, 0, -1, true), HCCL_E_PTR);
}

TEST_F(HcclSignalWait, ReportCarriesLocalRankInIdAndRemoteRankSeparately) {
    ASSERT_EQ(::HcclSignalRecord(dispatcher_, notify_.ptr(), stream_, 9, INVALID_U64, -1, true, 0),
              HCCL_SUCCESS);
    ASSERT_EQ(::HcclSignalWait(dispatcher_, notify_.ptr(), stream_, 1, 9, 4, true), HCCL_SUCCESS);
    ASSERT_EQ(sync(), rt::Err::kOk);
    auto reports = recorder_.reports();
    ASSERT_EQ(reports.size(), 2u);
    EXPECT_EQ(reports[1].type, TaskType::TASK_NOTIFY_WAIT);
    EXPECT_EQ(reports[1].notify.notifyID, hccl::MakeNotifyId(1, ownOffset()));
    EXPECT_EQ(reports[1].notify.remoteUserRank, 9u);
    EXPECT_EQ(reports[1].notify.stage, 4);
}

TEST_F(HcclSignalWait, TwoRecordsBeforeAWaitCollapseIntoOne) {
    ASSERT_EQ(HcclSetNotifyWaitMode(dispatcher_, SyncMode::CONFIGURABLE_TIMEWAITSYNCMODE),
              HCCL_SUCCESS);
    ASSERT_EQ(::HcclSetExecTimeOut(dispatcher_, 1), HCCL_SUCCESS);
    ASSERT_EQ(::HcclSignalRecord(dispatcher_, notify_.ptr(), stream_, 0, INVALID_U64, -1, true, 0),
              HCCL_SUCCESS);
    ASSERT_EQ(::HcclSignalRecord(dispatcher_, notify_.ptr(), stream_, 0, INVALID_U64, -1, true, 0),
              HCCL_SUCCESS);
    ASSERT_EQ(::HcclSignalWait(dispatcher_, notify_.ptr(), stream_, 0, 0, -1, true), HCCL_SUCCESS);
    ASSERT_EQ(sync(), rt::Err::kOk);
    // The flag was consumed: a second wait has nothing to wait for and times out.
    ASSERT_EQ(::HcclSignalWait(dispatcher_, notify_.ptr(), stream_, 0, 0, -1, true), HCCL_SUCCESS);
    EXPECT_EQ(sync(), rt::Err::kTimeout);
}

// ---- wait times (GetNotifyWaitTime) -----------------------------------------------------------

class NotifyWaitTime : public PlatformTest {
  protected:
    Dispatcher &impl() { return *Dispatcher::from(dispatcher_); }
};

TEST_F(NotifyWaitTime, DefaultModeWaitsTheDefaultTime) {
    EXPECT_EQ(impl().waitTimeSeconds(NOTIFY_INVALID_WAIT_TIME), NOTIFY_DEFAULT_WAIT_TIME);
    EXPECT_EQ(impl().waitTimeoutNs(NOTIFY_INVALID_WAIT_TIME), 1836ULL * 1000000000ULL);
}

TEST_F(NotifyWaitTime, ExplicitTimeoutWithinMaximumWins) {
    ASSERT_EQ(HcclSetNotifyWaitMode(dispatcher_, SyncMode::CONFIGURABLE_TIMEWAITSYNCMODE),
              HCCL_SUCCESS);
    ASSERT_EQ(::HcclSetExecTimeOut(dispatcher_, 30), HCCL_SUCCESS);
    EXPECT_EQ(impl().waitTimeSeconds(5), 5);
    EXPECT_EQ(impl().waitTimeSeconds(0), 30);  // 0 is not an explicit timeout
    EXPECT_EQ(impl().waitTimeSeconds(NOTIFY_INVALID_WAIT_TIME), 30);
}

TEST_F(NotifyWaitTime, ConfigurableModeUsesTheExecTimeout) {
    ASSERT_EQ(HcclSetNotifyWaitMode(dispatcher_, SyncMode::CONFIGURABLE_TIMEWAITSYNCMODE),
              HCCL_SUCCESS);
    ASSERT_EQ(::HcclSetExecTimeOut(dispatcher_, 7), HCCL_SUCCESS);
    EXPECT_EQ(impl().waitTimeSeconds(NOTIFY_INVALID_WAIT_TIME), 7);
    EXPECT_EQ(impl().waitTimeoutNs(NOTIFY_INVALID_WAIT_TIME), 7000000000ULL);
}

TEST_F(NotifyWaitTime, UnlimitedModeUsesTheMaximum) {
    ASSERT_EQ(HcclSetNotifyWaitMode(dispatcher_, SyncMode::UNLIMITED_TIMEWAITSYNCMODE),
              HCCL_SUCCESS);
    EXPECT_EQ(impl().waitTimeSeconds(NOTIFY_INVALID_WAIT_TIME), NOTIFY_MAX_WAIT_TIME_910_93);
}

TEST_F(NotifyWaitTime, ConfiguredZeroMeansNever) {
    ASSERT_EQ(HcclSetNotifyWaitMode(dispatcher_, SyncMode::CONFIGURABLE_TIMEWAITSYNCMODE),
              HCCL_SUCCESS);
    ASSERT_EQ(::HcclSetExecTimeOut(dispatcher_, 0), HCCL_SUCCESS);
    EXPECT_EQ(impl().waitTimeoutNs(NOTIFY_INVALID_WAIT_TIME), rt::kNoTimeout);
}

TEST_F(NotifyWaitTime, SetAndGetNotifyWaitMode) {
    SyncMode mode = SyncMode::UNLIMITED_TIMEWAITSYNCMODE;
    ASSERT_EQ(HcclGetNotifyWaitMode(dispatcher_, &mode), HCCL_SUCCESS);
    EXPECT_EQ(mode, SyncMode::DEFAULT_TIMEWAITSYNCMODE);
    ASSERT_EQ(HcclSetNotifyWaitMode(dispatcher_, SyncMode::UNLIMITED_TIMEWAITSYNCMODE),
              HCCL_SUCCESS);
    ASSERT_EQ(HcclGetNotifyWaitMode(dispatcher_, &mode), HCCL_SUCCESS);
    EXPECT_EQ(mode, SyncMode::UNLIMITED_TIMEWAITSYNCMODE);
    EXPECT_EQ(HcclGetNotifyWaitMode(dispatcher_, nullptr), HCCL_E_PTR);
    EXPECT_EQ(HcclGetNotifyWaitMode(nullptr, &mode), HCCL_E_PTR);
    EXPECT_EQ(HcclSetNotifyWaitMode(nullptr, SyncMode::DEFAULT_TIMEWAITSYNCMODE), HCCL_E_PTR);
}

// ---- HcclSetExecTimeOut ------------------------------------------------------------------------

class HcclSetExecTimeOut : public HcclSignal {};

TEST_F(HcclSetExecTimeOut, DoesNotEnableTimeout) {
    ASSERT_EQ(::HcclSetExecTimeOut(dispatcher_, 1), HCCL_SUCCESS);
    SyncMode mode;
    ASSERT_EQ(HcclGetNotifyWaitMode(dispatcher_, &mode), HCCL_SUCCESS);
    EXPECT_EQ(mode, SyncMode::DEFAULT_TIMEWAITSYNCMODE);
    EXPECT_EQ(Dispatcher::from(dispatcher_)->waitTimeSeconds(NOTIFY_INVALID_WAIT_TIME),
              NOTIFY_DEFAULT_WAIT_TIME);
    // A wait nobody records is still pending well after 1 s.
    ASSERT_EQ(::HcclSignalWait(dispatcher_, notify_.ptr(), stream_, 0, 0, -1, true), HCCL_SUCCESS);
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    bool complete = true;
    ASSERT_EQ(rt::streamQuery(static_cast<rt::Stream *>(stream_.ptr()), &complete), rt::Err::kOk);
    EXPECT_FALSE(complete);
    ASSERT_EQ(notify_.Post(stream2()), HCCL_SUCCESS);  // release it
    EXPECT_EQ(sync(), rt::Err::kOk);
}

TEST_F(HcclSetExecTimeOut, RejectsNegativeAndNullHandle) {
    EXPECT_EQ(::HcclSetExecTimeOut(dispatcher_, -1), HCCL_E_PARA);
    EXPECT_EQ(::HcclSetExecTimeOut(nullptr, 5), HCCL_E_PTR);
}

TEST_F(HcclSetExecTimeOut, DefaultArgumentIsTheDefaultWaitTime) {
    ASSERT_EQ(::HcclSetExecTimeOut(dispatcher_), HCCL_SUCCESS);
    EXPECT_EQ(Dispatcher::from(dispatcher_)->execTimeOut(), NOTIFY_DEFAULT_WAIT_TIME);
}

// ---- HCCL_EXEC_TIMEOUT
// ---------------------------------------------------------------------------

class HcclExecTimeoutEnv : public HcclSignal {
  protected:
    // A second dispatcher created with HCCL_EXEC_TIMEOUT set.
    HcclDispatcher initWithEnv(const char *value) {
        setenv("HCCL_EXEC_TIMEOUT", value, 1);
        HcclDispatcher handle = nullptr;
        EXPECT_EQ(::HcclDispatcherInit(DispatcherType::DISPATCHER_NORMAL, 0, &handle),
                  HCCL_SUCCESS);
        unsetenv("HCCL_EXEC_TIMEOUT");
        return handle;
    }
};

TEST_F(HcclExecTimeoutEnv, SelectsConfigurableModeAtInit) {
    HcclDispatcher handle = initWithEnv("3");
    SyncMode mode;
    ASSERT_EQ(HcclGetNotifyWaitMode(handle, &mode), HCCL_SUCCESS);
    EXPECT_EQ(mode, SyncMode::CONFIGURABLE_TIMEWAITSYNCMODE);
    EXPECT_EQ(Dispatcher::from(handle)->waitTimeSeconds(NOTIFY_INVALID_WAIT_TIME), 3);
    EXPECT_EQ(::HcclDispatcherDestroy(handle), HCCL_SUCCESS);
}

TEST_F(HcclExecTimeoutEnv, ZeroMeansNeverTimeOut) {
    HcclDispatcher handle = initWithEnv("0");
    EXPECT_EQ(Dispatcher::from(handle)->notifyWaitMode(), SyncMode::CONFIGURABLE_TIMEWAITSYNCMODE);
    EXPECT_EQ(Dispatcher::from(handle)->waitTimeoutNs(NOTIFY_INVALID_WAIT_TIME), rt::kNoTimeout);
    EXPECT_EQ(::HcclDispatcherDestroy(handle), HCCL_SUCCESS);
}

TEST_F(HcclExecTimeoutEnv, InvalidValueKeepsTheDefaultMode) {
    HcclDispatcher handle = initWithEnv("soon");
    EXPECT_EQ(Dispatcher::from(handle)->notifyWaitMode(), SyncMode::DEFAULT_TIMEWAITSYNCMODE);
    EXPECT_EQ(::HcclDispatcherDestroy(handle), HCCL_SUCCESS);
}

TEST_F(HcclExecTimeoutEnv, UnrecordedWaitFailsItsStreamWithinTheTimeout) {
    HcclDispatcher handle = initWithEnv("1");
    const int64_t start = nowNs();
    ASSERT_EQ(::HcclSignalWait(handle, notify_.ptr(), stream_, 0, 1, -1, true), HCCL_SUCCESS);
    EXPECT_EQ(sync(), rt::Err::kTimeout);
    const double seconds = static_cast<double>(nowNs() - start) / 1e9;
    EXPECT_GE(seconds, 0.9);
    EXPECT_LT(seconds, 5.0);
    // The stream is usable again after the failure was reported.
    auto src = deviceBuffer(64, 1), dst = deviceBuffer(64);
    ASSERT_EQ(::HcclMemcpyAsync(handle, dst.ptr(), 64, src.ptr(), 64,
                                HcclRtMemcpyKind::HCCL_RT_MEMCPY_KIND_DEVICE_TO_DEVICE, stream_, 0,
                                hccl::LinkType::LINK_ONCHIP),
              HCCL_SUCCESS);
    EXPECT_EQ(sync(), rt::Err::kOk);
    EXPECT_EQ(bytesOf(dst.ptr(), 64), bytesOf(src.ptr(), 64));
    EXPECT_EQ(::HcclDispatcherDestroy(handle), HCCL_SUCCESS);
}

}  // namespace
}  // namespace hcclcpu::platform::test
