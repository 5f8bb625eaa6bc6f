// hcclcpu::LinkSet (hccl_cpu_links.h): arguments, buffers, the topology and HCCL_CPU_LINK_TYPE,
// RunRanks, and creating and destroying without leaks.
#include <gtest/gtest.h>

#include <dirent.h>

#include <atomic>

#include "local_notify.h"
#include "open_fds.h"
#include "transport_test_util.h"

namespace hcclcpu::platform::test {
namespace {

using hccl::LinkType;

TEST(LinkSetCreate, RejectsBadArgumentsAndLeavesTheOutputUnchanged) {
    auto *sentinel = reinterpret_cast<LinkSet *>(0x1234);
    LinkSet *links = sentinel;
    EXPECT_EQ(LinkSet::Create(0, 4096, links), HCCL_E_PARA);
    EXPECT_EQ(LinkSet::Create(rt::deviceCount() + 1, 4096, links), HCCL_E_PARA);
    EXPECT_EQ(LinkSet::Create(2, 0, links), HCCL_E_PARA);
    LinkSetOptions options;
    options.notifyNum = 65;
    EXPECT_EQ(LinkSet::Create(2, 4096, options, links), HCCL_E_PARA);
    EXPECT_EQ(links, sentinel);
    EXPECT_EQ(LinkSet::Destroy(nullptr), HCCL_SUCCESS);
}

TEST(LinkSetCreate, EachRankGetsZeroedBuffersOnItsOwnDeviceAndAFullMesh) {
    constexpr u32 n = 4;
    constexpr u64 kBytes = 12345;
    LinkSetFixture set;
    set.create(n, kBytes);
    LinkSet &links = set.links();
    EXPECT_EQ(links.RankSize(), n);
    EXPECT_EQ(links.BufferBytes(), kBytes);
    for (u32 r = 0; r < n; ++r) {
        EXPECT_EQ(links.Device(r), static_cast<s32>(r));
        EXPECT_NE(links.Dispatcher(r), nullptr);
        for (const hccl::DeviceMem &mem : {links.Input(r), links.Output(r)}) {
            ASSERT_TRUE(mem);
            EXPECT_EQ(mem.size(), kBytes);
            EXPECT_FALSE(mem.owner());
            rt::MemInfo info = rt::memoryInfo(mem.ptr(), kBytes);
            EXPECT_EQ(info.location, rt::MemLocation::kDevice);
            EXPECT_EQ(info.device, static_cast<s32>(r));
            const u8 *bytes = static_cast<const u8 *>(mem.ptr());
            for (u64 i = 0; i < kBytes; ++i)
                ASSERT_EQ(bytes[i], 0) << "rank " << r << " byte " << i;
        }
        EXPECT_NE(links.Input(r).ptr(), links.Output(r).ptr());
        std::vector<hccl::LINK> mine = links.Links(r);
        ASSERT_EQ(mine.size(), n);
        for (u32 p = 0; p < n; ++p) {
            if (p == r) {
                EXPECT_EQ(mine[p], nullptr);
                continue;
            }
            ASSERT_NE(mine[p], nullptr);
            EXPECT_EQ(mine[p]->GetRemoteRank(), p);
        }
    }
}

TEST(LinkSetCreate, RankOutOfRangeGivesEmptyResults) {
    LinkSetFixture set;
    set.create(2, 4096);
    LinkSet &links = set.links();
    EXPECT_FALSE(links.Input(2));
    EXPECT_FALSE(links.Output(7));
    EXPECT_TRUE(links.Links(2).empty());
    EXPECT_EQ(links.Dispatcher(2), nullptr);
    EXPECT_EQ(links.Device(2), -1);
}

// ---- topology ----------------------------------------------------------------------------------

TEST(LinkSetTopology, SioWithinAChipHccsWithinAHalfPcieAcrossHalvesHccsSwAcrossServers) {
    struct Pair {
        s32 a, b;
        LinkType type;
    };
    const Pair pairs[] = {
        {0, 1, LinkType::LINK_SIO},     {2, 3, LinkType::LINK_SIO},
        {4, 5, LinkType::LINK_SIO},     {6, 7, LinkType::LINK_SIO},
        {1, 2, LinkType::LINK_HCCS},    {0, 3, LinkType::LINK_HCCS},
        {4, 7, LinkType::LINK_HCCS},    {5, 6, LinkType::LINK_HCCS},
        {3, 4, LinkType::LINK_PCIE},    {0, 7, LinkType::LINK_PCIE},
        {1, 5, LinkType::LINK_PCIE},    {0, 8, LinkType::LINK_HCCS_SW},
        {7, 8, LinkType::LINK_HCCS_SW}, {8, 9, LinkType::LINK_SIO},
        {9, 10, LinkType::LINK_HCCS},   {11, 12, LinkType::LINK_PCIE},
        {3, 3, LinkType::LINK_ONCHIP},  {-1, 0, LinkType::LINK_RESERVED},
    };
    for (const Pair &pair : pairs) {
        EXPECT_EQ(LinkSet::TopologyLinkType(pair.a, pair.b), pair.type) << pair.a << "-" << pair.b;
        EXPECT_EQ(LinkSet::TopologyLinkType(pair.b, pair.a), pair.type) << pair.b << "-" << pair.a;
    }
}

TEST(LinkSetTopology, LinksFollowTheTopologyWhenNothingIsForced) {
    ScopedEnv unset("HCCL_CPU_LINK_TYPE", nullptr);
    constexpr u32 n = 8;
    LinkSetFixture set;
    set.create(n, 4096);
    for (u32 r = 0; r < n; ++r) {
        std::vector<hccl::LINK> mine = set.links().Links(r);
        for (u32 p = 0; p < n; ++p) {
            if (p == r) continue;
            EXPECT_EQ(mine[p]->GetLinkType(), LinkSet::TopologyLinkType(r, p)) << r << "-" << p;
            EXPECT_TRUE(mine[p]->IsSpInlineReduce());
        }
    }
}

class ForcedLinkType : public ::testing::TestWithParam<std::pair<const char *, LinkType>> {};

// Every link gets the forced type, and so does every copy it reports.
TEST_P(ForcedLinkType, EnvironmentForcesEveryLinkAndItsReports) {
    LinkSetFixture set;
    {
        ScopedEnv forced("HCCL_CPU_LINK_TYPE", GetParam().first);
        set.create(4, 4096);
    }
    LinkSet &links = set.links();
    for (u32 r = 0; r < 4; ++r)
        for (u32 p = 0; p < 4; ++p)
            if (p != r) {
                EXPECT_EQ(links.Links(r)[p]->GetLinkType(), GetParam().second);
            }
    ASSERT_EQ(links.RunRanks([&](u32 rank, hccl::Stream &stream) {
        const u32 peer = rank ^ 1;
        hccl::LINK link = links.Links(rank)[peer];
        CHK_RET(link->TxAck(stream));
        CHK_RET(link->RxAck(stream));
        CHK_RET(link->TxAsync(hccl::UserMemType::OUTPUT_MEM, 0, nullptr, 0, stream));
        return link->RxAsync(hccl::UserMemType::OUTPUT_MEM, 0, links.Input(rank).ptr(), 64, stream);
    }),
              HCCL_SUCCESS);
    for (u32 r = 0; r < 4; ++r) {
        u32 copies = 0;
        for (const hccl::TaskPara &report : set.reports(r)) {
            if (report.type != hccl::TaskType::TASK_SDMA) continue;
            ++copies;
            EXPECT_EQ(report.dma.linkType, GetParam().second);
            EXPECT_EQ(report.dma.remoteUserRank, r ^ 1);
        }
        EXPECT_EQ(copies, 1u);
    }
}

INSTANTIATE_TEST_SUITE_P(
    Types, ForcedLinkType,
    ::testing::Values(std::make_pair("HCCS", LinkType::LINK_HCCS),
                      std::make_pair("HCCS_SW", LinkType::LINK_HCCS_SW),
                      std::make_pair("SIO", LinkType::LINK_SIO),
                      std::make_pair("PCIE", LinkType::LINK_PCIE),
                      std::make_pair("pcie", LinkType::LINK_PCIE)),
    [](const ::testing::TestParamInfo<std::pair<const char *, LinkType>> &info) {
        return std::string(info.param.first == std::string("pcie") ? "LowerCasePcie"
                                                                   : info.param.first);
    });

TEST(LinkSetTopology, UnknownForcedTypeIsIgnored) {
    LinkSetFixture set;
    {
        ScopedEnv forced("HCCL_CPU_LINK_TYPE", "ROCE");
        set.create(4, 4096);
    }
    EXPECT_EQ(set.links().Links(0)[1]->GetLinkType(), LinkType::LINK_SIO);
    EXPECT_EQ(set.links().Links(0)[2]->GetLinkType(), LinkType::LINK_HCCS);
}

// ---- RunRanks ----------------------------------------------------------------------------------

TEST(LinkSetRunRanks, EachRankRunsOnItsOwnThreadWithItsDeviceAndAStream) {
    constexpr u32 n = 4;
    LinkSetFixture set;
    set.create(n, 4096);
    std::vector<s32> devices(n, -1);
    std::vector<char> streams(n, 0);  // not vector<bool>: rank threads write neighbouring elements
    ASSERT_EQ(set.links().RunRanks([&](u32 rank, hccl::Stream &stream) {
        int32_t device = -1;
        if (rt::currentDevice(&device) != rt::Err::kOk) return HCCL_E_RUNTIME;
        devices[rank] = device;
        streams[rank] = stream.ptr() != nullptr && stream.IsMainStream() &&
                        rt::streamDevice(static_cast<rt::Stream *>(stream.ptr())) == device;
        return HCCL_SUCCESS;
    }),
              HCCL_SUCCESS);
    for (u32 r = 0; r < n; ++r) {
        EXPECT_EQ(devices[r], static_cast<s32>(r));
        EXPECT_TRUE(streams[r]) << "rank " << r;
    }
}

TEST(LinkSetRunRanks, ReturnsTheLowestFailingRanksErrorAndRejectsAnEmptyBody) {
    LinkSetFixture set;
    set.create(4, 4096);
    EXPECT_EQ(set.links().RunRanks([](u32 rank, hccl::Stream &) {
        if (rank == 1) return HCCL_E_PARA;
        if (rank == 3) return HCCL_E_NOT_FOUND;
        return HCCL_SUCCESS;
    }),
              HCCL_E_PARA);
    EXPECT_EQ(set.links().RunRanks(nullptr), HCCL_E_PTR);
}

// ---- no leaks ----------------------------------------------------------------------------------

// Device memory is memfd-backed, so a leaked buffer is a leaked fd (and device memory in use); a
// leaked notify keeps its slot, so later notifies would sit ever further into the notify area.
TEST(LinkSetLifeCycle, CreateAndDestroyHundredTimesLeaksNoFdMemoryOrNotify) {
    constexpr u32 n = 8;
    constexpr u64 kBytes = 64 << 10;
    ASSERT_EQ(rt::setDevice(0), rt::Err::kOk);
    auto once = [] {
        LinkSet *links = nullptr;
        ASSERT_EQ(LinkSet::Create(n, kBytes, links), HCCL_SUCCESS);
        ASSERT_EQ(LinkSet::Destroy(links), HCCL_SUCCESS);
    };
    once();  // the runtime's lazily created per-device state
    const int fdsBefore = openFdCount();
    size_t freeBefore = 0, total = 0;
    ASSERT_EQ(rt::deviceMemoryInfo(&freeBefore, &total), rt::Err::kOk);
    for (int i = 0; i < 100; ++i)
        once();
    EXPECT_LE(openFdCount(), fdsBefore);
    size_t freeAfter = 0;
    ASSERT_EQ(rt::deviceMemoryInfo(&freeAfter, &total), rt::Err::kOk);
    EXPECT_EQ(freeAfter, freeBefore);
    // Notifies are slots of one process-wide pool that reuses freed slots first. One set has
    // 8 x 7 links x (2 + 4) notifies; had the sets leaked theirs, a new notify would sit behind
    // 100 such sets.
    constexpr u64 kNotifiesPerSet = n * (n - 1) * (2 + 4);
    hccl::LocalNotify probe;
    ASSERT_EQ(probe.Init(), HCCL_SUCCESS);
    u64 offset = 0;
    ASSERT_EQ(probe.GetNotifyOffset(offset), HCCL_SUCCESS);
    EXPECT_LT(offset, 2 * kNotifiesPerSet * 64);
    ASSERT_EQ(probe.Destroy(), HCCL_SUCCESS);
    EXPECT_EQ(rt::resetDevice(0), rt::Err::kOk);
}

}  // namespace
}  // namespace hcclcpu::platform::test
