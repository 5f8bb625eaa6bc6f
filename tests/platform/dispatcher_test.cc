// Dispatcher life cycle, configuration and the remaining dispatcher.h functions (spec
// platform_api.md §2.5, §2.6), LocalNotify, and the log.h macros (§1.12).
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "common/log.h"
#include "local_notify.h"
#include "log.h"
#include "platform/secure_copy.h"
#include "platform_test_util.h"

namespace hcclcpu::platform::test {
namespace {

// ---- HcclDispatcherInit / Destroy --------------------------------------------------------------

class HcclDispatcherInit : public ::testing::Test {
  protected:
    void SetUp() override { ASSERT_EQ(rt::setDevice(0), rt::Err::kOk); }
    void TearDown() override { EXPECT_EQ(rt::resetDevice(0), rt::Err::kOk); }
};

TEST_F(HcclDispatcherInit, NullOutPointerReturnsEPtr) {
    EXPECT_EQ(::HcclDispatcherInit(DispatcherType::DISPATCHER_NORMAL, 0, nullptr), HCCL_E_PTR);
}

TEST_F(HcclDispatcherInit, RejectsAicpuWithNotSupport) {
    HcclDispatcher handle = nullptr;
    EXPECT_EQ(::HcclDispatcherInit(DispatcherType::DISPATCHER_AICPU, 0, &handle),
              HCCL_E_NOT_SUPPORT);
    EXPECT_EQ(handle, nullptr);
}

// DISPATCHER_VIRTURAL is supported: virtual_dispatcher_test.cc.
TEST_F(HcclDispatcherInit, RejectsUnknownTypeWithNotSupport) {
    HcclDispatcher handle = nullptr;
    EXPECT_EQ(::HcclDispatcherInit(static_cast<DispatcherType>(9), 0, &handle), HCCL_E_NOT_SUPPORT);
    EXPECT_EQ(handle, nullptr);
}

TEST_F(HcclDispatcherInit, HostDeviceIdCreatesAHostDispatcher) {
    HcclDispatcher handle = nullptr;
    ASSERT_EQ(::HcclDispatcherInit(DispatcherType::DISPATCHER_NORMAL, HOST_DEVICE_ID, &handle),
              HCCL_SUCCESS);
    EXPECT_NE(handle, nullptr);
    EXPECT_EQ(::HcclDispatcherDestroy(handle), HCCL_SUCCESS);
}

TEST_F(HcclDispatcherInit, OutOfRangeDeviceReturnsEPara) {
    HcclDispatcher handle = nullptr;
    EXPECT_EQ(::HcclDispatcherInit(DispatcherType::DISPATCHER_NORMAL,
                                   static_cast<s32>(rt::deviceCount()), &handle),
              HCCL_E_PARA);
    EXPECT_EQ(::HcclDispatcherInit(DispatcherType::DISPATCHER_NORMAL, -2, &handle), HCCL_E_PARA);
    EXPECT_EQ(handle, nullptr);
}

TEST_F(HcclDispatcherInit, BindsAThreadWithoutDeviceToTheDevice) {
    std::thread([] {
        int32_t device = -1;
        ASSERT_NE(rt::currentDevice(&device), rt::Err::kOk);
        HcclDispatcher handle = nullptr;
        ASSERT_EQ(::HcclDispatcherInit(DispatcherType::DISPATCHER_NORMAL, 1, &handle),
                  HCCL_SUCCESS);
        ASSERT_EQ(rt::currentDevice(&device), rt::Err::kOk);
        EXPECT_EQ(device, 1);
        EXPECT_EQ(::HcclDispatcherDestroy(handle), HCCL_SUCCESS);
    }).join();
}

TEST_F(HcclDispatcherInit, KeepsTheThreadsCurrentDevice) {
    HcclDispatcher handle = nullptr;
    ASSERT_EQ(::HcclDispatcherInit(DispatcherType::DISPATCHER_NORMAL, 2, &handle), HCCL_SUCCESS);
    int32_t device = -1;
    ASSERT_EQ(rt::currentDevice(&device), rt::Err::kOk);
    EXPECT_EQ(device, 0);
    EXPECT_EQ(::HcclDispatcherDestroy(handle), HCCL_SUCCESS);
}

TEST(HcclDispatcherDestroy, AlwaysSucceedsEvenForNull) {
    EXPECT_EQ(::HcclDispatcherDestroy(nullptr), HCCL_SUCCESS);
}

TEST(HcclDispatcherAicpuInit, ReturnsNotSupportOnTheHost) {
    HcclDispatcher handle = nullptr;
    EXPECT_EQ(::HcclDispatcherAicpuInit(&handle, 0, 4), HCCL_E_NOT_SUPPORT);
    EXPECT_EQ(::HcclDispatcherAicpuInit(nullptr, 0, 4), HCCL_E_PTR);
}

// ---- the remaining functions -------------------------------------------------------------------

class DispatcherFunctions : public PlatformTest {};

TEST_F(DispatcherFunctions, NullHandleReturnsEPtr) {
    HcclDispatcher none = nullptr;
    std::vector<void *> workspace;
    std::vector<hccl::Stream> subStreams;
    int value = 0;
    EXPECT_EQ(RegisterLoadTaskCallBack(none, nullptr, &ReportRecorder::callback), HCCL_E_PTR);
    EXPECT_EQ(HcclSetGlobalWorkSpace(none, workspace), HCCL_E_PTR);
    EXPECT_EQ(HcclDispatcherWaitValue(none, stream_, 0, 0, false), HCCL_E_PTR);
    EXPECT_EQ(HcclDispatcherWriteValue(none, stream_, 0, 0), HCCL_E_PTR);
    EXPECT_EQ(LaunchTask(none, stream_), HCCL_E_PTR);
    EXPECT_EQ(LaunchTaskExtend(none, stream_, subStreams), HCCL_E_PTR);
    EXPECT_EQ(InitTask(none, stream_, false, "key"), HCCL_E_PTR);
    EXPECT_EQ(SetNormalMode(none), HCCL_E_PTR);
    EXPECT_EQ(HcclGetCallbackResult(none), HCCL_E_PTR);
    EXPECT_EQ(AddRetryPreamble(none, stream_), HCCL_E_PTR);
    EXPECT_EQ(StreamSync(none, stream_), HCCL_E_PTR);
    EXPECT_EQ(SetMultiQpMode(none, true), HCCL_E_PTR);
    EXPECT_EQ(ForceProfOn(none, true), HCCL_E_PTR);
    EXPECT_EQ(HcclSetSqeTimeOut(none, 1), HCCL_E_PTR);
    (void)value;
}

TEST_F(DispatcherFunctions, HostNoOpsSucceed) {
    std::vector<void *> workspace{&workspace};
    EXPECT_EQ(HcclSetGlobalWorkSpace(dispatcher_, workspace), HCCL_SUCCESS);
    EXPECT_EQ(workspace.size(), 1u);  // 910B: nothing appended
    EXPECT_EQ(HcclDispatcherWaitValue(dispatcher_, stream_, 0x1000, 0x2000, true), HCCL_SUCCESS);
    EXPECT_EQ(HcclDispatcherWriteValue(dispatcher_, stream_, 0x1000, 0x2000), HCCL_SUCCESS);
    EXPECT_EQ(SetNormalMode(dispatcher_), HCCL_SUCCESS);
    EXPECT_EQ(HcclGetCallbackResult(dispatcher_), HCCL_SUCCESS);
    EXPECT_EQ(AddRetryPreamble(dispatcher_, stream_), HCCL_SUCCESS);
    EXPECT_EQ(StreamSync(dispatcher_, stream_), HCCL_SUCCESS);
    EXPECT_EQ(SetMultiQpMode(dispatcher_, true), HCCL_SUCCESS);
    ASSERT_EQ(sync(), rt::Err::kOk);
    EXPECT_EQ(recorder_.size(), 0u);
}

TEST_F(DispatcherFunctions, DeviceSideOnlyFunctionsReturnEInternal) {
    EXPECT_EQ(HcclSetOpExecStatusCallback(dispatcher_, nullptr, nullptr), HCCL_E_INTERNAL);
    EXPECT_EQ(HcclSetSqeTimeOut(dispatcher_, 10), HCCL_E_INTERNAL);
    EXPECT_EQ(HcclSetSqFullWaitTimeOut(dispatcher_, 10), HCCL_E_INTERNAL);
    EXPECT_EQ(HcclSetOpRingBufferIdx(dispatcher_, 1), HCCL_E_INTERNAL);
}

int g_hookCalls = 0;
HcclResult g_hookResult = HCCL_SUCCESS;
HcclResult countingHook(const HcclDispatcher &, hccl::Stream &) {
    ++g_hookCalls;
    return g_hookResult;
}

TEST_F(DispatcherFunctions, LaunchTaskRunsTheLaunchHookAndPropagatesItsError) {
    g_hookCalls = 0;
    g_hookResult = HCCL_SUCCESS;
    RegisterLaunchTaskCallBack(&countingHook);
    std::vector<hccl::Stream> subStreams;
    EXPECT_EQ(LaunchTask(dispatcher_, stream_), HCCL_SUCCESS);
    EXPECT_EQ(LaunchTaskExtend(dispatcher_, stream_, subStreams), HCCL_SUCCESS);
    EXPECT_EQ(g_hookCalls, 2);
    g_hookResult = HCCL_E_INTERNAL;
    EXPECT_EQ(LaunchTask(dispatcher_, stream_), HCCL_E_INTERNAL);
    RegisterLaunchTaskCallBack(nullptr);
    EXPECT_EQ(LaunchTask(dispatcher_, stream_), HCCL_SUCCESS);
    EXPECT_EQ(g_hookCalls, 3);
}

TEST_F(DispatcherFunctions, InitTaskRunsTheInitHook) {
    g_hookCalls = 0;
    g_hookResult = HCCL_SUCCESS;
    RegisterInitTaskCallBack(&countingHook);
    EXPECT_EQ(InitTask(dispatcher_, stream_, true, "op-key"), HCCL_SUCCESS);
    EXPECT_EQ(g_hookCalls, 1);
    RegisterInitTaskCallBack(nullptr);
    EXPECT_EQ(InitTask(dispatcher_, stream_, true, "op-key", true), HCCL_SUCCESS);
    EXPECT_EQ(g_hookCalls, 1);
}

TEST_F(DispatcherFunctions, RegisterLoadTaskCallBackReplacesAndClearsTheCallback) {
    auto src = deviceBuffer(64, 1), dst = deviceBuffer(64);
    auto copy = [&] {
        return ::HcclMemcpyAsync(dispatcher_, dst.ptr(), 64, src.ptr(), 64,
                                 HcclRtMemcpyKind::HCCL_RT_MEMCPY_KIND_DEVICE_TO_DEVICE, stream_, 0,
                                 hccl::LinkType::LINK_ONCHIP);
    };
    ReportRecorder second;
    ASSERT_EQ(RegisterLoadTaskCallBack(dispatcher_, &second, &ReportRecorder::callback),
              HCCL_SUCCESS);
    ASSERT_EQ(copy(), HCCL_SUCCESS);
    ASSERT_EQ(RegisterLoadTaskCallBack(dispatcher_, nullptr, nullptr), HCCL_SUCCESS);
    ASSERT_EQ(copy(), HCCL_SUCCESS);
    ASSERT_EQ(sync(), rt::Err::kOk);
    EXPECT_EQ(second.size(), 1u);
    EXPECT_EQ(recorder_.size(), 0u);
}

// ---- LocalNotify -------------------------------------------------------------------------------

class LocalNotify : public PlatformTest {
  protected:
    void TearDown() override {
        (void)sync();
        notify_.reset();
        PlatformTest::TearDown();
    }
    std::shared_ptr<hccl::LocalNotify> notify_ = std::make_shared<hccl::LocalNotify>();
};

TEST_F(LocalNotify, InitCreatesANotifyWithIdAndOffset) {
    EXPECT_EQ(notify_->ptr(), nullptr);
    ASSERT_EQ(notify_->Init(), HCCL_SUCCESS);
    ASSERT_NE(notify_->ptr(), nullptr);
    EXPECT_EQ(notify_->notifyId_, rt::notifyId(static_cast<rt::Notify *>(notify_->ptr())));
    u64 offset = 1;
    ASSERT_EQ(notify_->GetNotifyOffset(offset), HCCL_SUCCESS);
    EXPECT_EQ(offset, rt::notifyOffset(static_cast<rt::Notify *>(notify_->ptr())));
    EXPECT_EQ(notify_->SetIpc(), HCCL_SUCCESS);
}

TEST_F(LocalNotify, UninitialisedNotifyReturnsEPtr) {
    u64 offset = 0;
    EXPECT_EQ(notify_->GetNotifyOffset(offset), HCCL_E_PTR);
    EXPECT_EQ(notify_->Post(stream_), HCCL_E_PTR);
    EXPECT_EQ(notify_->Wait(stream_, dispatcher_), HCCL_E_PTR);
    EXPECT_EQ(notify_->Destroy(), HCCL_SUCCESS);
}

TEST_F(LocalNotify, StaticHelpersRejectNullDispatcherAndNotify) {
    ASSERT_EQ(notify_->Init(), HCCL_SUCCESS);
    std::shared_ptr<hccl::LocalNotify> none;
    EXPECT_EQ(hccl::LocalNotify::Post(stream_, nullptr, notify_), HCCL_E_PTR);
    EXPECT_EQ(hccl::LocalNotify::Wait(stream_, nullptr, notify_), HCCL_E_PTR);
    EXPECT_EQ(hccl::LocalNotify::Post(stream_, dispatcher_, none), HCCL_E_PTR);
    EXPECT_EQ(hccl::LocalNotify::Wait(stream_, dispatcher_, none), HCCL_E_PTR);
}

TEST_F(LocalNotify, StaticHelpersReportInvalidRankAndOwnOffset) {
    ASSERT_EQ(notify_->Init(), HCCL_SUCCESS);
    ASSERT_EQ(hccl::LocalNotify::Post(stream_, dispatcher_, notify_, 3), HCCL_SUCCESS);
    ASSERT_EQ(hccl::LocalNotify::Wait(stream_, dispatcher_, notify_, 3), HCCL_SUCCESS);
    ASSERT_EQ(sync(), rt::Err::kOk);
    u64 offset = 0;
    ASSERT_EQ(notify_->GetNotifyOffset(offset), HCCL_SUCCESS);
    auto reports = recorder_.reports();
    ASSERT_EQ(reports.size(), 2u);
    EXPECT_EQ(reports[0].type, hccl::TaskType::TASK_NOTIFY_RECORD);
    EXPECT_EQ(reports[1].type, hccl::TaskType::TASK_NOTIFY_WAIT);
    for (const auto &r : reports) {
        EXPECT_EQ(r.notify.notifyID, hccl::MakeNotifyId(INVALID_VALUE_RANKID, offset));
        EXPECT_EQ(r.notify.remoteUserRank, INVALID_VALUE_RANKID);
        EXPECT_EQ(r.notify.stage, 3);
    }
}

TEST_F(LocalNotify, DirectPostAndWaitAreNotReported) {
    ASSERT_EQ(notify_->Init(), HCCL_SUCCESS);
    ASSERT_EQ(notify_->Post(stream_), HCCL_SUCCESS);
    ASSERT_EQ(notify_->Wait(stream_, 5u), HCCL_SUCCESS);
    ASSERT_EQ(sync(), rt::Err::kOk);
    EXPECT_EQ(recorder_.size(), 0u);
}

TEST_F(LocalNotify, NullStreamReturnsEPtr) {
    ASSERT_EQ(notify_->Init(), HCCL_SUCCESS);
    hccl::Stream none;
    EXPECT_EQ(notify_->Post(none), HCCL_E_PTR);
    EXPECT_EQ(notify_->Wait(none, 5u), HCCL_E_PTR);
    EXPECT_EQ(hccl::LocalNotify::Post(none, dispatcher_, notify_), HCCL_E_PTR);
    EXPECT_EQ(hccl::LocalNotify::Wait(none, dispatcher_, notify_), HCCL_E_PTR);
}

TEST_F(LocalNotify, DestroyIsIdempotent) {
    ASSERT_EQ(notify_->Init(), HCCL_SUCCESS);
    EXPECT_EQ(notify_->Destroy(), HCCL_SUCCESS);
    EXPECT_EQ(notify_->ptr(), nullptr);
    EXPECT_EQ(notify_->Destroy(), HCCL_SUCCESS);
}

// ---- log.h macros ------------------------------------------------------------------------------

HcclResult returns(HcclResult code) {
    CHK_RET(code);
    return HCCL_SUCCESS;
}
HcclResult checksPointer(const void *ptr) {
    CHK_PTR_NULL(ptr);
    return HCCL_SUCCESS;
}
HcclResult checksSmartPointer(const std::shared_ptr<int> &ptr) {
    CHK_SMART_PTR_NULL(ptr);
    return HCCL_SUCCESS;
}
HcclResult checksCondition(bool fail) {
    CHK_PRT_RET(fail, HCCL_ERROR("condition failed: %d", 42), HCCL_E_NOT_FOUND);
    return HCCL_SUCCESS;
}
HcclResult checksSafeFunction(int ret) {
    CHK_SAFETY_FUNC_RET(ret);
    return HCCL_SUCCESS;
}

TEST(LogMacros, ChkRetPropagatesTheCalleesCode) {
    EXPECT_EQ(returns(HCCL_SUCCESS), HCCL_SUCCESS);
    EXPECT_EQ(returns(HCCL_E_AGAIN), HCCL_E_AGAIN);
    EXPECT_EQ(returns(HCCL_E_TIMEOUT), HCCL_E_TIMEOUT);
}

TEST(LogMacros, NullPointerChecksReturnEPtr) {
    int x = 0;
    EXPECT_EQ(checksPointer(nullptr), HCCL_E_PTR);
    EXPECT_EQ(checksPointer(&x), HCCL_SUCCESS);
    EXPECT_EQ(checksSmartPointer(nullptr), HCCL_E_PTR);
    EXPECT_EQ(checksSmartPointer(std::make_shared<int>(1)), HCCL_SUCCESS);
}

TEST(LogMacros, ChkPrtRetReturnsTheGivenCode) {
    EXPECT_EQ(checksCondition(true), HCCL_E_NOT_FOUND);
    EXPECT_EQ(checksCondition(false), HCCL_SUCCESS);
}

TEST(LogMacros, SafetyFunctionFailureIsEInternal) {
    EXPECT_EQ(checksSafeFunction(EOK), HCCL_SUCCESS);
    EXPECT_EQ(checksSafeFunction(kSecErangeAndReset), HCCL_E_INTERNAL);
}

TEST(LogMacros, EnabledFollowsTheLogLevel) {
    log::setLevel(log::Level::kWarning);
    EXPECT_FALSE(HcclCpuLogEnabled(HCCL_LOG_LEVEL_INFO));
    EXPECT_TRUE(HcclCpuLogEnabled(HCCL_LOG_LEVEL_WARNING));
    EXPECT_TRUE(HcclCpuLogEnabled(HCCL_LOG_LEVEL_ERROR));
    log::setLevel(log::Level::kDebug);
    EXPECT_TRUE(HcclCpuLogEnabled(HCCL_LOG_LEVEL_DEBUG));
    std::string longText(2000, 'x');
    HCCL_DEBUG("a long line: %s %llu %d", longText.c_str(), 5ULL, -1);
    HCCL_INFO("no arguments");
    log::setLevel(log::Level::kError);
}

// ---- task report structures -------------------------------------------------------------------

TEST(TaskParaTypes, DefaultsAreTheVendorsInvalidValues) {
    hccl::TaskParaDMA dma;
    EXPECT_EQ(dma.notifyID, INVALID_U64);
    EXPECT_EQ(dma.linkType, hccl::LinkType::LINK_ONCHIP);
    EXPECT_EQ(dma.remoteUserRank, INVALID_VALUE_RANKID);
    EXPECT_EQ(dma.rdmaType, hccl::RdmaType::RDMA_TYPE_RESERVED);
    EXPECT_EQ(dma.ctxId, INVALID_UINT);
    hccl::TaskParaReduce reduce;
    EXPECT_EQ(reduce.remoteUserRank, INVALID_UINT);
    hccl::TaskParaNotify notify;
    EXPECT_EQ(notify.stage, INVALID_VALUE_STAGE);
    hccl::TaskPara para;
    EXPECT_EQ(para.profilerType, hccl::ProfilerType::TASK_ALL);
    EXPECT_FALSE(para.isFftsDispatcher);
    EXPECT_EQ(para.beginTime, 0u);
}

TEST(TaskParaTypes, NotifyIdConstructorsTakeTheRankFromTheHighBits) {
    const u64 id = hccl::MakeNotifyId(6, 0xABCDEF0123ULL);
    EXPECT_EQ(id, 0x00000006CDEF0123ULL);
    EXPECT_EQ(hccl::TaskParaNotify(id).remoteUserRank, 6u);
    EXPECT_EQ(hccl::TaskParaNotify(id, 2).remoteUserRank, 6u);
    EXPECT_EQ(hccl::TaskParaNotify(id, 2, 9).remoteUserRank, 9u);
    hccl::TaskParaDMA rdma(nullptr, nullptr, 8, id, hccl::LinkType::LINK_ROCE);
    EXPECT_EQ(rdma.remoteUserRank, 6u);
    EXPECT_EQ(rdma.notifyID, id);
    hccl::TaskParaDMA copy(nullptr, nullptr, 8, hccl::LinkType::LINK_HCCS, 4);
    EXPECT_EQ(copy.remoteUserRank, 4u);
    EXPECT_EQ(copy.notifyID, INVALID_U64);
}

TEST(TaskParaTypes, LinkTypeNames) {
    EXPECT_EQ(hccl::GetLinkTypeEnumStr(hccl::LinkType::LINK_HCCS_SW), "HCCS_SW");
    EXPECT_EQ(hccl::GetLinkTypeEnumStr(hccl::LinkType::LINK_STANDARD_ROCE), "STANDARD_ROCE");
    EXPECT_EQ(hccl::LINK_TYPE_STR_MAP.count(hccl::LinkType::LINK_UB), 0u);
}

// ---- memcpy_s ----------------------------------------------------------------------------------

TEST(SecureMemcpy, NullSourceZeroesDestinationAndFails) {
    char dst[4] = {1, 2, 3, 4};
    EXPECT_EQ(secureMemcpy(dst, 4, nullptr, 4), kSecEinvalAndReset);
    EXPECT_EQ(std::vector<char>(dst, dst + 4), std::vector<char>(4, 0));
    EXPECT_EQ(secureMemcpy(nullptr, 4, dst, 4), kSecEinval);
}

TEST(SecureMemcpy, AdjacentRangesDoNotOverlap) {
    char buffer[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    EXPECT_EQ(secureMemcpy(buffer + 4, 4, buffer, 4), kSecEok);
    EXPECT_EQ(buffer[7], 4);
}

}  // namespace
}  // namespace hcclcpu::platform::test
