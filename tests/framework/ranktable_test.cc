// Rank-table files (spec/public_api.md §4) and HcclCommInitClusterInfo[Config]: rank 0 serves the
// rendezvous on its server's host_ip (or loopback) at HCCL_IF_BASE_PORT; the file's hash is the
// secret. HCCL_CONNECT_TIMEOUT is 30 s in this binary (a loaded machine must not fail a joining
// test) and 3 s in the one test that must time out.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "framework/rank_table.h"
#include "framework_test_util.h"

namespace hcclcpu::framework::test {
namespace {

class RankTableEnvironment : public ::testing::Environment {
  public:
    void SetUp() override { setenv("HCCL_CONNECT_TIMEOUT", "30", 1); }
};
::testing::Environment *const kRankTableEnvironment =
    ::testing::AddGlobalTestEnvironment(new RankTableEnvironment);

// Two servers of two devices each, ranks 0,1 on the first and 2,3 on the second.
const char *kGoodTable = R"({
  "status": "completed", "version": "1.0", "server_count": "2",
  "server_list": [
    {"server_id": "node_0", "host_ip": "127.0.0.1", "device": [
      {"device_id": "0", "device_ip": "192.168.1.8", "rank_id": "0"},
      {"device_id": "1", "device_ip": "192.168.1.9", "rank_id": "1"}]},
    {"server_id": "node_1", "host_ip": "127.0.0.1", "device": [
      {"device_id": "2", "rank_id": "2", "device_port": "16666"},
      {"device_id": "3", "rank_id": "3"}]}
  ]})";

// kGoodTable with `from` replaced by `to` (once).
std::string variant(const std::string &from, const std::string &to) {
    std::string text = kGoodTable;
    size_t at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) text.replace(at, from.size(), to);
    return text;
}

HcclResult parse(const std::string &text) {
    RankTable table;
    return parseRankTable(text, &table);
}

class TempFile {
  public:
    explicit TempFile(const std::string &text) {
        char name[] = "/tmp/hccl_rank_table_XXXXXX";
        int fd = mkstemp(name);
        EXPECT_GE(fd, 0);
        path_ = name;
        EXPECT_EQ(::write(fd, text.data(), text.size()), static_cast<ssize_t>(text.size()));
        ::close(fd);
    }
    ~TempFile() { ::unlink(path_.c_str()); }
    const char *path() const { return path_.c_str(); }

  private:
    std::string path_;
};

// A base port for this test's rendezvous, apart from parallel runs and below the kernel's
// ephemeral range (32768 and up), where every communicator's own sockets get their ports.
void useFreshBasePort() {
    static int next = 0;
    int port = 20000 + (getpid() % 190) * 64 + (next++ % 64);
    setenv("HCCL_IF_BASE_PORT", std::to_string(port).c_str(), 1);
}

// ---- parsing --------------------------------------------------------------------------------

TEST(RankTableParse, AVersion10TableGivesRanksInOrder) {
    RankTable table;
    ASSERT_EQ(parseRankTable(kGoodTable, &table), HCCL_SUCCESS);
    EXPECT_EQ(table.version, "1.0");
    ASSERT_EQ(table.ranks.size(), 4u);
    for (uint32_t r = 0; r < 4; ++r) {
        EXPECT_EQ(table.ranks[r].rankId, r);
        EXPECT_EQ(table.ranks[r].deviceId, r);
        EXPECT_EQ(table.ranks[r].serverIndex, r / 2);
        EXPECT_EQ(table.ranks[r].hostIp, "127.0.0.1");
    }
    EXPECT_EQ(table.ranks[0].serverId, "node_0");
    EXPECT_EQ(table.ranks[1].deviceIp, "192.168.1.9");
}

TEST(RankTableParse, RankIdsMayBeListedOutOfOrderWithinAServer) {
    // node_0 lists rank 1 before rank 0.
    std::string swapped = variant(R"("rank_id": "0")", R"("rank_id": "X")");
    swapped.replace(swapped.find(R"("rank_id": "1")"), 14, R"("rank_id": "0")");
    swapped.replace(swapped.find(R"("rank_id": "X")"), 14, R"("rank_id": "1")");
    RankTable table;
    ASSERT_EQ(parseRankTable(swapped, &table), HCCL_SUCCESS);
    EXPECT_EQ(table.ranks[0].deviceId, 1u);
    EXPECT_EQ(table.ranks[1].deviceId, 0u);
}

TEST(RankTableParse, Version12WithoutServerCountIsAccepted) {
    std::string text = variant(R"("version": "1.0", "server_count": "2",)", R"("version": "1.2",)");
    EXPECT_EQ(parse(text), HCCL_SUCCESS);
}

TEST(RankTableParse, NotJsonIsEPara) {
    EXPECT_EQ(parse("{\"status\": "), HCCL_E_PARA);
    EXPECT_EQ(parse(""), HCCL_E_PARA);
    EXPECT_EQ(parse("[]"), HCCL_E_PARA);
    // Comments, as in vendor samples, are not JSON.
    EXPECT_EQ(parse(std::string("// rank table\n") + kGoodTable), HCCL_E_PARA);
}

TEST(RankTableParse, StatusMustBeCompleted) {
    EXPECT_EQ(parse(variant(R"("status": "completed")", R"("status": "initializing")")),
              HCCL_E_PARA);
    EXPECT_EQ(parse(variant(R"("status": "completed", )", "")), HCCL_E_PARA);
}

TEST(RankTableParse, NumbersMustBeStrings) {
    EXPECT_EQ(parse(variant(R"("rank_id": "3")", R"("rank_id": 3)")), HCCL_E_PARA);
    EXPECT_EQ(parse(variant(R"("device_id": "3")", R"("device_id": 3)")), HCCL_E_PARA);
    EXPECT_EQ(parse(variant(R"("server_count": "2")", R"("server_count": 2)")), HCCL_E_PARA);
    EXPECT_EQ(parse(variant(R"("rank_id": "3")", R"("rank_id": "three")")), HCCL_E_PARA);
    EXPECT_EQ(parse(variant(R"("rank_id": "3")", R"("rank_id": "-3")")), HCCL_E_PARA);
    EXPECT_EQ(parse(variant(R"("rank_id": "3")", R"("rank_id": "")")), HCCL_E_PARA);
    EXPECT_EQ(parse(variant(R"("device_port": "16666")", R"("device_port": "0")")), HCCL_E_PARA);
}

TEST(RankTableParse, UnsupportedVersionsAreRejected) {
    EXPECT_EQ(parse(variant(R"("version": "1.0")", R"("version": "2.0")")), HCCL_E_PARA);
    EXPECT_EQ(parse(R"({"status": "completed", "group_count": "1", "group_list": []})"),
              HCCL_E_NOT_SUPPORT);
}

TEST(RankTableParse, ServerCountMustMatchTheServerList) {
    EXPECT_EQ(parse(variant(R"("server_count": "2")", R"("server_count": "3")")), HCCL_E_PARA);
    EXPECT_EQ(parse(variant(R"("server_count": "2",)", "")), HCCL_E_PARA);  // required in 1.0
}

TEST(RankTableParse, RankIdsMustBeUniqueAndContiguous) {
    EXPECT_EQ(parse(variant(R"("rank_id": "3")", R"("rank_id": "2")")), HCCL_E_PARA);
    EXPECT_EQ(parse(variant(R"("rank_id": "3")", R"("rank_id": "4")")), HCCL_E_PARA);
}

TEST(RankTableParse, RankIdsOfAServerMustBeOneRun) {
    // node_0 holds {0, 2} and node_1 {1, 3}: interleaved.
    std::string text = variant(R"("rank_id": "1")", R"("rank_id": "X")");
    text.replace(text.find(R"("rank_id": "2")"), 14, R"("rank_id": "1")");
    text.replace(text.find(R"("rank_id": "X")"), 14, R"("rank_id": "2")");
    EXPECT_EQ(parse(text), HCCL_E_PARA);
}

TEST(RankTableParse, DevicesAndServersMustBeUnique) {
    EXPECT_EQ(parse(variant(R"("device_id": "1")", R"("device_id": "0")")), HCCL_E_PARA);
    EXPECT_EQ(parse(variant(R"("server_id": "node_1")", R"("server_id": "node_0")")), HCCL_E_PARA);
}

TEST(RankTableParse, ServersNeedAnIdAndDevices) {
    EXPECT_EQ(parse(variant(R"("server_id": "node_1", )", "")), HCCL_E_PARA);
    EXPECT_EQ(parse(R"({"status": "completed", "version": "1.0", "server_count": "1",
                        "server_list": [{"server_id": "a", "device": []}]})"),
              HCCL_E_PARA);
    EXPECT_EQ(parse(R"({"status": "completed", "version": "1.0", "server_count": "0",
                        "server_list": []})"),
              HCCL_E_PARA);
    EXPECT_EQ(parse(variant(R"("host_ip": "127.0.0.1")", R"("host_ip": "localhost")")),
              HCCL_E_PARA);
}

TEST(RankTableParse, TheDigestDependsOnEveryByte) {
    EXPECT_EQ(fnv1a128("abc"), fnv1a128("abc"));
    EXPECT_NE(fnv1a128("abc"), fnv1a128("abd"));
    EXPECT_NE(fnv1a128("abc"), fnv1a128("abc "));
}

// ---- files ----------------------------------------------------------------------------------

TEST(RankTableFile, AMissingFileIsOpenFileFailure) {
    HcclComm comm = nullptr;
    EXPECT_EQ(HcclCommInitClusterInfo("/nonexistent/rank_table.json", 0, &comm),
              HCCL_E_OPEN_FILE_FAILURE);
    EXPECT_EQ(HcclCommInitClusterInfo("/tmp", 0, &comm), HCCL_E_OPEN_FILE_FAILURE);
    EXPECT_EQ(comm, nullptr);
}

TEST(RankTableFile, AnOverlongPathOrAnEmptyFileIsEPara) {
    HcclComm comm = nullptr;
    std::string path(5000, 'a');
    EXPECT_EQ(HcclCommInitClusterInfo(path.c_str(), 0, &comm), HCCL_E_PARA);
    EXPECT_EQ(HcclCommInitClusterInfo("", 0, &comm), HCCL_E_PARA);
    TempFile empty("");
    EXPECT_EQ(HcclCommInitClusterInfo(empty.path(), 0, &comm), HCCL_E_PARA);
    TempFile bad(variant(R"("status": "completed")", R"("status": "initializing")"));
    EXPECT_EQ(HcclCommInitClusterInfo(bad.path(), 0, &comm), HCCL_E_PARA);
}

TEST(RankTableFile, ARankNotInTheTableIsEPara) {
    TempFile file(kGoodTable);
    HcclComm comm = nullptr;
    EXPECT_EQ(HcclCommInitClusterInfo(file.path(), 4, &comm), HCCL_E_PARA);
}

// ---- communicators from a rank table --------------------------------------------------------

TEST(ClusterInfo, FourRanksFromOneFileFormACommunicator) {
    useFreshBasePort();
    TempFile file(kGoodTable);
    std::vector<HcclResult> results(4, HCCL_E_RESERVED);
    std::vector<HcclComm> comms(4, nullptr);
    runRanks(4, [&](uint32_t rank) {
        results[rank] = HcclCommInitClusterInfo(file.path(), rank, &comms[rank]);
    });
    for (uint32_t rank = 0; rank < 4; ++rank) {
        ASSERT_EQ(results[rank], HCCL_SUCCESS) << "rank " << rank;
        uint32_t size = 0, id = 9;
        EXPECT_EQ(HcclGetRankSize(comms[rank], &size), HCCL_SUCCESS);
        EXPECT_EQ(HcclGetRankId(comms[rank], &id), HCCL_SUCCESS);
        EXPECT_EQ(size, 4u);
        EXPECT_EQ(id, rank);
        char name[COMM_NAME_MAX_LENGTH];
        EXPECT_EQ(HcclGetCommName(comms[rank], name), HCCL_SUCCESS);
        EXPECT_STREQ(name, "hccl_world_group");
    }
    // Initialising the same communicator again on a device that has it is an error.
    runRanks(1, [&](uint32_t) {
        HcclComm again = nullptr;
        EXPECT_EQ(HcclCommInitClusterInfo(file.path(), 0, &again), HCCL_E_PARA);
    });
    destroyAll(comms);
}

TEST(ClusterInfo, TablesWithoutHostIpRendezvousOnLoopback) {
    useFreshBasePort();
    TempFile file(R"({"status": "completed", "version": "1.0", "server_count": "1",
        "server_list": [{"server_id": "single", "device": [
          {"device_id": "0", "rank_id": "0"}, {"device_id": "1", "rank_id": "1"}]}]})");
    std::vector<HcclResult> results(2, HCCL_E_RESERVED);
    std::vector<HcclComm> comms(2, nullptr);
    runRanks(2, [&](uint32_t rank) {
        HcclCommConfig config;
        HcclCommConfigInit(&config);
        std::strcpy(config.hcclCommName, "from_table");
        config.hcclBufferSize = 8;
        results[rank] = HcclCommInitClusterInfoConfig(file.path(), rank, &config, &comms[rank]);
    });
    for (uint32_t rank = 0; rank < 2; ++rank) {
        ASSERT_EQ(results[rank], HCCL_SUCCESS) << "rank " << rank;
        char name[COMM_NAME_MAX_LENGTH];
        EXPECT_EQ(HcclGetCommName(comms[rank], name), HCCL_SUCCESS);
        EXPECT_STREQ(name, "from_table");
    }
    destroyAll(comms);
}

TEST(ClusterInfo, ARankReadingAnotherFileIsTurnedAwayAndTheOtherTimesOut) {
    useFreshBasePort();
    setenv("HCCL_CONNECT_TIMEOUT", "3", 1);
    std::vector<HcclResult> results(2, HCCL_E_RESERVED);
    std::vector<HcclComm> comms(2, nullptr);
    std::string two = R"({"status": "completed", "version": "1.0", "server_count": "1",
        "server_list": [{"server_id": "s", "host_ip": "127.0.0.1", "device": [
          {"device_id": "0", "rank_id": "0"}, {"device_id": "1", "rank_id": "1"}]}]})";
    TempFile a(two), b(two + " ");
    runRanks(2, [&](uint32_t rank) {
        if (rank == 1) std::this_thread::sleep_for(std::chrono::milliseconds(200));
        results[rank] =
            HcclCommInitClusterInfo(rank == 0 ? a.path() : b.path(), rank, &comms[rank]);
    });
    EXPECT_EQ(results[1], HCCL_E_PARA);  // wrong secret
    setenv("HCCL_CONNECT_TIMEOUT", "30", 1);
    EXPECT_EQ(results[0], HCCL_E_TIMEOUT);  // rank 1 never joined
    EXPECT_EQ(comms[0], nullptr);
    EXPECT_EQ(comms[1], nullptr);
}

}  // namespace
}  // namespace hcclcpu::framework::test
