// The reduction and gather templates on 1..8 thread ranks, checked element-wise against a host
// reference for every supported (type, op) pair.
#include <gtest/gtest.h>

#include <functional>
#include <memory>

#include "algorithm/reduce_helpers.h"
#include "algorithm/reduction_templates.h"
#include "reduction_test_util.h"

namespace hcclcpu::algorithm::test {
namespace {

constexpr u64 kBufferBytes = 64 * 1024;
constexpr u8 kPoison = 0xCD;

enum class Kind { kReduceScatter, kAllGather, kAllReduce };
struct TemplateCase {
    const char *name;
    Kind kind;
    std::function<std::unique_ptr<AlgTemplateBase>(HcclDispatcher)> make;
};

std::vector<TemplateCase> Templates(Kind kind) {
    std::vector<TemplateCase> all = {
        {"ReduceScatterRing", Kind::kReduceScatter,
         [](HcclDispatcher d) { return std::make_unique<ReduceScatterRing>(d); }},
        {"ReduceScatterMesh", Kind::kReduceScatter,
         [](HcclDispatcher d) { return std::make_unique<ReduceScatterMesh>(d); }},
        {"AllGatherRing", Kind::kAllGather,
         [](HcclDispatcher d) { return std::make_unique<AllGatherRing>(d); }},
        {"AllGatherMesh", Kind::kAllGather,
         [](HcclDispatcher d) { return std::make_unique<AllGatherMesh>(d); }},
        {"AllReduceRing", Kind::kAllReduce,
         [](HcclDispatcher d) { return std::make_unique<AllReduceRing>(d); }},
        {"AllReduceMeshOneShot", Kind::kAllReduce,
         [](HcclDispatcher d) { return std::make_unique<AllReduceMesh>(d, true); }},
        {"AllReduceMeshTwoShot", Kind::kAllReduce,
         [](HcclDispatcher d) { return std::make_unique<AllReduceMesh>(d, false); }},
        {"AllReduceRecursiveHD", Kind::kAllReduce,
         [](HcclDispatcher d) { return std::make_unique<AllReduceRecursiveHD>(d); }},
    };
    std::vector<TemplateCase> picked;
    for (const TemplateCase &c : all)
        if (c.kind == kind) picked.push_back(c);
    return picked;
}

class ReductionTemplates : public ::testing::TestWithParam<u32> {
  protected:
    void SetUp() override { ranks_ = std::make_unique<ThreadRanks>(GetParam(), kBufferBytes); }
    u32 n() const { return GetParam(); }
    LinkSet &set() { return ranks_->set(); }

    void Poison(const hccl::DeviceMem &mem) { std::memset(mem.ptr(), kPoison, mem.size()); }

    // Rank blocks: `slices` or blockCount elements each; every block filled on every rank.
    void RunReduceScatter(const TemplateCase &c, TypeOp t, u64 blockCount,
                          const std::vector<Slice> &slices = {}) {
        const u32 unit = SIZE_TABLE[t.type];
        std::vector<Slice> blocks;
        ASSERT_EQ(RankBlocks(slices, blockCount, unit, n(), blocks), HCCL_SUCCESS);
        for (u32 r = 0; r < n(); ++r) {
            Poison(set().Output(r));
            for (const Slice &b : blocks)
                FillRank(t.type, t.op, r, BytePtr(set().Input(r), b.offset), b.size / unit,
                         b.offset / unit);
        }
        ASSERT_EQ(set().RunRanks([&](u32 rank, hccl::Stream &stream) {
            std::unique_ptr<AlgTemplateBase> tpl = c.make(set().Dispatcher(rank));
            CHK_RET(tpl->Prepare(set().Input(rank), set().Output(rank), hccl::DeviceMem(),
                                 blockCount, t.type, stream, t.op, INVALID_VALUE_RANKID, slices));
            return tpl->RunAsync(rank, n(), set().Links(rank));
        }),
                  HCCL_SUCCESS)
            << c.name << " " << Name(t);
        for (u32 r = 0; r < n(); ++r) {
            const Slice own = blocks[r];
            for (u64 e = 0; e < own.size / unit; ++e) {
                const u64 g = own.offset / unit + e;
                ASSERT_EQ(Decode(t.type, set().Output(r).ptr(), g), Expected(t.type, t.op, n(), g))
                    << c.name << " " << Name(t) << " rank " << r << " element " << g;
            }
        }
    }

    void RunAllGather(const TemplateCase &c, HcclDataType type, u64 blockCount,
                      const std::vector<Slice> &slices = {}) {
        const u32 unit = SIZE_TABLE[type];
        std::vector<Slice> blocks;
        ASSERT_EQ(RankBlocks(slices, blockCount, unit, n(), blocks), HCCL_SUCCESS);
        for (u32 r = 0; r < n(); ++r) {
            Poison(set().Output(r));
            FillRank(type, HCCL_REDUCE_SUM, r, BytePtr(set().Output(r), blocks[r].offset),
                     blocks[r].size / unit, blocks[r].offset / unit);
        }
        ASSERT_EQ(set().RunRanks([&](u32 rank, hccl::Stream &stream) {
            std::unique_ptr<AlgTemplateBase> tpl = c.make(set().Dispatcher(rank));
            CHK_RET(tpl->Prepare(set().Input(rank), set().Output(rank), hccl::DeviceMem(),
                                 blockCount, type, stream, HCCL_REDUCE_RESERVED,
                                 INVALID_VALUE_RANKID, slices));
            return tpl->RunAsync(rank, n(), set().Links(rank));
        }),
                  HCCL_SUCCESS)
            << c.name;
        for (u32 r = 0; r < n(); ++r)
            for (u32 j = 0; j < n(); ++j)
                for (u64 e = 0; e < blocks[j].size / unit; ++e) {
                    const u64 g = blocks[j].offset / unit + e;
                    ASSERT_EQ(Decode(type, set().Output(r).ptr(), g),
                              static_cast<double>(Value(type, HCCL_REDUCE_SUM, j, g)))
                        << c.name << " rank " << r << " block " << j << " element " << g;
                }
    }

    void RunAllReduce(const TemplateCase &c, TypeOp t, u64 count) {
        for (u32 r = 0; r < n(); ++r) {
            Poison(set().Output(r));
            FillRank(t.type, t.op, r, set().Input(r).ptr(), count);
        }
        ASSERT_EQ(set().RunRanks([&](u32 rank, hccl::Stream &stream) {
            std::unique_ptr<AlgTemplateBase> tpl = c.make(set().Dispatcher(rank));
            CHK_RET(tpl->Prepare(set().Input(rank), set().Output(rank), hccl::DeviceMem(), count,
                                 t.type, stream, t.op));
            return tpl->RunAsync(rank, n(), set().Links(rank));
        }),
                  HCCL_SUCCESS)
            << c.name << " " << Name(t);
        for (u32 r = 0; r < n(); ++r)
            for (u64 i = 0; i < count; ++i)
                ASSERT_EQ(Decode(t.type, set().Output(r).ptr(), i), Expected(t.type, t.op, n(), i))
                    << c.name << " " << Name(t) << " rank " << r << " element " << i;
    }

    std::unique_ptr<ThreadRanks> ranks_;
};

TEST_P(ReductionTemplates, ReduceScatterMatchesTheReferenceForEveryTypeAndOp) {
    for (const TemplateCase &c : Templates(Kind::kReduceScatter))
        for (TypeOp t : SupportedTypeOps())
            RunReduceScatter(c, t, 37);
}

TEST_P(ReductionTemplates, ReduceScatterOfOneElementPerRank) {
    for (const TemplateCase &c : Templates(Kind::kReduceScatter))
        RunReduceScatter(c, {HCCL_DATA_TYPE_FP32, HCCL_REDUCE_SUM}, 1);
}

// Uneven blocks, one of them empty, not in rank order of size (ReduceScatterV's shape).
std::vector<Slice> UnevenSlices(u32 n, u32 unit) {
    std::vector<Slice> slices(n);
    const u64 stride = 64 * unit;
    for (u32 j = 0; j < n; ++j)
        slices[j] = Slice{j * stride, ((j * 13 + 5) % 41) * unit};
    if (n > 1) slices[1].size = 0;
    return slices;
}

TEST_P(ReductionTemplates, ReduceScatterWithUnevenSlices) {
    for (const TemplateCase &c : Templates(Kind::kReduceScatter))
        for (TypeOp t : {TypeOp{HCCL_DATA_TYPE_INT32, HCCL_REDUCE_SUM},
                         TypeOp{HCCL_DATA_TYPE_INT64, HCCL_REDUCE_PROD},
                         TypeOp{HCCL_DATA_TYPE_FP16, HCCL_REDUCE_MIN}})
            RunReduceScatter(c, t, 64, UnevenSlices(n(), SIZE_TABLE[t.type]));
}

TEST_P(ReductionTemplates, AllGatherPlacesEveryRanksBlock) {
    for (const TemplateCase &c : Templates(Kind::kAllGather))
        for (HcclDataType type : {HCCL_DATA_TYPE_INT8, HCCL_DATA_TYPE_FP16, HCCL_DATA_TYPE_FP64}) {
            RunAllGather(c, type, 37);
            RunAllGather(c, type, 1);
            RunAllGather(c, type, 64, UnevenSlices(n(), SIZE_TABLE[type]));
        }
}

TEST_P(ReductionTemplates, AllReduceMatchesTheReferenceForEveryTypeAndOp) {
    for (const TemplateCase &c : Templates(Kind::kAllReduce))
        for (TypeOp t : SupportedTypeOps())
            RunAllReduce(c, t, 37 * n() + 3);
}

TEST_P(ReductionTemplates, AllReduceOfFewerElementsThanRanks) {
    for (const TemplateCase &c : Templates(Kind::kAllReduce))
        for (u64 count : {u64{1}, u64{2}, u64{n() > 1 ? n() - 1 : 1}})
            RunAllReduce(c, {HCCL_DATA_TYPE_INT32, HCCL_REDUCE_SUM}, count);
}

INSTANTIATE_TEST_SUITE_P(Ranks, ReductionTemplates, ::testing::Values(1u, 2u, 3u, 4u, 5u, 8u),
                         [](const ::testing::TestParamInfo<u32> &info) {
                             return std::to_string(info.param) + "Ranks";
                         });

TEST(ReductionTemplateArguments, MissingLinkOrWrongSliceCountIsRejected) {
    ThreadRanks ranks(2, 4096);
    hccl::Stream stream;
    ReduceScatterRing ring(ranks.set().Dispatcher(0));
    ASSERT_EQ(ring.Prepare(ranks.set().Input(0), ranks.set().Output(0), hccl::DeviceMem(), 4,
                           HCCL_DATA_TYPE_FP32, stream, HCCL_REDUCE_SUM),
              HCCL_SUCCESS);
    EXPECT_EQ(ring.RunAsync(0, 2, {nullptr, nullptr}), HCCL_E_PTR);
    EXPECT_EQ(ring.RunAsync(0, 2, {}), HCCL_E_PARA);
    EXPECT_EQ(ring.RunAsync(2, 2, ranks.set().Links(0)), HCCL_E_PARA);
    AllGatherMesh mesh(ranks.set().Dispatcher(0));
    ASSERT_EQ(mesh.Prepare(ranks.set().Input(0), ranks.set().Output(0), hccl::DeviceMem(), 4,
                           HCCL_DATA_TYPE_FP32, stream, HCCL_REDUCE_RESERVED, INVALID_VALUE_RANKID,
                           {Slice{0, 4}}),
              HCCL_SUCCESS);
    EXPECT_EQ(mesh.RunAsync(0, 2, ranks.set().Links(0)), HCCL_E_PARA);
}

}  // namespace
}  // namespace hcclcpu::algorithm::test
