#pragma once
// Output made on every core and written in order: each block of text is formatted by whichever
// thread is free, and written as soon as every block before it is, so the output is the same as
// one thread's and at most a few blocks are held at a time (the text of `paths` on a large
// network is hundreds of megabytes).

#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "model/every_core.hpp"

namespace microseg::cli {

// Writes format(state, i) for i in [0, count) to `out` in order; make_state() gives each thread
// its own state (a cache).
template <class MakeState, class Format>
void write_in_order(std::FILE* out, std::size_t count, MakeState make_state, Format format) {
    std::mutex mutex;
    std::condition_variable turn;
    std::vector<std::optional<std::string>> done(count);
    std::size_t written = 0;
    const std::size_t ahead = 4 * std::max(1u, std::thread::hardware_concurrency());
    on_every_core_with_state(count, make_state, [&](auto& state, std::size_t i) {
        {
            std::unique_lock lock(mutex);
            turn.wait(lock, [&] { return i < written + ahead; });
        }
        std::string text = format(state, i);
        std::unique_lock lock(mutex);
        done[i] = std::move(text);
        for (; written < count && done[written]; ++written) {
            std::fwrite(done[written]->data(), 1, done[written]->size(), out);
            done[written].reset();
        }
        turn.notify_all();
    });
}

}  // namespace microseg::cli
