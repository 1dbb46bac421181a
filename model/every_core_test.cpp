#include <doctest/doctest.h>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "model/every_core.hpp"

using namespace microseg;

TEST_CASE("every job runs once, whatever the number of jobs") {
    for (std::size_t count : {0u, 1u, 2u, 7u, 1000u}) {
        std::vector<std::atomic<int>> runs(count);
        on_every_core(count, [&](std::size_t i) { runs[i].fetch_add(1); });
        for (std::size_t i = 0; i < count; ++i) CHECK(runs[i].load() == 1);
    }
}

TEST_CASE("each thread keeps its own state, made once") {
    std::mutex mutex;
    std::set<std::thread::id> makers;
    std::atomic<int> states{0};
    std::vector<int> owner(500, -1);
    on_every_core_with_state(
        owner.size(),
        [&] {
            std::lock_guard lock(mutex);
            CHECK(makers.insert(std::this_thread::get_id()).second);  // once per thread
            return states.fetch_add(1);
        },
        [&](int& state, std::size_t i) { owner[i] = state; });
    const int made = states.load();
    CHECK(made >= 1);
    CHECK(made <= static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));
    for (int o : owner) CHECK((o >= 0 && o < made));
}
