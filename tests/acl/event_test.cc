#include <chrono>
#include <cstring>
#include <thread>
#include <vector>

#include "acl_test_util.h"

namespace hcclcpu::acl::test {
namespace {

class AclEvent : public AclDeviceTest {
  protected:
    void SetUp() override {
        AclDeviceTest::SetUp();
        ASSERT_EQ(aclrtCreateStream(&stream_), ACL_SUCCESS);
    }
    void TearDown() override {
        EXPECT_EQ(aclrtDestroyStream(stream_), ACL_SUCCESS);
        AclDeviceTest::TearDown();
    }
    aclrtStream stream_ = nullptr;
};

TEST_F(AclEvent, ElapsedTimeMeasuresTheTimeBetweenRecords) {
    aclrtEvent start = nullptr, end = nullptr;
    ASSERT_EQ(aclrtCreateEvent(&start), ACL_SUCCESS);
    ASSERT_EQ(aclrtCreateEvent(&end), ACL_SUCCESS);
    ASSERT_EQ(aclrtRecordEvent(start, stream_), ACL_SUCCESS);
    ASSERT_EQ(aclrtSynchronizeStream(stream_), ACL_SUCCESS);
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    ASSERT_EQ(aclrtRecordEvent(end, stream_), ACL_SUCCESS);
    ASSERT_EQ(aclrtSynchronizeStream(stream_), ACL_SUCCESS);
    float ms = -1.0f;
    ASSERT_EQ(aclrtEventElapsedTime(&ms, start, end), ACL_SUCCESS);
    EXPECT_GE(ms, 29.0f);
    EXPECT_LT(ms, 10000.0f);
    EXPECT_EQ(aclrtDestroyEvent(start), ACL_SUCCESS);
    EXPECT_EQ(aclrtDestroyEvent(end), ACL_SUCCESS);
}

TEST_F(AclEvent, ElapsedTimeOfAnUnrecordedEventFails) {
    aclrtEvent start = nullptr, end = nullptr;
    ASSERT_EQ(aclrtCreateEvent(&start), ACL_SUCCESS);
    ASSERT_EQ(aclrtCreateEvent(&end), ACL_SUCCESS);
    ASSERT_EQ(aclrtRecordEvent(start, stream_), ACL_SUCCESS);
    ASSERT_EQ(aclrtSynchronizeStream(stream_), ACL_SUCCESS);
    float ms = -1.0f;
    EXPECT_EQ(aclrtEventElapsedTime(&ms, start, end), ACL_ERROR_RT_PARAM_INVALID);
    EXPECT_EQ(ms, -1.0f);
    EXPECT_EQ(aclrtDestroyEvent(start), ACL_SUCCESS);
    EXPECT_EQ(aclrtDestroyEvent(end), ACL_SUCCESS);
}

TEST_F(AclEvent, SynchronizeEventWaitsForTheRecordedWork) {
    constexpr size_t kBytes = 8 << 20;
    AclDeviceBuffer dev(kBytes);
    aclrtEvent event = nullptr;
    ASSERT_EQ(aclrtCreateEvent(&event), ACL_SUCCESS);
    ASSERT_EQ(aclrtMemsetAsync(dev.ptr, kBytes, 0x66, kBytes, stream_), ACL_SUCCESS);
    ASSERT_EQ(aclrtRecordEvent(event, stream_), ACL_SUCCESS);
    ASSERT_EQ(aclrtSynchronizeEvent(event), ACL_SUCCESS);
    EXPECT_EQ(dev.as<unsigned char>()[kBytes - 1], 0x66);
    aclrtEventRecordedStatus status = ACL_EVENT_RECORDED_STATUS_NOT_READY;
    EXPECT_EQ(aclrtQueryEventStatus(event, &status), ACL_SUCCESS);
    EXPECT_EQ(status, ACL_EVENT_RECORDED_STATUS_COMPLETE);
    EXPECT_EQ(aclrtDestroyEvent(event), ACL_SUCCESS);
}

TEST_F(AclEvent, NeverRecordedEventIsComplete) {
    aclrtEvent event = nullptr;
    ASSERT_EQ(aclrtCreateEvent(&event), ACL_SUCCESS);
    aclrtEventRecordedStatus status = ACL_EVENT_RECORDED_STATUS_NOT_READY;
    EXPECT_EQ(aclrtQueryEventStatus(event, &status), ACL_SUCCESS);
    EXPECT_EQ(status, ACL_EVENT_RECORDED_STATUS_COMPLETE);
    EXPECT_EQ(aclrtSynchronizeEvent(event), ACL_SUCCESS);
    EXPECT_EQ(aclrtDestroyEvent(event), ACL_SUCCESS);
}

TEST_F(AclEvent, RecordOnTheDefaultStream) {
    aclrtEvent event = nullptr;
    ASSERT_EQ(aclrtCreateEvent(&event), ACL_SUCCESS);
    AclDeviceBuffer dev(4096);
    ASSERT_EQ(aclrtMemsetAsync(dev.ptr, 4096, 9, 4096, nullptr), ACL_SUCCESS);
    ASSERT_EQ(aclrtRecordEvent(event, nullptr), ACL_SUCCESS);
    ASSERT_EQ(aclrtSynchronizeEvent(event), ACL_SUCCESS);
    EXPECT_EQ(dev.as<unsigned char>()[4095], 9);
    EXPECT_EQ(aclrtDestroyEvent(event), ACL_SUCCESS);
}

TEST_F(AclEvent, StreamWaitEventOrdersTwoStreams) {
    constexpr size_t kBytes = 16 << 20;
    AclDeviceBuffer a(kBytes), b(kBytes);
    aclrtStream other = nullptr;
    ASSERT_EQ(aclrtCreateStream(&other), ACL_SUCCESS);
    aclrtEvent filled = nullptr;
    ASSERT_EQ(aclrtCreateEventWithFlag(&filled, ACL_EVENT_SYNC), ACL_SUCCESS);
    // stream_ fills a; `other` copies a to b only after the fill, because it waits for the event.
    ASSERT_EQ(aclrtMemsetAsync(a.ptr, kBytes, 0x77, kBytes, stream_), ACL_SUCCESS);
    ASSERT_EQ(aclrtRecordEvent(filled, stream_), ACL_SUCCESS);
    ASSERT_EQ(aclrtStreamWaitEvent(other, filled), ACL_SUCCESS);
    ASSERT_EQ(aclrtMemcpyAsync(b.ptr, kBytes, a.ptr, kBytes, ACL_MEMCPY_DEVICE_TO_DEVICE, other),
              ACL_SUCCESS);
    ASSERT_EQ(aclrtSynchronizeStream(other), ACL_SUCCESS);
    EXPECT_EQ(b.as<unsigned char>()[0], 0x77);
    EXPECT_EQ(b.as<unsigned char>()[kBytes - 1], 0x77);
    ASSERT_EQ(aclrtResetEvent(filled, other), ACL_SUCCESS);
    ASSERT_EQ(aclrtSynchronizeStream(other), ACL_SUCCESS);
    EXPECT_EQ(aclrtDestroyEvent(filled), ACL_SUCCESS);
    EXPECT_EQ(aclrtDestroyStream(other), ACL_SUCCESS);
}

TEST_F(AclEvent, DestroyBeforeCompletionSucceeds) {
    AclDeviceBuffer dev(16 << 20);
    aclrtEvent event = nullptr;
    ASSERT_EQ(aclrtCreateEvent(&event), ACL_SUCCESS);
    ASSERT_EQ(aclrtMemsetAsync(dev.ptr, dev.size, 1, dev.size, stream_), ACL_SUCCESS);
    ASSERT_EQ(aclrtRecordEvent(event, stream_), ACL_SUCCESS);
    EXPECT_EQ(aclrtDestroyEvent(event), ACL_SUCCESS);
    EXPECT_EQ(aclrtSynchronizeStream(stream_), ACL_SUCCESS);
}

TEST_F(AclEvent, CreateWithFlagAcceptsDocumentedFlags) {
    for (uint32_t flag : {ACL_EVENT_SYNC, ACL_EVENT_TIME_LINE, ACL_EVENT_SYNC | ACL_EVENT_TIME_LINE,
                          ACL_EVENT_CAPTURE_STREAM_PROGRESS, ACL_EVENT_EXTERNAL}) {
        aclrtEvent event = nullptr;
        ASSERT_EQ(aclrtCreateEventWithFlag(&event, flag), ACL_SUCCESS) << flag;
        EXPECT_EQ(aclrtDestroyEvent(event), ACL_SUCCESS);
    }
}

TEST_F(AclEvent, CreateWithFlagRejectsInvalidFlags) {
    aclrtEvent event = nullptr;
    EXPECT_EQ(aclrtCreateEventWithFlag(&event, 0), ACL_ERROR_INVALID_PARAM);
    EXPECT_EQ(aclrtCreateEventWithFlag(&event, 0x80), ACL_ERROR_INVALID_PARAM);
    EXPECT_EQ(aclrtCreateEventWithFlag(&event, ACL_EVENT_EXTERNAL | ACL_EVENT_SYNC),
              ACL_ERROR_INVALID_PARAM);
    EXPECT_EQ(aclrtCreateEventWithFlag(nullptr, ACL_EVENT_SYNC), ACL_ERROR_INVALID_PARAM);
    EXPECT_EQ(event, nullptr);
}

TEST_F(AclEvent, NullArgumentsAreInvalidParam) {
    aclrtEvent event = nullptr;
    ASSERT_EQ(aclrtCreateEvent(&event), ACL_SUCCESS);
    float ms = 0;
    aclrtEventRecordedStatus status;
    EXPECT_EQ(aclrtCreateEvent(nullptr), ACL_ERROR_INVALID_PARAM);
    EXPECT_EQ(aclrtDestroyEvent(nullptr), ACL_ERROR_INVALID_PARAM);
    EXPECT_EQ(aclrtRecordEvent(nullptr, stream_), ACL_ERROR_INVALID_PARAM);
    EXPECT_EQ(aclrtResetEvent(nullptr, stream_), ACL_ERROR_INVALID_PARAM);
    EXPECT_EQ(aclrtStreamWaitEvent(stream_, nullptr), ACL_ERROR_INVALID_PARAM);
    EXPECT_EQ(aclrtSynchronizeEvent(nullptr), ACL_ERROR_INVALID_PARAM);
    EXPECT_EQ(aclrtQueryEventStatus(nullptr, &status), ACL_ERROR_INVALID_PARAM);
    EXPECT_EQ(aclrtQueryEventStatus(event, nullptr), ACL_ERROR_INVALID_PARAM);
    EXPECT_EQ(aclrtEventElapsedTime(nullptr, event, event), ACL_ERROR_INVALID_PARAM);
    EXPECT_EQ(aclrtEventElapsedTime(&ms, nullptr, event), ACL_ERROR_INVALID_PARAM);
    EXPECT_EQ(aclrtEventElapsedTime(&ms, event, nullptr), ACL_ERROR_INVALID_PARAM);
    EXPECT_EQ(aclrtDestroyEvent(event), ACL_SUCCESS);
}

TEST(AclEventNoDevice, RecordOnDefaultStreamWithoutDeviceIsContextNull) {
    onFreshThread([] {
        aclrtEvent event = nullptr;
        ASSERT_EQ(aclrtCreateEvent(&event), ACL_SUCCESS);
        EXPECT_EQ(aclrtRecordEvent(event, nullptr), ACL_ERROR_RT_CONTEXT_NULL);
        EXPECT_EQ(aclrtDestroyEvent(event), ACL_SUCCESS);
    });
}

}  // namespace
}  // namespace hcclcpu::acl::test
