// Links between ranks that are separate processes (LinkSet::CreateForProcess): ring all-gather
// and direct-read mesh all-reduce with data checks over 2, 4 and 8 processes, user notifies,
// write mode, a rank killed mid-operation, a wait nobody records, and ranks that never show up.
// Each rank is this binary re-executed (process_ranks_util.h); the scenarios below run in the
// children, the tests in the parent check their exit codes and what they printed.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "dispatcher.h"
#include "hccl_cpu_links.h"
#include "log.h"
#include "mem_device_pub.h"
#include "process_ranks_util.h"
#include "runtime/runtime.h"
#include "stream_pub.h"
#include "transport_pub.h"
#include "transport_test_util.h"

namespace hcclcpu::platform::test {
namespace {

using hccl::LINK;
using hccl::UserMemType;

// ================================================================================================
// The rank side: runs in a child process.
// ================================================================================================

struct Rank {
    std::string scenario;
    u32 size = 0;
    u32 rank = 0;
    std::string jobId;
};

// A line for the parent on stdout (unbuffered: the parent may act on it while we wait).
void say(const char *format, ...) {
    char line[512];
    va_list args;
    va_start(args, format);
    int n = vsnprintf(line, sizeof(line) - 1, format, args);
    va_end(args);
    if (n < 0) return;
    n = std::min<int>(n, sizeof(line) - 2);
    line[n] = '\n';
    (void)!write(STDOUT_FILENO, line, static_cast<size_t>(n) + 1);
}

#define RANK_CHECK(cond, ...)                                                            \
    do {                                                                                 \
        if (!(cond)) {                                                                   \
            std::fprintf(stderr, "rank check failed at line %d: %s: ", __LINE__, #cond); \
            std::fprintf(stderr, __VA_ARGS__);                                           \
            std::fprintf(stderr, "\n");                                                  \
            return 1;                                                                    \
        }                                                                                \
    } while (0)

u8 pattern(u32 round, u32 rank, u64 i) {
    return static_cast<u8>(round * 31 + rank * 7 + i * 13 + (i >> 8));
}

HcclResult meshBarrier(const std::vector<LINK> &links, u32 me, hccl::Stream &stream) {
    for (u32 p = 0; p < links.size(); ++p)
        if (p != me) CHK_RET(links[p]->TxAck(stream));
    for (u32 p = 0; p < links.size(); ++p)
        if (p != me) CHK_RET(links[p]->RxAck(stream));
    for (u32 p = 0; p < links.size(); ++p)
        if (p != me) CHK_RET(links[p]->TxDataSignal(stream));
    for (u32 p = 0; p < links.size(); ++p)
        if (p != me) CHK_RET(links[p]->RxDataSignal(stream));
    return HCCL_SUCCESS;
}

// §5.3 ring step as a whole all-gather: slice r starts in rank r's OUTPUT at r * slice; step s
// moves slice (r - s) to the right neighbour. Read mode: TxAsync only signals, the receiver pulls
// from its left neighbour's OUTPUT. Write mode: the sender writes into its right neighbour's
// OUTPUT, the receiver only waits. Three rounds with different data reuse the links.
int ringAllGather(const Rank &me, bool writeMode) {
    constexpr u64 kSlice = 100003;  // odd: offsets must be right to the byte
    ProcessLinkOptions options;
    options.link.linkAttribute = writeMode ? kLinkAttributeWrite : kLinkAttributeDefault;
    LinkSet *links = nullptr;
    RANK_CHECK(LinkSet::CreateForProcess(me.size, me.rank, me.jobId, me.size * kSlice, options,
                                         links) == HCCL_SUCCESS,
               "create");
    const u32 n = me.size, r = me.rank;
    RANK_CHECK(links->LocalRank() == r, "local rank %u", links->LocalRank());
    u8 *out = static_cast<u8 *>(links->Output(r).ptr());
    for (u32 round = 0; round < 3; ++round) {
        for (u64 i = 0; i < kSlice; ++i)
            out[r * kSlice + i] = pattern(round, r, i);
        HcclResult ret = links->RunRanks([&](u32 rank, hccl::Stream &stream) {
            std::vector<LINK> mine = links->Links(rank);
            const LINK &left = mine[(rank + n - 1) % n];
            const LINK &right = mine[(rank + 1) % n];
            for (u32 step = 0; step + 1 < n; ++step) {
                const u64 tx = (rank + n - step) % n, rx = (rank + 2 * n - step - 1) % n;
                CHK_RET(left->TxAck(stream));
                CHK_RET(right->RxAck(stream));
                CHK_RET(right->TxAsync(UserMemType::OUTPUT_MEM, tx * kSlice, out + tx * kSlice,
                                       kSlice, stream));
                CHK_RET(left->RxAsync(UserMemType::OUTPUT_MEM, rx * kSlice, out + rx * kSlice,
                                      kSlice, stream));
            }
            // ExecuteBarrier: nobody rewrites its buffer while a neighbour may still use it.
            CHK_RET(left->TxAck(stream));
            CHK_RET(right->RxAck(stream));
            CHK_RET(right->TxDataSignal(stream));
            return left->RxDataSignal(stream);
        });
        RANK_CHECK(ret == HCCL_SUCCESS, "round %u returned %d", round, ret);
        for (u32 slice = 0; slice < n; ++slice)
            for (u64 i = 0; i < kSlice; ++i)
                RANK_CHECK(out[slice * kSlice + i] == pattern(round, slice, i),
                           "round %u slice %u byte %lu: %u", round, slice,
                           static_cast<unsigned long>(i), out[slice * kSlice + i]);
    }
    u32 dead = 0;
    RANK_CHECK(links->AsyncError(&dead) == HCCL_SUCCESS, "async error, peer %u", dead);
    LinkSet::Destroy(links);
    return 0;
}

int32_t meshValue(u32 rank, u64 i) {
    return static_cast<int32_t>((rank + 1) * 1000003 + static_cast<int64_t>(i % 977) * (rank + 3));
}

// Direct-read mesh one-shot all-reduce: mutual readiness, then every rank reduces every peer's
// INPUT into its own OUTPUT, reading the peer's memory (inline reduce), then mutual "done
// reading".
int meshAllReduce(const Rank &me) {
    constexpr u64 kCount = 50021;
    LinkSet *links = nullptr;
    RANK_CHECK(LinkSet::CreateForProcess(me.size, me.rank, me.jobId, kCount * sizeof(int32_t),
                                         links) == HCCL_SUCCESS,
               "create");
    const u32 r = me.rank;
    auto *in = static_cast<int32_t *>(links->Input(r).ptr());
    auto *out = static_cast<int32_t *>(links->Output(r).ptr());
    for (u64 i = 0; i < kCount; ++i)
        in[i] = meshValue(r, i);
    HcclResult ret = links->RunRanks([&](u32 rank, hccl::Stream &stream) {
        HcclDispatcher dispatcher = links->Dispatcher(rank);
        std::vector<LINK> mine = links->Links(rank);
        for (u32 p = 0; p < me.size; ++p)
            if (p != rank) CHK_RET(mine[p]->TxAck(stream));
        for (u32 p = 0; p < me.size; ++p)
            if (p != rank) CHK_RET(mine[p]->RxAck(stream));
        hccl::DeviceMem dst = links->Output(rank);
        CHK_RET(HcclD2DMemcpyAsync(dispatcher, dst, links->Input(rank), stream));
        for (u32 p = 0; p < me.size; ++p) {
            if (p == rank) continue;
            void *remote = nullptr;
            CHK_RET(mine[p]->GetRemoteMem(UserMemType::INPUT_MEM, &remote));
            CHK_RET(HcclReduceAsync(dispatcher, remote, kCount, HCCL_DATA_TYPE_INT32,
                                    HCCL_REDUCE_SUM, stream, dst.ptr(), p, mine[p]->GetLinkType(),
                                    INLINE_REDUCE_BIT));
        }
        for (u32 p = 0; p < me.size; ++p)
            if (p != rank) CHK_RET(mine[p]->TxDataSignal(stream));
        for (u32 p = 0; p < me.size; ++p)
            if (p != rank) CHK_RET(mine[p]->RxDataSignal(stream));
        return HCCL_SUCCESS;
    });
    RANK_CHECK(ret == HCCL_SUCCESS, "mesh returned %d", ret);
    for (u64 i = 0; i < kCount; ++i) {
        int64_t sum = 0;
        for (u32 p = 0; p < me.size; ++p)
            sum += meshValue(p, i);
        RANK_CHECK(out[i] == static_cast<int32_t>(sum), "element %lu: %d, expected %ld",
                   static_cast<unsigned long>(i), out[i], static_cast<long>(sum));
    }
    LinkSet::Destroy(links);
    return 0;
}

// User notifies: for each index k, every rank publishes slot k of its OUTPUT, Posts k to every
// peer, Waits k from every peer, and then reads the peers' slot k.
int userNotifies(const Rank &me) {
    constexpr u32 kNotifies = 4;
    constexpr u64 kSlot = 4099;
    const u32 n = me.size, r = me.rank;
    ProcessLinkOptions options;
    options.link.notifyNum = kNotifies;
    LinkSet *links = nullptr;
    RANK_CHECK(LinkSet::CreateForProcess(n, r, me.jobId, kNotifies * kSlot, options, links) ==
                   HCCL_SUCCESS,
               "create");
    u8 *in = static_cast<u8 *>(links->Input(r).ptr());
    for (u32 k = 0; k < kNotifies; ++k)
        for (u64 i = 0; i < kSlot; ++i)
            in[k * kSlot + i] = pattern(k, r, i);
    void *gathered = nullptr;
    RANK_CHECK(rt::setDevice(links->Device(r)) == rt::Err::kOk, "set device");
    RANK_CHECK(rt::deviceMalloc(n * kNotifies * kSlot, &gathered) == rt::Err::kOk, "malloc");
    auto *got = static_cast<u8 *>(gathered);
    HcclResult ret = links->RunRanks([&](u32 rank, hccl::Stream &stream) {
        HcclDispatcher dispatcher = links->Dispatcher(rank);
        std::vector<LINK> mine = links->Links(rank);
        u8 *out = static_cast<u8 *>(links->Output(rank).ptr());
        for (u32 p = 0; p < n; ++p) {
            if (p == rank) continue;
            if (mine[p]->Post(kNotifies, stream) != HCCL_E_INTERNAL) return HCCL_E_INTERNAL;
            if (mine[p]->Wait(kNotifies, stream) != HCCL_E_INTERNAL) return HCCL_E_INTERNAL;
        }
        for (u32 k = 0; k < kNotifies; ++k) {
            CHK_RET(HcclMemcpyAsync(dispatcher, out + k * kSlot, kSlot, in + k * kSlot, kSlot,
                                    HcclRtMemcpyKind::HCCL_RT_MEMCPY_KIND_DEVICE_TO_DEVICE, stream,
                                    INVALID_VALUE_RANKID, hccl::LinkType::LINK_ONCHIP));
            for (u32 p = 0; p < n; ++p)
                if (p != rank) CHK_RET(mine[p]->Post(k, stream));
            for (u32 p = 0; p < n; ++p) {
                if (p == rank) continue;
                CHK_RET(mine[p]->Wait(k, stream));
                void *remote = nullptr;
                CHK_RET(mine[p]->GetRemoteMem(UserMemType::OUTPUT_MEM, &remote));
                CHK_RET(HcclMemcpyAsync(dispatcher, got + (p * kNotifies + k) * kSlot, kSlot,
                                        static_cast<u8 *>(remote) + k * kSlot, kSlot,
                                        HcclRtMemcpyKind::HCCL_RT_MEMCPY_KIND_DEVICE_TO_DEVICE,
                                        stream, p, mine[p]->GetLinkType()));
            }
        }
        return meshBarrier(mine, rank, stream);
    });
    RANK_CHECK(ret == HCCL_SUCCESS, "user notifies returned %d", ret);
    for (u32 p = 0; p < n; ++p)
        for (u32 k = 0; k < kNotifies && p != r; ++k)
            for (u64 i = 0; i < kSlot; ++i)
                RANK_CHECK(got[(p * kNotifies + k) * kSlot + i] == pattern(k, p, i),
                           "peer %u slot %u byte %lu", p, k, static_cast<unsigned long>(i));
    RANK_CHECK(rt::deviceFree(gathered) == rt::Err::kOk, "free");
    RANK_CHECK(rt::resetDevice(links->Device(r)) == rt::Err::kOk, "reset");
    LinkSet::Destroy(links);
    return 0;
}

// The last rank is the victim: it acknowledges everybody and then stalls until the parent kills
// it. The others run the mesh all-reduce, which reads the victim's memory and then waits for its
// "done" signal; that wait must fail within 2 s of the kill, naming the victim. Each survivor
// then checks AsyncError, destroys its set and counts what is left of it.
int killedPeer(const Rank &me) {
    const u32 n = me.size, r = me.rank, victim = n - 1;
    const s32 device = static_cast<s32>(r % rt::deviceCount());
    // The runtime's own lasting state (device engine, runtime area) exists before counting.
    RANK_CHECK(rt::setDevice(device) == rt::Err::kOk, "set device");
    (void)rt::runtimeAreaFd();
    const int fdsBefore = openFdCount(), mapsBefore = memfdMappingCount();
    const int threadsBefore = threadCount();
    LinkSet *links = nullptr;
    RANK_CHECK(LinkSet::CreateForProcess(n, r, me.jobId, 1 << 20, links) == HCCL_SUCCESS, "create");
    std::vector<LINK> mine = links->Links(r);
    HcclResult synced = HCCL_SUCCESS;
    {
        hccl::Stream stream(hccl::StreamType::STREAM_TYPE_ONLINE, true);
        HcclDispatcher dispatcher = links->Dispatcher(r);
        for (u32 p = 0; p < n; ++p)
            if (p != r) RANK_CHECK(mine[p]->TxAck(stream) == HCCL_SUCCESS, "tx ack");
        for (u32 p = 0; p < n; ++p)
            if (p != r) RANK_CHECK(mine[p]->RxAck(stream) == HCCL_SUCCESS, "rx ack");
        if (r == victim) {
            RANK_CHECK(links->Synchronize(r, stream) == HCCL_SUCCESS, "victim sync");
            say("ready");
            for (;;)
                pause();  // until SIGKILL
        }
        hccl::DeviceMem dst = links->Output(r);
        for (u32 p = 0; p < n; ++p) {
            if (p == r) continue;
            void *remote = nullptr;
            RANK_CHECK(mine[p]->GetRemoteMem(UserMemType::INPUT_MEM, &remote) == HCCL_SUCCESS,
                       "remote mem");
            RANK_CHECK(HcclReduceAsync(dispatcher, remote, 1024, HCCL_DATA_TYPE_INT32,
                                       HCCL_REDUCE_SUM, stream, dst.ptr(), p,
                                       mine[p]->GetLinkType(), INLINE_REDUCE_BIT) == HCCL_SUCCESS,
                       "reduce");
        }
        for (u32 p = 0; p < n; ++p)
            if (p != r) RANK_CHECK(mine[p]->TxDataSignal(stream) == HCCL_SUCCESS, "tx data");
        for (u32 p = 0; p < n; ++p)
            if (p != r) RANK_CHECK(mine[p]->RxDataSignal(stream) == HCCL_SUCCESS, "rx data");
        say("ready");
        synced = links->Synchronize(r, stream);
        say("failed_at %lld", static_cast<long long>(nowNs()));
    }
    mine.clear();
    RANK_CHECK(synced == HCCL_E_REMOTE, "synchronize returned %d", synced);
    u32 dead = INVALID_VALUE_RANKID;
    RANK_CHECK(links->AsyncError(&dead) == HCCL_E_REMOTE, "async error");
    RANK_CHECK(dead == victim, "dead peer %u", dead);
    LinkSet::Destroy(links);
    const int fdsAfter = openFdCount(), mapsAfter = memfdMappingCount();
    const int threadsAfter = threadCount();
    RANK_CHECK(fdsAfter == fdsBefore, "fds %d before, %d after", fdsBefore, fdsAfter);
    RANK_CHECK(mapsAfter == mapsBefore, "memfd mappings %d before, %d after", mapsBefore,
               mapsAfter);
    RANK_CHECK(threadsAfter == threadsBefore, "threads %d before, %d after", threadsBefore,
               threadsAfter);
    RANK_CHECK(rt::resetDevice(device) == rt::Err::kOk, "reset");
    return 0;
}

// HCCL_EXEC_TIMEOUT=1 (set by the parent): rank 0 waits for an ack rank 1 never sends. Rank 1
// stays until rank 0 is through (it waits for rank 0's user notify 0, with a longer timeout).
int unrecordedWait(const Rank &me) {
    LinkSet *links = nullptr;
    RANK_CHECK(LinkSet::CreateForProcess(2, me.rank, me.jobId, 4096, links) == HCCL_SUCCESS,
               "create");
    const u32 peer = 1 - me.rank;
    LINK link = links->Links(me.rank)[peer];
    HcclResult ret = links->RunRanks([&](u32 rank, hccl::Stream &stream) {
        if (rank == 1) return link->Wait(0, stream, 60);
        say("stream %d", stream.id());
        const s64 start = nowNs();
        CHK_RET(link->RxAck(stream));
        HcclResult waited = links->Synchronize(rank, stream);
        say("waited_ms %lld result %d", static_cast<long long>((nowNs() - start) / 1000000),
            waited);
        return link->Post(0, stream);
    });
    RANK_CHECK(ret == HCCL_SUCCESS, "run returned %d", ret);
    LinkSet::Destroy(links);
    return 0;
}

// Each rank destroys its set as soon as it is created: no peer may still be opening its buffers
// and notifies (that used to fail the peer's set-up).
int createThenDestroyAtOnce(const Rank &me) {
    for (int round = 0; round < 10; ++round) {
        LinkSet *links = nullptr;
        RANK_CHECK(
            LinkSet::CreateForProcess(me.size, me.rank, me.jobId, 4096, links) == HCCL_SUCCESS,
            "create, round %d", round);
        LinkSet::Destroy(links);
    }
    return 0;
}

int rankMain(const Rank &me) {
    if (me.scenario == "ring_read") return ringAllGather(me, false);
    if (me.scenario == "ring_write") return ringAllGather(me, true);
    if (me.scenario == "mesh") return meshAllReduce(me);
    if (me.scenario == "user_notify") return userNotifies(me);
    if (me.scenario == "kill") return killedPeer(me);
    if (me.scenario == "timeout") return unrecordedWait(me);
    if (me.scenario == "create_destroy") return createThenDestroyAtOnce(me);
    std::fprintf(stderr, "unknown scenario %s\n", me.scenario.c_str());
    return 2;
}

// ================================================================================================
// The tests: run in the parent.
// ================================================================================================

// Generous: 8 processes share 2 cores with whatever else runs; a healthy run takes well under 2 s.
constexpr int kRunTimeoutMs = 60000;

class ProcessRanks : public ::testing::TestWithParam<u32> {};

TEST_P(ProcessRanks, RingAllGatherInReadModeDeliversEverySlice) {
    RankProcesses job("ring_read", GetParam());
    job.start();
    job.expectAllSucceed(kRunTimeoutMs);
}

TEST_P(ProcessRanks, RingAllGatherInWriteModeDeliversEverySlice) {
    RankProcesses job("ring_write", GetParam());
    job.start();
    job.expectAllSucceed(kRunTimeoutMs);
}

TEST_P(ProcessRanks, DirectReadMeshAllReduceSumsEveryPeersInput) {
    RankProcesses job("mesh", GetParam());
    job.start();
    job.expectAllSucceed(kRunTimeoutMs);
}

TEST_P(ProcessRanks, UserNotifiesOrderReadsOfPeerData) {
    RankProcesses job("user_notify", GetParam());
    job.start();
    job.expectAllSucceed(kRunTimeoutMs);
}

// The victim is SIGKILLed once every rank is inside the operation. Every survivor's wait on it
// fails within 2 s naming it, AsyncError reports it, and Destroy leaves no fd, memfd mapping or
// thread behind (checked in the survivors).
TEST_P(ProcessRanks, DestroyRightAfterCreateNeverFailsAPeer) {
    RankProcesses job("create_destroy", GetParam());
    job.start();
    job.expectAllSucceed(kRunTimeoutMs);
}

TEST_P(ProcessRanks, KilledRankFailsSurvivorsWaitsWithin2sAndDestroyLeavesNothing) {
    const u32 n = GetParam();
    const u32 victim = n - 1;
    RankProcesses job("kill", n, {"HCCL_EXEC_TIMEOUT=60"});
    job.start();
    u32 ready = 0;
    s64 killedAt = 0;
    std::vector<s64> failedAt(n, 0);
    ASSERT_TRUE(job.wait(kRunTimeoutMs, [&](u32 rank, const std::string &line) {
        if (line == "ready" && ++ready == n) {
            killedAt = nowNs();
            job.kill(victim);
        }
        long long at = 0;
        if (std::sscanf(line.c_str(), "failed_at %lld", &at) == 1) failedAt[rank] = at;
    })) << job.transcript();
    ASSERT_NE(killedAt, 0) << job.transcript();
    EXPECT_EQ(job.exitCode(victim), -1000 - SIGKILL);
    for (u32 r = 0; r < n; ++r) {
        if (r == victim) continue;
        EXPECT_EQ(job.exitCode(r), 0) << "rank " << r << "\n" << job.transcript();
        EXPECT_GT(failedAt[r], 0) << "rank " << r;
        EXPECT_LT(failedAt[r] - killedAt, 2'000'000'000) << "rank " << r;
        const std::string gone =
            fmt::format("peer rank {} (pid {}) is gone", victim, job.pid(victim));
        EXPECT_NE(job.err(r).find(gone), std::string::npos) << job.err(r);
        EXPECT_NE(job.err(r).find(fmt::format("abandoned: peer rank {} is gone", victim)),
                  std::string::npos)
            << job.err(r);
        EXPECT_NE(job.err(r).find(fmt::format("data notify of the link to rank {} (pid {}", victim,
                                              job.pid(victim))),
                  std::string::npos)
            << job.err(r);
    }
}

INSTANTIATE_TEST_SUITE_P(Ranks, ProcessRanks, ::testing::Values(2u, 4u, 8u),
                         [](const ::testing::TestParamInfo<u32> &info) {
                             return std::to_string(info.param) + "Processes";
                         });

// HCCL_EXEC_TIMEOUT bounds a link wait across processes too: the wait fails after 1 s with a
// report naming the rank, its stream, the notify and the peer (rank and pid) the link goes to.
TEST(ProcessLinkWait, WaitNoOneRecordsFailsAtExecTimeoutNamingRankStreamNotifyAndPeer) {
    RankProcesses job("timeout", 2, {"HCCL_EXEC_TIMEOUT=1"});
    job.start();
    job.expectAllSucceed(kRunTimeoutMs);
    int stream = -1, result = -1;
    long long waitedMs = -1;
    const std::string &out = job.out(0);
    ASSERT_EQ(std::sscanf(out.c_str(), "stream %d\nwaited_ms %lld result %d", &stream, &waitedMs,
                          &result),
              3)
        << out;
    EXPECT_EQ(result, HCCL_E_TIMEOUT);
    EXPECT_GE(waitedMs, 900);
    EXPECT_LT(waitedMs, 10000);
    const std::string &log = job.err(0);
    EXPECT_NE(log.find(fmt::format("rank 0 (device 0): stream {} failed", stream)),
              std::string::npos)
        << log;
    EXPECT_NE(log.find("notify wait timed out"), std::string::npos) << log;
    EXPECT_NE(log.find(fmt::format("is the ack notify of the link to rank 1 (pid {}, device 1)",
                                   job.pid(1))),
              std::string::npos)
        << log;
}

// ---- in this process ---------------------------------------------------------------------------

TEST(ProcessLinkCreate, RejectsBadArgumentsAndLeavesTheOutputUnchanged) {
    auto *sentinel = reinterpret_cast<LinkSet *>(0x1234);
    LinkSet *links = sentinel;
    EXPECT_EQ(LinkSet::CreateForProcess(0, 0, "j", 4096, links), HCCL_E_PARA);
    EXPECT_EQ(LinkSet::CreateForProcess(2, 2, "j", 4096, links), HCCL_E_PARA);
    EXPECT_EQ(LinkSet::CreateForProcess(2, 0, "", 4096, links), HCCL_E_PARA);
    EXPECT_EQ(LinkSet::CreateForProcess(2, 0, "j", 0, links), HCCL_E_PARA);
    ProcessLinkOptions options;
    options.device = static_cast<s32>(rt::deviceCount());
    EXPECT_EQ(LinkSet::CreateForProcess(2, 0, "j", 4096, options, links), HCCL_E_PARA);
    options.device = -2;
    EXPECT_EQ(LinkSet::CreateForProcess(2, 0, "j", 4096, options, links), HCCL_E_PARA);
    options = ProcessLinkOptions();
    options.link.notifyNum = 65;
    EXPECT_EQ(LinkSet::CreateForProcess(2, 0, "j", 4096, options, links), HCCL_E_PARA);
    options = ProcessLinkOptions();
    std::vector<u8> host(4096);
    options.input = hccl::DeviceMem::create(host.data(), host.size());  // not device memory
    EXPECT_EQ(LinkSet::CreateForProcess(2, 0, "j", 4096, options, links), HCCL_E_PARA);
    EXPECT_EQ(links, sentinel);
}

std::string uniqueJob(const char *what) {
    static int counter = 0;
    return fmt::format("plt{}-{}-{}", getpid(), what, ++counter);
}

// A rank alone in its job has no peers and needs no rendezvous.
TEST(ProcessLinkCreate, SingleRankJobHasNoLinks) {
    LinkSet *links = nullptr;
    ASSERT_EQ(LinkSet::CreateForProcess(1, 0, uniqueJob("single"), 4096, links), HCCL_SUCCESS);
    EXPECT_EQ(links->LocalRank(), 0u);
    ASSERT_EQ(links->Links(0).size(), 1u);
    EXPECT_EQ(links->Links(0)[0], nullptr);
    EXPECT_TRUE(links->Input(0));
    EXPECT_EQ(LinkSet::Destroy(links), HCCL_SUCCESS);
}

// Connect side (rank 1 looks for rank 0) and accept side (rank 0 waits for rank 1): both give up
// at HCCL_CONNECT_TIMEOUT with HCCL_E_TIMEOUT, name the missing rank, and leave no fd behind.
TEST(ProcessLinkCreate, RankThatNeverShowsUpGivesConnectTimeoutNamingIt) {
    ScopedEnv timeout("HCCL_CONNECT_TIMEOUT", "1");
    ASSERT_EQ(rt::setDevice(0), rt::Err::kOk);  // the runtime's lasting state, before counting
    (void)rt::runtimeAreaFd();
    for (u32 rank : {0u, 1u}) {
        const std::string job = uniqueJob("absent");
        const int fdsBefore = openFdCount();
        LinkSet *links = nullptr;
        testing::internal::CaptureStderr();
        const s64 start = nowNs();
        HcclResult ret = LinkSet::CreateForProcess(2, rank, job, 4096, links);
        const double seconds = static_cast<double>(nowNs() - start) / 1e9;
        const std::string log = testing::internal::GetCapturedStderr();
        EXPECT_EQ(ret, HCCL_E_TIMEOUT);
        EXPECT_EQ(links, nullptr);
        EXPECT_GE(seconds, 0.9);
        EXPECT_LT(seconds, 5.0);
        const std::string expected =
            rank == 0 ? "rank 0 of job " + job + ": rank(s) 1 did not show up within 1 s"
                      : "rank 1 of job " + job + ": rank 0 did not show up within 1 s";
        EXPECT_NE(log.find(expected), std::string::npos) << log;
        EXPECT_EQ(openFdCount(), fdsBefore);
    }
    EXPECT_EQ(rt::resetDevice(0), rt::Err::kOk);
}

// Two claimants of rank 0 of one job at once: one holds the rank (and, rank 1 never coming, times
// out after 1 s); the other is turned away at once.
TEST(ProcessLinkCreate, SecondHolderOfARankIsUnavailable) {
    const std::string job = uniqueJob("twice");
    ProcessLinkOptions options;
    options.connectTimeoutS = 1;
    HcclResult results[2] = {HCCL_SUCCESS, HCCL_SUCCESS};
    LinkSet *sets[2] = {nullptr, nullptr};
    std::atomic<int> arrived{0};
    testing::internal::CaptureStderr();
    auto claim = [&](int i) {
        ++arrived;
        while (arrived.load() < 2)
            std::this_thread::yield();
        results[i] = LinkSet::CreateForProcess(2, 0, job, 4096, options, sets[i]);
    };
    std::thread a(claim, 0), b(claim, 1);
    a.join();
    b.join();
    const std::string log = testing::internal::GetCapturedStderr();
    EXPECT_TRUE((results[0] == HCCL_E_UNAVAIL && results[1] == HCCL_E_TIMEOUT) ||
                (results[0] == HCCL_E_TIMEOUT && results[1] == HCCL_E_UNAVAIL))
        << results[0] << " " << results[1];
    EXPECT_NE(log.find("another process already holds this rank"), std::string::npos) << log;
    EXPECT_EQ(sets[0], nullptr);
    EXPECT_EQ(sets[1], nullptr);
}

// Ranks of a process set may also be threads of one process (a communicator of HcclCommInitAll,
// say): the exchange then carries plain addresses. A rank that destroys its set says goodbye:
// the other rank's waits on it then fail at once with HCCL_E_REMOTE, but that is not an
// asynchronous error.
TEST(ProcessLinkCreate, RanksInOneProcessConnectAndAGoodbyeIsNotAnError) {
    const std::string job = uniqueJob("threads");
    constexpr u64 kBytes = 8192;
    LinkSet *sets[2] = {nullptr, nullptr};
    HcclResult created[2] = {HCCL_E_INTERNAL, HCCL_E_INTERNAL};
    {
        std::thread other(
            [&] { created[1] = LinkSet::CreateForProcess(2, 1, job, kBytes, sets[1]); });
        created[0] = LinkSet::CreateForProcess(2, 0, job, kBytes, sets[0]);
        other.join();
    }
    ASSERT_EQ(created[0], HCCL_SUCCESS);
    ASSERT_EQ(created[1], HCCL_SUCCESS);
    EXPECT_EQ(sets[0]->Device(1), 1);
    EXPECT_EQ(sets[1]->Device(0), 0);
    EXPECT_EQ(sets[0]->Links(0)[1]->GetLinkType(), LinkSet::TopologyLinkType(0, 1));
    EXPECT_FALSE(sets[0]->Input(1));  // held by "another process" (here: another set)
    std::memset(sets[0]->Output(0).ptr(), 0x5a, kBytes);
    HcclResult ran[2];
    std::thread second([&] {
        ran[1] = sets[1]->RunRanks([&](u32 rank, hccl::Stream &stream) {
            LINK link = sets[1]->Links(rank)[0];
            CHK_RET(link->TxAck(stream));
            return link->RxAsync(UserMemType::OUTPUT_MEM, 0, sets[1]->Output(1).ptr(), kBytes,
                                 stream);
        });
    });
    ran[0] = sets[0]->RunRanks([&](u32 rank, hccl::Stream &stream) {
        LINK link = sets[0]->Links(rank)[1];
        CHK_RET(link->RxAck(stream));
        return link->TxAsync(UserMemType::OUTPUT_MEM, 0, nullptr, kBytes, stream);
    });
    second.join();
    EXPECT_EQ(ran[0], HCCL_SUCCESS);
    EXPECT_EQ(ran[1], HCCL_SUCCESS);
    EXPECT_EQ(static_cast<u8 *>(sets[1]->Output(1).ptr())[kBytes - 1], 0x5a);

    EXPECT_EQ(LinkSet::Destroy(sets[0]), HCCL_SUCCESS);
    const s64 start = nowNs();
    HcclResult waited = sets[1]->RunRanks([&](u32 rank, hccl::Stream &stream) {
        return sets[1]->Links(rank)[0]->RxAck(stream);  // rank 0 is gone: fails, no timeout
    });
    EXPECT_EQ(waited, HCCL_E_REMOTE);
    EXPECT_LT(nowNs() - start, 2'000'000'000);
    u32 dead = 77;
    EXPECT_EQ(sets[1]->AsyncError(&dead), HCCL_SUCCESS);
    EXPECT_EQ(dead, 77u);
    EXPECT_EQ(LinkSet::Destroy(sets[1]), HCCL_SUCCESS);
}

// Creates ranks 0 and 1 of `job` on two threads of this process.
void createPair(const std::string &job, const ProcessLinkOptions options[2], LinkSet *sets[2],
                HcclResult results[2]) {
    std::thread other(
        [&] { results[1] = LinkSet::CreateForProcess(2, 1, job, 4096, options[1], sets[1]); });
    results[0] = LinkSet::CreateForProcess(2, 0, job, 4096, options[0], sets[0]);
    other.join();
}

// What a communicator passes: its device, its dispatcher and its CCL buffers. The links expose
// exactly those buffers, issue through that dispatcher, and Destroy leaves them to the caller.
TEST(ProcessLinkCreate, GivenDeviceDispatcherAndBuffersAreUsedAndLeftToTheCaller) {
    ScopedEnv unset("HCCL_CPU_LINK_TYPE", nullptr);
    constexpr u64 kBytes = 1 << 16;
    const s32 devices[2] = {3, 4};  // across the halves of a server: PCIE
    ProcessLinkOptions options[2];
    HcclDispatcher dispatchers[2] = {nullptr, nullptr};
    hccl::DeviceMem cclIn[2], cclOut[2];
    for (int r = 0; r < 2; ++r) {
        ASSERT_EQ(rt::setDevice(devices[r]), rt::Err::kOk);
        ASSERT_EQ(
            HcclDispatcherInit(DispatcherType::DISPATCHER_NORMAL, devices[r], &dispatchers[r]),
            HCCL_SUCCESS);
        cclIn[r] = hccl::DeviceMem::alloc(kBytes);
        cclOut[r] = hccl::DeviceMem::alloc(kBytes * 2);
        std::memset(cclIn[r].ptr(), 0x10 + r, kBytes);
        options[r].device = devices[r];
        options[r].dispatcher = dispatchers[r];
        options[r].input = hccl::DeviceMem::create(cclIn[r].ptr(), cclIn[r].size());
        options[r].output = hccl::DeviceMem::create(cclOut[r].ptr(), cclOut[r].size());
    }
    LinkSet *sets[2] = {nullptr, nullptr};
    HcclResult created[2];
    createPair(uniqueJob("ccl"), options, sets, created);
    ASSERT_EQ(created[0], HCCL_SUCCESS);
    ASSERT_EQ(created[1], HCCL_SUCCESS);
    for (u32 r = 0; r < 2; ++r) {
        const u32 peer = 1 - r;
        EXPECT_EQ(sets[r]->Device(r), devices[r]);
        EXPECT_EQ(sets[r]->Device(peer), devices[peer]);
        EXPECT_EQ(sets[r]->Dispatcher(r), dispatchers[r]);
        EXPECT_EQ(sets[r]->Input(r).ptr(), cclIn[r].ptr());
        EXPECT_EQ(sets[r]->Output(r).ptr(), cclOut[r].ptr());
        LINK link = sets[r]->Links(r)[peer];
        EXPECT_EQ(link->GetLinkType(), hccl::LinkType::LINK_PCIE);
        void *remote = nullptr;
        ASSERT_EQ(link->GetRemoteMem(UserMemType::INPUT_MEM, &remote), HCCL_SUCCESS);
        EXPECT_EQ(remote, cclIn[peer].ptr());  // same process: the peer's own address
        u64 size = 0;
        ASSERT_EQ(link->GetRemoteMemSize(UserMemType::OUTPUT_MEM, size), HCCL_SUCCESS);
        EXPECT_EQ(size, 2 * kBytes);
    }
    EXPECT_EQ(LinkSet::Destroy(sets[0]), HCCL_SUCCESS);
    EXPECT_EQ(LinkSet::Destroy(sets[1]), HCCL_SUCCESS);
    for (int r = 0; r < 2; ++r) {
        // Still the caller's: the memory is registered and the dispatcher still issues.
        EXPECT_EQ(rt::memoryInfo(cclIn[r].ptr(), kBytes).location, rt::MemLocation::kDevice);
        ASSERT_EQ(rt::setDevice(devices[r]), rt::Err::kOk);
        {
            hccl::Stream stream(hccl::StreamType::STREAM_TYPE_ONLINE, true);
            hccl::DeviceMem out = hccl::DeviceMem::create(cclOut[r].ptr(), kBytes);
            EXPECT_EQ(HcclD2DMemcpyAsync(dispatchers[r], out, cclIn[r], stream), HCCL_SUCCESS);
            EXPECT_EQ(rt::streamSynchronize(static_cast<rt::Stream *>(stream.ptr())), rt::Err::kOk);
        }
        EXPECT_EQ(static_cast<u8 *>(cclOut[r].ptr())[kBytes - 1], 0x10 + r);
        cclIn[r].free();
        cclOut[r].free();
        EXPECT_EQ(HcclDispatcherDestroy(dispatchers[r]), HCCL_SUCCESS);
        EXPECT_EQ(rt::resetDevice(devices[r]), rt::Err::kOk);  // this test's two references
        EXPECT_EQ(rt::resetDevice(devices[r]), rt::Err::kOk);
    }
}

TEST(ProcessLinkCreate, LinkTypeFollowsTheDevicesOrHcclCpuLinkType) {
    ProcessLinkOptions options[2];
    options[0].device = 0;
    options[1].device = 2;  // HCCS with device 0
    LinkSet *sets[2] = {nullptr, nullptr};
    HcclResult created[2];
    {
        ScopedEnv unset("HCCL_CPU_LINK_TYPE", nullptr);
        createPair(uniqueJob("topology"), options, sets, created);
    }
    ASSERT_EQ(created[0], HCCL_SUCCESS);
    ASSERT_EQ(created[1], HCCL_SUCCESS);
    EXPECT_EQ(sets[0]->Links(0)[1]->GetLinkType(), hccl::LinkType::LINK_HCCS);
    EXPECT_EQ(sets[1]->Links(1)[0]->GetLinkType(), hccl::LinkType::LINK_HCCS);
    LinkSet::Destroy(sets[0]);
    LinkSet::Destroy(sets[1]);
    {
        ScopedEnv forced("HCCL_CPU_LINK_TYPE", "HCCS_SW");
        createPair(uniqueJob("forced"), options, sets, created);
    }
    ASSERT_EQ(created[0], HCCL_SUCCESS);
    ASSERT_EQ(created[1], HCCL_SUCCESS);
    EXPECT_EQ(sets[0]->Links(0)[1]->GetLinkType(), hccl::LinkType::LINK_HCCS_SW);
    EXPECT_EQ(sets[1]->Links(1)[0]->GetLinkType(), hccl::LinkType::LINK_HCCS_SW);
    LinkSet::Destroy(sets[0]);
    LinkSet::Destroy(sets[1]);
}

// Both ends of a pair check the job's shape: ranks that disagree on notifyNum (or rankSize, the
// link attribute, the job) fail at once, naming what differs, instead of building odd links.
TEST(ProcessLinkCreate, RanksThatDisagreeOnTheJobShapeFail) {
    ProcessLinkOptions options[2];
    options[0].link.notifyNum = 4;
    options[1].link.notifyNum = 2;
    options[0].connectTimeoutS = options[1].connectTimeoutS = 5;
    LinkSet *sets[2] = {nullptr, nullptr};
    HcclResult created[2];
    testing::internal::CaptureStderr();
    const s64 start = nowNs();
    createPair(uniqueJob("shape"), options, sets, created);
    const double seconds = static_cast<double>(nowNs() - start) / 1e9;
    const std::string log = testing::internal::GetCapturedStderr();
    EXPECT_EQ(created[0], HCCL_E_INTERNAL);
    EXPECT_EQ(created[1], HCCL_E_INTERNAL);
    EXPECT_EQ(sets[0], nullptr);
    EXPECT_EQ(sets[1], nullptr);
    EXPECT_LT(seconds, 4.0);
    EXPECT_NE(log.find("disagrees on the job"), std::string::npos) << log;
}

}  // namespace
}  // namespace hcclcpu::platform::test

int main(int argc, char **argv) {
    using hcclcpu::platform::test::kRankFlag;
    if (argc == 6 && std::string(argv[1]) == kRankFlag) {
        hcclcpu::platform::test::Rank me;
        me.scenario = argv[2];
        me.size = static_cast<u32>(std::stoul(argv[3]));
        me.rank = static_cast<u32>(std::stoul(argv[4]));
        me.jobId = argv[5];
        return hcclcpu::platform::test::rankMain(me);
    }
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
