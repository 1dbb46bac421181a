#include "audit/fetch/fetch_pool.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>

#include <fmt/format.h>

namespace microseg {
namespace {

// A source that throws must not take the other devices (or the process) down with it.
FetchResult fetch_guarded(ConfigSource& source, const FetchTarget& target) {
    try {
        return source.fetch(target);
    } catch (const std::exception& e) {
        return NotAudited{NotAuditedKind::io_error, fmt::format("internal error: {}", e.what())};
    }
}

}  // namespace

// Workers put finished indices on a queue; the caller's thread takes them off and consumes
// them, so `consume` never runs on two threads at once and needs no locking of its own.
void fetch_each(ConfigSource& source, const std::vector<FetchTarget>& targets, int jobs, const ResultFn& consume,
                const ProgressFn& progress) {
    std::vector<std::optional<FetchResult>> slots(targets.size());
    std::atomic<std::size_t> next{0};
    std::mutex mutex;  // guards finished, done and the progress callback
    std::condition_variable ready;
    std::deque<std::size_t> finished;
    std::size_t done = 0;
    auto worker = [&] {
        for (std::size_t i; (i = next.fetch_add(1)) < targets.size();) {
            slots[i].emplace(fetch_guarded(source, targets[i]));
            std::lock_guard lock(mutex);
            ++done;
            if (progress) progress(FetchProgress{done, targets.size(), targets[i].name, slots[i]->ok()});
            finished.push_back(i);
            ready.notify_one();
        }
    };
    std::size_t n = std::min<std::size_t>(static_cast<std::size_t>(std::max(jobs, 1)), targets.size());
    std::vector<std::thread> threads;
    threads.reserve(n);
    for (std::size_t t = 0; t < n; ++t) threads.emplace_back(worker);
    std::exception_ptr failure;  // from consume: rethrown once the workers have been joined
    for (std::size_t consumed = 0; consumed < targets.size(); ++consumed) {
        std::unique_lock lock(mutex);
        ready.wait(lock, [&] { return !finished.empty(); });
        std::size_t i = finished.front();
        finished.pop_front();
        lock.unlock();
        try {
            if (!failure) consume(i, std::move(*slots[i]));
        } catch (...) {
            failure = std::current_exception();
        }
        slots[i].reset();
    }
    for (auto& t : threads) t.join();
    if (failure) std::rethrow_exception(failure);
}

std::vector<FetchResult> fetch_all(ConfigSource& source, const std::vector<FetchTarget>& targets, int jobs,
                                   const ProgressFn& progress) {
    std::vector<std::optional<FetchResult>> slots(targets.size());
    fetch_each(
        source, targets, jobs, [&](std::size_t i, FetchResult&& r) { slots[i].emplace(std::move(r)); }, progress);
    std::vector<FetchResult> out;
    out.reserve(targets.size());
    for (auto& s : slots) out.push_back(std::move(*s));
    return out;
}

std::string progress_line(const FetchProgress& p) {
    int width = static_cast<int>(fmt::formatted_size("{}", p.total));
    return fmt::format("[{:>{}}/{}] {} {}", p.done, width, p.total, p.device, p.ok ? "ok" : "not audited");
}

}  // namespace microseg
