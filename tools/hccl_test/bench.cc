#include "bench.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "check.h"
#include "dtype.h"
#include "issue.h"

namespace hccltest {

namespace {

const char *const kReduceOpNames[] = {"sum", "prod", "max", "min"};

// Devices this process may use: HCCL_TEST_USE_DEVS ("0,2,4") or all of them.
std::vector<int32_t> usableDevices(uint32_t deviceCount) {
    std::vector<int32_t> devices;
    if (const char *list = std::getenv("HCCL_TEST_USE_DEVS")) {
        for (const char *p = list; *p;) {
            char *end = nullptr;
            long d = std::strtol(p, &end, 10);
            if (end == p) break;
            if (d >= 0 && d < static_cast<long>(deviceCount))
                devices.push_back(static_cast<int32_t>(d));
            p = *end == ',' ? end + 1 : end;
        }
    }
    if (devices.empty())
        for (uint32_t d = 0; d < deviceCount; ++d)
            devices.push_back(static_cast<int32_t>(d));
    return devices;
}

class RankRun {
  public:
    RankRun(const Options &options, Group &group) : o_(options), group_(group) {}

    int run() {
        setUp();
        std::vector<uint64_t> sizes = sizeSequence(o_);
        allocate(sizes);
        if (group_.rank() == 0) printHeader();
        uint64_t lastBytes = 0;
        for (uint64_t size : sizes) {
            Shape shape = makeShape(o_.op, size, o_.dataType, group_.size());
            if (shape.bytes == lastBytes) continue;  // rounded to the size before
            lastBytes = shape.bytes;
            measure(shape);
        }
        tearDown();
        if (failedSizes_ != 0 && group_.rank() == 0)
            std::printf("hccl_test: the check failed at %u of the sizes\n", failedSizes_);
        std::fflush(stdout);
        return failedSizes_ == 0 ? kExitSuccess : kExitCheckFailed;
    }

  private:
    void acl(aclError rc, const char *what) {
        if (rc == ACL_SUCCESS) return;
        std::fprintf(stderr, "hccl_test: rank %u: %s failed: %d\n", group_.rank(), what, rc);
        group_.abort(kExitError);
    }
    void hccl(HcclResult rc, const char *what) {
        if (rc == HCCL_SUCCESS) return;
        std::fprintf(stderr, "hccl_test: rank %u: %s failed: %d (%s)\n", group_.rank(), what, rc,
                     HcclGetErrorString(rc));
        group_.abort(kExitError);
    }
    void host(bool ok, const char *what) {
        if (ok) return;
        std::fprintf(stderr, "hccl_test: rank %u: %s failed: another rank is gone\n", group_.rank(),
                     what);
        group_.abort(kExitError);
    }

    void setUp() {
        acl(aclInit(nullptr), "aclInit");
        uint32_t deviceCount = 0;
        acl(aclrtGetDeviceCount(&deviceCount), "aclrtGetDeviceCount");
        std::vector<int32_t> devices = usableDevices(deviceCount);
        if (devices.empty()) acl(-1, "finding a device");
        uint32_t local = o_.npusPerNode ? group_.rank() % o_.npusPerNode : group_.localRank();
        device_ = devices[local % devices.size()];
        acl(aclrtSetDevice(device_), "aclrtSetDevice");
        acl(aclrtCreateStream(&stream_), "aclrtCreateStream");

        HcclRootInfo rootInfo;
        std::memset(&rootInfo, 0, sizeof(rootInfo));
        if (group_.rank() == 0 && HcclGetRootInfo(&rootInfo) != HCCL_SUCCESS) {
            std::fprintf(stderr, "hccl_test: rank 0: HcclGetRootInfo failed\n");
            std::snprintf(rootInfo.internal, sizeof(rootInfo.internal), "invalid");
        }
        host(group_.broadcast(&rootInfo, HCCL_ROOT_INFO_BYTES, 0), "sharing the root info");
        if (std::strcmp(rootInfo.internal, "invalid") == 0) group_.abort(kExitError);
        hccl(HcclCommInitRootInfo(group_.size(), &rootInfo, group_.rank(), &comm_),
             "HcclCommInitRootInfo");
    }

    void allocate(const std::vector<uint64_t> &sizes) {
        size_t elementSize = dataTypeInfo(o_.dataType).size;
        for (uint64_t size : sizes) {
            Shape s = makeShape(o_.op, size, o_.dataType, group_.size());
            sendBytes_ = std::max(sendBytes_, s.sendCount(group_.rank()) * elementSize);
            recvBytes_ = std::max(recvBytes_, s.recvCount(group_.rank()) * elementSize);
        }
        acl(aclrtMalloc(&send_, sendBytes_, ACL_MEM_MALLOC_HUGE_FIRST), "aclrtMalloc(send)");
        acl(aclrtMalloc(&recv_, recvBytes_, ACL_MEM_MALLOC_HUGE_FIRST), "aclrtMalloc(recv)");
        host_.resize(std::max(sendBytes_, recvBytes_));
    }

    void tearDown() {
        hccl(HcclCommDestroy(comm_), "HcclCommDestroy");
        acl(aclrtDestroyStream(stream_), "aclrtDestroyStream");
        acl(aclrtFree(send_), "aclrtFree(send)");
        acl(aclrtFree(recv_), "aclrtFree(recv)");
        acl(aclrtResetDevice(device_), "aclrtResetDevice");
        acl(aclFinalize(), "aclFinalize");
    }

    void printHeader() {
        const OpInfo &op = opInfo(o_.op);
        std::printf("hccl_test %s (%s): %u ranks, %s", op.name, op.hcclFunction, group_.size(),
                    dataTypeInfo(o_.dataType).name);
        if (op.reduces) std::printf(", %s", kReduceOpNames[o_.reduceOp]);
        if (op.rooted) std::printf(", root %u", o_.root);
        std::printf("\nthe minbytes is %llu, maxbytes is %llu, iters is %u, warmup_iters is %u\n",
                    static_cast<unsigned long long>(o_.minBytes),
                    static_cast<unsigned long long>(o_.maxBytes), o_.iters, o_.warmupIters);
        std::printf("%s", tableHeader().c_str());
        std::fflush(stdout);
    }

    // Writes this rank's input (and, when checking, a recognisable garbage output).
    void fillBuffers(const Shape &shape) {
        size_t elementSize = dataTypeInfo(o_.dataType).size;
        uint64_t count = shape.sendCount(group_.rank());
        for (uint64_t k = 0; k < count; ++k)
            storeElement(host_.data(), k, o_.dataType,
                         inputValue(shape, o_.reduceOp, group_.rank(), k));
        acl(aclrtMemcpy(send_, sendBytes_, host_.data(), count * elementSize,
                        ACL_MEMCPY_HOST_TO_DEVICE),
            "aclrtMemcpy(input)");
        if (o_.check && shape.op != OpId::kBroadcast)
            acl(aclrtMemset(recv_, recvBytes_, 0xa5, recvBytes_), "aclrtMemset(output)");
    }

    void issueOrAbort(const Call &call) {
        hccl(issue(call, comm_, stream_), opInfo(o_.op).hcclFunction);
    }

    void measure(const Shape &shape) {
        fillBuffers(shape);
        Call call = prepareCall(shape, group_.rank(), o_.reduceOp, o_.root, send_, recv_);
        for (uint32_t i = 0; i < o_.warmupIters; ++i) {
            issueOrAbort(call);
            acl(aclrtSynchronizeStream(stream_), "aclrtSynchronizeStream");
        }
        host(group_.barrier(), "lining up the ranks");
        auto start = std::chrono::steady_clock::now();
        for (uint32_t i = 0; i < o_.iters; ++i) {
            issueOrAbort(call);
            if (o_.blocking) acl(aclrtSynchronizeStream(stream_), "aclrtSynchronizeStream");
        }
        acl(aclrtSynchronizeStream(stream_), "aclrtSynchronizeStream");
        double us =
            std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start)
                .count() /
            o_.iters;
        host(group_.max(&us), "collecting the times");

        const char *verdict = "NULL";
        if (o_.check) {
            uint64_t mismatches = checkOutput(call);
            host(group_.sum(&mismatches), "collecting the check");
            verdict = mismatches == 0 ? "success" : "fail";
            if (mismatches != 0) ++failedSizes_;
        }
        if (group_.rank() == 0) {
            std::printf("%s",
                        tableRow(shape.bytes, us, busBandwidthFactor(o_.op, group_.size()), verdict)
                            .c_str());
            std::fflush(stdout);
        }
    }

    uint64_t checkOutput(const Call &call) {
        const Shape &shape = call.shape;
        uint32_t me = group_.rank();
        uint64_t count = shape.recvCount(me);
        size_t bytes = count * dataTypeInfo(o_.dataType).size;
        acl(aclrtMemcpy(host_.data(), host_.size(), call.output(), bytes,
                        ACL_MEMCPY_DEVICE_TO_HOST),
            "aclrtMemcpy(output)");
        // Test hook: HCCL_TEST_INJECT_MISMATCH=1 spoils one element of the last rank's output,
        // so the tool's own tests can see a failing check.
        const char *inject = std::getenv("HCCL_TEST_INJECT_MISMATCH");
        if (inject && std::strcmp(inject, "1") == 0 && me + 1 == group_.size())
            storeElement(host_.data(), count / 2, o_.dataType,
                         loadElement(host_.data(), count / 2, o_.dataType) == 1 ? 0 : 1);
        Expectation expected(shape, o_.reduceOp, o_.root, me);
        CheckResult result = compareOutput(host_.data(), count, o_.dataType, expected);
        for (const Mismatch &m : result.first)
            std::fprintf(stderr, "hccl_test: %s: %s (data size %llu)\n", opInfo(o_.op).name,
                         describeMismatch(me, m).c_str(),
                         static_cast<unsigned long long>(shape.bytes));
        if (result.mismatches > result.first.size())
            std::fprintf(stderr, "hccl_test: rank %u: %llu mismatching elements in all\n", me,
                         static_cast<unsigned long long>(result.mismatches));
        return result.mismatches;
    }

    const Options &o_;
    Group &group_;
    int32_t device_ = 0;
    aclrtStream stream_ = nullptr;
    HcclComm comm_ = nullptr;
    void *send_ = nullptr;
    void *recv_ = nullptr;
    size_t sendBytes_ = 0;
    size_t recvBytes_ = 0;
    std::vector<unsigned char> host_;
    unsigned failedSizes_ = 0;
};

}  // namespace

std::string tableHeader() {
    return "data_size(Bytes): | aveg_time(us): | alg_bandwidth(GB/s): | check_result: | "
           "bus_bandwidth(GB/s):\n";
}

std::string tableRow(uint64_t bytes, double microseconds, double busFactor, const char *check) {
    double algbw = microseconds > 0 ? static_cast<double>(bytes) / microseconds / 1e3 : 0.0;
    char line[200];
    std::snprintf(line, sizeof(line), "%-18llu| %-15.2f| %-21.5f| %-14s| %.5f\n",
                  static_cast<unsigned long long>(bytes), microseconds, algbw, check,
                  algbw * busFactor);
    return line;
}

int runRank(const Options &options, Group &group) {
    return RankRun(options, group).run();
}

}  // namespace hccltest
