// hccl/hccl.h as CANN programs compile it (hccl_test: -std=c++11, examples: -std=c++14), with
// the exact prototypes of the management functions.
#include "hccl/hccl.h"
#include "hccl/hccl_comm.h"
#include "hccl/hccl_types.h"

template <typename T>
void same(T, T) {}

void hcclHeadersCxx() {
    same<HcclResult (*)(HcclRootInfo *)>(HcclGetRootInfo, nullptr);
    same<HcclResult (*)(uint32_t, const HcclRootInfo *, uint32_t, HcclComm *)>(HcclCommInitRootInfo,
                                                                               nullptr);
    same<HcclResult (*)(uint32_t, const HcclRootInfo *, uint32_t, const HcclCommConfig *,
                        HcclComm *)>(HcclCommInitRootInfoConfig, nullptr);
    same<HcclResult (*)(const char *, uint32_t, HcclComm *)>(HcclCommInitClusterInfo, nullptr);
    same<HcclResult (*)(const char *, uint32_t, HcclCommConfig *, HcclComm *)>(
        HcclCommInitClusterInfoConfig, nullptr);
    same<HcclResult (*)(uint32_t, int32_t *, HcclComm *)>(HcclCommInitAll, nullptr);
    same<HcclResult (*)(HcclComm)>(HcclCommDestroy, nullptr);
    same<HcclResult (*)(HcclComm, uint32_t *)>(HcclGetRankSize, nullptr);
    same<HcclResult (*)(HcclComm, uint32_t *)>(HcclGetRankId, nullptr);
    same<HcclResult (*)(HcclComm, char *)>(HcclGetCommName, nullptr);
    same<const char *(*)(HcclResult)>(HcclGetErrorString, nullptr);
    same<HcclResult (*)(HcclComm, HcclResult *)>(HcclGetCommAsyncError, nullptr);
    same<HcclResult (*)(HcclConfig, HcclConfigValue)>(HcclSetConfig, nullptr);
    same<HcclResult (*)(HcclConfig, HcclConfigValue *)>(HcclGetConfig, nullptr);
    same<uint32_t (*)()>(HcclGetCommConfigCapability, nullptr);

    // new-test style: zero-initialise, then HcclCommConfigInit. (`{0}` must stay valid: the
    // first member accepts 0. -Wextra's missing-initializer note is about that user code.)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
    HcclCommConfig config = {0};
#pragma GCC diagnostic pop
    HcclCommConfigInit(&config);
    HcclCommConfigInit(nullptr);
    (void)config;

    // The examples call ACL through hccl/hccl.h alone.
    aclrtStream stream = nullptr;
    (void)stream;
    (void)&aclrtSetDevice;
}
