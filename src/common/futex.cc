#include "common/futex.h"

#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <cerrno>
#include <ctime>

namespace hcclcpu {

bool futexWait(std::atomic<uint32_t> *word, uint32_t expected, int64_t timeoutNs, bool shared) {
    timespec ts{};
    timespec *timeout = nullptr;
    if (timeoutNs >= 0) {
        ts.tv_sec = timeoutNs / 1000000000;
        ts.tv_nsec = timeoutNs % 1000000000;
        timeout = &ts;
    }
    int op = shared ? FUTEX_WAIT : FUTEX_WAIT_PRIVATE;
    long rc =
        syscall(SYS_futex, reinterpret_cast<uint32_t *>(word), op, expected, timeout, nullptr, 0);
    return !(rc == -1 && errno == ETIMEDOUT);
}

void futexWake(std::atomic<uint32_t> *word, int count, bool shared) {
    int op = shared ? FUTEX_WAKE : FUTEX_WAKE_PRIVATE;
    syscall(SYS_futex, reinterpret_cast<uint32_t *>(word), op, count, nullptr, nullptr, 0);
}

}  // namespace hcclcpu
