#include <doctest/doctest.h>

#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <thread>

#include "cli/ordered_output.hpp"

using namespace microseg;

namespace {

std::string read_all(std::FILE* f) {
    std::rewind(f);
    std::string out;
    char buf[4096];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) out.append(buf, n);
    return out;
}

}  // namespace

TEST_CASE("blocks formatted on every core are written in their order") {
    for (std::size_t count : {0u, 1u, 3u, 200u}) {
        std::FILE* f = std::tmpfile();
        REQUIRE(f);
        // Blocks take uneven times, so they finish out of order.
        cli::write_in_order(
            f, count, [] { return std::mt19937(std::hash<std::thread::id>{}(std::this_thread::get_id())); },
            [](std::mt19937& rng, std::size_t i) {
                std::this_thread::sleep_for(std::chrono::microseconds(rng() % 300));
                return "block " + std::to_string(i) + std::string(i % 7, '.') + "\n";
            });
        std::string expected;
        for (std::size_t i = 0; i < count; ++i) expected += "block " + std::to_string(i) + std::string(i % 7, '.') + "\n";
        CHECK(read_all(f) == expected);
        std::fclose(f);
    }
}
