// HCCL_ALGO / hcclAlgo and HCCL_DETERMINISTIC / hcclDeterministic as the operations see them
// (spec public_api §5), parsed once when the communicator is created.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <cstring>
#include <string>

#include "framework/algo_config.h"
#include "framework/communicator.h"
#include "framework/config.h"
#include "framework_test_util.h"
#include "hccl/hccl.h"

namespace hcclcpu::framework::test {
namespace {

using algorithm::AlgoConfig;
using algorithm::AlgoKind;
using algorithm::OpKind;

AlgoConfig parse(const std::string &text, HcclResult expected = HCCL_SUCCESS) {
    AlgoConfig config;
    EXPECT_EQ(parseAlgoConfig(text, &config), expected) << text;
    return config;
}

constexpr OpKind kAllOps[] = {OpKind::kAllGather, OpKind::kReduceScatter, OpKind::kAllReduce,
                              OpKind::kBroadcast, OpKind::kReduce,        OpKind::kScatter,
                              OpKind::kAlltoAll};

TEST(AlgoConfigParse, EmptyMeansAutomaticForEveryOperation) {
    AlgoConfig config = parse("");
    for (OpKind op : kAllOps)
        EXPECT_EQ(config.of(op), AlgoKind::kAuto);
}

TEST(AlgoConfigParse, OneLevelStringAppliesToEveryOperation) {
    AlgoConfig ring = parse("level0:NA;level1:ring");
    AlgoConfig hd = parse("level0:NA;level1:H-D_R");
    for (OpKind op : kAllOps) {
        EXPECT_EQ(ring.of(op), AlgoKind::kRing);
        EXPECT_EQ(hd.of(op), AlgoKind::kRecursiveHD);
    }
}

TEST(AlgoConfigParse, MeshAndStarAreHcclCpuAdditions) {
    EXPECT_EQ(parse("level0:NA;level1:mesh").of(OpKind::kAllReduce), AlgoKind::kMesh);
    EXPECT_EQ(parse("level0:NA;level1:star").of(OpKind::kBroadcast), AlgoKind::kStar);
}

TEST(AlgoConfigParse, PerOperationStringsSetOnlyTheNamedOperations) {
    AlgoConfig config = parse(
        "allreduce=level0:NA;level1:ring/alltoall=level0:NA;level1:pairwise/"
        "broadcast=level0:NA;level1:H-D_R");
    EXPECT_EQ(config.of(OpKind::kAllReduce), AlgoKind::kRing);
    EXPECT_EQ(config.of(OpKind::kAlltoAll), AlgoKind::kPairwise);
    EXPECT_EQ(config.of(OpKind::kBroadcast), AlgoKind::kRecursiveHD);
    EXPECT_EQ(config.of(OpKind::kAllGather), AlgoKind::kAuto);
    EXPECT_EQ(config.of(OpKind::kReduceScatter), AlgoKind::kAuto);
}

TEST(AlgoConfigParse, EveryOperationNameIsKnown) {
    AlgoConfig config = parse(
        "allgather=level0:NA;level1:ring/reducescatter=level0:NA;level1:ring/"
        "allreduce=level0:NA;level1:ring/broadcast=level0:NA;level1:ring/"
        "reduce=level0:NA;level1:ring/scatter=level0:NA;level1:ring/"
        "alltoall=level0:NA;level1:ring");
    for (OpKind op : kAllOps)
        EXPECT_EQ(config.of(op), AlgoKind::kRing);
}

TEST(AlgoConfigParse, PairwiseAppliesToAlltoAllOnly) {
    AlgoConfig all = parse("level0:NA;level1:pairwise");
    EXPECT_EQ(all.of(OpKind::kAlltoAll), AlgoKind::kPairwise);
    EXPECT_EQ(all.of(OpKind::kAllReduce), AlgoKind::kAuto);
    EXPECT_EQ(parse("allreduce=level0:NA;level1:pairwise").of(OpKind::kAllReduce), AlgoKind::kAuto);
}

TEST(AlgoConfigParse, NotImplementedAlgorithmsFallBackToAutomatic) {
    for (const char *name : {"NHR", "NHR_V1", "NB", "AHC", "pipeline"}) {
        AlgoConfig config = parse(std::string("level0:NA;level1:") + name);
        for (OpKind op : kAllOps)
            EXPECT_EQ(config.of(op), AlgoKind::kAuto) << name;
    }
}

TEST(AlgoConfigParse, Level2AndSpacesAreAccepted) {
    EXPECT_EQ(parse(" level0 : NA ; level1 : ring ; level2 : NHR ").of(OpKind::kAllGather),
              AlgoKind::kRing);
    EXPECT_EQ(parse("level1:RING").of(OpKind::kAllGather), AlgoKind::kRing);
}

TEST(AlgoConfigParse, MalformedStringsAreEPara) {
    for (const char *text :
         {"ring", "level1", "level1:", "level1:fast", "level3:ring", "level1:ring;level1:ring",
          "allreduce=level1:ring/allreduce=level1:mesh", "gather=level0:NA;level1:ring",
          "allreduce:level0:NA", "allreduce=level0:NA;level1:ring/broadcast"})
        parse(text, HCCL_E_PARA);
}

TEST(AlgoConfigParse, DeterministicIsKept) {
    AlgoConfig config;
    config.deterministic = true;
    ASSERT_EQ(parseAlgoConfig("level0:NA;level1:ring", &config), HCCL_SUCCESS);
    EXPECT_TRUE(config.deterministic);
}

// ---- at communicator creation -----------------------------------------------------------------

class AlgoAtInit : public ::testing::Test {
  protected:
    void SetUp() override { ASSERT_EQ(aclrtSetDevice(0), ACL_SUCCESS); }
    void TearDown() override {
        if (comm_ != nullptr) {
            EXPECT_EQ(HcclCommDestroy(comm_), HCCL_SUCCESS);
        }
        unsetenv("HCCL_ALGO");
        unsetenv("HCCL_DETERMINISTIC");
        forgetProcessDeterministic();
        aclrtResetDevice(0);
    }
    HcclResult init(const HcclCommConfig *config = nullptr) {
        HcclRootInfo root{};
        HcclResult r = HcclGetRootInfo(&root);
        if (r != HCCL_SUCCESS) return r;
        return config == nullptr ? HcclCommInitRootInfo(1, &root, 0, &comm_)
                                 : HcclCommInitRootInfoConfig(1, &root, 0, config, &comm_);
    }
    const AlgoConfig &algo() { return findCommunicator(comm_, "test")->algo(); }
    HcclComm comm_ = nullptr;
};

TEST_F(AlgoAtInit, HcclAlgoEnvironmentIsParsedAtCreation) {
    setenv("HCCL_ALGO", "allgather=level0:NA;level1:mesh", 1);
    ASSERT_EQ(init(), HCCL_SUCCESS);
    EXPECT_EQ(algo().of(OpKind::kAllGather), AlgoKind::kMesh);
    EXPECT_EQ(algo().of(OpKind::kAllReduce), AlgoKind::kAuto);
}

TEST_F(AlgoAtInit, AMalformedHcclAlgoFailsCreationWithEPara) {
    setenv("HCCL_ALGO", "level1:warp", 1);
    EXPECT_EQ(init(), HCCL_E_PARA);
    EXPECT_EQ(comm_, nullptr);
}

TEST_F(AlgoAtInit, TheConfigsHcclAlgoWinsOverTheEnvironment) {
    setenv("HCCL_ALGO", "level0:NA;level1:ring", 1);
    HcclCommConfig config;
    HcclCommConfigInit(&config);
    std::strcpy(config.hcclAlgo, "level0:NA;level1:H-D_R");
    ASSERT_EQ(init(&config), HCCL_SUCCESS);
    EXPECT_EQ(algo().of(OpKind::kReduce), AlgoKind::kRecursiveHD);
}

TEST_F(AlgoAtInit, HcclDeterministicMakesReductionsDeterministic) {
    setenv("HCCL_DETERMINISTIC", "true", 1);
    ASSERT_EQ(init(), HCCL_SUCCESS);
    EXPECT_TRUE(algo().deterministic);
}

TEST_F(AlgoAtInit, TheConfigsDeterministicWinsOverTheEnvironment) {
    setenv("HCCL_DETERMINISTIC", "strict", 1);
    HcclCommConfig config;
    HcclCommConfigInit(&config);
    config.hcclDeterministic = 0;
    ASSERT_EQ(init(&config), HCCL_SUCCESS);
    EXPECT_FALSE(algo().deterministic);
}

}  // namespace
}  // namespace hcclcpu::framework::test
