// Runs ranks as separate processes: the test binary re-executes itself (/proc/self/exe) with
// "--process-rank <scenario> <rankSize> <rank> <jobId>" once per rank, and collects what each
// child prints: protocol lines on stdout, the log on stderr. Between fork and exec the child
// only rearranges descriptors, so a parent that already has threads may use it.
#pragma once

#include <gtest/gtest.h>

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <functional>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "common/clock.h"
#include "open_fds.h"

extern char **environ;

namespace hcclcpu::platform::test {

constexpr const char *kRankFlag = "--process-rank";

class RankProcesses {
  public:
    // extraEnv: "NAME=value" entries added to (or replacing those of) this process's environment.
    RankProcesses(const std::string &scenario, uint32_t rankSize,
                  const std::vector<std::string> &extraEnv = {})
        : scenario_(scenario), rankSize_(rankSize), children_(rankSize) {
        static int counter = 0;
        jobId_ =
            "plt" + std::to_string(getpid()) + "-" + scenario + "-" + std::to_string(++counter);
        std::map<std::string, std::string> env;
        for (char **e = environ; *e != nullptr; ++e) {
            std::string entry(*e);
            env[entry.substr(0, entry.find('='))] = entry;
        }
        for (const std::string &entry : extraEnv)
            env[entry.substr(0, entry.find('='))] = entry;
        for (auto &kv : env)
            env_.push_back(kv.second);
    }
    ~RankProcesses() {
        for (Child &child : children_) {
            if (child.pid > 0 && !child.exited) {
                ::kill(child.pid, SIGKILL);
                waitpid(child.pid, nullptr, 0);
            }
            closeFd(child.out);
            closeFd(child.err);
        }
    }

    const std::string &jobId() const { return jobId_; }
    pid_t pid(uint32_t rank) const { return children_[rank].pid; }

    void start() {
        for (uint32_t r = 0; r < rankSize_; ++r)
            start(r);
    }
    void start(uint32_t rank) {
        int out[2], err[2];
        ASSERT_EQ(pipe2(out, O_CLOEXEC), 0);
        ASSERT_EQ(pipe2(err, O_CLOEXEC), 0);
        std::vector<std::string> args = {
            "process_rank",       kRankFlag, scenario_, std::to_string(rankSize_),
            std::to_string(rank), jobId_};
        std::vector<char *> argv, envp;
        for (std::string &a : args)
            argv.push_back(a.data());
        argv.push_back(nullptr);
        for (std::string &e : env_)
            envp.push_back(e.data());
        envp.push_back(nullptr);
        pid_t pid = fork();
        ASSERT_GE(pid, 0);
        if (pid == 0) {  // async-signal-safe calls only until exec
            dup2(out[1], STDOUT_FILENO);
            dup2(err[1], STDERR_FILENO);
            execve("/proc/self/exe", argv.data(), envp.data());
            _exit(127);
        }
        close(out[1]);
        close(err[1]);
        Child &child = children_[rank];
        child.pid = pid;
        child.out = out[0];
        child.err = err[0];
    }

    void kill(uint32_t rank) { ::kill(children_[rank].pid, SIGKILL); }

    // Collects output until every child has exited (true) or `timeoutMs` passed (false: the rest
    // are killed). onLine(rank, line) sees each stdout line as it arrives.
    bool wait(int timeoutMs,
              const std::function<void(uint32_t, const std::string &)> &onLine = nullptr) {
        const int64_t deadline = nowNs() + int64_t{timeoutMs} * 1000000;
        for (;;) {
            std::vector<pollfd> fds;
            std::vector<std::pair<uint32_t, bool>> owners;  // rank, is stdout
            for (uint32_t r = 0; r < rankSize_; ++r) {
                if (children_[r].out >= 0) {
                    fds.push_back(pollfd{children_[r].out, POLLIN, 0});
                    owners.emplace_back(r, true);
                }
                if (children_[r].err >= 0) {
                    fds.push_back(pollfd{children_[r].err, POLLIN, 0});
                    owners.emplace_back(r, false);
                }
            }
            if (fds.empty()) break;
            const int64_t left = (deadline - nowNs()) / 1000000;
            if (left <= 0) {
                for (Child &child : children_)
                    if (child.pid > 0) ::kill(child.pid, SIGKILL);
                reap();
                return false;
            }
            if (poll(fds.data(), fds.size(), static_cast<int>(left)) <= 0) continue;
            for (size_t i = 0; i < fds.size(); ++i) {
                if (fds[i].revents == 0) continue;
                Child &child = children_[owners[i].first];
                char buf[4096];
                ssize_t n = read(fds[i].fd, buf, sizeof(buf));
                if (n <= 0) {
                    closeFd(owners[i].second ? child.out : child.err);
                    continue;
                }
                if (!owners[i].second) {
                    child.errText.append(buf, static_cast<size_t>(n));
                    continue;
                }
                child.outText.append(buf, static_cast<size_t>(n));
                child.partial.append(buf, static_cast<size_t>(n));
                size_t eol;
                while ((eol = child.partial.find('\n')) != std::string::npos) {
                    std::string line = child.partial.substr(0, eol);
                    child.partial.erase(0, eol + 1);
                    if (onLine) onLine(owners[i].first, line);
                }
            }
        }
        reap();
        return true;
    }

    // Exit code of a child that exited normally, else -1 (killed: -signal - 1000).
    int exitCode(uint32_t rank) const {
        const int status = children_[rank].status;
        if (WIFEXITED(status)) return WEXITSTATUS(status);
        if (WIFSIGNALED(status)) return -1000 - WTERMSIG(status);
        return -1;
    }
    const std::string &out(uint32_t rank) const { return children_[rank].outText; }
    const std::string &err(uint32_t rank) const { return children_[rank].errText; }
    // Everything the children said, for a failure message.
    std::string transcript() const {
        std::ostringstream s;
        for (uint32_t r = 0; r < rankSize_; ++r)
            s << "---- rank " << r << " (pid " << children_[r].pid << ", exit " << exitCode(r)
              << ")\nstdout:\n"
              << children_[r].outText << "stderr:\n"
              << children_[r].errText;
        return s.str();
    }
    // Runs every rank to its end: each must exit 0 within timeoutMs.
    void expectAllSucceed(int timeoutMs) {
        ASSERT_TRUE(wait(timeoutMs)) << "ranks did not finish in time\n" << transcript();
        for (uint32_t r = 0; r < rankSize_; ++r)
            EXPECT_EQ(exitCode(r), 0) << "rank " << r << "\n" << transcript();
    }

  private:
    struct Child {
        pid_t pid = -1;
        int out = -1, err = -1;
        bool exited = false;
        int status = 0;
        std::string outText, errText, partial;
    };
    static void closeFd(int &fd) {
        if (fd >= 0) close(fd);
        fd = -1;
    }
    void reap() {
        for (Child &child : children_) {
            if (child.pid <= 0 || child.exited) continue;
            waitpid(child.pid, &child.status, 0);
            child.exited = true;
        }
    }

    std::string scenario_;
    uint32_t rankSize_;
    std::string jobId_;
    std::vector<std::string> env_;
    std::vector<Child> children_;
};

// Mappings of memfds (device memory and runtime areas, own and imported) in this process.
inline int memfdMappingCount() {
    FILE *maps = fopen("/proc/self/maps", "r");
    if (maps == nullptr) return -1;
    int count = 0;
    char line[4096];
    while (fgets(line, sizeof(line), maps) != nullptr)
        if (std::strstr(line, "/memfd:") != nullptr) ++count;
    fclose(maps);
    return count;
}

inline int threadCount() {
    int count = 0;
    DIR *dir = opendir("/proc/self/task");
    if (dir == nullptr) return -1;
    while (dirent *e = readdir(dir))
        if (e->d_name[0] != '.') ++count;
    closedir(dir);
    return count;
}

}  // namespace hcclcpu::platform::test
