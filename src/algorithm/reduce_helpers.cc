#include "algorithm/reduce_helpers.h"

#include "dtype_common.h"
#include "log.h"

namespace hcclcpu::algorithm {

namespace {
u32 PeerRank(const LINK &link) {
    return link ? link->GetRemoteRank() : INVALID_VALUE_RANKID;
}
hccl::LinkType PeerLinkType(const LINK &link) {
    return link ? link->GetLinkType() : hccl::LinkType::LINK_ONCHIP;
}
}  // namespace

bool InlineReduceSupported(HcclDataType dataType, HcclReduceOp op) {
    bool typeOk = dataType == HCCL_DATA_TYPE_INT8 || dataType == HCCL_DATA_TYPE_INT16 ||
                  dataType == HCCL_DATA_TYPE_INT32 || dataType == HCCL_DATA_TYPE_FP16 ||
                  dataType == HCCL_DATA_TYPE_FP32 || dataType == HCCL_DATA_TYPE_BFP16;
    bool opOk = op == HCCL_REDUCE_SUM || op == HCCL_REDUCE_MAX || op == HCCL_REDUCE_MIN;
    return typeOk && opOk;
}

HcclResult CopyBytes(HcclDispatcher dispatcher, Stream &stream, void *dst, const void *src,
                     u64 bytes, const LINK &link) {
    if (bytes == 0 || dst == src) return HCCL_SUCCESS;
    DeviceMem dstMem = DeviceMem::create(dst, bytes);
    const DeviceMem srcMem = DeviceMem::create(const_cast<void *>(src), bytes);
    return HcclD2DMemcpyAsync(dispatcher, dstMem, srcMem, stream, PeerRank(link),
                              PeerLinkType(link));
}

HcclResult ReduceInto(HcclDispatcher dispatcher, Stream &stream, void *dst, const void *src,
                      u64 count, HcclDataType dataType, HcclReduceOp op, const LINK &link,
                      void *scratch) {
    if (count == 0) return HCCL_SUCCESS;
    void *from = const_cast<void *>(src);
    if (InlineReduceSupported(dataType, op)) {
        return HcclReduceAsync(dispatcher, from, count, dataType, op, stream, dst, PeerRank(link),
                               PeerLinkType(link), INLINE_REDUCE_BIT);
    }
    if (link && scratch != nullptr) {
        CHK_RET(CopyBytes(dispatcher, stream, scratch, src, count * SIZE_TABLE[dataType], link));
        from = scratch;
    }
    return HcclReduceAsync(dispatcher, from, count, dataType, op, stream, dst, PeerRank(link),
                           PeerLinkType(link), 0);
}

HcclResult RemoteBase(const LINK &link, hccl::UserMemType type, u8 *&base) {
    void *ptr = nullptr;
    CHK_RET(link->GetRemoteMem(type, &ptr));
    CHK_PTR_NULL(ptr);
    base = static_cast<u8 *>(ptr);
    return HCCL_SUCCESS;
}

std::vector<Slice> EvenSlices(u64 count, u32 parts, u32 unitSize) {
    std::vector<Slice> slices(parts);
    const u64 base = count / parts;
    const u64 extra = count % parts;
    u64 offset = 0;
    for (u32 i = 0; i < parts; ++i) {
        const u64 elements = base + (i < extra ? 1 : 0);
        slices[i] = Slice{offset * unitSize, elements * unitSize};
        offset += elements;
    }
    return slices;
}

HcclResult RankBlocks(const std::vector<Slice> &slices, u64 blockCount, u32 unitSize, u32 rankSize,
                      std::vector<Slice> &blocks) {
    if (!slices.empty()) {
        if (slices.size() != rankSize) {
            HCCL_ERROR("template: %zu slices for %u ranks", slices.size(), rankSize);
            return HCCL_E_PARA;
        }
        blocks = slices;
        return HCCL_SUCCESS;
    }
    blocks.resize(rankSize);
    for (u32 i = 0; i < rankSize; ++i)
        blocks[i] = Slice{i * blockCount * unitSize, blockCount * unitSize};
    return HCCL_SUCCESS;
}

HcclResult CheckLinks(u32 rank, u32 rankSize, const std::vector<LINK> &links) {
    if (rankSize == 0 || rank >= rankSize) {
        HCCL_ERROR("template: rank %u of %u ranks", rank, rankSize);
        return HCCL_E_PARA;
    }
    if (rankSize == 1) return HCCL_SUCCESS;
    if (links.size() < rankSize) {
        HCCL_ERROR("template: %zu links for %u ranks", links.size(), rankSize);
        return HCCL_E_PARA;
    }
    for (u32 peer = 0; peer < rankSize; ++peer) {
        if (peer != rank && !links[peer]) {
            HCCL_ERROR("template: rank %u has no link to rank %u", rank, peer);
            return HCCL_E_PTR;
        }
    }
    return HCCL_SUCCESS;
}

HcclResult MeshAckAll(u32 rank, u32 rankSize, const std::vector<LINK> &links, Stream &stream) {
    for (u32 peer = 0; peer < rankSize; ++peer)
        if (peer != rank) CHK_RET(links[peer]->TxAck(stream));
    for (u32 peer = 0; peer < rankSize; ++peer)
        if (peer != rank) CHK_RET(links[peer]->RxAck(stream));
    return HCCL_SUCCESS;
}

HcclResult MeshDataSignalAll(u32 rank, u32 rankSize, const std::vector<LINK> &links,
                             Stream &stream) {
    for (u32 peer = 0; peer < rankSize; ++peer)
        if (peer != rank) CHK_RET(links[peer]->TxDataSignal(stream));
    for (u32 peer = 0; peer < rankSize; ++peer)
        if (peer != rank) CHK_RET(links[peer]->RxDataSignal(stream));
    return HCCL_SUCCESS;
}

}  // namespace hcclcpu::algorithm
