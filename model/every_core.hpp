#pragma once
// Independent jobs spread over every core: the calling thread and one helper thread per further
// core each take the next job until none is left, so a slow job never holds up the others.
// Results go into slots indexed by job, so the order of the output never depends on timing.

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

namespace microseg {

// Calls job(state, i) for every i in [0, count), with state of each thread's own (a solver, a
// cache) from make_state(), called once per thread; returns once all are done.
template <class MakeState, class Job>
void on_every_core_with_state(std::size_t count, MakeState make_state, Job job) {
    std::atomic<std::size_t> next{0};
    auto work = [&] {
        auto state = make_state();
        for (std::size_t i; (i = next.fetch_add(1)) < count;) job(state, i);
    };
    const std::size_t threads = std::min<std::size_t>(std::max(1u, std::thread::hardware_concurrency()), count);
    std::vector<std::jthread> helpers;
    for (std::size_t t = 1; t < threads; ++t) helpers.emplace_back(work);
    work();
}

// Calls job(i) for every i in [0, count); returns once all are done.
template <class Job>
void on_every_core(std::size_t count, Job job) {
    on_every_core_with_state(count, [] { return 0; }, [&](int&, std::size_t i) { job(i); });
}

}  // namespace microseg
