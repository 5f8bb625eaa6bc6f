/* The ACL headers must be valid C, warning-free, with every declaration a CANN program uses
 * (hccl_test, the examples) reachable from acl/acl.h and acl/acl_prof.h. This file is compiled on
 * its own with -std=c11 -Wall -Wextra -Werror, and linked into a C program (c_api_main.c) that
 * runs it, which checks that every function is exported with C linkage. */
#include <acl/acl.h>
#include <acl/acl_prof.h>
#include <stdio.h>

_Static_assert(sizeof(aclrtMemLocation) == 8, "aclrtMemLocation layout");
_Static_assert(sizeof(aclrtPhysicalMemProp) == 32, "aclrtPhysicalMemProp layout");
_Static_assert(offsetof(aclrtPhysicalMemProp, memAttr) == 8, "memAttr offset");
_Static_assert(offsetof(aclrtPhysicalMemProp, location) == 12, "location offset");
_Static_assert(offsetof(aclrtPhysicalMemProp, reserve) == 24, "reserve offset");

static int check(aclError ret, const char *what) {
    if (ret != ACL_SUCCESS && ret != ACL_ERROR_NONE) {
        printf("%s failed: %d (success is %d)\n", what, ret, ACL_SUCCESS);
        return 1;
    }
    return 0;
}

int uses_every_declaration(void);
int uses_every_declaration(void) {
    uint32_t count = 0;
    int32_t device = 0, major = 0, minor = 0, patch = 0;
    aclrtStream stream = NULL;
    aclrtEvent start = NULL, end = NULL;
    aclrtContext context = NULL;
    aclrtEventRecordedStatus recorded;
    aclrtStreamStatus streamStatus;
    aclrtRunMode runMode;
    aclrtFloatOverflowMode satMode;
    void *dev = NULL, *host = NULL, *va = NULL;
    size_t freeBytes = 0, totalBytes = 0, granularity = 0;
    float ms = 0.0f;
    aclrtDrvMemHandle handle = NULL;
    aclrtMemAttr attr = ACL_HBM_MEM_HUGE;
    aclrtPhysicalMemProp prop = {ACL_MEM_HANDLE_TYPE_NONE,
                                 ACL_MEM_ALLOCATION_TYPE_PINNED,
                                 ACL_DDR_MEM_HUGE,
                                 {0, ACL_MEM_LOCATION_TYPE_DEVICE},
                                 0};
    uint32_t profDevices[1] = {0};
    aclprofConfig *config;
    int failures = 0;
    const char *soc = aclrtGetSocName();
    const char *msg = aclGetRecentErrMsg();

    failures += check(aclrtGetDeviceCount(&count), "count");
    failures += check(aclInit(NULL), "init");
    failures += check(aclrtSetDevice(0), "set");
    failures += check(aclrtGetDevice(&device), "get");
    failures += check(aclrtSetDeviceSatMode(ACL_RT_OVERFLOW_MODE_INFNAN), "sat");
    failures += check(aclrtGetDeviceSatMode(&satMode), "getsat");
    failures += check(aclrtGetRunMode(&runMode), "runmode");
    failures += check(aclrtGetVersion(&major, &minor, &patch), "version");
    failures += check(aclrtCreateContext(&context, 0), "ctx");
    failures += check(aclrtSetCurrentContext(context), "setctx");
    failures += check(aclrtGetCurrentContext(&context), "getctx");
    failures += check(aclrtDestroyContext(context), "destroyctx");
    failures += check(aclrtCreateStream(&stream), "stream");
    failures += check(aclrtSetStreamFailureMode(stream, ACL_STOP_ON_FAILURE), "failmode");
    failures += check(aclrtCreateEvent(&start), "event");
    failures += check(aclrtCreateEventWithFlag(&end, ACL_EVENT_SYNC | ACL_EVENT_TIME_LINE), "ev");
    failures += check(aclrtMalloc(&dev, 64, ACL_MEM_MALLOC_HUGE_FIRST), "malloc");
    failures += check(aclrtMallocHost(&host, 64), "mallochost");
    failures += check(aclrtRecordEvent(start, stream), "record");
    failures += check(aclrtMemcpy(dev, 64, host, 64, ACL_MEMCPY_HOST_TO_DEVICE), "memcpy");
    failures += check(aclrtMemcpyAsync(host, 64, dev, 64, ACL_MEMCPY_DEVICE_TO_HOST, stream), "a");
    failures += check(aclrtMemset(dev, 64, 0, 64), "memset");
    failures += check(aclrtMemsetAsync(dev, 64, 0, 64, stream), "memsetasync");
    failures += check(aclrtRecordEvent(end, stream), "record");
    failures += check(aclrtStreamWaitEvent(stream, end), "wait");
    failures += check(aclrtSynchronizeStream(stream), "sync");
    failures += check(aclrtStreamQuery(stream, &streamStatus), "query");
    failures += check(aclrtSynchronizeEvent(end), "syncevent");
    failures += check(aclrtQueryEventStatus(end, &recorded), "queryevent");
    failures += check(aclrtEventElapsedTime(&ms, start, end), "elapsed");
    failures += check(aclrtResetEvent(end, stream), "reset");
    failures += check(aclrtSynchronizeDevice(), "syncdev");
    failures += check(aclrtGetMemInfo(attr, &freeBytes, &totalBytes), "meminfo");
    failures += check(
        aclrtMemGetAllocationGranularity(&prop, ACL_RT_MEM_ALLOC_GRANULARITY_MINIMUM, &granularity),
        "granularity");
    if (aclrtReserveMemAddress(&va, granularity, 0, NULL, 1) == ACL_SUCCESS) {
        failures += check(aclrtMallocPhysical(&handle, granularity, &prop, 0), "mallocphys");
        failures += check(aclrtMapMem(va, granularity, 0, handle, 0), "map");
        failures += check(aclrtUnmapMem(va), "unmap");
        failures += check(aclrtFreePhysical(handle), "freephys");
        failures += check(aclrtReleaseMemAddress(va), "release");
    } else if (aclrtGetLastError(ACL_RT_THREAD_LEVEL) != ACL_ERROR_RT_FEATURE_NOT_SUPPORT) {
        failures += 1; /* the one documented way the virtual memory functions fail today */
    }
    failures += check(aclrtFree(dev), "free");
    failures += check(aclrtFreeHost(host), "freehost");
    failures += check(aclrtDestroyEvent(start), "destroyevent");
    failures += check(aclrtDestroyEvent(end), "destroyevent");
    failures += check(aclrtDestroyStream(stream), "destroystream");
    failures += check(aclprofInit("/tmp", 4), "profinit");
    config = aclprofCreateConfig(profDevices, 1, ACL_AICORE_PIPE_UTILIZATION, NULL,
                                 ACL_PROF_ACL_API | ACL_PROF_TASK_TIME | ACL_PROF_AICORE_METRICS |
                                     ACL_PROF_AICPU | ACL_PROF_HCCL_TRACE | ACL_PROF_MSPROFTX |
                                     ACL_PROF_RUNTIME_API);
    failures += check(aclprofStart(config), "profstart");
    failures += check(aclprofStop(config), "profstop");
    failures += check(aclprofDestroyConfig(config), "profdestroy");
    failures += check(aclprofFinalize(), "proffinalize");
    failures += check(aclrtResetDevice(0), "reset");
    failures += check(aclrtGetLastError(ACL_RT_THREAD_LEVEL), "lasterror");
    failures += check(aclrtPeekAtLastError(ACL_RT_THREAD_LEVEL), "peek");
    failures += check(aclFinalize(), "finalize");
    printf("%s %s %zu %.1f %f %d\n", soc, msg ? msg : "", aclDataTypeSize(ACL_FLOAT16),
           aclFloat16ToFloat(aclFloatToFloat16(1.0f)), (double)ms, ACL_ERROR_RT_MEMORY_ALLOCATION);
    ACL_APP_LOG(ACL_INFO, "%d devices", (int)count);
    return failures;
}
