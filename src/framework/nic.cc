#include "framework/nic.h"

#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>

#include <algorithm>
#include <charconv>

#include "common/env.h"
#include "common/log.h"

namespace hcclcpu::framework {

namespace {

constexpr uint16_t kBasePortDefault = 60000;
constexpr int kBasePortCount = 32;

bool isLinkLocal6(const SocketAddress &address) {
    return address.family == AF_INET6 && address.ip[0] == 0xfe && (address.ip[1] & 0xc0) == 0x80;
}

// The fallback order: ordinary interfaces, then docker ones, then loopback; by name within each.
int fallbackClass(const NetInterface &nic) {
    if (nic.name == "lo" || nic.address.isLoopback()) return 2;
    if (nic.name.rfind("docker", 0) == 0) return 1;
    return 0;
}

std::vector<const NetInterface *> inFallbackOrder(const std::vector<NetInterface> &interfaces,
                                                  int family) {
    std::vector<const NetInterface *> ordered;
    for (const NetInterface &nic : interfaces)
        if (nic.address.family == family) ordered.push_back(&nic);
    std::stable_sort(ordered.begin(), ordered.end(), [](const auto *a, const auto *b) {
        int ca = fallbackClass(*a), cb = fallbackClass(*b);
        return ca != cb ? ca < cb : a->name < b->name;
    });
    return ordered;
}

std::vector<std::string> splitList(std::string_view text) {
    std::vector<std::string> items;
    while (!text.empty()) {
        size_t comma = text.find(',');
        std::string_view item = text.substr(0, comma);
        if (!item.empty()) items.emplace_back(item);
        if (comma == std::string_view::npos) break;
        text.remove_prefix(comma + 1);
    }
    return items;
}

HcclResult chooseByName(const std::string &spec, const std::vector<const NetInterface *> &ordered,
                        NetInterface *chosen) {
    // "^" excludes, "=" matches whole names; otherwise the items are name prefixes.
    std::string_view text = spec;
    bool exclude = !text.empty() && text.front() == '^';
    if (exclude) text.remove_prefix(1);
    bool exact = !text.empty() && text.front() == '=';
    if (exact) text.remove_prefix(1);
    std::vector<std::string> patterns = splitList(text);
    if (patterns.empty()) {
        HCPU_ERROR("HCCL_SOCKET_IFNAME=\"{}\" names no interface", spec);
        return HCCL_E_PARA;
    }
    auto matches = [&](const NetInterface &nic, const std::string &pattern) {
        return exact ? nic.name == pattern : nic.name.rfind(pattern, 0) == 0;
    };
    if (exclude) {
        for (const NetInterface *nic : ordered) {
            bool excluded = std::any_of(patterns.begin(), patterns.end(),
                                        [&](const std::string &p) { return matches(*nic, p); });
            if (!excluded) {
                *chosen = *nic;
                return HCCL_SUCCESS;
            }
        }
    } else {
        // The first pattern that matches an interface wins.
        for (const std::string &pattern : patterns)
            for (const NetInterface *nic : ordered)
                if (matches(*nic, pattern)) {
                    *chosen = *nic;
                    return HCCL_SUCCESS;
                }
    }
    HCPU_ERROR(
        "HCCL_SOCKET_IFNAME=\"{}\": no interface with an address of the chosen family "
        "matches",
        spec);
    return HCCL_E_NOT_FOUND;
}

}  // namespace

std::vector<NetInterface> listInterfaces() {
    std::vector<NetInterface> interfaces;
    ifaddrs *list = nullptr;
    if (getifaddrs(&list) != 0) {
        HCPU_ERROR("getifaddrs failed: errno {}", errno);
        return interfaces;
    }
    for (ifaddrs *entry = list; entry != nullptr; entry = entry->ifa_next) {
        if (entry->ifa_addr == nullptr || (entry->ifa_flags & IFF_UP) == 0) continue;
        int family = entry->ifa_addr->sa_family;
        if (family != AF_INET && family != AF_INET6) continue;
        NetInterface nic{entry->ifa_name, SocketAddress::fromSockaddr(entry->ifa_addr)};
        nic.address.port = 0;
        if (isLinkLocal6(nic.address)) continue;
        interfaces.push_back(std::move(nic));
    }
    freeifaddrs(list);
    return interfaces;
}

NicRequest nicRequestFromEnv() {
    NicRequest request;
    request.ifIp = env::string("HCCL_IF_IP").value_or("");
    request.ifName = env::string("HCCL_SOCKET_IFNAME").value_or("");
    std::string family = env::string("HCCL_SOCKET_FAMILY").value_or("");
    if (family == "AF_INET6") {
        request.family = AF_INET6;
    } else if (!family.empty() && family != "AF_INET") {
        HCPU_WARN("ignoring HCCL_SOCKET_FAMILY=\"{}\": expected AF_INET or AF_INET6", family);
    }
    return request;
}

HcclResult chooseHostAddress(const NicRequest &request, const std::vector<NetInterface> &interfaces,
                             NetInterface *chosen) {
    if (!request.ifIp.empty()) {
        std::optional<SocketAddress> address = SocketAddress::parse(request.ifIp);
        if (!address) {
            HCPU_ERROR("HCCL_IF_IP=\"{}\" is not an IPv4 or IPv6 address", request.ifIp);
            return HCCL_E_PARA;
        }
        for (const NetInterface &nic : interfaces)
            if (nic.address == *address) {
                *chosen = nic;
                return HCCL_SUCCESS;
            }
        HCPU_ERROR("HCCL_IF_IP=\"{}\" is not an address of an interface of this host",
                   request.ifIp);
        return HCCL_E_PARA;
    }
    std::vector<const NetInterface *> ordered = inFallbackOrder(interfaces, request.family);
    if (!request.ifName.empty()) return chooseByName(request.ifName, ordered, chosen);
    if (ordered.empty()) {
        HCPU_ERROR("no network interface with an {} address is up",
                   request.family == AF_INET6 ? "IPv6" : "IPv4");
        return HCCL_E_NOT_FOUND;
    }
    *chosen = *ordered.front();
    return HCCL_SUCCESS;
}

HcclResult selectHostAddress(NetInterface *chosen) {
    HcclResult result = chooseHostAddress(nicRequestFromEnv(), listInterfaces(), chosen);
    if (result == HCCL_SUCCESS)
        HCPU_DEBUG("host sockets use {} ({})", chosen->address.ipString(), chosen->name);
    return result;
}

HcclResult parsePortRange(std::string_view text, std::vector<uint16_t> *ports) {
    ports->clear();
    if (text == "auto") {
        ports->push_back(0);
        return HCCL_SUCCESS;
    }
    auto parsePort = [](std::string_view s, uint32_t *port) {
        const char *end = s.data() + s.size();
        auto [next, ec] = std::from_chars(s.data(), end, *port);
        return ec == std::errc() && next == end && *port >= 1 && *port <= 65535;
    };
    for (const std::string &item : splitList(text)) {
        std::string_view range = item;
        size_t dash = range.find('-');
        uint32_t first = 0, last = 0;
        bool ok = dash == std::string_view::npos
                      ? parsePort(range, &first) && (last = first, true)
                      : parsePort(range.substr(0, dash), &first) &&
                            parsePort(range.substr(dash + 1), &last) && first <= last;
        if (!ok) {
            HCPU_ERROR(
                "HCCL_HOST_SOCKET_PORT_RANGE=\"{}\": \"{}\" is not a port or a range "
                "first-last of ports in [1, 65535]",
                text, item);
            ports->clear();
            return HCCL_E_PARA;
        }
        for (uint32_t port = first; port <= last; ++port)
            if (std::find(ports->begin(), ports->end(), port) == ports->end())
                ports->push_back(static_cast<uint16_t>(port));
    }
    if (ports->empty()) {
        HCPU_ERROR("HCCL_HOST_SOCKET_PORT_RANGE=\"{}\" names no port", text);
        return HCCL_E_PARA;
    }
    return HCCL_SUCCESS;
}

uint16_t basePort() {
    return static_cast<uint16_t>(env::integer("HCCL_IF_BASE_PORT", kBasePortDefault, 1024, 65520));
}

HcclResult rootListenPorts(std::vector<uint16_t> *ports) {
    std::optional<std::string> range = env::string("HCCL_HOST_SOCKET_PORT_RANGE");
    if (range && !range->empty()) return parsePortRange(*range, ports);
    ports->clear();
    uint16_t base = basePort();
    for (int i = 0; i < kBasePortCount; ++i)
        ports->push_back(static_cast<uint16_t>(base + i));
    return HCCL_SUCCESS;
}

}  // namespace hcclcpu::framework
