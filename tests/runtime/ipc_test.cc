// Device memory and notifies shared between processes: a child process (this binary re-executed)
// and the test process copy from each other's memory with one copy and order each other's streams
// with notifies; a killed peer's waits fail promptly once the peer is known to be gone.
#include <gtest/gtest.h>

#include <poll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <csignal>
#include <cstring>
#include <string>

#include "common/clock.h"
#include "common/fd_passing.h"
#include "runtime/runtime.h"

namespace hcclcpu::rt::test {
namespace {

constexpr size_t kBytes = 1 << 20;
constexpr int kRounds = 500;

struct Offer {  // what a process tells its peer, next to the fds [runtime area, memory]
    uint64_t notifyOffset;
    uint64_t memorySize;
    uint64_t memoryOffset;
};

// The child: rank 1. Mode "pingpong" runs kRounds; mode "stall" sets up and then sleeps.
int childMain(int sock, const std::string &mode) {
    if (setDevice(0) != Err::kOk) return 10;
    Notify *mine = nullptr;
    void *buf = nullptr;
    Stream *s = nullptr;
    if (notifyCreate(0, &mine) != Err::kOk || deviceMalloc(kBytes, &buf) != Err::kOk ||
        streamCreate(&s) != Err::kOk)
        return 11;
    std::memset(buf, 0x11, kBytes);
    int memFd = -1;
    size_t size = 0, offset = 0;
    if (memoryExport(buf, &memFd, &size, &offset) != Err::kOk) return 12;
    Offer offer{notifyOffset(mine), size, offset};
    int fds[2] = {runtimeAreaFd(), memFd};
    if (!sendWithFds(sock, &offer, sizeof(offer), fds, 2)) return 13;
    Offer peer{};
    int got[kMaxPassedFds], n = 0;
    if (!recvWithFds(sock, &peer, sizeof(peer), got, &n, 10000) || n != 1) return 14;
    PeerArea *area = nullptr;
    Notify *theirs = nullptr;
    if (peerAreaOpen(got[0], &area) != Err::kOk) return 15;
    close(got[0]);
    if (peerAreaNotify(area, peer.notifyOffset, &theirs) != Err::kOk) return 16;
    if (mode == "stall") {
        pause();  // until killed
        return 0;
    }
    for (int r = 0; r < kRounds; ++r) {
        enqueueNotifyWait(s, mine, 10'000'000'000);
        enqueueMemset(s, buf, kBytes, (r + 1) & 0xff, kBytes);
        enqueueNotifyRecord(s, theirs);
    }
    if (streamSynchronize(s) != Err::kOk) return 17;
    peerAreaClose(area);
    return 0;
}

class IpcTest : public ::testing::Test {
  protected:
    void SetUp() override { ASSERT_EQ(setDevice(0), Err::kOk); }
    void TearDown() override { EXPECT_EQ(resetDevice(0), Err::kOk); }

    // Starts the child and performs the exchange; fills the peer's objects.
    void startChild(const char *mode) {
        int pair[2];
        ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, pair), 0);
        child_ = fork();
        ASSERT_GE(child_, 0);
        if (child_ == 0) {
            close(pair[0]);
            std::string fd = std::to_string(pair[1]);
            execl("/proc/self/exe", "ipc_child", "--ipc-child", fd.c_str(), mode, nullptr);
            _exit(127);
        }
        close(pair[1]);
        sock_ = pair[0];
        Offer offer{};
        int fds[kMaxPassedFds], n = 0;
        ASSERT_TRUE(recvWithFds(sock_, &offer, sizeof(offer), fds, &n, 10000)) << strerror(errno);
        ASSERT_EQ(n, 2);
        ASSERT_EQ(peerAreaOpen(fds[0], &area_), Err::kOk);
        ASSERT_EQ(peerAreaNotify(area_, offer.notifyOffset, &theirs_), Err::kOk);
        void *base = nullptr;
        ASSERT_EQ(memoryImport(fds[1], offer.memorySize, 0, &base), Err::kOk);
        close(fds[0]);
        close(fds[1]);
        peerBase_ = base;
        peerBuf_ = static_cast<char *>(base) + offer.memoryOffset;
        ASSERT_EQ(notifyCreate(0, &mine_), Err::kOk);
        Offer back{notifyOffset(mine_), 0, 0};
        int areaFd = runtimeAreaFd();
        ASSERT_TRUE(sendWithFds(sock_, &back, sizeof(back), &areaFd, 1));
    }
    int waitChild() {
        int status = 0;
        waitpid(child_, &status, 0);
        return status;
    }
    void cleanUp() {
        EXPECT_EQ(memoryImportClose(peerBase_), Err::kOk);
        peerAreaClose(area_);
        EXPECT_EQ(notifyDestroy(mine_), Err::kOk);
        close(sock_);
    }

    pid_t child_ = -1;
    int sock_ = -1;
    PeerArea *area_ = nullptr;
    Notify *theirs_ = nullptr;
    Notify *mine_ = nullptr;
    void *peerBase_ = nullptr;
    char *peerBuf_ = nullptr;
};

TEST_F(IpcTest, ProcessesCopyFromEachOtherAndOrderStreamsWithNotifies) {
    startChild("pingpong");
    Stream *s = nullptr;
    ASSERT_EQ(streamCreate(&s), Err::kOk);
    void *local = nullptr;
    ASSERT_EQ(deviceMalloc(kRounds * 64, &local), Err::kOk);
    // Round r: read the peer's buffer (one copy, straight from its memory), let the peer rewrite
    // it, wait until it has.
    for (int r = 0; r < kRounds; ++r) {
        ASSERT_EQ(enqueueCopy(s, static_cast<char *>(local) + r * 64, 64, peerBuf_ + kBytes - 64,
                              64, CopyKind::kDeviceToDevice),
                  Err::kOk);
        ASSERT_EQ(enqueueNotifyRecord(s, theirs_), Err::kOk);
        ASSERT_EQ(enqueueNotifyWait(s, mine_, 10'000'000'000), Err::kOk);
    }
    ASSERT_EQ(streamSynchronize(s), Err::kOk) << streamLastError(s);
    for (int r = 0; r < kRounds; ++r) {
        auto *slot = static_cast<unsigned char *>(local) + r * 64;
        ASSERT_EQ(slot[0], r == 0 ? 0x11 : r & 0xff) << "round " << r;
        ASSERT_EQ(slot[63], r == 0 ? 0x11 : r & 0xff) << "round " << r;
    }
    int status = waitChild();
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "child status " << status;
    EXPECT_EQ(deviceFree(local), Err::kOk);
    EXPECT_EQ(streamDestroy(s), Err::kOk);
    cleanUp();
}

TEST_F(IpcTest, WaitOnAKilledPeerFailsPromptlyNamingThePeer) {
    startChild("stall");
    Stream *s = nullptr;
    ASSERT_EQ(streamCreate(&s), Err::kOk);
    ASSERT_EQ(enqueueNotifyWait(s, mine_, 60'000'000'000), Err::kOk);  // the peer would record
    int64_t start = nowNs();
    kill(child_, SIGKILL);
    // What a link does: the socket to the peer hangs up, the peer's notifies are broken.
    pollfd p{sock_, POLLIN, 0};
    ASSERT_EQ(poll(&p, 1, 2000), 1);
    ASSERT_EQ(notifyBreak(mine_, 1), Err::kOk);
    EXPECT_EQ(streamSynchronize(s), Err::kTaskFailed);
    EXPECT_LT(nowNs() - start, 2'000'000'000);
    EXPECT_NE(streamLastError(s).find("peer rank 1 is gone"), std::string::npos)
        << streamLastError(s);
    waitChild();
    EXPECT_EQ(streamDestroy(s), Err::kOk);
    cleanUp();
}

TEST(Ipc, WaitOnAnotherProcessesNotifyIsRejected) {
    // Only records may target a peer's notify; a wait must be on one's own.
    ASSERT_EQ(setDevice(0), Err::kOk);
    int fd = runtimeAreaFd();
    PeerArea *self = nullptr;  // our own area mapped a second time stands in for a peer's
    ASSERT_EQ(peerAreaOpen(fd, &self), Err::kOk);
    Notify *n = nullptr, *alias = nullptr;
    ASSERT_EQ(notifyCreate(0, &n), Err::kOk);
    ASSERT_EQ(peerAreaNotify(self, notifyOffset(n), &alias), Err::kOk);
    Stream *s = nullptr;
    ASSERT_EQ(defaultStream(&s), Err::kOk);
    EXPECT_EQ(enqueueNotifyWait(s, alias, 1000), Err::kParam);
    EXPECT_EQ(peerAreaNotify(self, 12345, &alias), Err::kHandle);
    peerAreaClose(self);
    EXPECT_EQ(notifyDestroy(n), Err::kOk);
    EXPECT_EQ(resetDevice(0), Err::kOk);
}

}  // namespace
}  // namespace hcclcpu::rt::test

int main(int argc, char **argv) {
    if (argc == 4 && std::string(argv[1]) == "--ipc-child")
        return hcclcpu::rt::test::childMain(std::stoi(argv[2]), argv[3]);
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
