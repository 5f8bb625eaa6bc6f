// Futex wait/wake on a 32-bit word, with a timeout. std::atomic::wait has no timeout, and every
// wait in hccl-cpu must have one. `shared` selects the cross-process form for words that live in
// shared memory.
#pragma once

#include <atomic>
#include <cstdint>

namespace hcclcpu {

// Sleeps while *word == expected, at most timeoutNs (negative: no limit). Returns false only on
// timeout; spurious wake-ups return true, so callers re-check their condition.
bool futexWait(std::atomic<uint32_t> *word, uint32_t expected, int64_t timeoutNs,
               bool shared = false);
void futexWake(std::atomic<uint32_t> *word, int count, bool shared = false);

inline void cpuRelax() {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    asm volatile("yield" ::: "memory");
#endif
}

}  // namespace hcclcpu
