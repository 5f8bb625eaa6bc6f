// What a communicator could leak: descriptors, threads, memory mappings of this process.
#pragma once

#include <gtest/gtest.h>
#include <malloc.h>

#include <algorithm>
#include <fstream>
#include <string>
#include <vector>

#include "open_fds.h"

namespace hcclcpu::framework::test {

// glibc gives threads malloc arenas of their own, mapped once and never unmapped; with one
// arena a new mapping is a real leak.
inline const int kOneMallocArena = mallopt(M_ARENA_MAX, 1);

inline int countDirEntries(const char *path) {
    int count = 0;
    DIR *dir = opendir(path);
    if (dir == nullptr) return -1;
    while (dirent *entry = readdir(dir))
        if (entry->d_name[0] != '.') ++count;
    closedir(dir);
    return count;
}

struct ResourceCounts {
    int fds = 0;
    int threads = 0;
    std::vector<std::string> mappings;  // the lines of /proc/self/maps

    static ResourceCounts now() {
        ResourceCounts c;
        c.fds = openFdCount();
        c.threads = countDirEntries("/proc/self/task");
        std::ifstream maps("/proc/self/maps");
        std::string line;
        while (std::getline(maps, line))
            c.mappings.push_back(line);
        return c;
    }
};

inline void expectSameCounts(const ResourceCounts &before, const ResourceCounts &after) {
    EXPECT_EQ(after.fds, before.fds) << "descriptors leaked";
    EXPECT_EQ(after.threads, before.threads) << "threads leaked";
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
    // The sanitizers' allocators map regions of their own as they go: no baseline.
    return;
#endif
    if (after.mappings.size() != before.mappings.size()) {
        std::string added;
        for (const std::string &line : after.mappings)
            if (std::find(before.mappings.begin(), before.mappings.end(), line) ==
                before.mappings.end())
                added += line + "\n";
        ADD_FAILURE() << "mappings: " << before.mappings.size() << " before, "
                      << after.mappings.size() << " after; new:\n"
                      << added;
    }
}

}  // namespace hcclcpu::framework::test
