// Every input a fuzzer or sanitizer once crashed on (tests/regressions/<target>/*), replayed
// through the same harness target (fuzz/harness.cpp) in the normal build: it must neither crash
// nor break the target's properties.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "audit/parse/registry.hpp"
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

// The seeds themselves must satisfy every property: the examples' MAC tables and inventory (the
// placement targets' round trips) and every golden config (well-formed ACL entries).
TEST_CASE("harness targets accept the example MAC tables, inventory and golden configs") {
    fs::path source(MICROSEG_SOURCE_DIR);
    std::vector<std::pair<std::string, fs::path>> seeds;
    for (const auto& f : fs::recursive_directory_iterator(source / "examples"))
        if (f.path().parent_path().filename() == "macs") seeds.emplace_back("mac_tables", f.path());
        else if (f.path().filename() == "inventory.csv") seeds.emplace_back("inventory", f.path());
    const std::pair<std::string, std::string> golden_targets[] = {
        {".ios", "parse_cisco_ios"}, {".eos", "parse_arista_eos"}, {".junos", "parse_junos"}, {".nft", "parse_nftables"}};
    for (const auto& f : fs::recursive_directory_iterator(source / "tests" / "golden"))
        for (const auto& [extension, target] : golden_targets)
            if (f.path().extension() == extension) seeds.emplace_back(target, f.path());
    REQUIRE(seeds.size() > 10);
    for (const auto& [name, path] : seeds) {
        INFO(name << " on " << path);
        auto input = read_text_file(path.string());
        REQUIRE(input);
        CHECK(fuzz::find_target(name)->run(input.value()) == "");
    }
}
