#include "algorithm/dm_template_util.h"

#include "log.h"

namespace hcclcpu::algorithm::dm {

HcclResult CheckRun(const char *what, u32 rank, u32 rankSize, const std::vector<LINK> &links,
                    u32 root, bool needRoot) {
    if (rankSize == 0 || rank >= rankSize) {
        HCCL_ERROR("%s: rank %u out of range for %u ranks", what, rank, rankSize);
        return HCCL_E_PARA;
    }
    if (needRoot && root >= rankSize) {
        HCCL_ERROR("%s: root %u out of range for %u ranks", what, root, rankSize);
        return HCCL_E_PARA;
    }
    if (rankSize == 1) return HCCL_SUCCESS;
    if (links.size() != rankSize) {
        HCCL_ERROR("%s: %zu links for %u ranks", what, links.size(), rankSize);
        return HCCL_E_PARA;
    }
    for (u32 peer = 0; peer < rankSize; ++peer) {
        if (peer != rank && links[peer] == nullptr) {
            HCCL_ERROR("%s: rank %u has no link to rank %u", what, rank, peer);
            return HCCL_E_PTR;
        }
    }
    return HCCL_SUCCESS;
}

HcclResult CheckFits(const char *what, const DeviceMem &mem, u64 bytes) {
    if (bytes > 0 && (mem.ptr() == nullptr || mem.size() < bytes)) {
        HCCL_ERROR("%s: buffer %p of %llu bytes is smaller than %llu bytes", what, mem.ptr(),
                   mem.size(), bytes);
        return HCCL_E_PARA;
    }
    return HCCL_SUCCESS;
}

HcclResult CopyInputToOutput(HcclDispatcher dispatcher, const DeviceMem &input,
                             const DeviceMem &output, u64 bytes, Stream &stream) {
    CHK_RET(CheckFits("input", input, bytes));
    CHK_RET(CheckFits("output", output, bytes));
    return LocalCopy(dispatcher, output.ptr(), input.ptr(), bytes, stream);
}

HcclResult LocalCopy(HcclDispatcher dispatcher, void *dst, const void *src, u64 bytes,
                     Stream &stream) {
    if (bytes == 0 || dst == src) return HCCL_SUCCESS;
    DeviceMem to = DeviceMem::create(dst, bytes);
    DeviceMem from = DeviceMem::create(const_cast<void *>(src), bytes);
    return HcclD2DMemcpyAsync(dispatcher, to, from, stream);
}

Transfer InPlaceSend(const LINK &link, UserMemType mem, u64 offset, u64 bytes) {
    Transfer t;
    t.link = link;
    t.mem = mem;
    t.regionOffset = offset;
    t.regionBytes = bytes;
    t.totalBytes = bytes;
    return t;
}

Transfer Receive(const LINK &link, UserMemType mem, u64 offset, u64 bytes, void *dst) {
    Transfer t = InPlaceSend(link, mem, offset, bytes);
    if (bytes > 0) t.spans.push_back({static_cast<u8 *>(dst), bytes});
    return t;
}

Slice BlockOf(const std::vector<Slice> &slices, u64 blockBytes, u32 index) {
    if (index < slices.size()) return slices[index];
    return {index * blockBytes, blockBytes};
}

}  // namespace hcclcpu::algorithm::dm
