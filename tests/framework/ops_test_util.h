// End-to-end operation checks shared by the thread and process tests: every rank runs the same
// sequence, fills its inputs from its rank, and checks what it received.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <numeric>
#include <string>
#include <thread>
#include <vector>

#include "acl/acl.h"
#include "hccl/hccl.h"

namespace hcclcpu::framework::test {

// A device buffer of int32 elements, freed with the object.
class DeviceInts {
  public:
    explicit DeviceInts(size_t count) : count_(count) {
        EXPECT_EQ(aclrtMalloc(&ptr_, bytes() == 0 ? 4 : bytes(), ACL_MEM_MALLOC_HUGE_FIRST),
                  ACL_SUCCESS);
    }
    ~DeviceInts() { aclrtFree(ptr_); }
    DeviceInts(const DeviceInts &) = delete;
    DeviceInts &operator=(const DeviceInts &) = delete;
    void *ptr() const { return ptr_; }
    size_t bytes() const { return count_ * sizeof(int32_t); }
    void fill(const std::function<int32_t(size_t)> &f) {
        std::vector<int32_t> host(count_);
        for (size_t i = 0; i < count_; ++i)
            host[i] = f(i);
        put(host);
    }
    void put(const std::vector<int32_t> &host) {
        if (host.empty()) return;
        ASSERT_EQ(
            aclrtMemcpy(ptr_, bytes(), host.data(), host.size() * 4, ACL_MEMCPY_HOST_TO_DEVICE),
            ACL_SUCCESS);
    }
    std::vector<int32_t> get() const {
        std::vector<int32_t> host(count_);
        if (count_ > 0) {
            EXPECT_EQ(aclrtMemcpy(host.data(), bytes(), ptr_, bytes(), ACL_MEMCPY_DEVICE_TO_HOST),
                      ACL_SUCCESS);
        }
        return host;
    }

  private:
    void *ptr_ = nullptr;
    size_t count_;
};

// Counts every element that differs from expected(i); reports the first few.
inline int mismatches(const std::string &what, const std::vector<int32_t> &got,
                      const std::function<int32_t(size_t)> &expected) {
    int bad = 0;
    for (size_t i = 0; i < got.size(); ++i)
        if (got[i] != expected(i)) {
            if (bad < 3)
                ADD_FAILURE() << what << ": element " << i << " is " << got[i] << ", expected "
                              << expected(i);
            ++bad;
        }
    return bad;
}

// One operation on one rank: issue, synchronise, check. `count` scales the messages.
using OpCheck = std::function<void(uint32_t rank, uint32_t n, HcclComm comm, aclrtStream stream,
                                   uint64_t count)>;

inline void sync(aclrtStream stream) {
    ASSERT_EQ(aclrtSynchronizeStream(stream), ACL_SUCCESS);
}

inline void checkAllReduce(uint32_t rank, uint32_t n, HcclComm comm, aclrtStream stream,
                           uint64_t count) {
    DeviceInts in(count), out(count);
    in.fill([&](size_t i) { return static_cast<int32_t>(rank * 1000 + i % 5000); });
    ASSERT_EQ(HcclAllReduce(in.ptr(), out.ptr(), count, HCCL_DATA_TYPE_INT32, HCCL_REDUCE_SUM, comm,
                            stream),
              HCCL_SUCCESS);
    sync(stream);
    mismatches("allreduce", out.get(), [&](size_t i) {
        return static_cast<int32_t>(1000 * n * (n - 1) / 2 + n * (i % 5000));
    });
}

inline void checkBroadcast(uint32_t rank, uint32_t n, HcclComm comm, aclrtStream stream,
                           uint64_t count) {
    const uint32_t root = n - 1;
    DeviceInts buf(count);
    buf.fill([&](size_t i) { return rank == root ? static_cast<int32_t>(i * 3 + 7) : -1; });
    ASSERT_EQ(HcclBroadcast(buf.ptr(), count, HCCL_DATA_TYPE_INT32, root, comm, stream),
              HCCL_SUCCESS);
    sync(stream);
    mismatches("broadcast", buf.get(), [](size_t i) { return static_cast<int32_t>(i * 3 + 7); });
}

inline void checkReduceScatter(uint32_t rank, uint32_t n, HcclComm comm, aclrtStream stream,
                               uint64_t count) {
    DeviceInts in(count * n), out(count);
    in.fill([&](size_t j) { return static_cast<int32_t>(rank + j % 7919); });
    ASSERT_EQ(HcclReduceScatter(in.ptr(), out.ptr(), count, HCCL_DATA_TYPE_INT32, HCCL_REDUCE_SUM,
                                comm, stream),
              HCCL_SUCCESS);
    sync(stream);
    mismatches("reducescatter", out.get(), [&](size_t i) {
        return static_cast<int32_t>(n * (n - 1) / 2 + n * ((rank * count + i) % 7919));
    });
}

inline void checkReduceScatterV(uint32_t rank, uint32_t n, HcclComm comm, aclrtStream stream,
                                uint64_t count) {
    std::vector<uint64_t> counts(n), displs(n);
    uint64_t total = 0;
    for (uint32_t r = 0; r < n; ++r) {
        counts[r] = count + r * 3;
        displs[r] = total;
        total += counts[r] + 2;  // a gap between blocks
    }
    DeviceInts in(total), out(counts[rank]);
    in.fill([&](size_t j) { return static_cast<int32_t>(rank + j % 7919); });
    ASSERT_EQ(HcclReduceScatterV(in.ptr(), counts.data(), displs.data(), out.ptr(), counts[rank],
                                 HCCL_DATA_TYPE_INT32, HCCL_REDUCE_SUM, comm, stream),
              HCCL_SUCCESS);
    sync(stream);
    mismatches("reducescatterv", out.get(), [&](size_t i) {
        return static_cast<int32_t>(n * (n - 1) / 2 + n * ((displs[rank] + i) % 7919));
    });
}

inline void checkAllGather(uint32_t rank, uint32_t n, HcclComm comm, aclrtStream stream,
                           uint64_t count) {
    DeviceInts in(count), out(count * n);
    in.fill([&](size_t i) { return static_cast<int32_t>(rank * 100000 + i % 50000); });
    ASSERT_EQ(HcclAllGather(in.ptr(), out.ptr(), count, HCCL_DATA_TYPE_INT32, comm, stream),
              HCCL_SUCCESS);
    sync(stream);
    mismatches("allgather", out.get(), [&](size_t j) {
        return static_cast<int32_t>((j / count) * 100000 + (j % count) % 50000);
    });
}

inline void checkAllGatherV(uint32_t rank, uint32_t n, HcclComm comm, aclrtStream stream,
                            uint64_t count) {
    std::vector<uint64_t> counts(n), displs(n);
    uint64_t total = 0;
    for (uint32_t r = 0; r < n; ++r) {
        counts[r] = count + r * 7;
        displs[r] = total + 3;
        total += counts[r] + 3;
    }
    DeviceInts in(counts[rank]), out(total);
    in.fill([&](size_t i) { return static_cast<int32_t>(rank * 100000 + i); });
    out.fill([](size_t) { return -5; });
    ASSERT_EQ(HcclAllGatherV(in.ptr(), counts[rank], out.ptr(), counts.data(), displs.data(),
                             HCCL_DATA_TYPE_INT32, comm, stream),
              HCCL_SUCCESS);
    sync(stream);
    std::vector<int32_t> expected(total, -5);
    for (uint32_t r = 0; r < n; ++r)
        for (uint64_t i = 0; i < counts[r]; ++i)
            expected[displs[r] + i] = static_cast<int32_t>(r * 100000 + i);
    mismatches("allgatherv", out.get(), [&](size_t j) { return expected[j]; });
}

inline void checkReduce(uint32_t rank, uint32_t n, HcclComm comm, aclrtStream stream,
                        uint64_t count) {
    const uint32_t root = n > 1 ? 1 : 0;
    DeviceInts in(count), out(count);
    in.fill([&](size_t i) { return static_cast<int32_t>((rank + 1) * (i % 1000)); });
    out.fill([](size_t) { return -9; });
    ASSERT_EQ(HcclReduce(in.ptr(), out.ptr(), count, HCCL_DATA_TYPE_INT32, HCCL_REDUCE_MAX, root,
                         comm, stream),
              HCCL_SUCCESS);
    sync(stream);
    mismatches("reduce", out.get(),
               [&](size_t i) { return rank == root ? static_cast<int32_t>(n * (i % 1000)) : -9; });
}

inline void checkScatter(uint32_t rank, uint32_t n, HcclComm comm, aclrtStream stream,
                         uint64_t count) {
    const uint32_t root = 0;
    DeviceInts in(rank == root ? count * n : 0), out(count);
    if (rank == root) in.fill([](size_t j) { return static_cast<int32_t>(j % 100003); });
    // Off the root, sendBuf may be null (the vendor example passes nullptr).
    ASSERT_EQ(HcclScatter(rank == root ? in.ptr() : nullptr, out.ptr(), count, HCCL_DATA_TYPE_INT32,
                          root, comm, stream),
              HCCL_SUCCESS);
    sync(stream);
    mismatches("scatter", out.get(),
               [&](size_t i) { return static_cast<int32_t>((rank * count + i) % 100003); });
}

inline void checkAlltoAll(uint32_t rank, uint32_t n, HcclComm comm, aclrtStream stream,
                          uint64_t count) {
    DeviceInts in(count * n), out(count * n);
    in.fill([&](size_t j) {
        return static_cast<int32_t>(rank * 1000000 + (j / count) * 1000 + (j % count) % 1000);
    });
    ASSERT_EQ(HcclAlltoAll(in.ptr(), count, HCCL_DATA_TYPE_INT32, out.ptr(), count,
                           HCCL_DATA_TYPE_INT32, comm, stream),
              HCCL_SUCCESS);
    sync(stream);
    mismatches("alltoall", out.get(), [&](size_t j) {
        return static_cast<int32_t>((j / count) * 1000000 + rank * 1000 + (j % count) % 1000);
    });
}

// What rank `from` sends to rank `to` in the V checks: a block whose size depends on both.
inline uint64_t pairCount(uint32_t from, uint32_t to, uint64_t count) {
    return count + (from * 2 + to) % 4;
}
inline int32_t pairValue(uint32_t from, uint32_t to, uint64_t i) {
    return static_cast<int32_t>(from * 1000000 + to * 10000 + i % 10000);
}

inline void checkAlltoAllV(uint32_t rank, uint32_t n, HcclComm comm, aclrtStream stream,
                           uint64_t count) {
    std::vector<uint64_t> sc(n), sd(n), rc(n), rd(n);
    uint64_t sTotal = 0, rTotal = 0;
    for (uint32_t p = 0; p < n; ++p) {
        sc[p] = pairCount(rank, p, count);
        rc[p] = pairCount(p, rank, count);
        sd[p] = sTotal + 1;  // gaps, and blocks in place
        rd[p] = rTotal + 2;
        sTotal += sc[p] + 1;
        rTotal += rc[p] + 2;
    }
    std::vector<int32_t> send(sTotal, 0), expected(rTotal, -3);
    for (uint32_t p = 0; p < n; ++p) {
        for (uint64_t i = 0; i < sc[p]; ++i)
            send[sd[p] + i] = pairValue(rank, p, i);
        for (uint64_t i = 0; i < rc[p]; ++i)
            expected[rd[p] + i] = pairValue(p, rank, i);
    }
    DeviceInts in(sTotal), out(rTotal);
    in.put(send);
    out.fill([](size_t) { return -3; });
    ASSERT_EQ(HcclAlltoAllV(in.ptr(), sc.data(), sd.data(), HCCL_DATA_TYPE_INT32, out.ptr(),
                            rc.data(), rd.data(), HCCL_DATA_TYPE_INT32, comm, stream),
              HCCL_SUCCESS);
    sync(stream);
    mismatches("alltoallv", out.get(), [&](size_t j) { return expected[j]; });
}

inline void checkAlltoAllVC(uint32_t rank, uint32_t n, HcclComm comm, aclrtStream stream,
                            uint64_t count) {
    std::vector<uint64_t> matrix(n * n);
    for (uint32_t i = 0; i < n; ++i)
        for (uint32_t j = 0; j < n; ++j)
            matrix[i * n + j] = pairCount(i, j, count);
    // Packed: sends to j start at Σ_{k<j} M[me][k]; data from i lands at Σ_{k<i} M[k][me].
    std::vector<int32_t> send, expected;
    for (uint32_t j = 0; j < n; ++j)
        for (uint64_t i = 0; i < matrix[rank * n + j]; ++i)
            send.push_back(pairValue(rank, j, i));
    for (uint32_t i = 0; i < n; ++i)
        for (uint64_t k = 0; k < matrix[i * n + rank]; ++k)
            expected.push_back(pairValue(i, rank, k));
    DeviceInts in(send.size()), out(expected.size());
    in.put(send);
    ASSERT_EQ(HcclAlltoAllVC(in.ptr(), matrix.data(), HCCL_DATA_TYPE_INT32, out.ptr(),
                             HCCL_DATA_TYPE_INT32, comm, stream),
              HCCL_SUCCESS);
    sync(stream);
    mismatches("alltoallvc", out.get(), [&](size_t j) { return expected[j]; });
}

// Pairs (0,1), (2,3), ...: the even rank sends, the odd one receives; then the other way.
inline void checkSendRecv(uint32_t rank, uint32_t n, HcclComm comm, aclrtStream stream,
                          uint64_t count) {
    if (n % 2 != 0) GTEST_SKIP() << "pairs need an even rank count";
    const uint32_t peer = rank ^ 1u;
    DeviceInts buf(count);
    for (uint32_t round = 0; round < 2; ++round) {
        const bool sender = (rank % 2) == round;
        if (sender) {
            buf.fill([&](size_t i) { return static_cast<int32_t>(rank * 1000 + round + i % 997); });
            ASSERT_EQ(HcclSend(buf.ptr(), count, HCCL_DATA_TYPE_INT32, peer, comm, stream),
                      HCCL_SUCCESS);
            sync(stream);
        } else {
            buf.fill([](size_t) { return -1; });
            ASSERT_EQ(HcclRecv(buf.ptr(), count, HCCL_DATA_TYPE_INT32, peer, comm, stream),
                      HCCL_SUCCESS);
            sync(stream);
            mismatches("recv", buf.get(), [&](size_t i) {
                return static_cast<int32_t>(peer * 1000 + round + i % 997);
            });
        }
    }
}

// A ring in one call: send to the next rank, receive from the previous one.
inline void checkBatchSendRecv(uint32_t rank, uint32_t n, HcclComm comm, aclrtStream stream,
                               uint64_t count) {
    if (n < 2) GTEST_SKIP() << "a ring needs two ranks";
    const uint32_t next = (rank + 1) % n, prev = (rank + n - 1) % n;
    DeviceInts out(count), in(count);
    out.fill([&](size_t i) { return static_cast<int32_t>(rank * 7 + i % 1009); });
    std::vector<HcclSendRecvItem> items{{HCCL_SEND, out.ptr(), count, HCCL_DATA_TYPE_INT32, next},
                                        {HCCL_RECV, in.ptr(), count, HCCL_DATA_TYPE_INT32, prev}};
    ASSERT_EQ(HcclBatchSendRecv(items.data(), 2, comm, stream), HCCL_SUCCESS);
    sync(stream);
    mismatches("batchsendrecv", in.get(),
               [&](size_t i) { return static_cast<int32_t>(prev * 7 + i % 1009); });
}

inline void checkBarrier(uint32_t, uint32_t, HcclComm comm, aclrtStream stream, uint64_t) {
    ASSERT_EQ(HcclBarrier(comm, stream), HCCL_SUCCESS);
    sync(stream);
}

struct NamedCheck {
    const char *name;
    OpCheck check;
};

inline std::vector<NamedCheck> allOpChecks() {
    return {{"AllReduce", checkAllReduce},
            {"Broadcast", checkBroadcast},
            {"ReduceScatter", checkReduceScatter},
            {"ReduceScatterV", checkReduceScatterV},
            {"AllGather", checkAllGather},
            {"AllGatherV", checkAllGatherV},
            {"Reduce", checkReduce},
            {"Scatter", checkScatter},
            {"AlltoAll", checkAlltoAll},
            {"AlltoAllV", checkAlltoAllV},
            {"AlltoAllVC", checkAlltoAllVC},
            {"SendRecv", checkSendRecv},
            {"BatchSendRecv", checkBatchSendRecv},
            {"Barrier", checkBarrier}};
}

// n thread ranks from HcclCommInitAll on devices 0..n-1; run() gives each rank its thread (with
// its device current) and a stream of its own.
// The direct kernels' edges (algorithm/direct_kernels.h): messages on both sides of the inline
// payload (56 B) and of the small slot (64 KiB), blocks that do not divide evenly, in-place
// calls, and buffers allocated afresh for every call (a peer process must not reuse its mapping
// of a freed buffer).
inline void checkDirectEdges(uint32_t rank, uint32_t n, HcclComm comm, aclrtStream stream) {
    for (uint64_t count : {uint64_t{1}, uint64_t{14}, uint64_t{15}, uint64_t{16383},
                           uint64_t{16384}, uint64_t{16385}, uint64_t{300001}}) {
        SCOPED_TRACE("count " + std::to_string(count));
        checkAllReduce(rank, n, comm, stream, count);
        checkAllGather(rank, n, comm, stream, count);
        checkBroadcast(rank, n, comm, stream, count);
        DeviceInts buf(count);
        buf.fill([&](size_t i) { return static_cast<int32_t>(rank + 1 + i % 97); });
        ASSERT_EQ(HcclAllReduce(buf.ptr(), buf.ptr(), count, HCCL_DATA_TYPE_INT32, HCCL_REDUCE_SUM,
                                comm, stream),
                  HCCL_SUCCESS);
        sync(stream);
        mismatches("allreduce in place", buf.get(),
                   [&](size_t i) { return static_cast<int32_t>(n * (n + 1) / 2 + n * (i % 97)); });
        DeviceInts gathered(count * n);
        gathered.fill([&](size_t j) {
            return j / count == rank ? static_cast<int32_t>(rank * 7 + j % count) : -1;
        });
        void *own = static_cast<int32_t *>(gathered.ptr()) + rank * count;
        ASSERT_EQ(HcclAllGather(own, gathered.ptr(), count, HCCL_DATA_TYPE_INT32, comm, stream),
                  HCCL_SUCCESS);
        sync(stream);
        mismatches("allgather in place", gathered.get(),
                   [&](size_t j) { return static_cast<int32_t>((j / count) * 7 + j % count); });
    }
}

// Many small operations issued back to back, synchronised once: they are pipelined (published
// on the issuing thread while earlier ones still finish on the stream, platform/direct_peers.h),
// yet each must see what the stream did before it. Groups of four, one message size per group
// (8 B and 56 B in the ring, 60 B and 2000 B in the slots):
//   4k     all-reduce of a fresh input;
//   4k+1   all-reduce whose input is the output of 4k (it must wait for 4k);
//   4k+2   all-reduce of a copy of that output made by a memcpy task on the stream just before;
//   4k+3   all-gather of a fresh input.
inline void checkPipelinedBatch(uint32_t rank, uint32_t n, HcclComm comm, aclrtStream stream) {
    const uint64_t counts[] = {2, 14, 15, 500};
    const int groups = 60;
    auto value = [](uint32_t r, int op, size_t e) {
        return static_cast<int32_t>((r * 3 + op + e) % 11);
    };
    std::vector<std::unique_ptr<DeviceInts>> inputs, outputs, copies;
    for (int g = 0; g < groups; ++g) {
        const uint64_t count = counts[g % 4];
        for (int k : {0, 3}) {
            inputs.push_back(std::make_unique<DeviceInts>(count));
            inputs.back()->fill([&](size_t e) { return value(rank, 4 * g + k, e); });
        }
        for (int k = 0; k < 4; ++k)
            outputs.push_back(std::make_unique<DeviceInts>(k == 3 ? count * n : count));
        copies.push_back(std::make_unique<DeviceInts>(count));
    }
    for (int g = 0; g < groups; ++g) {
        const uint64_t count = counts[g % 4];
        void *fresh = inputs[2 * g]->ptr();
        void *out0 = outputs[4 * g]->ptr();
        void *out1 = outputs[4 * g + 1]->ptr();
        void *copy = copies[g]->ptr();
        ASSERT_EQ(
            HcclAllReduce(fresh, out0, count, HCCL_DATA_TYPE_INT32, HCCL_REDUCE_SUM, comm, stream),
            HCCL_SUCCESS);
        ASSERT_EQ(
            HcclAllReduce(out0, out1, count, HCCL_DATA_TYPE_INT32, HCCL_REDUCE_SUM, comm, stream),
            HCCL_SUCCESS);
        ASSERT_EQ(
            aclrtMemcpyAsync(copy, count * 4, out1, count * 4, ACL_MEMCPY_DEVICE_TO_DEVICE, stream),
            ACL_SUCCESS);
        ASSERT_EQ(HcclAllReduce(copy, outputs[4 * g + 2]->ptr(), count, HCCL_DATA_TYPE_INT32,
                                HCCL_REDUCE_SUM, comm, stream),
                  HCCL_SUCCESS);
        ASSERT_EQ(HcclAllGather(inputs[2 * g + 1]->ptr(), outputs[4 * g + 3]->ptr(), count,
                                HCCL_DATA_TYPE_INT32, comm, stream),
                  HCCL_SUCCESS);
    }
    sync(stream);
    for (int g = 0; g < groups; ++g) {
        SCOPED_TRACE("group " + std::to_string(g));
        const uint64_t count = counts[g % 4];
        auto sum = [&](size_t e) {
            int32_t s = 0;
            for (uint32_t r = 0; r < n; ++r)
                s += value(r, 4 * g, e);
            return s;
        };
        const auto m = static_cast<int32_t>(n);
        mismatches("fresh", outputs[4 * g]->get(), sum);
        mismatches("chained", outputs[4 * g + 1]->get(), [&](size_t e) { return m * sum(e); });
        mismatches("copied", outputs[4 * g + 2]->get(), [&](size_t e) { return m * m * sum(e); });
        mismatches("gathered", outputs[4 * g + 3]->get(), [&](size_t j) {
            return value(static_cast<uint32_t>(j / count), 4 * g + 3, j % count);
        });
    }
}

class ThreadWorld {
  public:
    explicit ThreadWorld(uint32_t n) : comms_(n, nullptr) {
        std::vector<int32_t> devices(n);
        std::iota(devices.begin(), devices.end(), 0);
        EXPECT_EQ(HcclCommInitAll(n, devices.data(), comms_.data()), HCCL_SUCCESS);
    }
    ~ThreadWorld() {
        for (HcclComm comm : comms_)
            if (comm != nullptr) {
                EXPECT_EQ(HcclCommDestroy(comm), HCCL_SUCCESS);
            }
    }
    uint32_t size() const { return static_cast<uint32_t>(comms_.size()); }
    HcclComm comm(uint32_t rank) const { return comms_[rank]; }
    void run(const std::function<void(uint32_t rank, HcclComm comm, aclrtStream stream)> &fn) {
        std::vector<std::thread> threads;
        for (uint32_t rank = 0; rank < size(); ++rank)
            threads.emplace_back([&, rank] {
                ASSERT_EQ(aclrtSetDevice(static_cast<int32_t>(rank)), ACL_SUCCESS);
                aclrtStream stream = nullptr;
                ASSERT_EQ(aclrtCreateStream(&stream), ACL_SUCCESS);
                fn(rank, comms_[rank], stream);
                EXPECT_EQ(aclrtSynchronizeStream(stream), ACL_SUCCESS);
                EXPECT_EQ(aclrtDestroyStream(stream), ACL_SUCCESS);
                aclrtResetDevice(static_cast<int32_t>(rank));
            });
        for (std::thread &t : threads)
            t.join();
    }

  private:
    std::vector<HcclComm> comms_;
};

}  // namespace hcclcpu::framework::test
