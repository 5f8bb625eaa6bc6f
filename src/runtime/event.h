// Events: a record captures the work issued to a stream so far; the event completes when that work
// has run. Generations make re-recording and waiting race-free: a wait issued after record N waits
// for generation N, whatever happens to the event later.
#pragma once

#include <atomic>
#include <cstdint>

namespace hcclcpu::rt {

class Event {
  public:
    static constexpr uint32_t kMagic = 0x45766e74;  // "Evnt"

    explicit Event(uint32_t flags) : flags_(flags) {}
    ~Event() { magic_ = 0; }

    bool valid() const { return magic_ == kMagic; }
    // Host side, at issue: the generation this record will complete.
    uint64_t nextGeneration() { return issued_.fetch_add(1, std::memory_order_acq_rel) + 1; }
    uint64_t issuedGeneration() const { return issued_.load(std::memory_order_acquire); }
    // Engine side, when the record task runs.
    void complete(uint64_t generation, int64_t timestampNs);
    bool reached(uint64_t generation) const {
        return completed_.load(std::memory_order_acquire) >= generation;
    }
    int64_t timestampNs() const { return timestampNs_.load(std::memory_order_acquire); }
    void addWaiter(int32_t engineDevice) {
        waiters_.fetch_or(uint64_t{1} << engineDevice, std::memory_order_seq_cst);
    }
    // Host threads blocked in eventSynchronize sleep on this word.
    std::atomic<uint32_t> &doneWord() { return doneWord_; }
    // True while an engine is inside complete(): destroy must not free the event then.
    bool completing() const { return completing_.load(std::memory_order_acquire) != 0; }

  private:
    uint32_t magic_ = kMagic;
    uint32_t flags_;
    std::atomic<uint64_t> issued_{0};
    std::atomic<uint64_t> completed_{0};
    std::atomic<int64_t> timestampNs_{0};
    std::atomic<uint64_t> waiters_{0};
    std::atomic<uint32_t> doneWord_{0};
    std::atomic<uint32_t> completing_{0};
};

}  // namespace hcclcpu::rt
