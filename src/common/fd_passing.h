// Passing file descriptors (memfds of device memory, the runtime area) between processes over a
// Unix socket, with a small payload in the same message (SCM_RIGHTS).
#pragma once

#include <cstddef>
#include <cstdint>

namespace hcclcpu {

constexpr int kMaxPassedFds = 16;

// Sends `bytes` of payload and nFds descriptors in one message. False on error (errno set).
bool sendWithFds(int socket, const void *payload, size_t bytes, const int *fds, int nFds);
// Receives one message: exactly `bytes` of payload and up to kMaxPassedFds descriptors (the
// caller owns them). Waits at most timeoutMs; false on timeout, EOF or error (errno set; ETIMEDOUT
// for the timeout, ECONNRESET for EOF).
bool recvWithFds(int socket, void *payload, size_t bytes, int *fds, int *nFds, int timeoutMs);

}  // namespace hcclcpu
