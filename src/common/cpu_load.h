// Whether the machine's cores are oversubscribed right now: more runnable threads than online
// CPUs. A thread spinning then holds a core another runnable thread is waiting for, and the
// scheduler may give that thread a whole time slice (milliseconds) before the spinner runs again.
#pragma once

#include <string_view>

namespace hcclcpu {

// The runnable-thread count of a /proc/loadavg line ("0.50 0.40 0.30 3/211 4242" -> 3), or -1.
int parseRunnableThreads(std::string_view loadavg);

// True when more threads are runnable than there are online CPUs. Read from /proc/loadavg at most
// once per millisecond per process (a read: 2-4 us); false when it cannot be read.
bool coresOversubscribed();

}  // namespace hcclcpu
