// Which address and port the rendezvous uses (spec/public_api.md §5: HCCL_IF_IP,
// HCCL_SOCKET_IFNAME, HCCL_SOCKET_FAMILY, HCCL_IF_BASE_PORT, HCCL_HOST_SOCKET_PORT_RANGE).
// The selection is tested on made-up interface lists: no traffic leaves loopback.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <string>
#include <vector>

#include "framework/nic.h"
#include "framework/rendezvous.h"
#include "framework_test_util.h"

namespace hcclcpu::framework::test {
namespace {

NetInterface nic(const std::string &name, const std::string &ip) {
    return {name, *SocketAddress::parse(ip)};
}

const std::vector<NetInterface> kHost = {
    nic("lo", "127.0.0.1"),    nic("docker0", "172.17.0.1"),  nic("eth1", "192.0.2.11"),
    nic("eth0", "192.0.2.10"), nic("enp3s0", "198.51.100.3"), nic("eth0", "2001:db8::10"),
    nic("lo", "::1"),
};

std::string choose(const NicRequest &request, const std::vector<NetInterface> &host = kHost) {
    NetInterface chosen;
    HcclResult r = chooseHostAddress(request, host, &chosen);
    if (r != HCCL_SUCCESS) return "error " + std::to_string(r);
    return chosen.name + " " + chosen.address.ipString();
}

NicRequest byName(const std::string &ifName, int family = AF_INET) {
    NicRequest request;
    request.ifName = ifName;
    request.family = family;
    return request;
}

TEST(NicChoice, FallbackIsFirstOrdinaryInterfaceByName) {
    EXPECT_EQ(choose(NicRequest{}), "enp3s0 198.51.100.3");
}

TEST(NicChoice, FallbackPrefersDockerOverLoopback) {
    std::vector<NetInterface> host = {nic("lo", "127.0.0.1"), nic("docker0", "172.17.0.1")};
    EXPECT_EQ(choose(NicRequest{}, host), "docker0 172.17.0.1");
    EXPECT_EQ(choose(NicRequest{}, {nic("lo", "127.0.0.1")}), "lo 127.0.0.1");
}

TEST(NicChoice, FamilyAfInet6PicksIpv6Addresses) {
    NicRequest request;
    request.family = AF_INET6;
    EXPECT_EQ(choose(request), "eth0 2001:db8::10");
}

TEST(NicChoice, IfIpWinsOverIfName) {
    NicRequest request = byName("=eth0");
    request.ifIp = "192.0.2.11";
    EXPECT_EQ(choose(request), "eth1 192.0.2.11");
    request.ifIp = "::1";
    EXPECT_EQ(choose(request), "lo ::1");
}

TEST(NicChoice, IfIpThatIsNotAnAddressOfThisHostIsEPara) {
    NicRequest request;
    request.ifIp = "203.0.113.9";
    EXPECT_EQ(choose(request), "error 1");
    request.ifIp = "not-an-ip";
    EXPECT_EQ(choose(request), "error 1");
}

TEST(NicChoice, IfNamePrefixesIncludeInTheGivenOrder) {
    EXPECT_EQ(choose(byName("eth")), "eth0 192.0.2.10");
    EXPECT_EQ(choose(byName("enp,eth")), "enp3s0 198.51.100.3");
    EXPECT_EQ(choose(byName("eth,enp")), "eth0 192.0.2.10");
    EXPECT_EQ(choose(byName("wlan,docker")), "docker0 172.17.0.1");
}

TEST(NicChoice, IfNameCaretExcludesPrefixes) {
    EXPECT_EQ(choose(byName("^enp")), "eth0 192.0.2.10");
    EXPECT_EQ(choose(byName("^enp,eth")), "docker0 172.17.0.1");
    EXPECT_EQ(choose(byName("^enp,eth,docker")), "lo 127.0.0.1");
}

TEST(NicChoice, IfNameEqualsMatchesWholeNames) {
    EXPECT_EQ(choose(byName("=eth1")), "eth1 192.0.2.11");
    EXPECT_EQ(choose(byName("=eth")), "error 6");  // no interface is called exactly "eth"
    EXPECT_EQ(choose(byName("^=eth0,enp3s0")), "eth1 192.0.2.11");
}

TEST(NicChoice, IfNameMatchingNothingIsENotFound) {
    EXPECT_EQ(choose(byName("wlan")), "error 6");
    EXPECT_EQ(choose(byName("^")), "error 1");
    EXPECT_EQ(choose(byName(",")), "error 1");
}

TEST(NicChoice, NoInterfaceIsENotFound) {
    EXPECT_EQ(choose(NicRequest{}, {}), "error 6");
}

TEST(NicChoice, ThisHostHasLoopback) {
    std::vector<NetInterface> interfaces = listInterfaces();
    bool loopback = false;
    for (const NetInterface &n : interfaces)
        loopback |= n.name == "lo" && n.address.ipString() == "127.0.0.1";
    EXPECT_TRUE(loopback);
}

TEST(PortRange, ParsesAutoSinglePortsAndRanges) {
    std::vector<uint16_t> ports;
    EXPECT_EQ(parsePortRange("auto", &ports), HCCL_SUCCESS);
    EXPECT_EQ(ports, std::vector<uint16_t>{0});
    EXPECT_EQ(parsePortRange("60000-60002,61000,60001", &ports), HCCL_SUCCESS);
    EXPECT_EQ(ports, (std::vector<uint16_t>{60000, 60001, 60002, 61000}));
}

TEST(PortRange, RejectsMalformedRanges) {
    std::vector<uint16_t> ports;
    for (const char *bad : {"", "x", "0", "65536", "60010-60000", "1-", "-5", "1-2-3", ","})
        EXPECT_EQ(parsePortRange(bad, &ports), HCCL_E_PARA) << bad;
}

TEST(RootPorts, DefaultIs32PortsFrom60000) {
    unsetenv("HCCL_HOST_SOCKET_PORT_RANGE");
    unsetenv("HCCL_IF_BASE_PORT");
    std::vector<uint16_t> ports;
    EXPECT_EQ(rootListenPorts(&ports), HCCL_SUCCESS);
    ASSERT_EQ(ports.size(), 32u);
    EXPECT_EQ(ports.front(), 60000);
    EXPECT_EQ(ports.back(), 60031);
    setenv("HCCL_HOST_SOCKET_PORT_RANGE", "auto", 1);
}

TEST(RootPorts, PortRangeWinsOverBasePort) {
    setenv("HCCL_IF_BASE_PORT", "50000", 1);
    setenv("HCCL_HOST_SOCKET_PORT_RANGE", "40000-40001", 1);
    std::vector<uint16_t> ports;
    EXPECT_EQ(rootListenPorts(&ports), HCCL_SUCCESS);
    EXPECT_EQ(ports, (std::vector<uint16_t>{40000, 40001}));
    setenv("HCCL_HOST_SOCKET_PORT_RANGE", "auto", 1);
    unsetenv("HCCL_IF_BASE_PORT");
}

// The root takes the first free port from HCCL_IF_BASE_PORT: occupy the base port and the
// root info must name the next one.
TEST(RootPorts, GetRootInfoTakesTheFirstFreePortFromTheBase) {
    // A base port derived from the pid keeps parallel runs of this test apart.
    uint16_t base = static_cast<uint16_t>(20000 + (getpid() % 1000) * 32);
    UniqueFd blocker;
    SocketAddress bound;
    ASSERT_TRUE(
        listenOnFirstFree(*SocketAddress::parse("127.0.0.1"), {base}, &blocker, &bound).ok());
    unsetenv("HCCL_HOST_SOCKET_PORT_RANGE");
    setenv("HCCL_IF_BASE_PORT", std::to_string(base).c_str(), 1);
    HcclRootInfo blob{};
    HcclResult r = HcclGetRootInfo(&blob);
    setenv("HCCL_HOST_SOCKET_PORT_RANGE", "auto", 1);
    unsetenv("HCCL_IF_BASE_PORT");
    ASSERT_EQ(r, HCCL_SUCCESS);
    RootInfo info;
    ASSERT_EQ(decodeRootInfo(&blob, &info), HCCL_SUCCESS);
    EXPECT_EQ(info.address.port, base + 1);
    EXPECT_EQ(info.address.ipString(), "127.0.0.1");
    releaseRootListener(info.uniqueId, HCCL_E_INTERNAL);  // stop it now
}

TEST(RootPorts, NoFreePortInTheRangeIsEUnavail) {
    UniqueFd blocker;
    SocketAddress bound;
    ASSERT_TRUE(listenOnFirstFree(*SocketAddress::parse("127.0.0.1"), {0}, &blocker, &bound).ok());
    setenv("HCCL_HOST_SOCKET_PORT_RANGE", std::to_string(bound.port).c_str(), 1);
    HcclRootInfo blob{};
    HcclResult r = HcclGetRootInfo(&blob);
    setenv("HCCL_HOST_SOCKET_PORT_RANGE", "auto", 1);
    EXPECT_EQ(r, HCCL_E_UNAVAIL);
}

}  // namespace
}  // namespace hcclcpu::framework::test
