// The process's shared runtime area: the engines' wake-up words and every notify, in one memfd.
//
// A peer process that maps the area (the fd travels once, at link set-up) can record our notifies
// and wake the engines parked on them directly: a record sets the flag in shared memory and rings
// the waiting engines' doorbells (shared futexes), with no polling and no message.
//
// Layout: [header][64 engine controls][notify slots], each piece cache-line sized.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>

#include "runtime/types.h"

namespace hcclcpu::rt {

class Notify;

// Wake-up state of one device's engine. Lives in shared memory, so only plain atomics.
struct alignas(64) EngineControl {
    std::atomic<uint32_t> doorbell;       // futex word: bumped to wake sleepers
    std::atomic<uint32_t> sleepers;       // workers asleep on the doorbell
    std::atomic<uint32_t> spinnerActive;  // a worker is spinning and will see new work
    std::atomic<uint32_t> parkedDirty;    // a wait some parked stream needs may be satisfied
    // Idle workers other than the last one to go idle sleep on the reserve bell: a record rings
    // only the doorbell, so while a worker is still active (it usually is about to park the
    // stream the record is for) it wakes nobody; a second worker woken for nothing costs a
    // time slice when the cores are oversubscribed.
    std::atomic<uint32_t> reserveBell;      // futex word of the reserve
    std::atomic<uint32_t> reserveSleepers;  // workers asleep on it
    std::atomic<uint32_t> active;           // workers not asleep (spinning, running, idling)
    std::atomic<uint32_t> inLongTask;       // active workers inside a task that may take long
};

// Marks the engine's parked streams for a re-check and wakes it if nobody is watching.
void ringEngine(EngineControl &control);
// Wakes one worker asleep on the doorbell (the caller saw a sleeper).
void wakeDoorbell(EngineControl &control);
// Wakes one reserve worker, if one sleeps.
void wakeReserve(EngineControl &control);

class SharedArea {
  public:
    static constexpr uint32_t kMagic = 0x48435241;  // "HCRA"
    static constexpr uint32_t kMaxDevices = 64;
    static constexpr uint32_t kNotifySlots = 65536;
    static constexpr size_t kControlOffset = 64;
    static constexpr size_t kNotifyOffset = 8192;
    static constexpr size_t kBytes = kNotifyOffset + size_t{kNotifySlots} * 64;

    // This process's area, created on first use and kept for the process.
    static SharedArea &local();
    // Maps a peer's area from its fd (the caller may close the fd afterwards).
    static Err import(int fd, SharedArea **area);
    static void release(SharedArea *imported);

    int fd() const { return fd_; }
    int32_t pid() const;
    EngineControl &control(int32_t device);
    Notify *slot(uint32_t index);
    bool contains(const void *p) const {
        auto *c = static_cast<const char *>(p);
        return c >= base_ + kNotifyOffset && c < base_ + kBytes;
    }
    // The notify at a byte offset in the notify slots (what notifyOffset() returns), if valid.
    Notify *notifyAt(uint64_t offset);

  private:
    SharedArea(char *base, int fd) : base_(base), fd_(fd) {}
    char *base_;
    int fd_;
};

}  // namespace hcclcpu::rt
