#include "launcher.h"

#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

namespace hccltest {

namespace {

enum class Kind : uint32_t { kBroadcast = 1, kMax, kSum, kBarrier };

constexpr size_t kMaxPayload = 8192;

struct Frame {
    Kind kind;
    uint32_t root;
    uint32_t bytes;
    uint32_t reserved;
    char payload[kMaxPayload];
};
constexpr size_t kHeader = offsetof(Frame, payload);

// The child's side: one request, one reply.
class ProcessGroup final : public Group {
  public:
    ProcessGroup(int fd, uint32_t rank, uint32_t size) : fd_(fd), rank_(rank), size_(size) {}
    ~ProcessGroup() override { close(fd_); }

    uint32_t rank() const override { return rank_; }
    uint32_t size() const override { return size_; }
    uint32_t localRank() const override { return rank_; }  // one node

    bool broadcast(void *data, size_t bytes, uint32_t root) override {
        return exchange(Kind::kBroadcast, root, data, bytes);
    }
    bool max(double *value) override { return exchange(Kind::kMax, 0, value, sizeof(*value)); }
    bool sum(uint64_t *value) override { return exchange(Kind::kSum, 0, value, sizeof(*value)); }
    bool barrier() override { return exchange(Kind::kBarrier, 0, nullptr, 0); }
    [[noreturn]] void abort(int exitCode) override {
        std::fflush(nullptr);
        _exit(exitCode == 0 ? 1 : exitCode);
    }

  private:
    bool exchange(Kind kind, uint32_t root, void *data, size_t bytes) {
        if (bytes > kMaxPayload) return false;
        Frame frame{kind, root, static_cast<uint32_t>(bytes), 0, {}};
        if (bytes) std::memcpy(frame.payload, data, bytes);
        if (send(fd_, &frame, kHeader + bytes, MSG_NOSIGNAL) < 0) return false;
        ssize_t n;
        do {
            n = recv(fd_, &frame, sizeof(frame), 0);
        } while (n < 0 && errno == EINTR);
        if (n != static_cast<ssize_t>(kHeader + bytes)) return false;  // the parent is gone
        if (bytes) std::memcpy(data, frame.payload, bytes);
        return true;
    }

    int fd_;
    uint32_t rank_;
    uint32_t size_;
};

struct Child {
    pid_t pid = -1;
    int fd = -1;
    bool exited = false;
    bool completedButFailed = false;
    bool hasRequest = false;
    Frame request{};
};

std::string describeStatus(int status) {
    if (WIFEXITED(status)) return "exited with status " + std::to_string(WEXITSTATUS(status));
    if (WIFSIGNALED(status))
        return "was killed by signal " + std::to_string(WTERMSIG(status)) + " (" +
               strsignal(WTERMSIG(status)) + ")";
    return "ended with wait status " + std::to_string(status);
}

class Parent {
  public:
    Parent(const LaunchOptions &options, std::vector<Child> children)
        : options_(options), children_(std::move(children)) {}

    int run() {
        lastProgress_ = Clock::now();
        while (true) {
            if (!pollChildren() || !reapChildren() || !completeRound() || !watchdog()) {
                stopAll();
                return 1;
            }
            if (std::all_of(children_.begin(), children_.end(),
                            [](const Child &c) { return c.exited; })) {
                bool anyFailed = std::any_of(children_.begin(), children_.end(),
                                             [](const Child &c) { return c.completedButFailed; });
                return anyFailed ? options_.completedButFailedStatus : 0;
            }
        }
    }

  private:
    using Clock = std::chrono::steady_clock;

    bool pollChildren() {
        std::vector<pollfd> fds;
        for (const Child &c : children_)
            if (c.fd >= 0) fds.push_back({c.fd, POLLIN, 0});
        int ready = poll(fds.data(), fds.size(), 100);
        if (ready <= 0) return true;
        for (Child &c : children_) {
            if (c.fd < 0) continue;
            auto it =
                std::find_if(fds.begin(), fds.end(), [&](const pollfd &p) { return p.fd == c.fd; });
            if (it->revents == 0) continue;
            Frame frame;
            ssize_t n = recv(c.fd, &frame, sizeof(frame), MSG_DONTWAIT);
            if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
            if (n <= 0) {  // the child closed its end: it is exiting; reaping tells how
                close(c.fd);
                c.fd = -1;
                continue;
            }
            if (c.hasRequest || n < static_cast<ssize_t>(kHeader) ||
                n != static_cast<ssize_t>(kHeader + frame.bytes)) {
                report(c, "sent a malformed or unexpected message");
                return false;
            }
            c.request = frame;
            c.hasRequest = true;
            lastProgress_ = Clock::now();
        }
        return true;
    }

    bool reapChildren() {
        for (Child &c : children_) {  // only our children: the caller may have others
            int status = 0;
            if (c.exited || waitpid(c.pid, &status, WNOHANG) != c.pid) continue;
            c.exited = true;
            if (WIFEXITED(status) && WEXITSTATUS(status) == options_.completedButFailedStatus) {
                c.completedButFailed = true;
            } else if (!(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
                report(c, describeStatus(status));
                return false;
            }
        }
        bool waiting = std::any_of(children_.begin(), children_.end(),
                                   [](const Child &c) { return c.hasRequest; });
        for (const Child &c : children_)
            if (c.exited && waiting) {
                report(c, "exited while the other ranks wait for it");
                return false;
            }
        return true;
    }

    // When every rank has asked, combine and answer.
    bool completeRound() {
        for (const Child &c : children_)
            if (!c.hasRequest) return true;
        const Frame &first = children_[0].request;
        Frame reply = first;
        for (size_t r = 1; r < children_.size(); ++r) {
            const Frame &f = children_[r].request;
            if (f.kind != first.kind || f.bytes != first.bytes || f.root != first.root) {
                report(children_[r], "asked for a different host collective than rank 0");
                return false;
            }
            combine(&reply, f);
        }
        if (first.kind == Kind::kBroadcast) {
            if (first.root >= children_.size()) {
                report(children_[0], "broadcast from a root that is not a rank");
                return false;
            }
            reply = children_[first.root].request;
        }
        for (Child &c : children_) {
            c.hasRequest = false;
            if (send(c.fd, &reply, kHeader + reply.bytes, MSG_NOSIGNAL) < 0) {
                report(c, std::string("cannot be answered: ") + std::strerror(errno));
                return false;
            }
        }
        return true;
    }

    static void combine(Frame *into, const Frame &f) {
        if (f.kind == Kind::kMax) {
            double a, b;
            std::memcpy(&a, into->payload, sizeof(a));
            std::memcpy(&b, f.payload, sizeof(b));
            a = std::max(a, b);
            std::memcpy(into->payload, &a, sizeof(a));
        } else if (f.kind == Kind::kSum) {
            uint64_t a, b;
            std::memcpy(&a, into->payload, sizeof(a));
            std::memcpy(&b, f.payload, sizeof(b));
            a += b;
            std::memcpy(into->payload, &a, sizeof(a));
        }
    }

    bool watchdog() {
        if (options_.timeoutSeconds == 0) return true;
        if (Clock::now() - lastProgress_ < std::chrono::seconds(options_.timeoutSeconds))
            return true;
        std::fprintf(stderr,
                     "hccl_test: no rank made progress for %u s (HCCL_TEST_TIMEOUT); stopping "
                     "them\n",
                     options_.timeoutSeconds);
        return false;
    }

    void report(const Child &c, const std::string &what) {
        size_t rank = static_cast<size_t>(&c - children_.data());
        std::fprintf(stderr, "hccl_test: rank %zu (pid %d) %s; stopping the other ranks\n", rank,
                     static_cast<int>(c.pid), what.c_str());
    }

    void stopAll() {
        for (Child &c : children_)
            if (!c.exited) kill(c.pid, SIGKILL);
        for (Child &c : children_) {
            if (!c.exited) waitpid(c.pid, nullptr, 0);
            c.exited = true;
            if (c.fd >= 0) close(c.fd);
            c.fd = -1;
        }
    }

    LaunchOptions options_;
    std::vector<Child> children_;
    Clock::time_point lastProgress_;
};

// Best effort: a CPU set that cannot be applied leaves the rank where the scheduler puts it.
void bindToCore(uint32_t rank) {
    cpu_set_t usable;
    if (sched_getaffinity(0, sizeof(usable), &usable) != 0) return;
    const int count = CPU_COUNT(&usable);
    if (count <= 0) return;
    for (int cpu = 0, seen = 0; cpu < CPU_SETSIZE; ++cpu) {
        if (!CPU_ISSET(cpu, &usable)) continue;
        if (seen++ != static_cast<int>(rank % static_cast<uint32_t>(count))) continue;
        cpu_set_t one;
        CPU_ZERO(&one);
        CPU_SET(cpu, &one);
        sched_setaffinity(0, sizeof(one), &one);
        return;
    }
}

void killStarted(std::vector<Child> &children) {
    for (Child &c : children)
        if (c.pid > 0) kill(c.pid, SIGKILL);
    for (Child &c : children) {
        if (c.pid > 0) waitpid(c.pid, nullptr, 0);
        if (c.fd >= 0) close(c.fd);
    }
}

}  // namespace

int runProcesses(const LaunchOptions &options, const std::function<int(Group &)> &rankMain) {
    std::fflush(nullptr);  // or the children repeat what is buffered
    pid_t parent = getpid();
    std::vector<Child> children(options.ranks);
    for (uint32_t rank = 0; rank < options.ranks; ++rank) {
        int pair[2];
        if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) != 0) {
            std::fprintf(stderr, "hccl_test: socketpair: %s\n", std::strerror(errno));
            killStarted(children);
            return 1;
        }
        pid_t pid = fork();
        if (pid == 0) {
            prctl(PR_SET_PDEATHSIG, SIGKILL);
            if (getppid() != parent) _exit(1);
            if (options.bindToCore) bindToCore(rank);
            for (uint32_t r = 0; r < rank; ++r)
                close(children[r].fd);
            close(pair[0]);
            int code;
            {
                ProcessGroup group(pair[1], rank, options.ranks);
                code = rankMain(group);
            }
            std::fflush(nullptr);
            _exit(code);
        }
        close(pair[1]);
        if (pid < 0) {
            std::fprintf(stderr, "hccl_test: fork: %s\n", std::strerror(errno));
            close(pair[0]);
            killStarted(children);
            return 1;
        }
        children[rank].pid = pid;
        children[rank].fd = pair[0];
    }
    return Parent(options, std::move(children)).run();
}

}  // namespace hccltest
