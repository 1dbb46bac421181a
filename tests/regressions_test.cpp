// Every input a fuzzer or sanitizer once crashed on (tests/regressions/<target>/*), replayed
// through the same harness target (fuzz/harness.cpp) in the normal build: it must neither crash
// nor break the target's properties.
#include <doctest/doctest.h>

#include <filesystem>

#include "fuzz/harness.hpp"
#include "model/file_io.hpp"

namespace fs = std::filesystem;
using namespace microseg;

TEST_CASE("saved fuzz regressions replay cleanly through their harness target") {
    fs::path root = fs::path(MICROSEG_SOURCE_DIR) / "tests" / "regressions";
    REQUIRE(fs::is_directory(root));
    std::size_t replayed = 0;
    for (const auto& dir : fs::directory_iterator(root)) {
        if (!dir.is_directory()) continue;
        const fuzz::Target* target = fuzz::find_target(dir.path().filename().string());
        INFO("folder " << dir.path());
        REQUIRE_MESSAGE(target != nullptr, "tests/regressions/<name> must name a target of fuzz/harness.cpp");
        for (const auto& file : fs::directory_iterator(dir.path())) {
            auto input = read_text_file(file.path().string());
            REQUIRE(input);
            INFO("input " << file.path());
            CHECK(target->run(input.value()) == "");
            ++replayed;
        }
    }
    CHECK(replayed > 0);
}

TEST_CASE("every harness target runs on empty and garbage input") {
    for (const auto& target : fuzz::targets()) {
        INFO(target.name);
        CHECK(target.run("") == "");
        CHECK(target.run(std::string("\0\xff{[;\n", 6)) == "");
    }
}
