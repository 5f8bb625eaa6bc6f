// DISPATCHER_VIRTURAL and the stream's task records (spec platform_api.md §2.0, §2.2, §2.4, §2.5,
// §3.1, §3.6, §6 item 7): the virtual paths push a TaskLogicInfo instead of running; the
// non-virtual ones (HcclMemcpyAsync, TBE reduce) still run.
#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <vector>

#include "local_notify.h"
#include "log.h"
#include "platform_test_util.h"
#include "task_logic_info_pub.h"

namespace hcclcpu::platform::test {
namespace {

using hccl::DispatcherTaskType;
using hccl::LinkType;
using hccl::TaskLogicInfo;
using hccl::TaskType;

constexpr auto kD2D = HcclRtMemcpyKind::HCCL_RT_MEMCPY_KIND_DEVICE_TO_DEVICE;
constexpr int64_t kSyncLimitMs = 10000;  // a task that was wrongly issued would block far longer

// PlatformTest's normal dispatcher (dispatcher_, reports in recorder_) plus a virtual one
// (virtual_, reports in virtualReports_), a second stream and notifies.
class VirtualDispatcher : public PlatformTest {
  protected:
    void SetUp() override {
        PlatformTest::SetUp();
        ASSERT_EQ(HcclDispatcherInit(DispatcherType::DISPATCHER_VIRTURAL, 0, &virtual_),
                  HCCL_SUCCESS);
        ASSERT_EQ(RegisterLoadTaskCallBack(virtual_, &virtualReports_, &ReportRecorder::callback),
                  HCCL_SUCCESS);
        sub_ = hccl::Stream(hccl::StreamType::STREAM_TYPE_ONLINE);
        ASSERT_TRUE(sub_);
    }
    void TearDown() override {
        if (sub_) (void)sync(sub_);
        sub_ = hccl::Stream();
        notifies_.clear();
        EXPECT_EQ(HcclDispatcherDestroy(virtual_), HCCL_SUCCESS);
        PlatformTest::TearDown();
    }

    std::shared_ptr<hccl::LocalNotify> newNotify() {
        auto notify = std::make_shared<hccl::LocalNotify>();
        EXPECT_EQ(notify->Init(), HCCL_SUCCESS);
        notifies_.push_back(notify);
        return notify;
    }
    hccl::DeviceMem floatBuffer(size_t count, float (*value)(size_t)) {
        hccl::DeviceMem mem = deviceBuffer(count * sizeof(float));
        auto *data = static_cast<float *>(mem.ptr());
        for (size_t i = 0; i < count; ++i)
            data[i] = value(i);
        return mem;
    }
    static std::vector<float> floatsOf(const hccl::DeviceMem &mem) {
        const auto *data = static_cast<const float *>(mem.ptr());
        return std::vector<float>(data, data + mem.size() / sizeof(float));
    }
    static rt::Err syncWithin(const hccl::Stream &stream) {
        return rt::streamSynchronize(static_cast<rt::Stream *>(stream.ptr()), kSyncLimitMs);
    }
    static TaskLogicInfo pop(hccl::Stream &stream) {
        TaskLogicInfo info;
        EXPECT_EQ(stream.PopTaskLogicInfo(info), HCCL_SUCCESS);
        return info;
    }
    static bool isEmpty(hccl::Stream &stream) {
        TaskLogicInfo info;
        return stream.PopTaskLogicInfo(info) == HCCL_E_UNAVAIL;
    }

    HcclDispatcher virtual_ = nullptr;
    ReportRecorder virtualReports_;
    hccl::Stream sub_;
    std::vector<std::shared_ptr<hccl::LocalNotify>> notifies_;
};

using HcclDispatcherInitVirtural = VirtualDispatcher;
using HcclD2DMemcpyAsyncVirtual = VirtualDispatcher;
using HcclReduceAsyncVirtual = VirtualDispatcher;
using HcclMemcpyAsyncVirtual = VirtualDispatcher;
using HcclSignalVirtual = VirtualDispatcher;
using LocalNotifyVirtual = VirtualDispatcher;
using TaskLogicInfoQueue = VirtualDispatcher;
using TaskLoaderReplay = VirtualDispatcher;

// ---- init --------------------------------------------------------------------------------------

TEST_F(HcclDispatcherInitVirtural, Succeeds) {
    HcclDispatcher handle = nullptr;
    ASSERT_EQ(::HcclDispatcherInit(DispatcherType::DISPATCHER_VIRTURAL, 0, &handle), HCCL_SUCCESS);
    EXPECT_NE(handle, nullptr);
    EXPECT_EQ(::HcclDispatcherDestroy(handle), HCCL_SUCCESS);
    handle = nullptr;
    ASSERT_EQ(::HcclDispatcherInit(DispatcherType::DISPATCHER_VIRTURAL, HOST_DEVICE_ID, &handle),
              HCCL_SUCCESS);
    EXPECT_NE(handle, nullptr);
    EXPECT_EQ(::HcclDispatcherDestroy(handle), HCCL_SUCCESS);
}

TEST_F(HcclDispatcherInitVirtural, OutOfRangeDeviceReturnsEPara) {
    HcclDispatcher handle = nullptr;
    EXPECT_EQ(::HcclDispatcherInit(DispatcherType::DISPATCHER_VIRTURAL,
                                   static_cast<s32>(rt::deviceCount()), &handle),
              HCCL_E_PARA);
    EXPECT_EQ(handle, nullptr);
}

// ---- HcclD2DMemcpyAsync ------------------------------------------------------------------------

TEST_F(HcclD2DMemcpyAsyncVirtual, IsRecordedWithItsFieldsAndNotExecuted) {
    hccl::DeviceMem src = deviceBuffer(4096, 7), dst = deviceBuffer(8192);
    ASSERT_EQ(::HcclD2DMemcpyAsync(virtual_, dst, src, stream_, 3, LinkType::LINK_HCCS),
              HCCL_SUCCESS);
    ASSERT_EQ(syncWithin(stream_), rt::Err::kOk);
    EXPECT_EQ(bytesOf(dst.ptr(), 8192), std::vector<uint8_t>(8192, 0));

    TaskLogicInfo info = pop(stream_);
    EXPECT_EQ(info.taskType, DispatcherTaskType::DISPATCHER_MEMCPYASYNC_TYPE);
    EXPECT_EQ(info.memcpyPara.dst, dst.ptr());
    EXPECT_EQ(info.memcpyPara.dstSize, 8192u);
    EXPECT_EQ(info.memcpyPara.src, src.ptr());
    EXPECT_EQ(info.memcpyPara.srcSize, 4096u);
    EXPECT_EQ(info.memcpyPara.kind, kD2D);
    EXPECT_TRUE(isEmpty(stream_));
}

TEST_F(HcclD2DMemcpyAsyncVirtual, DstSmallerThanSrcReturnsEPtrAndRecordsNothing) {
    hccl::DeviceMem src = deviceBuffer(16, 1), dst = deviceBuffer(8);
    EXPECT_EQ(::HcclD2DMemcpyAsync(virtual_, dst, src, stream_), HCCL_E_PTR);
    EXPECT_TRUE(isEmpty(stream_));
}

TEST_F(HcclD2DMemcpyAsyncVirtual, NullDeviceMemReturnsEPtr) {
    hccl::DeviceMem src = deviceBuffer(16, 1), empty;
    EXPECT_EQ(::HcclD2DMemcpyAsync(virtual_, empty, src, stream_), HCCL_E_PTR);
    EXPECT_TRUE(isEmpty(stream_));
}

// The normal dispatcher skips these; the record is made anyway (the replay skips them).
TEST_F(HcclD2DMemcpyAsyncVirtual, ZeroSizeAndSameBufferCopiesAreRecorded) {
    hccl::DeviceMem buffer = deviceBuffer(64, 1);
    hccl::DeviceMem none = buffer.range(0, 0);
    ASSERT_EQ(::HcclD2DMemcpyAsync(virtual_, none, none, stream_), HCCL_SUCCESS);
    ASSERT_EQ(::HcclD2DMemcpyAsync(virtual_, buffer, buffer, stream_), HCCL_SUCCESS);
    TaskLogicInfo zero = pop(stream_), same = pop(stream_);
    EXPECT_EQ(zero.memcpyPara.srcSize, 0u);
    EXPECT_EQ(same.memcpyPara.dst, same.memcpyPara.src);
    EXPECT_EQ(same.memcpyPara.srcSize, 64u);
}

// ---- HcclReduceAsync ---------------------------------------------------------------------------

TEST_F(HcclReduceAsyncVirtual, InlineReduceIsRecordedWithItsFieldsAndNotExecuted) {
    hccl::DeviceMem src = floatBuffer(256, [](size_t i) { return 1.0f + i; });
    hccl::DeviceMem dst = floatBuffer(256, [](size_t) { return 10.0f; });
    ASSERT_EQ(::HcclReduceAsync(virtual_, src.ptr(), 256, HCCL_DATA_TYPE_FP32, HCCL_REDUCE_MAX,
                                stream_, dst.ptr(), 7, LinkType::LINK_SIO, INLINE_REDUCE_BIT),
              HCCL_SUCCESS);
    ASSERT_EQ(syncWithin(stream_), rt::Err::kOk);
    EXPECT_EQ(floatsOf(dst), std::vector<float>(256, 10.0f));

    TaskLogicInfo info = pop(stream_);
    EXPECT_EQ(info.taskType, DispatcherTaskType::DISPATCHER_INLINEREDUCEASYNC_TYPE);
    EXPECT_EQ(info.reducePara.src, src.ptr());
    EXPECT_EQ(info.reducePara.dst, dst.ptr());
    EXPECT_EQ(info.reducePara.count, 256u);  // elements
    EXPECT_EQ(info.reducePara.dataType, HCCL_DATA_TYPE_FP32);
    EXPECT_EQ(info.reducePara.op, HCCL_REDUCE_MAX);
    EXPECT_EQ(info.reducePara.remoteUserRank, 7u);
    EXPECT_EQ(info.reducePara.linkType, LinkType::LINK_SIO);
    EXPECT_TRUE(isEmpty(stream_));
}

// ReduceAsync with reduceAttr bit 0 clear is not virtual in the vendor's dispatcher.
TEST_F(HcclReduceAsyncVirtual, TbeReduceStillExecutesAndReports) {
    hccl::DeviceMem src = floatBuffer(100, [](size_t i) { return 1.0f * i; });
    hccl::DeviceMem dst = floatBuffer(100, [](size_t) { return 0.5f; });
    ASSERT_EQ(::HcclReduceAsync(virtual_, src.ptr(), 100, HCCL_DATA_TYPE_FP32, HCCL_REDUCE_SUM,
                                stream_, dst.ptr(), 7, LinkType::LINK_SIO, 0),
              HCCL_SUCCESS);
    ASSERT_EQ(syncWithin(stream_), rt::Err::kOk);
    std::vector<float> result = floatsOf(dst);
    for (size_t i = 0; i < result.size(); ++i)
        ASSERT_EQ(result[i], 0.5f + i) << i;
    EXPECT_TRUE(isEmpty(stream_));
    auto reports = virtualReports_.reports();
    ASSERT_EQ(reports.size(), 1u);
    EXPECT_EQ(reports[0].type, TaskType::TASK_REDUCE_TBE);
}

// ---- HcclMemcpyAsync: §6 item 7 -----------------------------------------------------------------

TEST_F(HcclMemcpyAsyncVirtual, StillExecutesAndReportsOnAVirtualDispatcher) {
    hccl::DeviceMem src = deviceBuffer(4096, 5), dst = deviceBuffer(4096);
    ASSERT_EQ(::HcclMemcpyAsync(virtual_, dst.ptr(), 4096, src.ptr(), 4096, kD2D, stream_, 2,
                                LinkType::LINK_HCCS),
              HCCL_SUCCESS);
    ASSERT_EQ(syncWithin(stream_), rt::Err::kOk);
    EXPECT_EQ(bytesOf(dst.ptr(), 4096), bytesOf(src.ptr(), 4096));
    EXPECT_TRUE(isEmpty(stream_));
    auto reports = virtualReports_.reports();
    ASSERT_EQ(reports.size(), 1u);
    EXPECT_EQ(reports[0].type, TaskType::TASK_SDMA);
}

// The consequence: a raw copy issued after a recorded copy runs before it.
TEST_F(HcclMemcpyAsyncVirtual, OvertakesCopiesRecordedBeforeIt) {
    hccl::DeviceMem a = deviceBuffer(256, 9), b = deviceBuffer(256), c = deviceBuffer(256);
    ASSERT_EQ(::HcclD2DMemcpyAsync(virtual_, b, a, stream_), HCCL_SUCCESS);  // a -> b, recorded
    ASSERT_EQ(::HcclMemcpyAsync(virtual_, c.ptr(), 256, b.ptr(), 256, kD2D, stream_,
                                INVALID_VALUE_RANKID, LinkType::LINK_ONCHIP),
              HCCL_SUCCESS);  // b -> c, executed now
    ASSERT_EQ(syncWithin(stream_), rt::Err::kOk);
    EXPECT_EQ(bytesOf(c.ptr(), 256), std::vector<uint8_t>(256, 0));  // b's old content
}

// ---- HcclSignalRecord / HcclSignalWait ---------------------------------------------------------

// A record keeps userRank and the full 64-bit offset as given (the report would pack them into
// (userRank << 32) | low32(offset) when the record is replayed); INVALID_U64 stays.
TEST_F(HcclSignalVirtual, RecordIsRecordedWithUserRankAndOffsetAsGiven) {
    auto notify = newNotify();
    ASSERT_EQ(
        ::HcclSignalRecord(virtual_, notify->ptr(), stream_, 5, 0x1234567890ULL, 2, false, 0xdead),
        HCCL_SUCCESS);
    ASSERT_EQ(::HcclSignalRecord(virtual_, notify->ptr(), stream_, 6, INVALID_U64, -1, true, 0),
              HCCL_SUCCESS);
    TaskLogicInfo explicitOffset = pop(stream_), ownOffset = pop(stream_);
    EXPECT_EQ(explicitOffset.taskType, DispatcherTaskType::DISPATCHER_SIGNALRECORD_TYPE);
    EXPECT_EQ(explicitOffset.signalPara.signal, notify->ptr());
    EXPECT_EQ(explicitOffset.signalPara.userRank, 5u);
    EXPECT_EQ(explicitOffset.signalPara.remoteUserRank, INVALID_VALUE_RANKID);
    EXPECT_EQ(explicitOffset.signalPara.offset, 0x1234567890ULL);
    EXPECT_EQ(explicitOffset.signalPara.stage, 2);
    EXPECT_EQ(ownOffset.signalPara.userRank, 6u);
    EXPECT_EQ(ownOffset.signalPara.offset, INVALID_U64);
    EXPECT_EQ(ownOffset.signalPara.stage, -1);
}

TEST_F(HcclSignalVirtual, RecordIsNotExecuted) {
    auto notify = newNotify();
    ASSERT_EQ(::HcclSignalRecord(virtual_, notify->ptr(), sub_, 0, INVALID_U64, -1, true, 0),
              HCCL_SUCCESS);
    ASSERT_EQ(syncWithin(sub_), rt::Err::kOk);
    // Had the record run, this wait would be satisfied; it times out after one second instead.
    ASSERT_EQ(notify->Wait(stream_, 1), HCCL_SUCCESS);
    EXPECT_EQ(syncWithin(stream_), rt::Err::kTimeout);
}

// A wait keeps userRank (the local rank) and remoteUserRank; it has no offset.
TEST_F(HcclSignalVirtual, WaitIsRecordedWithUserRankAndRemoteUserRankAndNotExecuted) {
    auto notify = newNotify();
    ASSERT_EQ(::HcclSignalWait(virtual_, notify->ptr(), stream_, 2, 6, 1, false), HCCL_SUCCESS);
    // Had the wait been issued, nothing would record the notify and the stream would hang.
    ASSERT_EQ(syncWithin(stream_), rt::Err::kOk);
    TaskLogicInfo info = pop(stream_);
    EXPECT_EQ(info.taskType, DispatcherTaskType::DISPATCHER_SIGNALWAIT_TYPE);
    EXPECT_EQ(info.signalPara.signal, notify->ptr());
    EXPECT_EQ(info.signalPara.userRank, 2u);
    EXPECT_EQ(info.signalPara.remoteUserRank, 6u);
    EXPECT_EQ(info.signalPara.offset, INVALID_U64);
    EXPECT_EQ(info.signalPara.stage, 1);
}

TEST_F(HcclSignalVirtual, NullSignalReturnsEPtrAndRecordsNothing) {
    EXPECT_EQ(::HcclSignalRecord(virtual_, nullptr, stream_, 0, 0, -1, true, 0), HCCL_E_PTR);
    EXPECT_EQ(::HcclSignalWait(virtual_, nullptr, stream_, 0, 0, -1, true), HCCL_E_PTR);
    EXPECT_TRUE(isEmpty(stream_));
}

// ---- LocalNotify -------------------------------------------------------------------------------

TEST_F(LocalNotifyVirtual, PostAndWaitAreRecordedWithInvalidRanksAndOffset) {
    auto notify = newNotify();
    ASSERT_EQ(hccl::LocalNotify::Post(stream_, virtual_, notify, 3), HCCL_SUCCESS);
    ASSERT_EQ(hccl::LocalNotify::Wait(sub_, virtual_, notify, 4), HCCL_SUCCESS);
    ASSERT_EQ(notify->Post(stream_, virtual_), HCCL_SUCCESS);
    ASSERT_EQ(syncWithin(sub_), rt::Err::kOk);  // the wait was not issued

    TaskLogicInfo post = pop(stream_), wait = pop(sub_), instancePost = pop(stream_);
    EXPECT_EQ(post.taskType, DispatcherTaskType::DISPATCHER_SIGNALRECORD_TYPE);
    EXPECT_EQ(post.signalPara.signal, notify->ptr());
    EXPECT_EQ(post.signalPara.userRank, INVALID_VALUE_RANKID);
    EXPECT_EQ(post.signalPara.offset, INVALID_U64);
    EXPECT_EQ(post.signalPara.stage, 3);
    EXPECT_EQ(wait.taskType, DispatcherTaskType::DISPATCHER_SIGNALWAIT_TYPE);
    EXPECT_EQ(wait.signalPara.signal, notify->ptr());
    EXPECT_EQ(wait.signalPara.userRank, INVALID_VALUE_RANKID);
    EXPECT_EQ(wait.signalPara.remoteUserRank, INVALID_VALUE_RANKID);
    EXPECT_EQ(wait.signalPara.stage, 4);
    EXPECT_EQ(instancePost.taskType, DispatcherTaskType::DISPATCHER_SIGNALRECORD_TYPE);
    EXPECT_EQ(instancePost.signalPara.stage, INVALID_VALUE_STAGE);
}

// ---- reports -----------------------------------------------------------------------------------

TEST_F(VirtualDispatcher, RecordsMakeNoTaskReport) {
    auto notify = newNotify();
    hccl::DeviceMem src = floatBuffer(16, [](size_t) { return 1.0f; });
    hccl::DeviceMem dst = floatBuffer(16, [](size_t) { return 2.0f; });
    ASSERT_EQ(::HcclD2DMemcpyAsync(virtual_, dst, src, stream_), HCCL_SUCCESS);
    ASSERT_EQ(::HcclReduceAsync(virtual_, src.ptr(), 16, HCCL_DATA_TYPE_FP32, HCCL_REDUCE_SUM,
                                stream_, dst.ptr(), 1, LinkType::LINK_HCCS, INLINE_REDUCE_BIT),
              HCCL_SUCCESS);
    ASSERT_EQ(hccl::LocalNotify::Post(stream_, virtual_, notify), HCCL_SUCCESS);
    ASSERT_EQ(hccl::LocalNotify::Wait(stream_, virtual_, notify), HCCL_SUCCESS);
    EXPECT_EQ(virtualReports_.size(), 0u);
}

// ---- the queue ---------------------------------------------------------------------------------

TEST_F(TaskLogicInfoQueue, PopsInPushOrder) {
    auto notify = newNotify();
    hccl::DeviceMem src = floatBuffer(16, [](size_t) { return 1.0f; });
    hccl::DeviceMem dst = floatBuffer(16, [](size_t) { return 2.0f; });
    ASSERT_EQ(hccl::LocalNotify::Wait(stream_, virtual_, notify), HCCL_SUCCESS);
    ASSERT_EQ(::HcclD2DMemcpyAsync(virtual_, dst, src, stream_), HCCL_SUCCESS);
    ASSERT_EQ(::HcclReduceAsync(virtual_, src.ptr(), 16, HCCL_DATA_TYPE_FP32, HCCL_REDUCE_SUM,
                                stream_, dst.ptr(), 1, LinkType::LINK_HCCS, INLINE_REDUCE_BIT),
              HCCL_SUCCESS);
    ASSERT_EQ(hccl::LocalNotify::Post(stream_, virtual_, notify), HCCL_SUCCESS);
    EXPECT_EQ(pop(stream_).taskType, DispatcherTaskType::DISPATCHER_SIGNALWAIT_TYPE);
    EXPECT_EQ(pop(stream_).taskType, DispatcherTaskType::DISPATCHER_MEMCPYASYNC_TYPE);
    EXPECT_EQ(pop(stream_).taskType, DispatcherTaskType::DISPATCHER_INLINEREDUCEASYNC_TYPE);
    EXPECT_EQ(pop(stream_).taskType, DispatcherTaskType::DISPATCHER_SIGNALRECORD_TYPE);
    EXPECT_TRUE(isEmpty(stream_));
}

TEST_F(TaskLogicInfoQueue, PopOnEmptyReturnsEUnavailAndLeavesTheArgument) {
    TaskLogicInfo info;
    info.taskType = DispatcherTaskType::DISPATCHER_SIGNALWAIT_TYPE;
    info.signalPara.userRank = 11;
    EXPECT_EQ(stream_.PopTaskLogicInfo(info), HCCL_E_UNAVAIL);
    EXPECT_EQ(info.taskType, DispatcherTaskType::DISPATCHER_SIGNALWAIT_TYPE);
    EXPECT_EQ(info.signalPara.userRank, 11u);
}

TEST_F(TaskLogicInfoQueue, IsSeparatePerStream) {
    hccl::DeviceMem src = deviceBuffer(32, 1), dst = deviceBuffer(32);
    ASSERT_EQ(::HcclD2DMemcpyAsync(virtual_, dst, src, sub_), HCCL_SUCCESS);
    EXPECT_TRUE(isEmpty(stream_));
    EXPECT_EQ(pop(sub_).taskType, DispatcherTaskType::DISPATCHER_MEMCPYASYNC_TYPE);
}

TEST_F(TaskLogicInfoQueue, CopiesOfAStreamShareIt) {
    hccl::DeviceMem src = deviceBuffer(32, 1), dst = deviceBuffer(32);
    hccl::Stream alias(stream_);
    hccl::Stream assigned;
    assigned = stream_;
    ASSERT_EQ(::HcclD2DMemcpyAsync(virtual_, dst, src, alias), HCCL_SUCCESS);
    TaskLogicInfo info;
    info.taskType = DispatcherTaskType::DISPATCHER_SIGNALRECORD_TYPE;
    ASSERT_EQ(assigned.PushTaskLogicInfo(info), HCCL_SUCCESS);
    EXPECT_EQ(pop(stream_).taskType, DispatcherTaskType::DISPATCHER_MEMCPYASYNC_TYPE);
    EXPECT_EQ(pop(alias).taskType, DispatcherTaskType::DISPATCHER_SIGNALRECORD_TYPE);
    EXPECT_TRUE(isEmpty(assigned));
}

TEST_F(TaskLogicInfoQueue, MovesTakeItAlong) {
    hccl::Stream owner(hccl::StreamType::STREAM_TYPE_ONLINE);
    TaskLogicInfo info;
    info.taskType = DispatcherTaskType::DISPATCHER_SIGNALWAIT_TYPE;
    ASSERT_EQ(owner.PushTaskLogicInfo(info), HCCL_SUCCESS);
    hccl::Stream moved(std::move(owner));
    EXPECT_EQ(pop(moved).taskType, DispatcherTaskType::DISPATCHER_SIGNALWAIT_TYPE);
    EXPECT_EQ(owner.PushTaskLogicInfo(info), HCCL_E_PTR);  // moved from: no queue left
}

// Stream() has no runtime stream and no queue: nothing can be recorded on it.
TEST_F(TaskLogicInfoQueue, StreamWithoutRuntimeStreamCannotRecord) {
    hccl::Stream none;
    TaskLogicInfo info;
    EXPECT_EQ(none.PushTaskLogicInfo(info), HCCL_E_PTR);
    EXPECT_EQ(none.PopTaskLogicInfo(info), HCCL_E_PTR);
    hccl::DeviceMem src = deviceBuffer(32, 1), dst = deviceBuffer(32);
    EXPECT_EQ(::HcclD2DMemcpyAsync(virtual_, dst, src, none), HCCL_E_PTR);
    EXPECT_EQ(bytesOf(dst.ptr(), 32), std::vector<uint8_t>(32, 0));  // no synchronous copy either
}

TEST_F(TaskLogicInfoQueue, PushAfterTheOwnerDestroyedTheStreamReturnsEPtr) {
    auto owner = std::make_unique<hccl::Stream>(hccl::StreamType::STREAM_TYPE_ONLINE);
    hccl::Stream alias(*owner);
    TaskLogicInfo info;
    info.taskType = DispatcherTaskType::DISPATCHER_SIGNALWAIT_TYPE;
    ASSERT_EQ(alias.PushTaskLogicInfo(info), HCCL_SUCCESS);
    owner.reset();
    ASSERT_TRUE(alias.IsInvalid());
    EXPECT_EQ(alias.PushTaskLogicInfo(info), HCCL_E_PTR);
    EXPECT_EQ(pop(alias).taskType, DispatcherTaskType::DISPATCHER_SIGNALWAIT_TYPE);  // drains
}

// ---- replay, as the vendor's task loader does ---------------------------------------------------

// Issues every record of `stream` on `dispatcher` (a normal one), in order.
HcclResult replay(HcclDispatcher dispatcher, hccl::Stream &stream) {
    TaskLogicInfo info;
    while (stream.PopTaskLogicInfo(info) == HCCL_SUCCESS) {
        HcclResult ret = HCCL_E_INTERNAL;
        switch (info.taskType) {
            case DispatcherTaskType::DISPATCHER_MEMCPYASYNC_TYPE: {
                const hccl::TaskLogicMemcpyPara &p = info.memcpyPara;
                ret = ::HcclMemcpyAsync(dispatcher, p.dst, p.dstSize, p.src, p.srcSize, p.kind,
                                        stream, INVALID_VALUE_RANKID, LinkType::LINK_ONCHIP);
                break;
            }
            case DispatcherTaskType::DISPATCHER_INLINEREDUCEASYNC_TYPE: {
                const hccl::TaskLogicReducePara &p = info.reducePara;
                ret = ::HcclReduceAsync(dispatcher, p.src, p.count, p.dataType, p.op, stream, p.dst,
                                        p.remoteUserRank, p.linkType, INLINE_REDUCE_BIT);
                break;
            }
            case DispatcherTaskType::DISPATCHER_SIGNALRECORD_TYPE: {
                const hccl::TaskLogicSignalPara &p = info.signalPara;
                ret = ::HcclSignalRecord(dispatcher, p.signal, stream, p.userRank, p.offset,
                                         p.stage, true, 0);
                break;
            }
            case DispatcherTaskType::DISPATCHER_SIGNALWAIT_TYPE: {
                const hccl::TaskLogicSignalPara &p = info.signalPara;
                ret = ::HcclSignalWait(dispatcher, p.signal, stream, p.userRank, p.remoteUserRank,
                                       p.stage, true);
                break;
            }
            default:
                break;
        }
        if (ret != HCCL_SUCCESS) return ret;
    }
    return HCCL_SUCCESS;
}

struct Scenario {
    hccl::DeviceMem in, other, mid, out;
};

// out = in + other, via a main and a sub-stream ordered by a LocalNotify and a signal pair with
// explicit ranks; the sub-stream waits before the main stream posts.
HcclResult issueScenario(HcclDispatcher dispatcher, hccl::Stream &main, hccl::Stream &sub,
                         Scenario &s, const std::shared_ptr<hccl::LocalNotify> &aux,
                         const std::shared_ptr<hccl::LocalNotify> &done) {
    CHK_RET(hccl::LocalNotify::Wait(sub, dispatcher, aux, 0));
    CHK_RET(::HcclD2DMemcpyAsync(dispatcher, s.mid, s.in, main));
    CHK_RET(hccl::LocalNotify::Post(main, dispatcher, aux, 0));
    CHK_RET(::HcclReduceAsync(dispatcher, s.other.ptr(), s.other.size() / sizeof(float),
                              HCCL_DATA_TYPE_FP32, HCCL_REDUCE_SUM, sub, s.mid.ptr(), 1,
                              LinkType::LINK_HCCS, INLINE_REDUCE_BIT));
    CHK_RET(::HcclSignalRecord(dispatcher, done->ptr(), sub, 1, INVALID_U64, 1, true, 0));
    CHK_RET(::HcclSignalWait(dispatcher, done->ptr(), main, 0, 1, 1, true));
    return ::HcclD2DMemcpyAsync(dispatcher, s.out, s.mid, main);
}

TEST_F(TaskLoaderReplay, OnANormalDispatcherReproducesTheDirectRun) {
    constexpr size_t kCount = 1024;
    auto scenario = [this] {
        return Scenario{floatBuffer(kCount, [](size_t i) { return 1.0f * i; }),
                        floatBuffer(kCount, [](size_t i) { return 2.0f * i + 1; }),
                        floatBuffer(kCount, [](size_t) { return 0.0f; }),
                        floatBuffer(kCount, [](size_t) { return 0.0f; })};
    };
    auto aux = newNotify(), done = newNotify();

    // Directly on the normal dispatcher.
    Scenario direct = scenario();
    ASSERT_EQ(issueScenario(dispatcher_, stream_, sub_, direct, aux, done), HCCL_SUCCESS);
    ASSERT_EQ(syncWithin(stream_), rt::Err::kOk);
    ASSERT_EQ(syncWithin(sub_), rt::Err::kOk);
    std::vector<hccl::TaskPara> directReports = recorder_.reports();

    // Recorded on the virtual dispatcher: nothing runs.
    Scenario recorded = scenario();
    ASSERT_EQ(issueScenario(virtual_, stream_, sub_, recorded, aux, done), HCCL_SUCCESS);
    ASSERT_EQ(syncWithin(stream_), rt::Err::kOk);
    ASSERT_EQ(syncWithin(sub_), rt::Err::kOk);
    EXPECT_EQ(floatsOf(recorded.out), std::vector<float>(kCount, 0.0f));

    // Replayed stream by stream on the normal dispatcher (main first: its wait on `done` is
    // issued before the sub-stream's record).
    ASSERT_EQ(replay(dispatcher_, stream_), HCCL_SUCCESS);
    ASSERT_EQ(replay(dispatcher_, sub_), HCCL_SUCCESS);
    ASSERT_EQ(syncWithin(stream_), rt::Err::kOk);
    ASSERT_EQ(syncWithin(sub_), rt::Err::kOk);

    std::vector<float> expected(kCount);
    for (size_t i = 0; i < kCount; ++i)
        expected[i] = 3.0f * i + 1;
    EXPECT_EQ(floatsOf(direct.out), expected);
    EXPECT_EQ(floatsOf(recorded.out), expected);

    // The replay reports the same tasks per stream, notify IDs included.
    std::vector<hccl::TaskPara> all = recorder_.reports();
    std::vector<hccl::TaskPara> replayReports(all.begin() + directReports.size(), all.end());
    auto notifyIdsOf = [](const std::vector<hccl::TaskPara> &reports, void *stream) {
        std::vector<std::pair<TaskType, u64>> ids;
        for (const hccl::TaskPara &r : reports) {
            if (r.stream != stream) continue;
            bool isNotify =
                r.type == TaskType::TASK_NOTIFY_RECORD || r.type == TaskType::TASK_NOTIFY_WAIT;
            ids.emplace_back(r.type, isNotify ? r.notify.notifyID : 0);
        }
        return ids;
    };
    for (void *stream : {stream_.ptr(), sub_.ptr()}) {
        EXPECT_EQ(notifyIdsOf(replayReports, stream), notifyIdsOf(directReports, stream));
        EXPECT_FALSE(notifyIdsOf(directReports, stream).empty());
    }
}

}  // namespace
}  // namespace hcclcpu::platform::test
