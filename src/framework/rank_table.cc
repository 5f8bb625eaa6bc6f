#include "framework/rank_table.h"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "common/log.h"
#include "framework/socket.h"

namespace hcclcpu::framework {

namespace {

using nlohmann::json;

constexpr size_t kMaxPathBytes = 4095;  // 4096 with the NUL
constexpr size_t kMaxFileBytes = 64u << 20;
constexpr size_t kMaxServerIdBytes = 64;

// A field whose value must be a string of decimal digits.
std::optional<uint32_t> numberField(const json &object, const char *field, const std::string &where,
                                    bool required, HcclResult *error) {
    auto it = object.find(field);
    if (it == object.end()) {
        if (required) {
            HCPU_ERROR("rank table: {} has no \"{}\"", where, field);
            *error = HCCL_E_PARA;
        }
        return std::nullopt;
    }
    if (!it->is_string()) {
        HCPU_ERROR("rank table: {} \"{}\" must be a string of digits, e.g. \"0\" (got {})", where,
                   field, it->dump());
        *error = HCCL_E_PARA;
        return std::nullopt;
    }
    const std::string &text = it->get_ref<const std::string &>();
    uint32_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
        HCPU_ERROR("rank table: {} \"{}\" is \"{}\", not a decimal number", where, field, text);
        *error = HCCL_E_PARA;
        return std::nullopt;
    }
    return value;
}

// An optional string field; HCCL_E_PARA when present but not a string.
bool stringField(const json &object, const char *field, const std::string &where,
                 std::string *value) {
    auto it = object.find(field);
    if (it == object.end()) return true;
    if (!it->is_string()) {
        HCPU_ERROR("rank table: {} \"{}\" must be a string (got {})", where, field, it->dump());
        return false;
    }
    *value = it->get<std::string>();
    return true;
}

HcclResult parseServer(const json &server, uint32_t index, std::vector<RankTableEntry> *ranks) {
    std::string where = fmt::format("server_list[{}]", index);
    if (!server.is_object()) {
        HCPU_ERROR("rank table: {} is not an object", where);
        return HCCL_E_PARA;
    }
    std::string serverId, hostIp;
    if (!stringField(server, "server_id", where, &serverId) ||
        !stringField(server, "host_ip", where, &hostIp))
        return HCCL_E_PARA;
    if (serverId.empty() || serverId.size() > kMaxServerIdBytes) {
        HCPU_ERROR("rank table: {} needs a \"server_id\" of 1 to {} characters", where,
                   kMaxServerIdBytes);
        return HCCL_E_PARA;
    }
    if (!hostIp.empty() && !SocketAddress::parse(hostIp)) {
        HCPU_ERROR("rank table: {} \"host_ip\" \"{}\" is not an IP address", where, hostIp);
        return HCCL_E_PARA;
    }
    auto devices = server.find("device");
    if (devices == server.end() || !devices->is_array() || devices->empty()) {
        HCPU_ERROR("rank table: {} needs a non-empty \"device\" list", where);
        return HCCL_E_PARA;
    }
    std::set<uint32_t> deviceIds;
    for (size_t d = 0; d < devices->size(); ++d) {
        const json &device = (*devices)[d];
        std::string at = fmt::format("{}.device[{}]", where, d);
        if (!device.is_object()) {
            HCPU_ERROR("rank table: {} is not an object", at);
            return HCCL_E_PARA;
        }
        HcclResult error = HCCL_SUCCESS;
        std::optional<uint32_t> deviceId = numberField(device, "device_id", at, true, &error);
        std::optional<uint32_t> rankId = numberField(device, "rank_id", at, true, &error);
        std::optional<uint32_t> port = numberField(device, "device_port", at, false, &error);
        if (error != HCCL_SUCCESS) return error;
        if (port && (*port == 0 || *port > 65535)) {
            HCPU_ERROR("rank table: {} \"device_port\" {} is not in [1, 65535]", at, *port);
            return HCCL_E_PARA;
        }
        if (!deviceIds.insert(*deviceId).second) {
            HCPU_ERROR("rank table: {} repeats device_id {} of its server", at, *deviceId);
            return HCCL_E_PARA;
        }
        RankTableEntry entry;
        entry.rankId = *rankId;
        entry.deviceId = *deviceId;
        entry.serverIndex = index;
        entry.serverId = serverId;
        entry.hostIp = hostIp;
        if (!stringField(device, "device_ip", at, &entry.deviceIp)) return HCCL_E_PARA;
        ranks->push_back(std::move(entry));
    }
    return HCCL_SUCCESS;
}

// Rank ids must be 0..N-1 exactly once, and each server's ids one consecutive run.
HcclResult checkRankIds(std::vector<RankTableEntry> &ranks) {
    std::sort(ranks.begin(), ranks.end(),
              [](const auto &a, const auto &b) { return a.rankId < b.rankId; });
    for (size_t i = 0; i < ranks.size(); ++i) {
        if (ranks[i].rankId != i) {
            bool duplicate = i > 0 && ranks[i].rankId == ranks[i - 1].rankId;
            HCPU_ERROR("rank table: rank_id {} {}; rank ids must be 0..{} each exactly once",
                       duplicate ? ranks[i].rankId : static_cast<uint32_t>(i),
                       duplicate ? "appears twice" : "is missing", ranks.size() - 1);
            return HCCL_E_PARA;
        }
    }
    std::set<uint32_t> serversSeen;
    for (size_t i = 0; i < ranks.size(); ++i) {
        bool continues = i > 0 && ranks[i].serverIndex == ranks[i - 1].serverIndex;
        if (!continues && !serversSeen.insert(ranks[i].serverIndex).second) {
            HCPU_ERROR(
                "rank table: the rank ids of server \"{}\" are not contiguous (rank {} "
                "follows rank {} of another server)",
                ranks[i].serverId, i, i - 1);
            return HCCL_E_PARA;
        }
    }
    return HCCL_SUCCESS;
}

HcclResult parseDocument(const json &doc, RankTable *table) {
    if (!doc.is_object()) {
        HCPU_ERROR("rank table: the top level is not a JSON object");
        return HCCL_E_PARA;
    }
    std::string status, version;
    if (!stringField(doc, "status", "the table", &status) ||
        !stringField(doc, "version", "the table", &version))
        return HCCL_E_PARA;
    if (status != "completed") {
        HCPU_ERROR("rank table: status is \"{}\", must be \"completed\"", status);
        return HCCL_E_PARA;
    }
    if (version.empty() && doc.contains("group_list")) {
        HCPU_ERROR(
            "rank table: the legacy \"group_list\" template is not supported; use "
            "version 1.0");
        return HCCL_E_NOT_SUPPORT;
    }
    if (version != "1.0" && version != "1.2") {
        HCPU_ERROR("rank table: version \"{}\" is not supported (1.0 and 1.2 are)", version);
        return HCCL_E_PARA;
    }
    auto servers = doc.find("server_list");
    if (servers == doc.end() || !servers->is_array() || servers->empty()) {
        HCPU_ERROR("rank table: needs a non-empty \"server_list\"");
        return HCCL_E_PARA;
    }
    HcclResult error = HCCL_SUCCESS;
    std::optional<uint32_t> serverCount =
        numberField(doc, "server_count", "the table", version == "1.0", &error);
    if (error != HCCL_SUCCESS) return error;
    if (serverCount && *serverCount != servers->size()) {
        HCPU_ERROR("rank table: server_count is {} but server_list has {} servers", *serverCount,
                   servers->size());
        return HCCL_E_PARA;
    }
    std::vector<RankTableEntry> ranks;
    std::set<std::string> serverIds;
    for (size_t s = 0; s < servers->size(); ++s) {
        HcclResult result = parseServer((*servers)[s], static_cast<uint32_t>(s), &ranks);
        if (result != HCCL_SUCCESS) return result;
        if (!serverIds.insert(ranks.back().serverId).second) {
            HCPU_ERROR("rank table: server_id \"{}\" appears twice", ranks.back().serverId);
            return HCCL_E_PARA;
        }
    }
    if (HcclResult result = checkRankIds(ranks); result != HCCL_SUCCESS) return result;
    table->version = version;
    table->ranks = std::move(ranks);
    return HCCL_SUCCESS;
}

}  // namespace

Secret fnv1a128(std::string_view bytes) {
    // FNV-1a with the 128-bit offset basis and prime.
    using u128 = unsigned __int128;
    const u128 prime = (static_cast<u128>(0x0000000001000000ULL) << 64) | 0x000000000000013BULL;
    u128 hash = (static_cast<u128>(0x6C62272E07BB0142ULL) << 64) | 0x62B821756295C58DULL;
    for (char c : bytes) {
        hash ^= static_cast<uint8_t>(c);
        hash *= prime;
    }
    Secret digest;
    for (size_t i = 0; i < digest.size(); ++i)
        digest[i] = static_cast<uint8_t>(hash >> (8 * i));
    return digest;
}

HcclResult parseRankTable(std::string_view text, RankTable *table) {
    json doc = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded()) {
        HCPU_ERROR("rank table: not valid JSON");
        return HCCL_E_PARA;
    }
    try {
        return parseDocument(doc, table);
    } catch (const json::exception &e) {
        HCPU_ERROR("rank table: {}", e.what());
        return HCCL_E_PARA;
    }
}

HcclResult loadRankTable(const char *path, RankTable *table) {
    size_t length = strnlen(path, kMaxPathBytes + 1);
    if (length == 0 || length > kMaxPathBytes) {
        HCPU_ERROR("rank table: the path is empty or longer than {} bytes", kMaxPathBytes);
        return HCCL_E_PARA;
    }
    std::ifstream file(path, std::ios::binary);
    if (!file) {
        HCPU_ERROR("rank table: cannot open \"{}\": {}", path, std::strerror(errno));
        return HCCL_E_OPEN_FILE_FAILURE;
    }
    std::string text;
    char chunk[65536];
    while (file.read(chunk, sizeof(chunk)) || file.gcount() > 0) {
        text.append(chunk, static_cast<size_t>(file.gcount()));
        if (text.size() > kMaxFileBytes) {
            HCPU_ERROR("rank table: \"{}\" is larger than {} bytes", path, kMaxFileBytes);
            return HCCL_E_PARA;
        }
    }
    if (file.bad()) {
        HCPU_ERROR("rank table: cannot read \"{}\"", path);
        return HCCL_E_OPEN_FILE_FAILURE;
    }
    HcclResult result = parseRankTable(text, table);
    if (result != HCCL_SUCCESS) {
        HCPU_ERROR("rank table: \"{}\" rejected", path);
        return result;
    }
    table->digest = fnv1a128(text);
    return HCCL_SUCCESS;
}

}  // namespace hcclcpu::framework
