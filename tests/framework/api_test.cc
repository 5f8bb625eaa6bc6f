// The management entry points one rank can exercise alone: argument checks, error strings,
// configs of both header generations, names, process-wide settings (spec/public_api.md §3).
#include <gtest/gtest.h>
#include <stdlib.h>

#include <cstddef>
#include <cstring>
#include <memory>
#include <string>

#include "framework/communicator.h"
#include "framework/config.h"
#include "framework/rendezvous.h"
#include "framework_test_util.h"
#include "hccl/hccl.h"

namespace hcclcpu::framework::test {
namespace {

// A rank of a one-rank communicator on device 0, made on the test thread.
class OneRank : public ::testing::Test {
  protected:
    void SetUp() override { ASSERT_EQ(aclrtSetDevice(0), ACL_SUCCESS); }
    void TearDown() override {
        if (comm_ != nullptr) {
            EXPECT_EQ(HcclCommDestroy(comm_), HCCL_SUCCESS);
        }
        aclrtResetDevice(0);
    }
    HcclResult init(const HcclCommConfig *config = nullptr) {
        HcclRootInfo root{};
        HcclResult r = HcclGetRootInfo(&root);
        if (r != HCCL_SUCCESS) return r;
        return config == nullptr ? HcclCommInitRootInfo(1, &root, 0, &comm_)
                                 : HcclCommInitRootInfoConfig(1, &root, 0, config, &comm_);
    }
    Communicator *comm() { return findCommunicator(comm_, "test"); }
    HcclComm comm_ = nullptr;
};

// ---- HcclGetErrorString ---------------------------------------------------------------------

TEST(ErrorString, KnownCodesHaveTheVendorPhrases) {
    EXPECT_STREQ(HcclGetErrorString(HCCL_SUCCESS), "no error");
    EXPECT_STREQ(HcclGetErrorString(HCCL_E_PARA), "parameter error");
    EXPECT_STREQ(HcclGetErrorString(HCCL_E_PTR), "empty pointer");
    EXPECT_STREQ(HcclGetErrorString(HCCL_E_MEMORY), "memory error");
    EXPECT_STREQ(HcclGetErrorString(HCCL_E_INTERNAL), "internal error");
    EXPECT_STREQ(HcclGetErrorString(HCCL_E_NOT_SUPPORT), "not support feature");
    EXPECT_STREQ(HcclGetErrorString(HCCL_E_NOT_FOUND), "not found specific resource");
    EXPECT_STREQ(HcclGetErrorString(HCCL_E_UNAVAIL), "resource unavailable");
    EXPECT_STREQ(HcclGetErrorString(HCCL_E_SYSCALL), "call system interface error");
    EXPECT_STREQ(HcclGetErrorString(HCCL_E_TIMEOUT), "timeout");
    EXPECT_STREQ(HcclGetErrorString(HCCL_E_OPEN_FILE_FAILURE), "open file fail");
    EXPECT_STREQ(HcclGetErrorString(HCCL_E_TCP_CONNECT), "tcp connect fail");
    EXPECT_STREQ(HcclGetErrorString(HCCL_E_ROCE_CONNECT), "roce connect fail");
    EXPECT_STREQ(HcclGetErrorString(HCCL_E_TCP_TRANSFER), "tcp transfer fail");
    EXPECT_STREQ(HcclGetErrorString(HCCL_E_ROCE_TRANSFER), "roce transfer fail");
    EXPECT_STREQ(HcclGetErrorString(HCCL_E_RUNTIME), "call runtime api fail");
    EXPECT_STREQ(HcclGetErrorString(HCCL_E_DRV), "call driver api fail");
    EXPECT_STREQ(HcclGetErrorString(HCCL_E_PROFILING), "call profiling api fail");
    EXPECT_STREQ(HcclGetErrorString(HCCL_E_CCE), "call cce api fail");
    EXPECT_STREQ(HcclGetErrorString(HCCL_E_NETWORK), "call network api fail");
    EXPECT_STREQ(HcclGetErrorString(HCCL_E_AGAIN), "try again");
    EXPECT_STREQ(HcclGetErrorString(HCCL_E_REMOTE), "error cqe");
    EXPECT_STREQ(HcclGetErrorString(HCCL_E_SUSPENDING), "error communicator suspending");
    EXPECT_STREQ(HcclGetErrorString(HCCL_E_OPRETRY_FAIL), "retry constraint");
    EXPECT_STREQ(HcclGetErrorString(HCCL_E_OOM), "out of memory");
}

TEST(ErrorString, CodesOutsideTheTableAreUnknownErrorNeverNull) {
    for (int code : {-1, 25, 100, 1040, static_cast<int>(HCCL_E_RESERVED), 1043, 0x7fffffff}) {
        const char *text = HcclGetErrorString(static_cast<HcclResult>(code));
        ASSERT_NE(text, nullptr) << code;
        EXPECT_STREQ(text, "unknown error") << code;
    }
}

// ---- argument checks ------------------------------------------------------------------------

TEST(Arguments, NullPointersAreEPtr) {
    HcclRootInfo root{};
    HcclComm comm = nullptr;
    uint32_t value = 0;
    char name[COMM_NAME_MAX_LENGTH];
    HcclResult error;
    int32_t devices[2] = {0, 1};
    HcclComm comms[2];
    EXPECT_EQ(HcclGetRootInfo(nullptr), HCCL_E_PTR);
    EXPECT_EQ(HcclCommInitRootInfo(2, nullptr, 0, &comm), HCCL_E_PTR);
    EXPECT_EQ(HcclCommInitRootInfo(2, &root, 0, nullptr), HCCL_E_PTR);
    EXPECT_EQ(HcclCommInitRootInfoConfig(2, &root, 0, nullptr, &comm), HCCL_E_PTR);
    EXPECT_EQ(HcclCommInitClusterInfo(nullptr, 0, &comm), HCCL_E_PTR);
    EXPECT_EQ(HcclCommInitClusterInfo("/nonexistent", 0, nullptr), HCCL_E_PTR);
    EXPECT_EQ(HcclCommInitClusterInfoConfig("/nonexistent", 0, nullptr, &comm), HCCL_E_PTR);
    EXPECT_EQ(HcclCommInitAll(2, nullptr, comms), HCCL_E_PTR);
    EXPECT_EQ(HcclCommInitAll(2, devices, nullptr), HCCL_E_PTR);
    EXPECT_EQ(HcclCommDestroy(nullptr), HCCL_E_PTR);
    EXPECT_EQ(HcclGetRankSize(nullptr, &value), HCCL_E_PTR);
    EXPECT_EQ(HcclGetRankId(nullptr, &value), HCCL_E_PTR);
    EXPECT_EQ(HcclGetCommName(nullptr, name), HCCL_E_PTR);
    EXPECT_EQ(HcclGetCommAsyncError(nullptr, &error), HCCL_E_PTR);
    EXPECT_EQ(HcclGetConfig(HCCL_DETERMINISTIC, nullptr), HCCL_E_PTR);
    EXPECT_EQ(comm, nullptr);
}

TEST(Arguments, RankOutOfRangeOrNoRanksIsEPara) {
    HcclRootInfo root = makeRootInfo();
    HcclComm comm = nullptr;
    EXPECT_EQ(HcclCommInitRootInfo(0, &root, 0, &comm), HCCL_E_PARA);
    EXPECT_EQ(HcclCommInitRootInfo(2, &root, 2, &comm), HCCL_E_PARA);
    EXPECT_EQ(HcclCommInitRootInfo(2, &root, UINT32_MAX, &comm), HCCL_E_PARA);
    EXPECT_EQ(HcclCommInitRootInfo(UINT32_MAX, &root, 0, &comm), HCCL_E_PARA);  // > kMaxRanks
    EXPECT_EQ(comm, nullptr);
}

TEST(Arguments, ABlobThatIsNotARootInfoIsEPara) {
    // hccl_test broadcasts the literal "invalid" when HcclGetRootInfo failed on the root.
    HcclRootInfo invalid{};
    std::strcpy(invalid.internal, "invalid");
    HcclComm comm = nullptr;
    EXPECT_EQ(HcclCommInitRootInfo(2, &invalid, 0, &comm), HCCL_E_PARA);
    HcclRootInfo corrupted = makeRootInfo();
    corrupted.internal[40] ^= 0x5a;  // inside the secret: the checksum catches it
    EXPECT_EQ(HcclCommInitRootInfo(1, &corrupted, 0, &comm), HCCL_E_PARA);
    EXPECT_EQ(comm, nullptr);
}

TEST(Arguments, HandlesThatAreNotLiveCommunicatorsAreEPara) {
    int notAComm = 0;
    uint32_t value = 0;
    EXPECT_EQ(HcclGetRankSize(&notAComm, &value), HCCL_E_PARA);
    EXPECT_EQ(HcclCommDestroy(&notAComm), HCCL_E_PARA);
}

TEST(Arguments, InitWithoutADeviceIsERuntime) {
    HcclRootInfo root = makeRootInfo();  // leaves the thread without a device
    HcclComm comm = nullptr;
    EXPECT_EQ(HcclCommInitRootInfo(1, &root, 0, &comm), HCCL_E_RUNTIME);
    EXPECT_EQ(comm, nullptr);
}

TEST(Arguments, InitAllRejectsNoDevicesDuplicatesAndUnknownDevices) {
    HcclComm comms[3] = {};
    int32_t duplicate[3] = {0, 1, 0};
    int32_t unknown[2] = {0, 64};
    int32_t negative[2] = {-1, 0};
    EXPECT_EQ(HcclCommInitAll(0, duplicate, comms), HCCL_E_PARA);
    EXPECT_EQ(HcclCommInitAll(3, duplicate, comms), HCCL_E_PARA);
    EXPECT_EQ(HcclCommInitAll(2, unknown, comms), HCCL_E_PARA);
    EXPECT_EQ(HcclCommInitAll(2, negative, comms), HCCL_E_PARA);
    EXPECT_EQ(comms[0], nullptr);
}

// ---- one-rank communicators -----------------------------------------------------------------

TEST_F(OneRank, ReportsSizeRankAndAGeneratedName) {
    ASSERT_EQ(init(), HCCL_SUCCESS);
    uint32_t size = 0, rank = 7;
    EXPECT_EQ(HcclGetRankSize(comm_, &size), HCCL_SUCCESS);
    EXPECT_EQ(HcclGetRankId(comm_, &rank), HCCL_SUCCESS);
    EXPECT_EQ(size, 1u);
    EXPECT_EQ(rank, 0u);
    char name[COMM_NAME_MAX_LENGTH];
    std::memset(name, 'x', sizeof(name));
    EXPECT_EQ(HcclGetCommName(comm_, name), HCCL_SUCCESS);
    ASSERT_NE(std::memchr(name, '\0', sizeof(name)), nullptr);
    EXPECT_GT(std::strlen(name), 0u);
    EXPECT_EQ(std::string(name).find("127.0.0.1_"), 0u) << name;
}

TEST_F(OneRank, GeneratedNamesAreUnique) {
    ASSERT_EQ(init(), HCCL_SUCCESS);
    HcclComm second = nullptr;
    HcclRootInfo root{};
    ASSERT_EQ(HcclGetRootInfo(&root), HCCL_SUCCESS);
    ASSERT_EQ(HcclCommInitRootInfo(1, &root, 0, &second), HCCL_SUCCESS);
    char a[COMM_NAME_MAX_LENGTH], b[COMM_NAME_MAX_LENGTH];
    EXPECT_EQ(HcclGetCommName(comm_, a), HCCL_SUCCESS);
    EXPECT_EQ(HcclGetCommName(second, b), HCCL_SUCCESS);
    EXPECT_STRNE(a, b);
    EXPECT_EQ(HcclCommDestroy(second), HCCL_SUCCESS);
}

TEST_F(OneRank, AsyncErrorIsSuccessByDefault) {
    ASSERT_EQ(init(), HCCL_SUCCESS);
    HcclResult error = HCCL_E_INTERNAL;
    EXPECT_EQ(HcclGetCommAsyncError(comm_, &error), HCCL_SUCCESS);
    EXPECT_EQ(error, HCCL_SUCCESS);
}

TEST_F(OneRank, AsyncErrorReportsTheFirstLatchedError) {
    ASSERT_EQ(init(), HCCL_SUCCESS);
    comm()->latchAsyncError(HCCL_E_REMOTE);
    comm()->latchAsyncError(HCCL_E_TIMEOUT);
    HcclResult error = HCCL_SUCCESS;
    EXPECT_EQ(HcclGetCommAsyncError(comm_, &error), HCCL_SUCCESS);
    EXPECT_EQ(error, HCCL_E_REMOTE);
}

TEST_F(OneRank, DestroyOfABusyCommunicatorIsEAgain) {
    ASSERT_EQ(init(), HCCL_SUCCESS);
    Communicator *c = acquireCommunicator(comm_, "test");
    ASSERT_NE(c, nullptr);
    EXPECT_EQ(HcclCommDestroy(comm_), HCCL_E_AGAIN);
    c->leave();
}

TEST_F(OneRank, ADestroyedHandleIsRejected) {
    ASSERT_EQ(init(), HCCL_SUCCESS);
    HcclComm old = comm_;
    ASSERT_EQ(HcclCommDestroy(comm_), HCCL_SUCCESS);
    comm_ = nullptr;
    uint32_t size = 0;
    EXPECT_EQ(HcclGetRankSize(old, &size), HCCL_E_PARA);
    EXPECT_EQ(HcclCommDestroy(old), HCCL_E_PARA);
}

TEST_F(OneRank, TheConfiguredNameIsUsedAndUniquePerDevice) {
    HcclCommConfig config;
    HcclCommConfigInit(&config);
    std::strcpy(config.hcclCommName, "my_group");
    ASSERT_EQ(init(&config), HCCL_SUCCESS);
    char name[COMM_NAME_MAX_LENGTH];
    EXPECT_EQ(HcclGetCommName(comm_, name), HCCL_SUCCESS);
    EXPECT_STREQ(name, "my_group");
    HcclRootInfo root{};
    ASSERT_EQ(HcclGetRootInfo(&root), HCCL_SUCCESS);
    HcclComm again = nullptr;
    EXPECT_EQ(HcclCommInitRootInfoConfig(1, &root, 0, &config, &again), HCCL_E_PARA);
    EXPECT_EQ(again, nullptr);
}

TEST_F(OneRank, ANameFreedByDestroyCanBeUsedAgain) {
    HcclCommConfig config;
    HcclCommConfigInit(&config);
    std::strcpy(config.hcclCommName, "reused");
    ASSERT_EQ(init(&config), HCCL_SUCCESS);
    ASSERT_EQ(HcclCommDestroy(comm_), HCCL_SUCCESS);
    comm_ = nullptr;
    EXPECT_EQ(init(&config), HCCL_SUCCESS);
}

TEST_F(OneRank, BufferSizeAndExecTimeoutDefaultTo200MBAnd1836s) {
    unsetenv("HCCL_BUFFSIZE");
    unsetenv("HCCL_EXEC_TIMEOUT");
    ASSERT_EQ(init(), HCCL_SUCCESS);
    EXPECT_EQ(comm()->settings().bufferSizeMB, 200u);
    EXPECT_EQ(comm()->cclBufferBytes(), 200ull << 20);
    EXPECT_EQ(comm()->execTimeoutSeconds(), 1836);
}

TEST_F(OneRank, EnvironmentSetsBufferSizeAndExecTimeout) {
    setenv("HCCL_BUFFSIZE", "64", 1);
    setenv("HCCL_EXEC_TIMEOUT", "30", 1);
    HcclResult r = init();
    unsetenv("HCCL_BUFFSIZE");
    unsetenv("HCCL_EXEC_TIMEOUT");
    ASSERT_EQ(r, HCCL_SUCCESS);
    EXPECT_EQ(comm()->cclBufferBytes(), 64ull << 20);
    EXPECT_EQ(comm()->execTimeoutSeconds(), 30);
}

TEST_F(OneRank, ConfigFieldsWinOverTheEnvironment) {
    setenv("HCCL_BUFFSIZE", "64", 1);
    setenv("HCCL_EXEC_TIMEOUT", "30", 1);
    HcclCommConfig config;
    HcclCommConfigInit(&config);
    config.hcclBufferSize = 32;
    config.hcclExecTimeOut = 7;
    config.hcclDeterministic = 1;
    HcclResult r = init(&config);
    unsetenv("HCCL_BUFFSIZE");
    unsetenv("HCCL_EXEC_TIMEOUT");
    ASSERT_EQ(r, HCCL_SUCCESS);
    EXPECT_EQ(comm()->cclBufferBytes(), 32ull << 20);
    EXPECT_EQ(comm()->execTimeoutSeconds(), 7);
    EXPECT_EQ(comm()->settings().deterministic, 1u);
}

TEST_F(OneRank, ABadConfigFailsTheInit) {
    HcclCommConfig config;
    HcclCommConfigInit(&config);
    config.hcclBufferSize = 0;
    EXPECT_EQ(init(&config), HCCL_E_PARA);
    EXPECT_EQ(comm_, nullptr);
}

// ---- configs of both generations ------------------------------------------------------------

struct Header {
    size_t size;
    uint32_t magic;
    uint32_t version;
    uint64_t reserved;
};

// A config as an 8.1 program builds it: 300 bytes, version 5, the old defaults (buffer size
// 200 and deterministic 0 are set values, not "not set"). Allocated at exactly 300 bytes, so
// AddressSanitizer catches any read past the caller's struct.
std::unique_ptr<char[]> version5Config(uint32_t bufferSize, uint32_t deterministic,
                                       const char *name) {
    std::unique_ptr<char[]> bytes(new char[300]());
    Header header{300, HCCL_COMM_CONFIG_MAGIC_WORD, 5, 0};
    std::memcpy(bytes.get(), &header, sizeof(header));
    std::memcpy(bytes.get() + 24, &bufferSize, 4);
    std::memcpy(bytes.get() + 28, &deterministic, 4);
    std::strcpy(bytes.get() + 32, name);
    uint32_t notSet = 0xffffffff;
    std::memcpy(bytes.get() + 292, &notSet, 4);
    std::memcpy(bytes.get() + 296, &notSet, 4);
    return bytes;
}

const HcclCommConfig *asConfig(const std::unique_ptr<char[]> &bytes) {
    return reinterpret_cast<const HcclCommConfig *>(bytes.get());
}

TEST(Config, InitWritesTheHeaderAndTheNewDefaults) {
    HcclCommConfig config;
    std::memset(&config, 0xab, sizeof(config));
    HcclCommConfigInit(&config);
    Header header;
    std::memcpy(&header, config.reserved, sizeof(header));
    EXPECT_EQ(header.size, sizeof(HcclCommConfig));
    EXPECT_EQ(header.magic, HCCL_COMM_CONFIG_MAGIC_WORD);
    EXPECT_EQ(header.version, HCCL_COMM_CONFIG_VERSION);
    EXPECT_EQ(header.reserved, 0u);
    EXPECT_EQ(config.hcclBufferSize, HCCL_COMM_BUFFSIZE_CONFIG_NOT_SET);
    EXPECT_EQ(config.hcclDeterministic, HCCL_COMM_DETERMINISTIC_CONFIG_NOT_SET);
    EXPECT_STREQ(config.hcclCommName, "");
    EXPECT_STREQ(config.hcclUdi, "");
    EXPECT_EQ(config.hcclOpExpansionMode, HCCL_COMM_DEFAULT_OP_EXPANSION_MODE);
    EXPECT_EQ(config.hcclRdmaTrafficClass, HCCL_COMM_TRAFFIC_CLASS_CONFIG_NOT_SET);
    EXPECT_EQ(config.hcclRdmaServiceLevel, HCCL_COMM_SERVICE_LEVEL_CONFIG_NOT_SET);
    EXPECT_EQ(config.hcclWorldRankID, 0u);
    EXPECT_EQ(config.hcclJobID, 0u);
    EXPECT_EQ(config.aclGraphZeroCopyEnable, 0);
    EXPECT_EQ(config.hcclExecTimeOut, HCCL_COMM_EXECTIMEOUT_CONFIG_NOT_SET);
    EXPECT_STREQ(config.hcclAlgo, "");
    EXPECT_STREQ(config.hcclRetryEnable, "");
    EXPECT_STREQ(config.hcclRetryParams, "");
    EXPECT_STREQ(config.hcclBufferName, "");
    EXPECT_EQ(config.hcclQos, HCCL_COMM_QOS_CONFIG_NOT_SET);
    EXPECT_EQ(config.hcclSymWinMaxMemSizePerRank, HCCL_DEFAULT_SYMMETRIC_MEMORY_STRIDE);
    EXPECT_EQ(config.hcclChannelSqDepth, HCCL_COMM_SQ_DEPTH_CONFIG_NOT_SET);
    HcclCommConfigInit(nullptr);  // returns without touching anything
}

TEST(Config, NotSetFieldsFallBackToEnvironmentThenDefaults) {
    setenv("HCCL_BUFFSIZE", "300", 1);
    HcclCommConfig config;
    HcclCommConfigInit(&config);
    CommSettings settings;
    EXPECT_EQ(resolveSettings(&config, &settings), HCCL_SUCCESS);
    EXPECT_EQ(settings.bufferSizeMB, 300u);
    unsetenv("HCCL_BUFFSIZE");
    EXPECT_EQ(resolveSettings(&config, &settings), HCCL_SUCCESS);
    EXPECT_EQ(settings.bufferSizeMB, 200u);
    EXPECT_EQ(settings.execTimeoutS, 1836);
    EXPECT_EQ(settings.deterministic, 0u);
    EXPECT_EQ(settings.configVersion, HCCL_COMM_CONFIG_VERSION);
}

TEST(Config, Version5ConfigsAreReadWithinTheirSize) {
    setenv("HCCL_EXEC_TIMEOUT", "45", 1);
    auto bytes = version5Config(128, 2, "old_header");
    CommSettings settings;
    HcclResult r = resolveSettings(asConfig(bytes), &settings);
    unsetenv("HCCL_EXEC_TIMEOUT");
    ASSERT_EQ(r, HCCL_SUCCESS);
    EXPECT_EQ(settings.configVersion, 5u);
    EXPECT_EQ(settings.bufferSizeMB, 128u);
    EXPECT_EQ(settings.deterministic, 2u);
    EXPECT_EQ(settings.name, "old_header");
    // hcclExecTimeOut does not exist in version 5: the environment applies.
    EXPECT_EQ(settings.execTimeoutS, 45);
}

TEST(Config, Version5DefaultBufferSizeIsASetValueThatWinsOverTheEnvironment) {
    setenv("HCCL_BUFFSIZE", "64", 1);
    auto bytes = version5Config(200, 0, "");
    CommSettings settings;
    HcclResult r = resolveSettings(asConfig(bytes), &settings);
    unsetenv("HCCL_BUFFSIZE");
    ASSERT_EQ(r, HCCL_SUCCESS);
    EXPECT_EQ(settings.bufferSizeMB, 200u);
}

TEST(Config, AVersion5ConfigInitialisesACommunicator) {
    ASSERT_EQ(aclrtSetDevice(0), ACL_SUCCESS);
    auto bytes = version5Config(16, 0, "v5_comm");
    HcclRootInfo root{};
    ASSERT_EQ(HcclGetRootInfo(&root), HCCL_SUCCESS);
    HcclComm comm = nullptr;
    ASSERT_EQ(HcclCommInitRootInfoConfig(1, &root, 0, asConfig(bytes), &comm), HCCL_SUCCESS);
    char name[COMM_NAME_MAX_LENGTH];
    EXPECT_EQ(HcclGetCommName(comm, name), HCCL_SUCCESS);
    EXPECT_STREQ(name, "v5_comm");
    EXPECT_EQ(findCommunicator(comm, "test")->cclBufferBytes(), 16ull << 20);
    EXPECT_EQ(HcclCommDestroy(comm), HCCL_SUCCESS);
    aclrtResetDevice(0);
}

TEST(Config, AConfigWithoutTheMagicWordIsEPara) {
    HcclCommConfig config;
    std::memset(&config, 0, sizeof(config));  // never went through HcclCommConfigInit
    CommSettings settings;
    EXPECT_EQ(resolveSettings(&config, &settings), HCCL_E_PARA);
}

TEST(Config, AHeaderSmallerThanItselfIsEPara) {
    HcclCommConfig config;
    HcclCommConfigInit(&config);
    Header header{8, HCCL_COMM_CONFIG_MAGIC_WORD, 11, 0};
    std::memcpy(config.reserved, &header, sizeof(header));
    CommSettings settings;
    EXPECT_EQ(resolveSettings(&config, &settings), HCCL_E_PARA);
}

TEST(Config, InvalidValuesAreEPara) {
    CommSettings settings;
    HcclCommConfig config;
    HcclCommConfigInit(&config);
    config.hcclDeterministic = 3;
    EXPECT_EQ(resolveSettings(&config, &settings), HCCL_E_PARA);
    HcclCommConfigInit(&config);
    config.hcclExecTimeOut = -5;
    EXPECT_EQ(resolveSettings(&config, &settings), HCCL_E_PARA);
    HcclCommConfigInit(&config);
    std::memset(config.hcclCommName, 'n', sizeof(config.hcclCommName));  // no terminator
    EXPECT_EQ(resolveSettings(&config, &settings), HCCL_E_PARA);
    HcclCommConfigInit(&config);
    config.hcclExecTimeOut = 0;  // 0 is "never", valid
    EXPECT_EQ(resolveSettings(&config, &settings), HCCL_SUCCESS);
    EXPECT_EQ(settings.execTimeoutS, 0);
}

TEST(Config, AlgoComesFromTheConfigOverTheEnvironment) {
    setenv("HCCL_ALGO", "level0:NA;level1:ring", 1);
    HcclCommConfig config;
    HcclCommConfigInit(&config);
    CommSettings settings;
    EXPECT_EQ(resolveSettings(&config, &settings), HCCL_SUCCESS);
    EXPECT_EQ(settings.algo, "level0:NA;level1:ring");
    std::strcpy(config.hcclAlgo, "level0:NA;level1:NHR");
    EXPECT_EQ(resolveSettings(&config, &settings), HCCL_SUCCESS);
    unsetenv("HCCL_ALGO");
    EXPECT_EQ(settings.algo, "level0:NA;level1:NHR");
}

TEST(Config, CapabilityIsReservedMeaningEverythingBeforeIt) {
    EXPECT_EQ(HcclGetCommConfigCapability(), static_cast<uint32_t>(HCCL_COMM_CONFIG_RESERVED));
}

// ---- HcclSetConfig / HcclGetConfig ----------------------------------------------------------

TEST(ProcessConfig, DeterministicComesFromTheEnvironmentUntilSet) {
    forgetProcessDeterministic();
    HcclConfigValue value{};
    setenv("HCCL_DETERMINISTIC", "strict", 1);
    EXPECT_EQ(HcclGetConfig(HCCL_DETERMINISTIC, &value), HCCL_SUCCESS);
    EXPECT_EQ(value.value, 2);
    setenv("HCCL_DETERMINISTIC", "TRUE", 1);
    EXPECT_EQ(HcclGetConfig(HCCL_DETERMINISTIC, &value), HCCL_SUCCESS);
    EXPECT_EQ(value.value, 1);
    unsetenv("HCCL_DETERMINISTIC");

    HcclConfigValue set{};
    set.value = 1;
    EXPECT_EQ(HcclSetConfig(HCCL_DETERMINISTIC, set), HCCL_SUCCESS);
    EXPECT_EQ(HcclGetConfig(HCCL_DETERMINISTIC, &value), HCCL_SUCCESS);
    EXPECT_EQ(value.value, 1);
    CommSettings settings;
    EXPECT_EQ(resolveSettings(nullptr, &settings), HCCL_SUCCESS);
    EXPECT_EQ(settings.deterministic, 1u);
    setenv("HCCL_DETERMINISTIC", "strict", 1);  // a set value wins over the environment
    EXPECT_EQ(HcclGetConfig(HCCL_DETERMINISTIC, &value), HCCL_SUCCESS);
    EXPECT_EQ(value.value, 1);
    unsetenv("HCCL_DETERMINISTIC");
    forgetProcessDeterministic();
}

TEST(ProcessConfig, OnlyDeterministicWithValues0To2IsAccepted) {
    HcclConfigValue value{};
    value.value = 3;
    EXPECT_EQ(HcclSetConfig(HCCL_DETERMINISTIC, value), HCCL_E_PARA);
    value.value = -1;
    EXPECT_EQ(HcclSetConfig(HCCL_DETERMINISTIC, value), HCCL_E_PARA);
    value.value = 1;
    EXPECT_EQ(HcclSetConfig(HCCL_CONFIG_RESERVED, value), HCCL_E_NOT_SUPPORT);
    EXPECT_EQ(HcclGetConfig(HCCL_CONFIG_RESERVED, &value), HCCL_E_NOT_SUPPORT);
}

// ---- root info ------------------------------------------------------------------------------

TEST(RootInfoBlob, RoundTripsAddressSecretAndId) {
    RootInfo info;
    info.address = *SocketAddress::parse("::1", 60123);
    for (size_t i = 0; i < info.secret.size(); ++i)
        info.secret[i] = static_cast<uint8_t>(i * 7);
    info.uniqueId = "some_id";
    HcclRootInfo blob;
    encodeRootInfo(info, &blob);
    RootInfo decoded;
    ASSERT_EQ(decodeRootInfo(&blob, &decoded), HCCL_SUCCESS);
    EXPECT_TRUE(decoded.address == info.address);
    EXPECT_EQ(decoded.secret, info.secret);
    EXPECT_EQ(decoded.uniqueId, "some_id");
}

TEST(RootInfoBlob, EachRootInfoHasItsOwnSecretAndPort) {
    HcclRootInfo a = makeRootInfo(), b = makeRootInfo();
    RootInfo da, db;
    ASSERT_EQ(decodeRootInfo(&a, &da), HCCL_SUCCESS);
    ASSERT_EQ(decodeRootInfo(&b, &db), HCCL_SUCCESS);
    EXPECT_NE(da.secret, db.secret);
    EXPECT_NE(da.address.port, db.address.port);
    EXPECT_NE(da.uniqueId, db.uniqueId);
}

}  // namespace
}  // namespace hcclcpu::framework::test
