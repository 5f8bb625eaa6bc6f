#include "fork_launcher.h"

#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <thread>
#include <vector>

namespace hcclcpu::compare {
namespace {

// Only children not reaped yet: a reaped child's pid may already belong to another process.
void killAll(std::vector<pid_t> &running) {
    for (pid_t child : running) {
        kill(child, SIGKILL);
    }
    for (pid_t child : running) {
        waitpid(child, nullptr, 0);
    }
    running.clear();
}

}  // namespace

int runForked(int nranks, int timeoutSeconds, const std::function<int(int rank)> &body) {
    std::fflush(nullptr);  // nothing buffered may be printed twice
    std::vector<pid_t> running;
    const pid_t launcher = getpid();
    for (int rank = 0; rank < nranks; ++rank) {
        pid_t pid = fork();
        if (pid < 0) {
            std::perror("fork");
            killAll(running);
            return 1;
        }
        if (pid == 0) {
            prctl(PR_SET_PDEATHSIG, SIGKILL);  // a killed launcher leaves no rank behind
            if (getppid() != launcher) {
                _exit(1);  // it died before prctl
            }
            int code = body(rank);
            std::fflush(nullptr);
            _exit(code);
        }
        running.push_back(pid);
    }
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeoutSeconds);
    while (!running.empty()) {
        int status = 0;
        pid_t done = waitpid(-1, &status, WNOHANG);
        if (done > 0) {
            auto it = std::find(running.begin(), running.end(), done);
            if (it == running.end()) {
                continue;  // not one of the ranks
            }
            running.erase(it);
            int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            if (code != 0) {
                // The others would only wait for the failed rank until their own timeouts.
                std::fprintf(stderr, "a rank process failed (status %d): stopping the others\n",
                             code);
                killAll(running);
                return code;
            }
            continue;
        }
        if (std::chrono::steady_clock::now() > deadline) {
            std::fprintf(stderr, "ranks still running after %d s: killing them\n", timeoutSeconds);
            killAll(running);
            return 124;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return 0;
}

}  // namespace hcclcpu::compare
