// Which host address and ports a rank's sockets use (spec/public_api.md §5).
//
// Address: HCCL_IF_IP > HCCL_SOCKET_IFNAME > the first interface in name order that is neither
// docker nor loopback > docker > loopback, in the family HCCL_SOCKET_FAMILY (AF_INET default).
// Root ports: HCCL_HOST_SOCKET_PORT_RANGE ("auto", "60000-60050", "60000,60005-60010") >
// HCCL_IF_BASE_PORT (default 60000, 32 consecutive ports).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "framework/socket.h"
#include "hccl/hccl_types.h"

namespace hcclcpu::framework {

struct NetInterface {
    std::string name;
    SocketAddress address;
};

// Interfaces that are up, with their IPv4 and IPv6 addresses (IPv6 link-local ones are left
// out: they would need a scope id).
std::vector<NetInterface> listInterfaces();

struct NicRequest {
    std::string ifIp;      // HCCL_IF_IP; empty when unset
    std::string ifName;    // HCCL_SOCKET_IFNAME; empty when unset
    int family = AF_INET;  // HCCL_SOCKET_FAMILY
};
NicRequest nicRequestFromEnv();

// Chooses the address among `interfaces` as described above. No system calls, so tests can
// feed any interface list. Errors: HCCL_E_PARA for a malformed HCCL_IF_IP / HCCL_SOCKET_IFNAME
// or an HCCL_IF_IP that is not an address of this host, HCCL_E_NOT_FOUND when nothing matches.
// Logs the reason of a failure.
HcclResult chooseHostAddress(const NicRequest &request, const std::vector<NetInterface> &interfaces,
                             NetInterface *chosen);

// The same over this host's interfaces and environment.
HcclResult selectHostAddress(NetInterface *chosen);

// Parses HCCL_HOST_SOCKET_PORT_RANGE syntax; "auto" is the single port 0 (any free port).
HcclResult parsePortRange(std::string_view text, std::vector<uint16_t> *ports);

// The ports a root listener tries, in order.
HcclResult rootListenPorts(std::vector<uint16_t> *ports);

// HCCL_IF_BASE_PORT (default 60000, [1024, 65520]).
uint16_t basePort();

}  // namespace hcclcpu::framework
