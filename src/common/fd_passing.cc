#include "common/fd_passing.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cerrno>
#include <cstring>

namespace hcclcpu {

bool sendWithFds(int socket, const void *payload, size_t bytes, const int *fds, int nFds) {
    if (nFds < 0 || nFds > kMaxPassedFds) {
        errno = EINVAL;
        return false;
    }
    iovec iov{const_cast<void *>(payload), bytes};
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int) * kMaxPassedFds)] = {};
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    if (nFds > 0) {
        msg.msg_control = control;
        msg.msg_controllen = CMSG_SPACE(sizeof(int) * nFds);
        cmsghdr *c = CMSG_FIRSTHDR(&msg);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int) * nFds);
        std::memcpy(CMSG_DATA(c), fds, sizeof(int) * nFds);
    }
    ssize_t sent;
    do {
        sent = sendmsg(socket, &msg, MSG_NOSIGNAL);
    } while (sent < 0 && errno == EINTR);
    if (sent < 0) return false;
    if (static_cast<size_t>(sent) != bytes) {  // stream sockets: send the rest without fds
        const char *rest = static_cast<const char *>(payload) + sent;
        size_t left = bytes - static_cast<size_t>(sent);
        while (left > 0) {
            ssize_t n = send(socket, rest, left, MSG_NOSIGNAL);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) return false;
            rest += n;
            left -= static_cast<size_t>(n);
        }
    }
    return true;
}

bool recvWithFds(int socket, void *payload, size_t bytes, int *fds, int *nFds, int timeoutMs) {
    *nFds = 0;
    size_t got = 0;
    while (got < bytes) {
        pollfd p{socket, POLLIN, 0};
        int ready = poll(&p, 1, timeoutMs);
        if (ready < 0 && errno == EINTR) continue;
        if (ready == 0) {
            errno = ETIMEDOUT;
            return false;
        }
        if (ready < 0) return false;
        iovec iov{static_cast<char *>(payload) + got, bytes - got};
        alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int) * kMaxPassedFds)] = {};
        msghdr msg{};
        msg.msg_iov = &iov;
        msg.msg_iovlen = 1;
        msg.msg_control = control;
        msg.msg_controllen = sizeof(control);
        ssize_t n = recvmsg(socket, &msg, MSG_CMSG_CLOEXEC);
        if (n < 0 && errno == EINTR) continue;
        if (n == 0) errno = ECONNRESET;
        if (n <= 0) return false;
        for (cmsghdr *c = CMSG_FIRSTHDR(&msg); c != nullptr; c = CMSG_NXTHDR(&msg, c)) {
            if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) continue;
            int count = static_cast<int>((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
            for (int i = 0; i < count; ++i) {
                int fd;
                std::memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
                if (*nFds < kMaxPassedFds) {
                    fds[(*nFds)++] = fd;
                } else {
                    close(fd);
                }
            }
        }
        got += static_cast<size_t>(n);
    }
    return true;
}

}  // namespace hcclcpu
