// Rulesets crafted to expand in the nftables parser stay within bounded time and memory: jump
// chains that inline exponentially, and sets that multiply. Before the limits, the first case
// below never finished (10^16 rule visits from a 2 KB file) and the second needed over 2 GB.
#include <doctest/doctest.h>

#include <ctime>
#include <string>

#include <fmt/format.h>

#include "audit/parse/registry.hpp"
#include "model/as_built.hpp"
#include "tests/support/parser_limits.hpp"

using namespace microseg;
using microseg::test::has_warning;
using microseg::test::seconds_since;

namespace {

const std::string kForwardHeader = "table inet t {\n\tchain forward {\n\t\ttype filter hook forward priority filter; policy drop;\n";

// The base chain jumps `fan_out` times to c1, which jumps `fan_out` times to c2, ... to c`depth`.
std::string jump_tree(int fan_out, int depth) {
    std::string text = kForwardHeader;
    for (int i = 0; i < fan_out; ++i) text += "\t\tjump c1\n";
    text += "\t}\n";
    for (int d = 1; d <= depth; ++d) {
        text += fmt::format("\tchain c{} {{\n", d);
        for (int i = 0; d < depth && i < fan_out; ++i) text += fmt::format("\t\tjump c{}\n", d + 1);
        if (d == depth) text += "\t\ttcp dport 22 accept\n";
        text += "\t}\n";
    }
    return text + "}\n";
}

// One anonymous set of `n` elements; `first` offsets the values so that sets differ.
std::string address_set(int n, int first) {
    std::string s = "{ ";
    for (int i = 0; i < n; ++i) s += fmt::format("{}10.{}.{}.0/24", i ? ", " : "", (first + i) / 250 % 250, (first + i) % 250);
    return s + " }";
}

std::string port_set(int n) {
    std::string s = "{ ";
    for (int i = 0; i < n; ++i) s += fmt::format("{}{}", i ? ", " : "", 1000 + i);
    return s + " }";
}

}  // namespace

TEST_CASE("nftables: jump chains that inline exponentially stop at the limit; the filter is unknown") {
    auto start = std::clock();
    ParsedConfig p = parse_nftables(jump_tree(10, 16));  // 10^16 visits without the limit
    CHECK(seconds_since(start) < 20);
    CHECK(has_warning(p, "jumps inline more than 200000 rules"));
    CHECK_FALSE(p.acls.at("forward").fully_understood);
}

TEST_CASE("nftables: jumps below the limit are all inlined") {
    ParsedConfig p = parse_nftables(jump_tree(2, 8));  // c8 is inlined 2^8 times
    CHECK(p.warnings.empty());
    CHECK(p.acls.at("forward").fully_understood);
    // Each copy is one entry per family (inet), then the chain policy and the final permit.
    CHECK(p.as_built.svis.at(0).acl.entries.size() == 256 * 2 + 2 + 2);
}

TEST_CASE("nftables: a rule whose sets multiply past the limit is not understood") {
    std::string text = kForwardHeader + "\t\tip saddr " + address_set(200, 0) + " ip daddr " + address_set(200, 300) +
                       " tcp dport " + port_set(200) + " accept\n\t}\n}\n";
    auto start = std::clock();
    ParsedConfig p = parse_nftables(text);  // 8 million cubes without the limit
    CHECK(seconds_since(start) < 20);
    CHECK(has_warning(p, "its sets multiply to more than 1000000 matches"));
    CHECK_FALSE(p.acls.at("forward").fully_understood);
}

TEST_CASE("nftables: rules below the per-rule limit stop at the total limit") {
    std::string text = kForwardHeader;
    for (int i = 0; i < 20; ++i)  // 20 rules of 300 x 200 = 60,000 cubes: 1.2 million in all
        text += "\t\tip saddr " + address_set(300, i * 300) + " tcp dport " + port_set(200) + " accept\n";
    text += "\t}\n}\n";
    ParsedConfig p = parse_nftables(text);
    CHECK(has_warning(p, "the rules match more than 1000000 address and port combinations"));
    CHECK_FALSE(p.acls.at("forward").fully_understood);
}

TEST_CASE("nftables: a product of sets below the limits is read whole") {
    std::string text = kForwardHeader + "\t\tip saddr " + address_set(100, 0) + " tcp dport " + port_set(100) +
                       " accept\n\t}\n}\n";
    ParsedConfig p = parse_nftables(text);
    CHECK(p.warnings.empty());
    CHECK(p.acls.at("forward").fully_understood);
    CHECK(p.as_built.svis.at(0).acl.entries.size() == 100 * 100 + 2 + 2);  // ip only; policy and final per family
}
