// The Transport API one call at a time (spec platform_api.md §3.4, §3.5, §6 item 13): the null
// implementation, the TransportBase defaults, the P2P properties, the peer's buffers, argument
// errors (nothing is issued), the no-ops, and RemoteNotify.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstring>

#include "platform/transport_base.h"
#include "platform/transport_p2p.h"
#include "remote_notify.h"
#include "transport_test_util.h"

namespace hcclcpu::platform::test {
namespace {

using hccl::LINK;
using hccl::LinkType;
using hccl::Transport;
using hccl::UserMemType;

// ---- no implementation / the base class ---------------------------------------------------------

// Exercises every HcclResult method once and returns the set of results.
std::vector<HcclResult> callEverything(Transport &t, hccl::Stream &stream) {
    u8 byte = 0;
    void *ptr = nullptr;
    u64 size = 0;
    std::vector<void *> ptrs;
    std::vector<hccl::TxMemoryInfo> tx{{UserMemType::OUTPUT_MEM, 0, &byte, 1}};
    std::vector<hccl::RxMemoryInfo> rx{{UserMemType::OUTPUT_MEM, 0, &byte, 1}};
    std::vector<hccl::RxWithReduceMemoryInfo> rxr{
        {UserMemType::OUTPUT_MEM, 0, &byte, 1, &byte, &byte, 1}};
    return {
        t.TxAck(stream),
        t.RxAck(stream),
        t.TxDataSignal(stream),
        t.RxDataSignal(stream),
        t.DataReceivedAck(stream),
        t.TxAsync(UserMemType::OUTPUT_MEM, 0, &byte, 1, stream),
        t.TxAsync(tx, stream),
        t.RxAsync(UserMemType::OUTPUT_MEM, 0, &byte, 1, stream),
        t.RxAsync(rx, stream),
        t.TxWaitDone(stream),
        t.RxWaitDone(stream),
        t.TxPrepare(stream),
        t.RxPrepare(stream),
        t.TxData(UserMemType::OUTPUT_MEM, 0, &byte, 1, stream),
        t.RxData(UserMemType::OUTPUT_MEM, 0, &byte, 1, stream),
        t.TxDone(stream),
        t.RxDone(stream),
        t.TxWithReduce(UserMemType::OUTPUT_MEM, 0, &byte, 1, HCCL_DATA_TYPE_INT8, HCCL_REDUCE_SUM,
                       stream),
        t.TxWithReduce(tx, HCCL_DATA_TYPE_INT8, HCCL_REDUCE_SUM, stream),
        t.RxWithReduce(UserMemType::OUTPUT_MEM, 0, &byte, 1, &byte, &byte, 1, HCCL_DATA_TYPE_INT8,
                       HCCL_REDUCE_SUM, stream, INLINE_REDUCE_BIT),
        t.RxWithReduce(rxr, HCCL_DATA_TYPE_INT8, HCCL_REDUCE_SUM, stream, INLINE_REDUCE_BIT),
        t.GetRemoteMem(UserMemType::INPUT_MEM, &ptr),
        t.GetRemoteMem(&ptrs),
        t.GetRemoteMemSize(UserMemType::INPUT_MEM, size),
        t.Post(0, stream),
        t.Wait(0, stream),
        t.PostReady(stream),
        t.WaitReady(stream),
        t.PostFin(stream),
        t.WaitFin(stream),
        t.PostFinAck(stream),
        t.WaitFinAck(stream),
        t.TxEnv(&byte, 1, stream),
        t.RxEnv(stream),
    };
}

TEST(TransportWithoutImplementation, EveryMethodReturnsEPtrAndGettersAreNeutral) {
    Transport t(nullptr);
    hccl::Stream none;
    for (HcclResult result : callEverything(t, none))
        EXPECT_EQ(result, HCCL_E_PTR);
    EXPECT_EQ(t.GetLinkType(), LinkType::LINK_RESERVED);
    EXPECT_EQ(t.GetTransportType(), hccl::TransportType::TRANS_TYPE_RESERVED);
    EXPECT_FALSE(t.IsSpInlineReduce());
    EXPECT_EQ(t.GetRemoteRank(), INVALID_VALUE_RANKID);
    t.SetSupportDataReceivedAck(true);
    EXPECT_FALSE(t.GetSupportDataReceivedAck());
    EXPECT_FALSE(t.IsSupportTransportWithReduce());
    EXPECT_FALSE(t.IsTransportRoce());
}

TEST(TransportBaseDefaults, SyncAndDataSucceedGetRemoteMemIsEParaUserNotifiesNotSupported) {
    Transport t(new hccl::TransportBase);
    hccl::Stream none;
    std::vector<HcclResult> results = callEverything(t, none);
    // Indices of callEverything: 21-23 GetRemoteMem/GetRemoteMemSize, 24-25 Post/Wait.
    for (size_t i = 0; i < results.size(); ++i) {
        HcclResult expected = HCCL_SUCCESS;
        if (i >= 21 && i <= 23) expected = HCCL_E_PARA;
        if (i == 24 || i == 25) expected = HCCL_E_NOT_SUPPORT;
        EXPECT_EQ(results[i], expected) << "call " << i;
    }
    EXPECT_EQ(t.GetLinkType(), LinkType::LINK_RESERVED);
    EXPECT_FALSE(t.IsSupportTransportWithReduce());
    t.SetSupportDataReceivedAck(true);
    EXPECT_TRUE(t.GetSupportDataReceivedAck());
}

// ---- P2P links of a LinkSet --------------------------------------------------------------------

// The test thread acts as rank 0 (device 0) with its own stream.
class P2pLink : public ::testing::Test {
  protected:
    static constexpr u64 kBytes = 8192;

    void SetUp() override { create(LinkSetOptions()); }
    void create(const LinkSetOptions &options) {
        stream_ = hccl::Stream();
        set_.create(2, kBytes, options);
        ASSERT_EQ(rt::setDevice(0), rt::Err::kOk);
        deviceSet_ = true;
        stream_ = hccl::Stream(hccl::StreamType::STREAM_TYPE_ONLINE, true);
        ASSERT_TRUE(stream_);
        link_ = set_.links().Links(0)[1];
        ASSERT_NE(link_, nullptr);
    }
    void TearDown() override {
        if (stream_) {
            EXPECT_EQ(rt::streamSynchronize(static_cast<rt::Stream *>(stream_.ptr())),
                      rt::Err::kOk);
        }
        stream_ = hccl::Stream();
        link_.reset();
        set_.destroy();
        if (deviceSet_) {
            EXPECT_EQ(rt::resetDevice(0), rt::Err::kOk);
        }
    }
    size_t issued() const { return set_.reports(0).size(); }

    LinkSetFixture set_;
    hccl::Stream stream_;
    LINK link_;
    bool deviceSet_ = false;
};

TEST_F(P2pLink, PropertiesOfAP2pLink) {
    EXPECT_EQ(link_->GetRemoteRank(), 1u);
    EXPECT_EQ(set_.links().Links(1)[0]->GetRemoteRank(), 0u);
    EXPECT_EQ(link_->GetTransportType(), hccl::TransportType::TRANS_TYPE_P2P);
    EXPECT_EQ(link_->GetLinkType(), LinkType::LINK_SIO);  // devices 0 and 1: one chip
    EXPECT_TRUE(link_->IsSpInlineReduce());
    EXPECT_FALSE(link_->IsSupportTransportWithReduce());
    EXPECT_FALSE(link_->IsTransportRoce());
    EXPECT_FALSE(link_->GetSupportDataReceivedAck());
    link_->SetSupportDataReceivedAck(true);
    EXPECT_TRUE(link_->GetSupportDataReceivedAck());
    EXPECT_EQ(set_.links().Links(0)[0], nullptr);
}

TEST_F(P2pLink, SupportDataReceivedAckStartsAsConfigured) {
    LinkSetOptions options;
    options.supportDataReceivedAck = true;
    TearDown();
    create(options);
    EXPECT_TRUE(link_->GetSupportDataReceivedAck());
    EXPECT_TRUE(set_.links().Links(1)[0]->GetSupportDataReceivedAck());
}

TEST_F(P2pLink, GetRemoteMemGivesThePeersExchangedBuffers) {
    void *ptr = nullptr;
    ASSERT_EQ(link_->GetRemoteMem(UserMemType::INPUT_MEM, &ptr), HCCL_SUCCESS);
    EXPECT_EQ(ptr, set_.links().Input(1).ptr());
    ASSERT_EQ(link_->GetRemoteMem(UserMemType::OUTPUT_MEM, &ptr), HCCL_SUCCESS);
    EXPECT_EQ(ptr, set_.links().Output(1).ptr());
    EXPECT_NE(ptr, set_.links().Output(0).ptr());
    u64 size = 0;
    ASSERT_EQ(link_->GetRemoteMemSize(UserMemType::INPUT_MEM, size), HCCL_SUCCESS);
    EXPECT_EQ(size, kBytes);
    ASSERT_EQ(link_->GetRemoteMemSize(UserMemType::OUTPUT_MEM, size), HCCL_SUCCESS);
    EXPECT_EQ(size, kBytes);
    std::vector<void *> extra{&size};
    ASSERT_EQ(link_->GetRemoteMem(&extra), HCCL_SUCCESS);
    EXPECT_TRUE(extra.empty());
}

TEST_F(P2pLink, GetRemoteMemOfOtherTypesIsNotSupportedAndNullOutputIsEPtr) {
    void *ptr = nullptr;
    u64 size = 0;
    EXPECT_EQ(link_->GetRemoteMem(UserMemType::MEM_RESERVED, &ptr), HCCL_E_NOT_SUPPORT);
    EXPECT_EQ(link_->GetRemoteMemSize(UserMemType::MEM_RESERVED, size), HCCL_E_NOT_SUPPORT);
    EXPECT_EQ(link_->GetRemoteMem(UserMemType::INPUT_MEM, nullptr), HCCL_E_PTR);
    EXPECT_EQ(link_->GetRemoteMem(nullptr), HCCL_E_PTR);
}

TEST_F(P2pLink, UserNotifyIndexAtOrBeyondNotifyNumIsEInternalAndIssuesNothing) {
    const u32 notifyNum = LinkSetOptions().notifyNum;
    EXPECT_EQ(link_->Post(notifyNum, stream_), HCCL_E_INTERNAL);
    EXPECT_EQ(link_->Wait(notifyNum, stream_), HCCL_E_INTERNAL);
    EXPECT_EQ(link_->Post(0xFFFFFFFF, stream_), HCCL_E_INTERNAL);
    EXPECT_EQ(link_->Wait(notifyNum + 1, stream_, 5), HCCL_E_INTERNAL);
    EXPECT_EQ(issued(), 0u);
}

TEST_F(P2pLink, WithoutUserNotifiesEveryIndexIsEInternal) {
    LinkSetOptions options;
    options.notifyNum = 0;
    TearDown();
    create(options);
    EXPECT_EQ(link_->Post(0, stream_), HCCL_E_INTERNAL);
    EXPECT_EQ(link_->Wait(0, stream_), HCCL_E_INTERNAL);
}

TEST_F(P2pLink, UserNotifyWaitWithExplicitTimeoutFailsAfterIt) {
    // Nobody posts: the explicit 1 s wins over the default wait time.
    ASSERT_EQ(link_->Wait(1, stream_, 1), HCCL_SUCCESS);
    EXPECT_EQ(rt::streamSynchronize(static_cast<rt::Stream *>(stream_.ptr())), rt::Err::kTimeout);
}

TEST_F(P2pLink, NoOpsSucceedWithoutIssuingTasks) {
    u8 *in = static_cast<u8 *>(set_.links().Input(0).ptr());
    std::vector<hccl::TxMemoryInfo> tx{{UserMemType::OUTPUT_MEM, 0, in, 16}};
    std::vector<hccl::RxWithReduceMemoryInfo> rx{{UserMemType::OUTPUT_MEM, 0, in, 16, in, in, 4}};
    EXPECT_EQ(link_->TxWithReduce(UserMemType::OUTPUT_MEM, 0, in, 16, HCCL_DATA_TYPE_FP32,
                                  HCCL_REDUCE_SUM, stream_),
              HCCL_SUCCESS);
    EXPECT_EQ(link_->TxWithReduce(tx, HCCL_DATA_TYPE_FP32, HCCL_REDUCE_SUM, stream_), HCCL_SUCCESS);
    EXPECT_EQ(link_->RxWithReduce(UserMemType::OUTPUT_MEM, 0, in, 16, in, in, 4,
                                  HCCL_DATA_TYPE_FP32, HCCL_REDUCE_SUM, stream_, INLINE_REDUCE_BIT),
              HCCL_SUCCESS);
    EXPECT_EQ(
        link_->RxWithReduce(rx, HCCL_DATA_TYPE_FP32, HCCL_REDUCE_SUM, stream_, INLINE_REDUCE_BIT),
        HCCL_SUCCESS);
    EXPECT_EQ(link_->TxWaitDone(stream_), HCCL_SUCCESS);
    EXPECT_EQ(link_->RxWaitDone(stream_), HCCL_SUCCESS);
    EXPECT_EQ(link_->TxEnv(in, 16, stream_), HCCL_SUCCESS);
    EXPECT_EQ(link_->RxEnv(stream_), HCCL_SUCCESS);
    EXPECT_EQ(issued(), 0u);
}

TEST_F(P2pLink, NullStreamIsEPtr) {
    hccl::Stream none;
    EXPECT_EQ(link_->TxAck(none), HCCL_E_PTR);
    EXPECT_EQ(link_->RxAck(none), HCCL_E_PTR);
    EXPECT_EQ(issued(), 0u);
}

TEST_F(P2pLink, RxAsyncOutsideThePeersBufferIssuesNothing) {
    u8 *dst = static_cast<u8 *>(set_.links().Output(0).ptr());
    EXPECT_EQ(link_->RxAsync(UserMemType::MEM_RESERVED, 0, dst, 16, stream_), HCCL_E_NOT_SUPPORT);
    EXPECT_EQ(link_->RxAsync(UserMemType::INPUT_MEM, kBytes - 8, dst, 16, stream_), HCCL_E_PARA);
    EXPECT_EQ(link_->RxAsync(UserMemType::INPUT_MEM, 0xFFFFFFFFFFFFFFF0ULL, dst, 32, stream_),
              HCCL_E_PARA);
    std::vector<hccl::RxMemoryInfo> rx{{UserMemType::INPUT_MEM, 0, dst, 16},
                                       {UserMemType::OUTPUT_MEM, kBytes, dst, 1}};
    EXPECT_EQ(link_->RxAsync(rx, stream_), HCCL_E_PARA);
    EXPECT_EQ(link_->RxData(UserMemType::OUTPUT_MEM, 1, dst, kBytes, stream_), HCCL_E_PARA);
    EXPECT_EQ(issued(), 0u);
}

TEST_F(P2pLink, WriteModeTxAsyncChecksSrcAndRangeBeforeIssuing) {
    LinkSetOptions options;
    options.linkAttribute = kLinkAttributeWrite;
    TearDown();
    create(options);
    u8 *src = static_cast<u8 *>(set_.links().Input(0).ptr());
    std::vector<hccl::TxMemoryInfo> nullSrc{{UserMemType::OUTPUT_MEM, 0, src, 16},
                                            {UserMemType::OUTPUT_MEM, 16, nullptr, 16}};
    EXPECT_EQ(link_->TxAsync(nullSrc, stream_), HCCL_E_PTR);
    EXPECT_EQ(link_->TxAsync(UserMemType::MEM_RESERVED, 0, src, 16, stream_), HCCL_E_NOT_SUPPORT);
    EXPECT_EQ(link_->TxAsync(UserMemType::OUTPUT_MEM, kBytes, src, 1, stream_), HCCL_E_PARA);
    EXPECT_EQ(link_->TxData(UserMemType::INPUT_MEM, 8, src, kBytes, stream_), HCCL_E_PARA);
    EXPECT_EQ(issued(), 0u);
}

// ---- TransportP2p set-up -----------------------------------------------------------------------

TEST(TransportP2pSetUp, UseBeforeConnectAndBadExchangeMessagesAreRejected) {
    ASSERT_EQ(rt::setDevice(0), rt::Err::kOk);
    {
        HcclDispatcher dispatcher = nullptr;
        ASSERT_EQ(HcclDispatcherInit(DispatcherType::DISPATCHER_NORMAL, 0, &dispatcher),
                  HCCL_SUCCESS);
        hccl::DeviceMem buffer = hccl::DeviceMem::alloc(4096);
        hccl::P2pLinkConfig config;
        config.dispatcher = dispatcher;
        config.localRank = 0;
        config.remoteRank = 1;
        config.localDevice = 1;  // not the current device
        config.notifyNum = 1;
        config.input = config.output = hccl::DeviceMem::create(buffer.ptr(), buffer.size());
        hccl::TransportP2p wrongDevice(config);
        EXPECT_EQ(wrongDevice.CreateNotifies(), HCCL_E_INTERNAL);

        config.localDevice = 0;
        hccl::TransportP2p mine(config);
        ASSERT_EQ(mine.CreateNotifies(), HCCL_SUCCESS);
        hccl::Stream stream(hccl::StreamType::STREAM_TYPE_ONLINE, true);
        EXPECT_EQ(mine.TxAck(stream), HCCL_E_INTERNAL);  // not connected
        void *ptr = nullptr;
        EXPECT_EQ(mine.GetRemoteMem(hccl::UserMemType::INPUT_MEM, &ptr), HCCL_E_INTERNAL);

        // The other end (rank 1), here on the same device.
        config.localRank = 1;
        config.remoteRank = 0;
        hccl::TransportP2p peer(config);
        ASSERT_EQ(peer.CreateNotifies(), HCCL_SUCCESS);
        std::vector<u8> own, fromPeer;
        ASSERT_EQ(mine.GetExchangeInfo(own), HCCL_SUCCESS);
        ASSERT_EQ(peer.GetExchangeInfo(fromPeer), HCCL_SUCCESS);
        EXPECT_EQ(mine.Connect(std::vector<u8>{1, 2, 3}), HCCL_E_PARA);
        EXPECT_EQ(mine.Connect(std::vector<u8>(fromPeer.begin(), fromPeer.end() - 1)), HCCL_E_PARA);
        std::vector<u8> longer = fromPeer;
        longer.push_back(0);
        EXPECT_EQ(mine.Connect(longer), HCCL_E_PARA);
        EXPECT_EQ(mine.Connect(std::vector<u8>(hccl::MAX_EXCHANGE_DATA_LEN + 1)), HCCL_E_PARA);
        // Its own message says "rank 0", not the expected peer rank 1.
        EXPECT_EQ(mine.Connect(own), HCCL_E_INTERNAL);
        EXPECT_EQ(mine.TxAck(stream), HCCL_E_INTERNAL);
        ASSERT_EQ(mine.Connect(fromPeer), HCCL_SUCCESS);
        ASSERT_EQ(mine.GetRemoteMem(hccl::UserMemType::INPUT_MEM, &ptr), HCCL_SUCCESS);
        EXPECT_EQ(ptr, buffer.ptr());
        EXPECT_EQ(HcclDispatcherDestroy(dispatcher), HCCL_SUCCESS);
    }
    EXPECT_EQ(rt::resetDevice(0), rt::Err::kOk);
}

// ---- RemoteNotify ------------------------------------------------------------------------------

class RemoteNotifyTest : public PlatformTest {
  protected:
    void SetUp() override {
        PlatformTest::SetUp();
        ASSERT_EQ(owned_.Init(), HCCL_SUCCESS);
        ASSERT_EQ(hccl::RemoteNotify::Serialize(owned_, 5, 0, bytes_), HCCL_SUCCESS);
    }
    hccl::LocalNotify owned_;
    std::vector<u8> bytes_;
};

TEST_F(RemoteNotifyTest, OpensThePeersNotifyAndRecordsItReportingTheOwnersRank) {
    hccl::RemoteNotify remote;
    ASSERT_EQ(remote.Init(bytes_), HCCL_SUCCESS);
    ASSERT_EQ(remote.Open(), HCCL_SUCCESS);
    EXPECT_EQ(remote.ptr(), owned_.ptr());
    EXPECT_EQ(remote.OwnerRank(), 5u);
    u64 offset = 0, ownOffset = 1;
    ASSERT_EQ(remote.GetNotifyOffset(offset), HCCL_SUCCESS);
    ASSERT_EQ(owned_.GetNotifyOffset(ownOffset), HCCL_SUCCESS);
    EXPECT_EQ(offset, ownOffset);
    ASSERT_EQ(remote.Post(stream_, dispatcher_), HCCL_SUCCESS);
    ASSERT_EQ(owned_.Wait(stream_, dispatcher_), HCCL_SUCCESS);  // satisfied by the record
    EXPECT_EQ(sync(), rt::Err::kOk);
    auto reports = recorder_.reports();
    ASSERT_EQ(reports.size(), 2u);
    EXPECT_EQ(reports[0].type, hccl::TaskType::TASK_NOTIFY_RECORD);
    EXPECT_EQ(reports[0].notify.notifyID, hccl::MakeNotifyId(5, ownOffset));
    ASSERT_EQ(remote.Close(), HCCL_SUCCESS);
    EXPECT_EQ(remote.ptr(), nullptr);
    EXPECT_EQ(remote.Post(stream_, dispatcher_), HCCL_E_PTR);
}

TEST_F(RemoteNotifyTest, BadBytesOrOrderAreRejected) {
    hccl::RemoteNotify remote;
    u64 offset = 0;
    EXPECT_EQ(remote.Open(), HCCL_E_INTERNAL);
    EXPECT_EQ(remote.GetNotifyOffset(offset), HCCL_E_INTERNAL);
    EXPECT_EQ(remote.Post(stream_, dispatcher_), HCCL_E_PTR);
    EXPECT_EQ(remote.Init({}), HCCL_E_PARA);
    EXPECT_EQ(remote.Init(std::vector<u8>(bytes_.begin(), bytes_.end() - 1)), HCCL_E_PARA);
    std::vector<u8> longer = bytes_;
    longer.push_back(0);
    EXPECT_EQ(remote.Init(longer), HCCL_E_PARA);
    std::vector<u8> badMagic = bytes_;
    badMagic[0] ^= 0xFF;
    EXPECT_EQ(remote.Init(badMagic), HCCL_E_PARA);
    ASSERT_EQ(remote.Init(bytes_), HCCL_SUCCESS);
    EXPECT_EQ(remote.Post(stream_, dispatcher_), HCCL_E_PTR);  // initialised, not opened
    ASSERT_EQ(remote.Open(), HCCL_SUCCESS);
    EXPECT_EQ(remote.Post(stream_, nullptr), HCCL_E_PTR);
    EXPECT_EQ(recorder_.size(), 0u);
    hccl::LocalNotify uninitialised;
    EXPECT_EQ(hccl::RemoteNotify::Serialize(uninitialised, 0, 0, bytes_), HCCL_E_PTR);
}

// A description from another process cannot be opened yet. The owner's process id follows the
// magic and the version in the description.
TEST_F(RemoteNotifyTest, NotifyOfAnotherProcessIsNotSupported) {
    std::vector<u8> other = bytes_;
    const s32 otherPid = static_cast<s32>(getpid()) + 1;
    std::memcpy(other.data() + 8, &otherPid, sizeof(otherPid));
    hccl::RemoteNotify remote;
    ASSERT_EQ(remote.Init(other), HCCL_SUCCESS);
    EXPECT_EQ(remote.Open(), HCCL_E_NOT_SUPPORT);
    EXPECT_EQ(remote.ptr(), nullptr);
}

}  // namespace
}  // namespace hcclcpu::platform::test
