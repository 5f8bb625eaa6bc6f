// Compiled, not run, as C++11 and C++14 with -Werror: what hccl_test and the vendor examples write
// against the ACL headers must compile unchanged.
#include <acl/acl.h>
#include <acl/acl_prof.h>

#include <cstdio>

static_assert(sizeof(aclrtPhysicalMemProp) == 32, "aclrtPhysicalMemProp layout");

int usesCppSpellings(uint32_t devId, bool ddr);
int usesCppSpellings(uint32_t devId, bool ddr) {
    // hccl_test qualifies enumerators with their enum's name and brace-initialises the prop.
    aclrtMemAttr memAttr = ddr ? aclrtMemAttr::ACL_DDR_MEM_HUGE : aclrtMemAttr::ACL_HBM_MEM_HUGE;
    aclrtPhysicalMemProp prop = {aclrtMemHandleType::ACL_MEM_HANDLE_TYPE_NONE,
                                 aclrtMemAllocationType::ACL_MEM_ALLOCATION_TYPE_PINNED,
                                 memAttr,
                                 {devId, aclrtMemLocationType::ACL_MEM_LOCATION_TYPE_DEVICE},
                                 0};
    size_t granularity = 0;
    aclError ret = aclrtMemGetAllocationGranularity(
        &prop, aclrtMemGranularityOptions::ACL_RT_MEM_ALLOC_GRANULARITY_RECOMMENDED, &granularity);
    if (ret != ACL_SUCCESS) std::printf("granularity failed %d\n", ret);
    if (ret == ACL_ERROR_RT_MEMORY_ALLOCATION) return 2;

    aclrtStream stream = nullptr;
    if (aclrtCreateStream(&stream) != ACL_SUCCESS) return 1;
    void *dev = nullptr;
    if (aclrtMalloc(&dev, 1024, ACL_MEM_MALLOC_HUGE_ONLY) != ACL_ERROR_NONE) return 1;
    aclrtEvent event = nullptr;
    aclrtCreateEventWithFlag(&event, ACL_EVENT_SYNC);
    aclrtMemcpy(dev, 1024, dev, 1024, ACL_MEMCPY_HOST_TO_HOST);
    aclprofConfig *config = aclprofCreateConfig(nullptr, 0, ACL_AICORE_NONE, nullptr, 0);
    aclprofDestroyConfig(config);
    const int codes[] = {ACL_SUCCESS, ACL_ERROR_INVALID_PARAM, ACL_ERROR_RT_PARAM_INVALID};
    return codes[0] + static_cast<int>(aclrtFloatOverflowMode::ACL_RT_OVERFLOW_MODE_INFNAN);
}
