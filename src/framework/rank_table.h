// Rank-table files read by HcclCommInitClusterInfo[Config] (spec/public_api.md §4).
//
// Version "1.0" (and its superset "1.2", whose extra fields are ignored): every number is a
// JSON string, status must be "completed", rank ids are 0..N-1, unique, and contiguous within
// each server. The template without "version" ("group_list", legacy) is not supported.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "framework/bootstrap.h"
#include "hccl/hccl_types.h"

namespace hcclcpu::framework {

struct RankTableEntry {
    uint32_t rankId = 0;
    uint32_t deviceId = 0;
    uint32_t serverIndex = 0;  // position of its server in server_list
    std::string serverId;
    std::string hostIp;  // of its server; empty when the table has none
    std::string deviceIp;
};

struct RankTable {
    std::string version;
    std::vector<RankTableEntry> ranks;  // ranks[i].rankId == i
    Secret digest{};                    // 128-bit FNV-1a hash of the file's bytes
};

// Parses the text of a rank table. HCCL_E_PARA (logged, naming the field) when it is not valid
// JSON or breaks a rule above; HCCL_E_NOT_SUPPORT for the legacy template.
HcclResult parseRankTable(std::string_view text, RankTable *table);

// Reads and parses the file. HCCL_E_PARA for a path longer than 4095 bytes or a file larger
// than 64 MiB, HCCL_E_OPEN_FILE_FAILURE when it cannot be opened or read.
HcclResult loadRankTable(const char *path, RankTable *table);

// 128-bit FNV-1a.
Secret fnv1a128(std::string_view bytes);

}  // namespace hcclcpu::framework
