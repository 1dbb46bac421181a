// Policies that would expand to unbounded memory get one clear error, quickly.
#include <doctest/doctest.h>

#include <ctime>
#include <string>

#include "compiler/compiler.hpp"

using namespace microseg;

namespace {

bool has_error(const CompileResult& r, std::string_view kind, std::string_view text) {
    for (const auto& d : r.diagnostics.items())
        if (d.severity == Severity::error && d.kind == kind && d.message.find(text) != std::string::npos) return true;
    return false;
}

// A switch whose trunks are `ranges` lines of "Te<i>/1/1-4096: [1-4094]".
std::string trunk_bomb(int switches, int ranges) {
    std::string p = "version: 1\nclasses:\n  a: {vlan: 5, subnets: [10.0.0.0/24]}\nswitches:\n";
    for (int s = 0; s < switches; ++s) {
        p += fmt::format("  - name: sw{}\n    platform: cisco-ios\n    trunks:\n", s);
        for (int r = 0; r < ranges; ++r) p += fmt::format("      Te{}/1/1-4096: [1-4094]\n", r);
    }
    return p;
}

}  // namespace

TEST_CASE("a huge interface range is refused per range") {
    auto r = compile_policy_text("version: 1\nclasses:\n  a: {vlan: 5, subnets: [10.0.0.0/24]}\nswitches:\n"
                                 "  - {name: s, platform: cisco-ios, ports: {Gi1/0/1-99999999: a}}\n", "r.yaml");
    CHECK(has_error(r, "bad-interface", "more than 4096 interfaces in one range"));
    auto overflow = compile_policy_text("version: 1\nclasses:\n  a: {vlan: 5, subnets: [10.0.0.0/24]}\nswitches:\n"
                                        "  - {name: s, platform: cisco-ios, ports: {Gi1/0/1-99999999999999999999: a}}\n",
                                        "r.yaml");
    CHECK(has_error(overflow, "bad-interface", "the range end is not a number"));
}

TEST_CASE("trunk ranges carrying every VLAN hit the policy-wide limit, not the memory") {
    // 4 x 100 ranges of 4,096 trunks x 4,094 VLANs would be 27 GB of VLAN lists.
    auto start = std::clock();
    auto r = compile_policy_text(trunk_bomb(4, 100), "bomb.yaml");
    auto seconds = double(std::clock() - start) / CLOCKS_PER_SEC;
    CHECK_FALSE(r.ok());
    CHECK(has_error(r, "too-large", "policy too large: more than 16000000 trunk VLANs in all switches"));
    std::size_t reported = 0;
    for (const auto& d : r.diagnostics.items()) reported += d.kind == "too-large";
    CHECK(reported == 1);
    CHECK(seconds < 10);
}

TEST_CASE("port ranges over all switches hit the policy-wide interface limit") {
    std::string p = "version: 1\nclasses:\n  a: {vlan: 5, subnets: [10.0.0.0/24]}\nswitches:\n";
    for (int s = 0; s < 5; ++s) {
        p += fmt::format("  - name: sw{}\n    platform: cisco-ios\n    ports:\n", s);
        for (int r = 0; r < 50; ++r) p += fmt::format("      Gi{}/0/1-4096: a\n", r);
    }
    auto r = compile_policy_text(p, "ports.yaml");  // 1,024,000 ports
    CHECK(has_error(r, "too-large", "more than 1000000 interfaces in all switches"));
}
