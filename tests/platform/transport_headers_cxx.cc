// The transport headers compile on their own as C++11 and C++14, the way template code includes
// them, and a template-style function using them compiles.
#include "hccl_cpu_links.h"
#include "log.h"
#include "remote_notify.h"
#include "transport_pub.h"

static_assert(hccl::MAX_EXCHANGE_DATA_LEN == 2 * 1024 * 1024, "");
static_assert(hcclcpu::kLinkAttributeDefault == 0x03, "");

namespace {

// A ring step as all_gather_ring writes it.
HcclResult ringStep(const std::vector<hccl::LINK> &links, u32 rank, u32 rankSize,
                    hccl::Stream &stream, u64 offset, u64 len, void *buffer) {
    const hccl::LINK &left = links[(rank + rankSize - 1) % rankSize];
    const hccl::LINK &right = links[(rank + 1) % rankSize];
    CHK_SMART_PTR_NULL(left);
    CHK_RET(left->TxAck(stream));
    CHK_RET(right->RxAck(stream));
    std::vector<hccl::TxMemoryInfo> tx;
    tx.push_back(hccl::TxMemoryInfo{hccl::UserMemType::OUTPUT_MEM, offset, buffer, len});
    CHK_RET(right->TxAsync(tx, stream));
    CHK_RET(left->RxAsync(hccl::UserMemType::OUTPUT_MEM, offset, buffer, len, stream));
    CHK_RET(left->Wait(0, stream));
    void *remote = nullptr;
    CHK_RET(left->GetRemoteMem(hccl::UserMemType::INPUT_MEM, &remote));
    return left->IsSpInlineReduce() && left->GetLinkType() != hccl::LinkType::LINK_ROCE
               ? HCCL_SUCCESS
               : HCCL_E_INTERNAL;
}

HcclResult linkSet() {
    hcclcpu::LinkSet *links = nullptr;
    hcclcpu::LinkSetOptions options;
    options.linkAttribute = hcclcpu::kLinkAttributeWrite;
    CHK_RET(hcclcpu::LinkSet::Create(2, 4096, options, links));
    HcclResult ret = links->RunRanks([links](u32 rank, hccl::Stream &stream) -> HcclResult {
        return ringStep(links->Links(rank), rank, links->RankSize(), stream, 0, 16,
                        links->Output(rank).ptr());
    });
    (void)hcclcpu::LinkSet::Destroy(links);
    return ret;
}

}  // namespace

void *transportHeadersCompile() {
    return reinterpret_cast<void *>(&linkSet);
}
