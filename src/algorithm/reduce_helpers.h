// Building blocks the reduction and gather templates share: local and peer copies, the reduce
// of a (possibly remote) block into a local one on the path the dispatcher accepts for the type,
// and the split of a buffer into per-rank blocks.
#pragma once

#include <vector>

#include "algorithm/alg_template_base.h"

namespace hcclcpu::algorithm {

inline u8 *BytePtr(const DeviceMem &mem, u64 offset) {
    return static_cast<u8 *>(mem.ptr()) + offset;
}

// The inline (SDMA) reduce takes INT8/INT16/INT32/FP16/FP32/BF16 with SUM/MAX/MIN only (spec
// platform_api §2.3, §6.11); everything else goes through the TBE path (reduceAttr bit 0 clear).
bool InlineReduceSupported(HcclDataType dataType, HcclReduceOp op);

// dst <- src, `bytes` long. `link` is the peer src lives on (nullptr: local memory); it only
// labels the task. Zero bytes issue nothing.
HcclResult CopyBytes(HcclDispatcher dispatcher, Stream &stream, void *dst, const void *src,
                     u64 bytes, const LINK &link = nullptr);

// dst[i] = dst[i] op src[i], i < count. src may be a peer's memory (`link` non-null). Types the
// inline reduce supports are reduced straight from src with INLINE_REDUCE_BIT. The others take
// the TBE path: a remote src is first copied into `scratch` (local, count elements) when one is
// given, as the vendor's Reducer does; without scratch the TBE reduce reads src where it is.
HcclResult ReduceInto(HcclDispatcher dispatcher, Stream &stream, void *dst, const void *src,
                      u64 count, HcclDataType dataType, HcclReduceOp op, const LINK &link,
                      void *scratch = nullptr);

// The peer's exchanged INPUT_MEM or OUTPUT_MEM base.
HcclResult RemoteBase(const LINK &link, hccl::UserMemType type, u8 *&base);

// `count` elements split into `parts` contiguous blocks, the first count % parts one element
// longer (blocks may be empty). Offsets and sizes in bytes.
std::vector<Slice> EvenSlices(u64 count, u32 parts, u32 unitSize);

// Rank blocks of a scatter/gather template: `slices` when given (must be rankSize long), else
// block i of blockCount elements at i * blockCount.
HcclResult RankBlocks(const std::vector<Slice> &slices, u64 blockCount, u32 unitSize, u32 rankSize,
                      std::vector<Slice> &blocks);

// Checks the links a template needs: rankSize entries, non-null except at `rank`.
HcclResult CheckLinks(u32 rank, u32 rankSize, const std::vector<LINK> &links);

// Ack to and from every peer, then (after the caller's reads) DataSignal to and from every peer:
// the direct-read mesh frame (spec platform_api §5.3).
HcclResult MeshAckAll(u32 rank, u32 rankSize, const std::vector<LINK> &links, Stream &stream);
HcclResult MeshDataSignalAll(u32 rank, u32 rankSize, const std::vector<LINK> &links,
                             Stream &stream);

}  // namespace hcclcpu::algorithm
