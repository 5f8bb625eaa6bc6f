// The public platform headers compile as C++14 on their own, the way vendor algorithm code
// includes them (-I P/include -I P/include/hccl/platform).
#include "adapter_rts_common.h"
#include "base.h"
#include "dispatcher.h"
#include "dispatcher_task_types.h"
#include "dtype_common.h"
#include "hccl_common.h"
#include "local_notify.h"
#include "log.h"
#include "mem_device_pub.h"
#include "mem_host_pub.h"
#include "stream_pub.h"
#include "task_logic_info_pub.h"

static_assert(sizeof(s8) == 1 && sizeof(u16) == 2 && sizeof(s32) == 4 && sizeof(u64) == 8, "");
static_assert(SIZE_TABLE[HCCL_DATA_TYPE_BFP16] == 2 && SIZE_TABLE[HCCL_DATA_TYPE_INT128] == 16, "");
static_assert(SIZE_TABLE[13] == 2 && SIZE_TABLE[18] == 0, "");
static_assert(sizeof(SIZE_TABLE) / sizeof(SIZE_TABLE[0]) == 255, "");
static_assert(HCCL_SDMA_MAX_COUNT_4GB == 0x100000000LL, "");
static_assert(NOTIFY_DEFAULT_WAIT_TIME == 1836 && NOTIFY_MAX_WAIT_TIME == 17340, "");
static_assert(hccl::MakeNotifyId(3, 0x1234567890ULL) == 0x0000000334567890ULL, "");
static_assert(static_cast<int>(hccl::LinkType::LINK_RESERVED) == 255, "");
static_assert(static_cast<int>(hccl::TaskType::TASK_FLIP) == 9, "");
static_assert(static_cast<int>(DevType::DEV_TYPE_COUNT) == 9, "");

namespace {

// Calls written the way templates write them, using the default arguments.
HcclResult templateStyle(HcclDispatcher dispatcher, hccl::Stream &stream, hccl::DeviceMem &out,
                         const hccl::DeviceMem &in, std::shared_ptr<hccl::LocalNotify> &notify) {
    CHK_PTR_NULL(dispatcher);
    CHK_SMART_PTR_NULL(notify);
    CHK_RET(hccl::LocalNotify::Post(stream, dispatcher, notify));
    CHK_RET(hccl::LocalNotify::Wait(stream, dispatcher, notify, INVALID_VALUE_STAGE));
    CHK_RET(::HcclD2DMemcpyAsync(dispatcher, out, in.range(0, in.size()), stream));
    CHK_RET(::HcclReduceAsync(dispatcher, in.ptr(), in.size() / SIZE_TABLE[HCCL_DATA_TYPE_FP32],
                              HCCL_DATA_TYPE_FP32, HCCL_REDUCE_SUM, stream, out.ptr(),
                              INVALID_VALUE_RANKID, hccl::LinkType::LINK_HCCS, INLINE_REDUCE_BIT));
    CHK_PRT_RET(out.size() < in.size(), HCCL_ERROR("out[%llu] < in[%llu]", out.size(), in.size()),
                HCCL_E_PARA);
    HCCL_INFO("rank %u link %s", 0u, hccl::GetLinkTypeEnumStr(hccl::LinkType::LINK_SIO).c_str());
    hccl::TaskPara para(hccl::TaskType::TASK_NOTIFY_WAIT, hccl::TaskParaNotify(1ULL << 32, 0, 7));
    hccl::TxMemoryInfo tx{hccl::UserMemType::OUTPUT_MEM, 0, in.ptr(), in.size()};
    (void)tx;
    return para.notify.remoteUserRank == 7 ? HCCL_SUCCESS : HCCL_E_INTERNAL;
}

}  // namespace

void *platformHeadersCompile() {
    return reinterpret_cast<void *>(&templateStyle);
}
