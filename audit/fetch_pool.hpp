#pragma once
// Fetches many devices in parallel: `jobs` worker threads, each running one session at a
// time. One device failing never stops the others; results come back in input order so the
// report is deterministic whatever the timing.

#include <cstddef>
#include <functional>
#include <string_view>
#include <vector>

#include "audit/config_source.hpp"

namespace microseg {

struct FetchProgress {
    std::size_t done = 0;
    std::size_t total = 0;
    std::string_view device;  // the one that just finished
    bool ok = false;
};

// Called after each device, from worker threads but never from two at once.
using ProgressFn = std::function<void(const FetchProgress&)>;

inline constexpr int kDefaultJobs = 16;

// `source.fetch` must be thread-safe. jobs < 1 is treated as 1.
std::vector<FetchResult> fetch_all(ConfigSource& source, const std::vector<FetchTarget>& targets, int jobs,
                                   const ProgressFn& progress = {});

// "[ 12/200] acc-sw-07 ok": one progress line, for stderr on a terminal.
std::string progress_line(const FetchProgress& p);

}  // namespace microseg
