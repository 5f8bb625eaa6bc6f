// Argument rules of the operation entry points (spec public_api §3.3), one test per rule, on a
// one-rank communicator of device 0 (ranks beyond it are out of range).
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "acl/acl.h"
#include "framework_test_util.h"
#include "hccl/hccl.h"

namespace hcclcpu::framework::test {
namespace {

constexpr uint64_t kTooMany = 0x7FFFFFFFFULL + 1;

class OpArgs : public ::testing::Test {
  protected:
    void SetUp() override {
        ASSERT_EQ(aclrtSetDevice(0), ACL_SUCCESS);
        HcclRootInfo root{};
        ASSERT_EQ(HcclGetRootInfo(&root), HCCL_SUCCESS);
        ASSERT_EQ(HcclCommInitRootInfo(1, &root, 0, &comm), HCCL_SUCCESS);
        ASSERT_EQ(aclrtCreateStream(&stream), ACL_SUCCESS);
        ASSERT_EQ(aclrtMalloc(&a, kBytes, ACL_MEM_MALLOC_HUGE_FIRST), ACL_SUCCESS);
        ASSERT_EQ(aclrtMalloc(&b, kBytes, ACL_MEM_MALLOC_HUGE_FIRST), ACL_SUCCESS);
    }
    void TearDown() override {
        if (stream != nullptr) {
            EXPECT_EQ(aclrtSynchronizeStream(stream), ACL_SUCCESS);
        }
        if (comm != nullptr) {
            EXPECT_EQ(HcclCommDestroy(comm), HCCL_SUCCESS);
        }
        if (stream != nullptr) aclrtDestroyStream(stream);
        aclrtFree(a);
        aclrtFree(b);
        aclrtResetDevice(0);
    }
    char *at(void *p, size_t offset) { return static_cast<char *>(p) + offset; }

    static constexpr size_t kBytes = 4096;
    HcclComm comm = nullptr;
    aclrtStream stream = nullptr;
    void *a = nullptr;
    void *b = nullptr;
    uint64_t one[1] = {4};  // counts/displacements for one rank
    uint64_t zero[1] = {0};
};

TEST_F(OpArgs, NullCommIsEPtr) {
    HcclSendRecvItem item{HCCL_SEND, a, 1, HCCL_DATA_TYPE_INT8, 0};
    EXPECT_EQ(HcclAllReduce(a, b, 4, HCCL_DATA_TYPE_INT32, HCCL_REDUCE_SUM, nullptr, stream),
              HCCL_E_PTR);
    EXPECT_EQ(HcclBroadcast(a, 4, HCCL_DATA_TYPE_INT32, 0, nullptr, stream), HCCL_E_PTR);
    EXPECT_EQ(HcclReduceScatter(a, b, 4, HCCL_DATA_TYPE_INT32, HCCL_REDUCE_SUM, nullptr, stream),
              HCCL_E_PTR);
    EXPECT_EQ(HcclReduceScatterV(a, one, zero, b, 4, HCCL_DATA_TYPE_INT32, HCCL_REDUCE_SUM, nullptr,
                                 stream),
              HCCL_E_PTR);
    EXPECT_EQ(HcclAllGather(a, b, 4, HCCL_DATA_TYPE_INT32, nullptr, stream), HCCL_E_PTR);
    EXPECT_EQ(HcclAllGatherV(a, 4, b, one, zero, HCCL_DATA_TYPE_INT32, nullptr, stream),
              HCCL_E_PTR);
    EXPECT_EQ(HcclReduce(a, b, 4, HCCL_DATA_TYPE_INT32, HCCL_REDUCE_SUM, 0, nullptr, stream),
              HCCL_E_PTR);
    EXPECT_EQ(HcclScatter(a, b, 4, HCCL_DATA_TYPE_INT32, 0, nullptr, stream), HCCL_E_PTR);
    EXPECT_EQ(HcclAlltoAll(a, 4, HCCL_DATA_TYPE_INT32, b, 4, HCCL_DATA_TYPE_INT32, nullptr, stream),
              HCCL_E_PTR);
    EXPECT_EQ(HcclAlltoAllV(a, one, zero, HCCL_DATA_TYPE_INT32, b, one, zero, HCCL_DATA_TYPE_INT32,
                            nullptr, stream),
              HCCL_E_PTR);
    EXPECT_EQ(
        HcclAlltoAllVC(a, one, HCCL_DATA_TYPE_INT32, b, HCCL_DATA_TYPE_INT32, nullptr, stream),
        HCCL_E_PTR);
    EXPECT_EQ(HcclSend(a, 4, HCCL_DATA_TYPE_INT32, 0, nullptr, stream), HCCL_E_PTR);
    EXPECT_EQ(HcclRecv(a, 4, HCCL_DATA_TYPE_INT32, 0, nullptr, stream), HCCL_E_PTR);
    EXPECT_EQ(HcclBatchSendRecv(&item, 1, nullptr, stream), HCCL_E_PTR);
    EXPECT_EQ(HcclBarrier(nullptr, stream), HCCL_E_PTR);
}

TEST_F(OpArgs, NullStreamIsEPtr) {
    HcclSendRecvItem item{HCCL_SEND, a, 1, HCCL_DATA_TYPE_INT8, 0};
    EXPECT_EQ(HcclAllReduce(a, b, 4, HCCL_DATA_TYPE_INT32, HCCL_REDUCE_SUM, comm, nullptr),
              HCCL_E_PTR);
    EXPECT_EQ(HcclBroadcast(a, 4, HCCL_DATA_TYPE_INT32, 0, comm, nullptr), HCCL_E_PTR);
    EXPECT_EQ(HcclReduceScatter(a, b, 4, HCCL_DATA_TYPE_INT32, HCCL_REDUCE_SUM, comm, nullptr),
              HCCL_E_PTR);
    EXPECT_EQ(HcclReduceScatterV(a, one, zero, b, 4, HCCL_DATA_TYPE_INT32, HCCL_REDUCE_SUM, comm,
                                 nullptr),
              HCCL_E_PTR);
    EXPECT_EQ(HcclAllGather(a, b, 4, HCCL_DATA_TYPE_INT32, comm, nullptr), HCCL_E_PTR);
    EXPECT_EQ(HcclAllGatherV(a, 4, b, one, zero, HCCL_DATA_TYPE_INT32, comm, nullptr), HCCL_E_PTR);
    EXPECT_EQ(HcclReduce(a, b, 4, HCCL_DATA_TYPE_INT32, HCCL_REDUCE_SUM, 0, comm, nullptr),
              HCCL_E_PTR);
    EXPECT_EQ(HcclScatter(a, b, 4, HCCL_DATA_TYPE_INT32, 0, comm, nullptr), HCCL_E_PTR);
    EXPECT_EQ(HcclAlltoAll(a, 4, HCCL_DATA_TYPE_INT32, b, 4, HCCL_DATA_TYPE_INT32, comm, nullptr),
              HCCL_E_PTR);
    EXPECT_EQ(HcclAlltoAllV(a, one, zero, HCCL_DATA_TYPE_INT32, b, one, zero, HCCL_DATA_TYPE_INT32,
                            comm, nullptr),
              HCCL_E_PTR);
    EXPECT_EQ(HcclAlltoAllVC(a, one, HCCL_DATA_TYPE_INT32, b, HCCL_DATA_TYPE_INT32, comm, nullptr),
              HCCL_E_PTR);
    EXPECT_EQ(HcclSend(a, 4, HCCL_DATA_TYPE_INT32, 0, comm, nullptr), HCCL_E_PTR);
    EXPECT_EQ(HcclRecv(a, 4, HCCL_DATA_TYPE_INT32, 0, comm, nullptr), HCCL_E_PTR);
    EXPECT_EQ(HcclBatchSendRecv(&item, 1, comm, nullptr), HCCL_E_PTR);
    EXPECT_EQ(HcclBarrier(comm, nullptr), HCCL_E_PTR);
}

TEST_F(OpArgs, NullRequiredBufferIsEPtr) {
    EXPECT_EQ(HcclAllReduce(nullptr, b, 4, HCCL_DATA_TYPE_INT32, HCCL_REDUCE_SUM, comm, stream),
              HCCL_E_PTR);
    EXPECT_EQ(HcclAllReduce(a, nullptr, 4, HCCL_DATA_TYPE_INT32, HCCL_REDUCE_SUM, comm, stream),
              HCCL_E_PTR);
    EXPECT_EQ(HcclBroadcast(nullptr, 4, HCCL_DATA_TYPE_INT32, 0, comm, stream), HCCL_E_PTR);
    EXPECT_EQ(HcclReduceScatter(nullptr, b, 4, HCCL_DATA_TYPE_INT32, HCCL_REDUCE_SUM, comm, stream),
              HCCL_E_PTR);
    EXPECT_EQ(HcclReduceScatter(a, nullptr, 4, HCCL_DATA_TYPE_INT32, HCCL_REDUCE_SUM, comm, stream),
              HCCL_E_PTR);
    EXPECT_EQ(HcclReduceScatterV(nullptr, one, zero, b, 4, HCCL_DATA_TYPE_INT32, HCCL_REDUCE_SUM,
                                 comm, stream),
              HCCL_E_PTR);
    EXPECT_EQ(HcclReduceScatterV(a, nullptr, zero, b, 4, HCCL_DATA_TYPE_INT32, HCCL_REDUCE_SUM,
                                 comm, stream),
              HCCL_E_PTR);
    EXPECT_EQ(HcclReduceScatterV(a, one, nullptr, b, 4, HCCL_DATA_TYPE_INT32, HCCL_REDUCE_SUM, comm,
                                 stream),
              HCCL_E_PTR);
    EXPECT_EQ(HcclReduceScatterV(a, one, zero, nullptr, 4, HCCL_DATA_TYPE_INT32, HCCL_REDUCE_SUM,
                                 comm, stream),
              HCCL_E_PTR);
    EXPECT_EQ(HcclAllGather(nullptr, b, 4, HCCL_DATA_TYPE_INT32, comm, stream), HCCL_E_PTR);
    EXPECT_EQ(HcclAllGather(a, nullptr, 4, HCCL_DATA_TYPE_INT32, comm, stream), HCCL_E_PTR);
    EXPECT_EQ(HcclAllGatherV(nullptr, 4, b, one, zero, HCCL_DATA_TYPE_INT32, comm, stream),
              HCCL_E_PTR);
    EXPECT_EQ(HcclAllGatherV(a, 4, nullptr, one, zero, HCCL_DATA_TYPE_INT32, comm, stream),
              HCCL_E_PTR);
    EXPECT_EQ(HcclAllGatherV(a, 4, b, nullptr, zero, HCCL_DATA_TYPE_INT32, comm, stream),
              HCCL_E_PTR);
    EXPECT_EQ(HcclAllGatherV(a, 4, b, one, nullptr, HCCL_DATA_TYPE_INT32, comm, stream),
              HCCL_E_PTR);
    EXPECT_EQ(HcclReduce(nullptr, b, 4, HCCL_DATA_TYPE_INT32, HCCL_REDUCE_SUM, 0, comm, stream),
              HCCL_E_PTR);
    EXPECT_EQ(HcclReduce(a, nullptr, 4, HCCL_DATA_TYPE_INT32, HCCL_REDUCE_SUM, 0, comm, stream),
              HCCL_E_PTR);
    EXPECT_EQ(HcclScatter(a, nullptr, 4, HCCL_DATA_TYPE_INT32, 0, comm, stream), HCCL_E_PTR);
    EXPECT_EQ(
        HcclAlltoAll(nullptr, 4, HCCL_DATA_TYPE_INT32, b, 4, HCCL_DATA_TYPE_INT32, comm, stream),
        HCCL_E_PTR);
    EXPECT_EQ(
        HcclAlltoAll(a, 4, HCCL_DATA_TYPE_INT32, nullptr, 4, HCCL_DATA_TYPE_INT32, comm, stream),
        HCCL_E_PTR);
    EXPECT_EQ(HcclAlltoAllV(nullptr, one, zero, HCCL_DATA_TYPE_INT32, b, one, zero,
                            HCCL_DATA_TYPE_INT32, comm, stream),
              HCCL_E_PTR);
    EXPECT_EQ(HcclAlltoAllV(a, one, zero, HCCL_DATA_TYPE_INT32, nullptr, one, zero,
                            HCCL_DATA_TYPE_INT32, comm, stream),
              HCCL_E_PTR);
    EXPECT_EQ(HcclAlltoAllV(a, nullptr, zero, HCCL_DATA_TYPE_INT32, b, one, zero,
                            HCCL_DATA_TYPE_INT32, comm, stream),
              HCCL_E_PTR);
    EXPECT_EQ(HcclAlltoAllV(a, one, nullptr, HCCL_DATA_TYPE_INT32, b, one, zero,
                            HCCL_DATA_TYPE_INT32, comm, stream),
              HCCL_E_PTR);
    EXPECT_EQ(HcclAlltoAllV(a, one, zero, HCCL_DATA_TYPE_INT32, b, nullptr, zero,
                            HCCL_DATA_TYPE_INT32, comm, stream),
              HCCL_E_PTR);
    EXPECT_EQ(HcclAlltoAllV(a, one, zero, HCCL_DATA_TYPE_INT32, b, one, nullptr,
                            HCCL_DATA_TYPE_INT32, comm, stream),
              HCCL_E_PTR);
    EXPECT_EQ(
        HcclAlltoAllVC(nullptr, one, HCCL_DATA_TYPE_INT32, b, HCCL_DATA_TYPE_INT32, comm, stream),
        HCCL_E_PTR);
    EXPECT_EQ(
        HcclAlltoAllVC(a, nullptr, HCCL_DATA_TYPE_INT32, b, HCCL_DATA_TYPE_INT32, comm, stream),
        HCCL_E_PTR);
    EXPECT_EQ(
        HcclAlltoAllVC(a, one, HCCL_DATA_TYPE_INT32, nullptr, HCCL_DATA_TYPE_INT32, comm, stream),
        HCCL_E_PTR);
    EXPECT_EQ(HcclSend(nullptr, 4, HCCL_DATA_TYPE_INT32, 0, comm, stream), HCCL_E_PTR);
    EXPECT_EQ(HcclRecv(nullptr, 4, HCCL_DATA_TYPE_INT32, 0, comm, stream), HCCL_E_PTR);
    EXPECT_EQ(HcclBatchSendRecv(nullptr, 1, comm, stream), HCCL_E_PTR);
}

// Nothing is checked or issued for an empty operation: not even the stream's device.
TEST_F(OpArgs, ZeroCountSucceedsAtOnceWithoutIssuing) {
    EXPECT_EQ(aclrtSetDevice(1), ACL_SUCCESS);
    aclrtStream other = nullptr;
    ASSERT_EQ(aclrtCreateStream(&other), ACL_SUCCESS);
    EXPECT_EQ(aclrtSetDevice(0), ACL_SUCCESS);
    EXPECT_EQ(
        HcclAllReduce(nullptr, nullptr, 0, HCCL_DATA_TYPE_INT32, HCCL_REDUCE_SUM, comm, other),
        HCCL_SUCCESS);
    EXPECT_EQ(HcclBroadcast(nullptr, 0, HCCL_DATA_TYPE_INT32, 0, comm, other), HCCL_SUCCESS);
    EXPECT_EQ(
        HcclReduceScatter(nullptr, nullptr, 0, HCCL_DATA_TYPE_INT32, HCCL_REDUCE_SUM, comm, other),
        HCCL_SUCCESS);
    EXPECT_EQ(HcclAllGather(nullptr, nullptr, 0, HCCL_DATA_TYPE_INT32, comm, other), HCCL_SUCCESS);
    EXPECT_EQ(
        HcclReduce(nullptr, nullptr, 0, HCCL_DATA_TYPE_INT32, HCCL_REDUCE_SUM, 0, comm, other),
        HCCL_SUCCESS);
    EXPECT_EQ(HcclScatter(nullptr, nullptr, 0, HCCL_DATA_TYPE_INT32, 0, comm, other), HCCL_SUCCESS);
    EXPECT_EQ(HcclAlltoAll(nullptr, 0, HCCL_DATA_TYPE_INT32, nullptr, 0, HCCL_DATA_TYPE_INT32, comm,
                           other),
              HCCL_SUCCESS);
    EXPECT_EQ(HcclSend(nullptr, 0, HCCL_DATA_TYPE_INT32, 0, comm, other), HCCL_SUCCESS);
    EXPECT_EQ(HcclRecv(nullptr, 0, HCCL_DATA_TYPE_INT32, 0, comm, other), HCCL_SUCCESS);
    EXPECT_EQ(HcclBatchSendRecv(nullptr, 0, comm, other), HCCL_SUCCESS);
    EXPECT_EQ(aclrtDestroyStream(other), ACL_SUCCESS);
    aclrtResetDevice(1);
}

// The V operations know every rank's counts: all blocks empty returns at once.
TEST_F(OpArgs, AllEmptyBlocksOfAVOperationSucceedAtOnce) {
    EXPECT_EQ(HcclReduceScatterV(nullptr, zero, zero, nullptr, 0, HCCL_DATA_TYPE_INT32,
                                 HCCL_REDUCE_SUM, comm, stream),
              HCCL_SUCCESS);
    EXPECT_EQ(HcclAllGatherV(nullptr, 0, nullptr, zero, zero, HCCL_DATA_TYPE_INT32, comm, stream),
              HCCL_SUCCESS);
    EXPECT_EQ(HcclAlltoAllVC(nullptr, zero, HCCL_DATA_TYPE_INT32, nullptr, HCCL_DATA_TYPE_INT32,
                             comm, stream),
              HCCL_SUCCESS);
}

TEST_F(OpArgs, CountAboveSysMaxCountIsEPara) {
    uint64_t huge[1] = {kTooMany};
    HcclSendRecvItem item{HCCL_SEND, a, kTooMany, HCCL_DATA_TYPE_INT8, 0};
    EXPECT_EQ(HcclAllReduce(a, b, kTooMany, HCCL_DATA_TYPE_INT32, HCCL_REDUCE_SUM, comm, stream),
              HCCL_E_PARA);
    EXPECT_EQ(HcclBroadcast(a, kTooMany, HCCL_DATA_TYPE_INT32, 0, comm, stream), HCCL_E_PARA);
    EXPECT_EQ(
        HcclReduceScatter(a, b, kTooMany, HCCL_DATA_TYPE_INT32, HCCL_REDUCE_SUM, comm, stream),
        HCCL_E_PARA);
    EXPECT_EQ(HcclReduceScatterV(a, huge, zero, b, 4, HCCL_DATA_TYPE_INT32, HCCL_REDUCE_SUM, comm,
                                 stream),
              HCCL_E_PARA);
    EXPECT_EQ(HcclAllGather(a, b, kTooMany, HCCL_DATA_TYPE_INT32, comm, stream), HCCL_E_PARA);
    EXPECT_EQ(HcclAllGatherV(a, 4, b, huge, zero, HCCL_DATA_TYPE_INT32, comm, stream), HCCL_E_PARA);
    EXPECT_EQ(HcclReduce(a, b, kTooMany, HCCL_DATA_TYPE_INT32, HCCL_REDUCE_SUM, 0, comm, stream),
              HCCL_E_PARA);
    EXPECT_EQ(HcclScatter(a, b, kTooMany, HCCL_DATA_TYPE_INT32, 0, comm, stream), HCCL_E_PARA);
    EXPECT_EQ(HcclAlltoAll(a, kTooMany, HCCL_DATA_TYPE_INT32, b, kTooMany, HCCL_DATA_TYPE_INT32,
                           comm, stream),
              HCCL_E_PARA);
    EXPECT_EQ(HcclAlltoAllV(a, huge, zero, HCCL_DATA_TYPE_INT32, b, one, zero, HCCL_DATA_TYPE_INT32,
                            comm, stream),
              HCCL_E_PARA);
    EXPECT_EQ(HcclAlltoAllVC(a, huge, HCCL_DATA_TYPE_INT32, b, HCCL_DATA_TYPE_INT32, comm, stream),
              HCCL_E_PARA);
    EXPECT_EQ(HcclSend(a, kTooMany, HCCL_DATA_TYPE_INT32, 0, comm, stream), HCCL_E_PARA);
    EXPECT_EQ(HcclRecv(a, kTooMany, HCCL_DATA_TYPE_INT32, 0, comm, stream), HCCL_E_PARA);
    EXPECT_EQ(HcclBatchSendRecv(&item, 1, comm, stream), HCCL_E_PARA);
}

TEST_F(OpArgs, RootOutOfRangeIsEPara) {
    EXPECT_EQ(HcclBroadcast(a, 4, HCCL_DATA_TYPE_INT32, 1, comm, stream), HCCL_E_PARA);
    EXPECT_EQ(HcclReduce(a, b, 4, HCCL_DATA_TYPE_INT32, HCCL_REDUCE_SUM, 1, comm, stream),
              HCCL_E_PARA);
    EXPECT_EQ(HcclScatter(a, b, 4, HCCL_DATA_TYPE_INT32, 7, comm, stream), HCCL_E_PARA);
}

TEST_F(OpArgs, DestOrSrcRankOutOfRangeIsEPara) {
    HcclSendRecvItem item{HCCL_RECV, a, 4, HCCL_DATA_TYPE_INT8, 3};
    EXPECT_EQ(HcclSend(a, 4, HCCL_DATA_TYPE_INT32, 1, comm, stream), HCCL_E_PARA);
    EXPECT_EQ(HcclRecv(a, 4, HCCL_DATA_TYPE_INT32, 0xffffffffu, comm, stream), HCCL_E_PARA);
    EXPECT_EQ(HcclBatchSendRecv(&item, 1, comm, stream), HCCL_E_PARA);
}

TEST_F(OpArgs, SendOrRecvToSelfIsEPara) {
    HcclSendRecvItem item{HCCL_SEND, a, 4, HCCL_DATA_TYPE_INT8, 0};
    EXPECT_EQ(HcclSend(a, 4, HCCL_DATA_TYPE_INT32, 0, comm, stream), HCCL_E_PARA);
    EXPECT_EQ(HcclRecv(a, 4, HCCL_DATA_TYPE_INT32, 0, comm, stream), HCCL_E_PARA);
    EXPECT_EQ(HcclBatchSendRecv(&item, 1, comm, stream), HCCL_E_PARA);
}

TEST_F(OpArgs, BatchItemOfUnknownKindIsEPara) {
    HcclSendRecvItem item{HCCL_SEND_RECV_RESERVED, a, 4, HCCL_DATA_TYPE_INT8, 0};
    EXPECT_EQ(HcclBatchSendRecv(&item, 1, comm, stream), HCCL_E_PARA);
}

TEST_F(OpArgs, BatchItemWithNullBufferIsEPtr) {
    HcclSendRecvItem item{HCCL_SEND, nullptr, 4, HCCL_DATA_TYPE_INT8, 0};
    EXPECT_EQ(HcclBatchSendRecv(&item, 1, comm, stream), HCCL_E_PTR);
}

TEST_F(OpArgs, TypesThatCannotBeReducedAreNotSupport) {
    for (HcclDataType type :
         {HCCL_DATA_TYPE_UINT8, HCCL_DATA_TYPE_UINT16, HCCL_DATA_TYPE_UINT32, HCCL_DATA_TYPE_INT128,
          HCCL_DATA_TYPE_HIF8, HCCL_DATA_TYPE_FP8E4M3, HCCL_DATA_TYPE_RESERVED}) {
        uint64_t four[1] = {4};
        EXPECT_EQ(HcclAllReduce(a, b, 4, type, HCCL_REDUCE_SUM, comm, stream), HCCL_E_NOT_SUPPORT)
            << type;
        EXPECT_EQ(HcclReduceScatter(a, b, 4, type, HCCL_REDUCE_SUM, comm, stream),
                  HCCL_E_NOT_SUPPORT)
            << type;
        EXPECT_EQ(HcclReduceScatterV(a, four, zero, b, 4, type, HCCL_REDUCE_SUM, comm, stream),
                  HCCL_E_NOT_SUPPORT)
            << type;
        EXPECT_EQ(HcclReduce(a, b, 4, type, HCCL_REDUCE_MAX, 0, comm, stream), HCCL_E_NOT_SUPPORT)
            << type;
    }
}

TEST_F(OpArgs, ProdOfInt16OrBf16IsNotSupport) {
    for (HcclDataType type : {HCCL_DATA_TYPE_INT16, HCCL_DATA_TYPE_BFP16}) {
        EXPECT_EQ(HcclAllReduce(a, b, 4, type, HCCL_REDUCE_PROD, comm, stream), HCCL_E_NOT_SUPPORT)
            << type;
        EXPECT_EQ(HcclReduce(a, b, 4, type, HCCL_REDUCE_PROD, 0, comm, stream), HCCL_E_NOT_SUPPORT)
            << type;
        EXPECT_EQ(HcclReduceScatter(a, b, 4, type, HCCL_REDUCE_PROD, comm, stream),
                  HCCL_E_NOT_SUPPORT)
            << type;
    }
}

TEST_F(OpArgs, UnknownReduceOpIsNotSupport) {
    EXPECT_EQ(
        HcclAllReduce(a, b, 4, HCCL_DATA_TYPE_INT32, static_cast<HcclReduceOp>(4), comm, stream),
        HCCL_E_NOT_SUPPORT);
    EXPECT_EQ(HcclAllReduce(a, b, 4, HCCL_DATA_TYPE_INT32, HCCL_REDUCE_RESERVED, comm, stream),
              HCCL_E_NOT_SUPPORT);
}

TEST_F(OpArgs, EveryReducibleTypeAndOpIsAccepted) {
    for (HcclDataType type : {HCCL_DATA_TYPE_INT8, HCCL_DATA_TYPE_INT16, HCCL_DATA_TYPE_INT32,
                              HCCL_DATA_TYPE_INT64, HCCL_DATA_TYPE_FP16, HCCL_DATA_TYPE_FP32,
                              HCCL_DATA_TYPE_BFP16, HCCL_DATA_TYPE_UINT64, HCCL_DATA_TYPE_FP64})
        for (HcclReduceOp op :
             {HCCL_REDUCE_SUM, HCCL_REDUCE_PROD, HCCL_REDUCE_MAX, HCCL_REDUCE_MIN}) {
            bool prodRejected = op == HCCL_REDUCE_PROD &&
                                (type == HCCL_DATA_TYPE_INT16 || type == HCCL_DATA_TYPE_BFP16);
            EXPECT_EQ(HcclAllReduce(a, b, 4, type, op, comm, stream),
                      prodRejected ? HCCL_E_NOT_SUPPORT : HCCL_SUCCESS)
                << type << " " << op;
        }
}

TEST_F(OpArgs, DataMovingOpsTakeTheTwelveClassicTypesOnly) {
    for (HcclDataType type : {HCCL_DATA_TYPE_INT128, HCCL_DATA_TYPE_HIF8, HCCL_DATA_TYPE_FP8E5M2,
                              HCCL_DATA_TYPE_FP8E8M0, HCCL_DATA_TYPE_RESERVED}) {
        HcclSendRecvItem item{HCCL_SEND, a, 4, type, 0};
        EXPECT_EQ(HcclBroadcast(a, 4, type, 0, comm, stream), HCCL_E_NOT_SUPPORT) << type;
        EXPECT_EQ(HcclAllGather(a, b, 4, type, comm, stream), HCCL_E_NOT_SUPPORT) << type;
        EXPECT_EQ(HcclAllGatherV(a, 4, b, one, zero, type, comm, stream), HCCL_E_NOT_SUPPORT)
            << type;
        EXPECT_EQ(HcclScatter(a, b, 4, type, 0, comm, stream), HCCL_E_NOT_SUPPORT) << type;
        EXPECT_EQ(HcclAlltoAll(a, 4, type, b, 4, type, comm, stream), HCCL_E_NOT_SUPPORT) << type;
        EXPECT_EQ(HcclAlltoAllV(a, one, zero, type, b, one, zero, type, comm, stream),
                  HCCL_E_NOT_SUPPORT)
            << type;
        EXPECT_EQ(HcclAlltoAllVC(a, one, type, b, type, comm, stream), HCCL_E_NOT_SUPPORT) << type;
        EXPECT_EQ(HcclSend(a, 4, type, 0, comm, stream), HCCL_E_NOT_SUPPORT) << type;
        EXPECT_EQ(HcclRecv(a, 4, type, 0, comm, stream), HCCL_E_NOT_SUPPORT) << type;
        EXPECT_EQ(HcclBatchSendRecv(&item, 1, comm, stream), HCCL_E_NOT_SUPPORT) << type;
    }
}

TEST_F(OpArgs, MisalignedReductionBufferIsEPara) {
    EXPECT_EQ(HcclAllReduce(at(a, 2), b, 4, HCCL_DATA_TYPE_INT32, HCCL_REDUCE_SUM, comm, stream),
              HCCL_E_PARA);
    EXPECT_EQ(HcclAllReduce(a, at(b, 4), 4, HCCL_DATA_TYPE_FP64, HCCL_REDUCE_SUM, comm, stream),
              HCCL_E_PARA);
    EXPECT_EQ(HcclReduceScatter(at(a, 1), b, 4, HCCL_DATA_TYPE_FP16, HCCL_REDUCE_SUM, comm, stream),
              HCCL_E_PARA);
    EXPECT_EQ(HcclReduceScatterV(a, one, zero, at(b, 2), 4, HCCL_DATA_TYPE_FP32, HCCL_REDUCE_SUM,
                                 comm, stream),
              HCCL_E_PARA);
    EXPECT_EQ(HcclReduce(a, at(b, 6), 4, HCCL_DATA_TYPE_INT64, HCCL_REDUCE_SUM, 0, comm, stream),
              HCCL_E_PARA);
    // int8 needs no alignment.
    EXPECT_EQ(
        HcclAllReduce(at(a, 1), at(b, 3), 4, HCCL_DATA_TYPE_INT8, HCCL_REDUCE_SUM, comm, stream),
        HCCL_SUCCESS);
}

TEST_F(OpArgs, InPlaceIsRejectedForAllGatherVReduceScatterVAndAlltoAlls) {
    EXPECT_EQ(HcclAllGatherV(a, 4, a, one, zero, HCCL_DATA_TYPE_INT32, comm, stream), HCCL_E_PARA);
    EXPECT_EQ(
        HcclReduceScatterV(a, one, zero, a, 4, HCCL_DATA_TYPE_INT32, HCCL_REDUCE_SUM, comm, stream),
        HCCL_E_PARA);
    EXPECT_EQ(HcclAlltoAll(a, 4, HCCL_DATA_TYPE_INT32, a, 4, HCCL_DATA_TYPE_INT32, comm, stream),
              HCCL_E_PARA);
    EXPECT_EQ(HcclAlltoAllV(a, one, zero, HCCL_DATA_TYPE_INT32, a, one, zero, HCCL_DATA_TYPE_INT32,
                            comm, stream),
              HCCL_E_PARA);
    EXPECT_EQ(HcclAlltoAllVC(a, one, HCCL_DATA_TYPE_INT32, a, HCCL_DATA_TYPE_INT32, comm, stream),
              HCCL_E_PARA);
}

TEST_F(OpArgs, InPlaceIsAllowedForTheOtherOperations) {
    EXPECT_EQ(HcclAllReduce(a, a, 4, HCCL_DATA_TYPE_INT32, HCCL_REDUCE_SUM, comm, stream),
              HCCL_SUCCESS);
    EXPECT_EQ(HcclAllGather(a, a, 4, HCCL_DATA_TYPE_INT32, comm, stream), HCCL_SUCCESS);
    EXPECT_EQ(HcclReduceScatter(a, a, 4, HCCL_DATA_TYPE_INT32, HCCL_REDUCE_SUM, comm, stream),
              HCCL_SUCCESS);
    EXPECT_EQ(HcclReduce(a, a, 4, HCCL_DATA_TYPE_INT32, HCCL_REDUCE_SUM, 0, comm, stream),
              HCCL_SUCCESS);
}

TEST_F(OpArgs, AlltoAllRecvCountAndTypeMustEqualTheSendOnes) {
    EXPECT_EQ(HcclAlltoAll(a, 4, HCCL_DATA_TYPE_INT32, b, 8, HCCL_DATA_TYPE_INT32, comm, stream),
              HCCL_E_PARA);
    EXPECT_EQ(HcclAlltoAll(a, 4, HCCL_DATA_TYPE_INT32, b, 4, HCCL_DATA_TYPE_FP32, comm, stream),
              HCCL_E_PARA);
    EXPECT_EQ(HcclAlltoAllV(a, one, zero, HCCL_DATA_TYPE_INT32, b, one, zero, HCCL_DATA_TYPE_UINT32,
                            comm, stream),
              HCCL_E_PARA);
    EXPECT_EQ(HcclAlltoAllVC(a, one, HCCL_DATA_TYPE_INT8, b, HCCL_DATA_TYPE_UINT8, comm, stream),
              HCCL_E_PARA);
}

TEST_F(OpArgs, ReduceScatterVRecvCountMustEqualTheRanksSendCount) {
    EXPECT_EQ(
        HcclReduceScatterV(a, one, zero, b, 3, HCCL_DATA_TYPE_INT32, HCCL_REDUCE_SUM, comm, stream),
        HCCL_E_PARA);
    EXPECT_EQ(
        HcclReduceScatterV(a, one, zero, b, 4, HCCL_DATA_TYPE_INT32, HCCL_REDUCE_SUM, comm, stream),
        HCCL_SUCCESS);
}

TEST_F(OpArgs, AllGatherVSendCountMustEqualTheRanksRecvCount) {
    EXPECT_EQ(HcclAllGatherV(a, 5, b, one, zero, HCCL_DATA_TYPE_INT32, comm, stream), HCCL_E_PARA);
    EXPECT_EQ(HcclAllGatherV(a, 4, b, one, zero, HCCL_DATA_TYPE_INT32, comm, stream), HCCL_SUCCESS);
}

TEST_F(OpArgs, StreamOfAnotherDeviceIsEPara) {
    ASSERT_EQ(aclrtSetDevice(1), ACL_SUCCESS);
    aclrtStream other = nullptr;
    ASSERT_EQ(aclrtCreateStream(&other), ACL_SUCCESS);
    ASSERT_EQ(aclrtSetDevice(0), ACL_SUCCESS);
    EXPECT_EQ(HcclAllReduce(a, b, 4, HCCL_DATA_TYPE_INT32, HCCL_REDUCE_SUM, comm, other),
              HCCL_E_PARA);
    EXPECT_EQ(HcclBarrier(comm, other), HCCL_E_PARA);
    EXPECT_EQ(aclrtDestroyStream(other), ACL_SUCCESS);
    aclrtResetDevice(1);
}

TEST_F(OpArgs, SomethingThatIsNotAStreamIsEPara) {
    alignas(64) uint64_t notAStream[16] = {};
    EXPECT_EQ(HcclBarrier(comm, notAStream), HCCL_E_PARA);
}

TEST_F(OpArgs, ADestroyedCommunicatorIsEPara) {
    HcclComm gone = comm;
    ASSERT_EQ(HcclCommDestroy(comm), HCCL_SUCCESS);
    comm = nullptr;
    EXPECT_EQ(HcclAllReduce(a, b, 4, HCCL_DATA_TYPE_INT32, HCCL_REDUCE_SUM, gone, stream),
              HCCL_E_PARA);
    EXPECT_EQ(HcclBarrier(gone, stream), HCCL_E_PARA);
}

TEST_F(OpArgs, ScatterSendBufMustBeGivenOnTheRoot) {
    EXPECT_EQ(HcclScatter(nullptr, b, 4, HCCL_DATA_TYPE_INT32, 0, comm, stream), HCCL_E_PTR);
}

TEST_F(OpArgs, AOneRankOperationCopiesSendToRecv) {
    std::vector<int32_t> in{1, 2, 3, 4}, out(4, 0);
    ASSERT_EQ(aclrtMemcpy(a, kBytes, in.data(), 16, ACL_MEMCPY_HOST_TO_DEVICE), ACL_SUCCESS);
    ASSERT_EQ(HcclAllReduce(a, b, 4, HCCL_DATA_TYPE_INT32, HCCL_REDUCE_SUM, comm, stream),
              HCCL_SUCCESS);
    ASSERT_EQ(aclrtSynchronizeStream(stream), ACL_SUCCESS);
    ASSERT_EQ(aclrtMemcpy(out.data(), 16, b, 16, ACL_MEMCPY_DEVICE_TO_HOST), ACL_SUCCESS);
    EXPECT_EQ(out, in);
}

// ---- zero-copy memory ranges: accepted and ignored after the argument checks ---------------

TEST_F(OpArgs, MemoryRangeCallsAreAcceptedAndIgnored) {
    int handle = 0;
    EXPECT_EQ(HcclCommSetMemoryRange(comm, a, kBytes, 0, 0), HCCL_SUCCESS);
    EXPECT_EQ(HcclCommActivateCommMemory(comm, a, kBytes, 0, &handle, 0), HCCL_SUCCESS);
    EXPECT_EQ(HcclCommDeactivateCommMemory(comm, a), HCCL_SUCCESS);
    EXPECT_EQ(HcclCommUnsetMemoryRange(comm, a), HCCL_SUCCESS);
}

TEST_F(OpArgs, MemoryRangeNullArgumentsAreEPtr) {
    int handle = 0;
    EXPECT_EQ(HcclCommSetMemoryRange(nullptr, a, kBytes, 0, 0), HCCL_E_PTR);
    EXPECT_EQ(HcclCommSetMemoryRange(comm, nullptr, kBytes, 0, 0), HCCL_E_PTR);
    EXPECT_EQ(HcclCommUnsetMemoryRange(comm, nullptr), HCCL_E_PTR);
    EXPECT_EQ(HcclCommActivateCommMemory(comm, nullptr, kBytes, 0, &handle, 0), HCCL_E_PTR);
    EXPECT_EQ(HcclCommActivateCommMemory(comm, a, kBytes, 0, nullptr, 0), HCCL_E_PTR);
    EXPECT_EQ(HcclCommDeactivateCommMemory(nullptr, a), HCCL_E_PTR);
}

TEST_F(OpArgs, MemoryRangeNonZeroAlignmentOffsetOrFlagsAreEPara) {
    int handle = 0;
    EXPECT_EQ(HcclCommSetMemoryRange(comm, a, kBytes, 4096, 0), HCCL_E_PARA);
    EXPECT_EQ(HcclCommSetMemoryRange(comm, a, kBytes, 0, 1), HCCL_E_PARA);
    EXPECT_EQ(HcclCommSetMemoryRange(comm, a, 0, 0, 0), HCCL_E_PARA);
    EXPECT_EQ(HcclCommActivateCommMemory(comm, a, kBytes, 64, &handle, 0), HCCL_E_PARA);
    EXPECT_EQ(HcclCommActivateCommMemory(comm, a, kBytes, 0, &handle, 2), HCCL_E_PARA);
}

}  // namespace
}  // namespace hcclcpu::framework::test
