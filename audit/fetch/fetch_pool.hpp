#pragma once
// Fetches many devices in parallel: `jobs` worker threads, each running one session at a
// time. One device failing never stops the others; results come back in input order so the
// report is deterministic whatever the timing. fetch_each hands each result to the calling
// thread as soon as it arrives, so the audit of one switch overlaps the fetches of the others
// instead of waiting for the slowest device.

#include <cstddef>
#include <functional>
#include <string_view>
#include <vector>

#include "audit/fetch/config_source.hpp"

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

// Called on the thread that called fetch_each, once per target, in the order fetches finish:
// the target's index and its result.
using ResultFn = std::function<void(std::size_t index, FetchResult&& result)>;

// `source.fetch` must be thread-safe. jobs < 1 is treated as 1. Returns when every target
// has been fetched and handed to `consume`.
void fetch_each(ConfigSource& source, const std::vector<FetchTarget>& targets, int jobs, const ResultFn& consume,
                const ProgressFn& progress = {});

// fetch_each, collecting the results in input order.
std::vector<FetchResult> fetch_all(ConfigSource& source, const std::vector<FetchTarget>& targets, int jobs,
                                   const ProgressFn& progress = {});

// "[ 12/200] acc-sw-07 ok": one progress line, for stderr on a terminal.
std::string progress_line(const FetchProgress& p);

}  // namespace microseg
