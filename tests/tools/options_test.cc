// hccl_test's command line: sizes, the size sequence, operation names and aliases, rejection.
#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <vector>

#include "options.h"

namespace hccltest {
namespace {

ParseResult parse(std::initializer_list<const char *> args) {
    std::vector<const char *> argv(args);
    return parseArgs(static_cast<int>(argv.size()), argv.data());
}

std::string errorOf(std::initializer_list<const char *> args) {
    ParseResult r = parse(args);
    EXPECT_FALSE(r.options.has_value());
    return r.error;
}

TEST(HcclTestOptions, BytesTakeKMGSuffixesInBinaryUnits) {
    EXPECT_EQ(parseBytes("8"), 8u);
    EXPECT_EQ(parseBytes("64K"), 64u << 10);
    EXPECT_EQ(parseBytes("4m"), 4u << 20);
    EXPECT_EQ(parseBytes("2G"), 2ull << 30);
}

TEST(HcclTestOptions, MalformedOrZeroBytesAreRejected) {
    for (const char *bad : {"", "K", "0", "-8", "8X", "8KB", "1.5M", "99999999999999999999"})
        EXPECT_FALSE(parseBytes(bad).has_value()) << bad;
}

TEST(HcclTestOptions, SizesGrowByTheFactorUpToMaxBytes) {
    auto r = parse({"hccl_test", "all_reduce", "-b", "8", "-e", "64K", "-f", "4"});
    ASSERT_TRUE(r.options) << r.error;
    EXPECT_EQ(sizeSequence(*r.options),
              (std::vector<uint64_t>{8, 32, 128, 512, 2048, 8192, 32768}));
}

TEST(HcclTestOptions, SizesGrowByStepBytesWithoutAFactor) {
    auto r = parse({"hccl_test", "all_reduce", "-b", "1K", "-e", "4K", "-i", "1K"});
    ASSERT_TRUE(r.options) << r.error;
    EXPECT_EQ(sizeSequence(*r.options), (std::vector<uint64_t>{1024, 2048, 3072, 4096}));
}

TEST(HcclTestOptions, EqualMinAndMaxGiveOneSize) {
    auto r = parse({"hccl_test", "broadcast", "-b", "1M", "-e", "1M", "-f", "1"});
    ASSERT_TRUE(r.options) << r.error;
    EXPECT_EQ(sizeSequence(*r.options), (std::vector<uint64_t>{1u << 20}));
}

TEST(HcclTestOptions, AllOptionsAreRead) {
    auto r =
        parse({"hccl_test", "reduce", "-b", "8", "-e", "1M", "-f", "2", "-d", "bfp16", "-o",  "max",
               "-r",        "3",      "-p", "4", "-n", "7",  "-w", "2", "-c", "0",     "-np", "4"});
    ASSERT_TRUE(r.options) << r.error;
    const Options &o = *r.options;
    EXPECT_EQ(o.op, OpId::kReduce);
    EXPECT_EQ(o.dataType, HCCL_DATA_TYPE_BFP16);
    EXPECT_EQ(o.reduceOp, HCCL_REDUCE_MAX);
    EXPECT_EQ(o.root, 3u);
    EXPECT_EQ(o.npusPerNode, 4u);
    EXPECT_EQ(o.iters, 7u);
    EXPECT_EQ(o.warmupIters, 2u);
    EXPECT_FALSE(o.check);
    EXPECT_EQ(o.processes, 4u);
}

TEST(HcclTestOptions, BlockingIsOffByDefaultAndZOneTurnsItOn) {
    auto r = parse({"hccl_test", "all_reduce"});
    ASSERT_TRUE(r.options) << r.error;
    EXPECT_FALSE(r.options->blocking);
    r = parse({"hccl_test", "all_reduce", "-z", "1"});
    ASSERT_TRUE(r.options) << r.error;
    EXPECT_TRUE(r.options->blocking);
    r = parse({"hccl_test", "all_reduce", "--blocking=0"});
    ASSERT_TRUE(r.options) << r.error;
    EXPECT_FALSE(r.options->blocking);
    EXPECT_NE(errorOf({"hccl_test", "all_reduce", "-z", "2"}).find("-z expects 0 or 1, got '2'"),
              std::string::npos);
}

TEST(HcclTestOptions, BindToIsCoreByDefaultAndTakesNone) {
    auto r = parse({"hccl_test", "all_reduce", "-np", "4"});
    ASSERT_TRUE(r.options) << r.error;
    EXPECT_TRUE(r.options->bindToCore);
    r = parse({"hccl_test", "all_reduce", "--bind-to", "none"});
    ASSERT_TRUE(r.options) << r.error;
    EXPECT_FALSE(r.options->bindToCore);
    r = parse({"hccl_test", "all_reduce", "--bind-to=core"});
    ASSERT_TRUE(r.options) << r.error;
    EXPECT_TRUE(r.options->bindToCore);
    EXPECT_NE(errorOf({"hccl_test", "all_reduce", "--bind-to", "socket"})
                  .find("--bind-to expects core or none, got 'socket'"),
              std::string::npos);
}

TEST(HcclTestOptions, AttachedAndLongFormsAreAccepted) {
    auto r = parse({"hccl_test", "-b8K", "--maxbytes=64K", "--datatype", "int8", "all_gather"});
    ASSERT_TRUE(r.options) << r.error;
    EXPECT_EQ(r.options->minBytes, 8u << 10);
    EXPECT_EQ(r.options->maxBytes, 64u << 10);
    EXPECT_EQ(r.options->dataType, HCCL_DATA_TYPE_INT8);
    EXPECT_EQ(r.options->op, OpId::kAllGather);
}

TEST(HcclTestOptions, DataTypeNamesMapToTheirHcclValuesByIndex) {
    const char *names[] = {"int8",   "int16", "int32",  "fp16",   "fp32", "int64",
                           "uint64", "uint8", "uint16", "uint32", "fp64", "bfp16"};
    for (int i = 0; i < 12; ++i) {
        auto r = parse({"hccl_test", "all_reduce", "-d", names[i]});
        ASSERT_TRUE(r.options) << names[i];
        EXPECT_EQ(static_cast<int>(r.options->dataType), i) << names[i];
    }
}

TEST(HcclTestOptions, AliasBinaryNameSelectsTheOperation) {
    auto r = parse({"/opt/bin/alltoallv_test", "-b", "8"});
    ASSERT_TRUE(r.options) << r.error;
    EXPECT_EQ(r.options->op, OpId::kAlltoAllV);
    EXPECT_NE(errorOf({"all_reduce_test", "broadcast"}).find("unexpected argument"),
              std::string::npos);
}

TEST(HcclTestOptions, BadArgumentsAreRejectedWithTheReason) {
    EXPECT_NE(errorOf({"hccl_test", "all_reduce", "-d", "fp8"}).find("unknown data type 'fp8'"),
              std::string::npos);
    EXPECT_NE(errorOf({"hccl_test", "all_reduce", "-b", "1M", "-e", "8K"}).find("larger than -e"),
              std::string::npos);
    EXPECT_NE(errorOf({"hccl_test", "all_reduce", "-o", "avg"}).find("unknown reduction"),
              std::string::npos);
    EXPECT_NE(errorOf({"hccl_test", "allreduce"}).find("unknown operation"), std::string::npos);
    EXPECT_NE(errorOf({"hccl_test", "-b", "8"}).find("no operation"), std::string::npos);
    EXPECT_NE(errorOf({"hccl_test", "all_reduce", "-c", "2"}).find("-c expects 0 or 1"),
              std::string::npos);
    EXPECT_NE(errorOf({"hccl_test", "all_reduce", "-n", "0"}).find("-n must be"),
              std::string::npos);
    EXPECT_NE(errorOf({"hccl_test", "all_reduce", "-np", "0"}).find("-np must be"),
              std::string::npos);
    EXPECT_NE(errorOf({"hccl_test", "all_reduce", "-x", "1"}).find("unknown option '-x'"),
              std::string::npos);
    EXPECT_NE(errorOf({"hccl_test", "all_reduce", "-b"}).find("needs a value"), std::string::npos);
    EXPECT_NE(errorOf({"hccl_test", "all_reduce", "-b", "8", "-e", "1M", "-f", "1"}).find("-f"),
              std::string::npos);
}

TEST(HcclTestOptions, RootMustBeARankOfTheJob) {
    auto r = parse({"hccl_test", "broadcast", "-r", "4"});
    ASSERT_TRUE(r.options);
    EXPECT_NE(validateForRanks(*r.options, 4).find("root 4 is not a rank"), std::string::npos);
    EXPECT_EQ(validateForRanks(*r.options, 5), "");
}

TEST(HcclTestOptions, RootIsIgnoredByOperationsWithoutOne) {
    auto r = parse({"hccl_test", "all_reduce", "-r", "9"});
    ASSERT_TRUE(r.options);
    EXPECT_EQ(validateForRanks(*r.options, 2), "");
}

TEST(HcclTestOptions, SendRecvNeedsTwoRanks) {
    auto r = parse({"hccl_test", "send_recv"});
    ASSERT_TRUE(r.options);
    EXPECT_NE(validateForRanks(*r.options, 1).find("at least 2 ranks"), std::string::npos);
    EXPECT_EQ(validateForRanks(*r.options, 2), "");
}

TEST(HcclTestOptions, RanksPerNodeMustDivideTheJob) {
    auto r = parse({"hccl_test", "all_reduce", "-p", "3"});
    ASSERT_TRUE(r.options);
    EXPECT_NE(validateForRanks(*r.options, 4), "");
    EXPECT_NE(validateForRanks(*r.options, 2), "");
    EXPECT_EQ(validateForRanks(*r.options, 6), "");
}

}  // namespace
}  // namespace hccltest
