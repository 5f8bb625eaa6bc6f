// Algorithm-developer code as it is written for the vendor's platform layer: vendor header names,
// DeviceMem views, HcclD2DMemcpyAsync, inline reduction, LocalNotify between a main stream and a
// sub-stream. Builds unchanged with
//   g++ -std=c++14 x.cc -IP/include -IP/include/hccl/platform -LP/lib64 -lhccl -lascendcl
#include <cstdio>
#include <cstring>
#include <memory>
#include <vector>

#include "acl/acl.h"
#include "dispatcher.h"
#include "local_notify.h"
#include "mem_device_pub.h"
#include "stream_pub.h"

#define CHECK(x)                                                       \
    do {                                                               \
        if ((x) != 0) {                                                \
            std::printf("%s:%d: %s failed\n", __FILE__, __LINE__, #x); \
            return 1;                                                  \
        }                                                              \
    } while (0)

int main() {
    CHECK(aclrtSetDevice(0));
    HcclDispatcher dispatcher = nullptr;
    CHECK(HcclDispatcherInit(DispatcherType::DISPATCHER_NORMAL, 0, &dispatcher));

    const u64 count = 1024;
    hccl::DeviceMem input = hccl::DeviceMem::alloc(count * sizeof(float));
    hccl::DeviceMem output = hccl::DeviceMem::alloc(count * sizeof(float));
    if (!input || !output) return 1;
    std::vector<float> host(count);
    for (u64 i = 0; i < count; ++i)
        host[i] = static_cast<float>(i);
    CHECK(aclrtMemcpy(input.ptr(), input.size(), host.data(), input.size(),
                      ACL_MEMCPY_HOST_TO_DEVICE));

    hccl::Stream mainStream(hccl::StreamType::STREAM_TYPE_ONLINE, true);
    hccl::Stream subStream(hccl::StreamType::STREAM_TYPE_ONLINE);
    std::shared_ptr<hccl::LocalNotify> start(new hccl::LocalNotify());
    std::shared_ptr<hccl::LocalNotify> done(new hccl::LocalNotify());
    CHECK(start->Init());
    CHECK(done->Init());

    // main: output = input; sub (after main): output += input (inline reduce); main waits for sub.
    CHECK(HcclD2DMemcpyAsync(dispatcher, output, input, mainStream));
    CHECK(hccl::LocalNotify::Post(mainStream, dispatcher, start));
    CHECK(hccl::LocalNotify::Wait(subStream, dispatcher, start));
    CHECK(HcclReduceAsync(dispatcher, input.ptr(), count, HCCL_DATA_TYPE_FP32, HCCL_REDUCE_SUM,
                          subStream, output.ptr(), INVALID_VALUE_RANKID,
                          hccl::LinkType::LINK_ONCHIP, INLINE_REDUCE_BIT));
    CHECK(hccl::LocalNotify::Post(subStream, dispatcher, done));
    CHECK(hccl::LocalNotify::Wait(mainStream, dispatcher, done));
    CHECK(aclrtSynchronizeStream(mainStream.ptr()));

    CHECK(aclrtMemcpy(host.data(), output.size(), output.ptr(), output.size(),
                      ACL_MEMCPY_DEVICE_TO_HOST));
    for (u64 i = 0; i < count; ++i) {
        if (host[i] != 2.0f * static_cast<float>(i)) {
            std::printf("mismatch at %llu: %f\n", static_cast<unsigned long long>(i), host[i]);
            return 1;
        }
    }
    CHECK(HcclDispatcherDestroy(dispatcher));
    std::printf("dispatcher example: %llu elements verified\n",
                static_cast<unsigned long long>(count));
    return 0;
}
