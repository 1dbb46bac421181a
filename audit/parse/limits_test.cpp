// Configs crafted to expand (ranges, deep sections, long lists, deletes) stay within bounded
// memory and time: each case below used to take minutes or gigabytes.
#include <doctest/doctest.h>

#include <ctime>
#include <string>

#include <fmt/format.h>

#include "audit/parse/junos/statements.hpp"
#include "audit/parse/redact.hpp"
#include "audit/parse/registry.hpp"
#include "model/as_built.hpp"
#include "tests/support/parser_limits.hpp"

using namespace microseg;
using microseg::test::has_warning;
using microseg::test::seconds_since;

namespace {

bool has_problem(const JunosStatements& s, std::string_view text) {
    for (const auto& [line, reason] : s.problems)
        if (reason.find(text) != std::string::npos) return true;
    return false;
}

}  // namespace

TEST_CASE("IOS: 200,000 'vlan 1-4094' lines and trunk lists are linear") {
    std::string text;
    for (int i = 0; i < 100'000; ++i) text += "vlan 1-4094\n";
    for (int i = 0; i < 2'000; ++i)
        text += fmt::format("interface Gi1/0/{}\n switchport mode trunk\n switchport trunk allowed vlan 1-4094,1-4094\n"
                            " switchport trunk allowed vlan remove 2-4093\n", i);
    auto start = std::clock();
    ParsedConfig p = parse_cisco_ios(text);
    CHECK(seconds_since(start) < 10);
    CHECK(p.as_built.vlans.size() == 4094);
    REQUIRE(p.as_built.trunks.size() == 2'000);
    CHECK(p.as_built.trunks.front().vlans == std::vector<int>{1, 4094});
}

TEST_CASE("IOS: interface ranges stop at the per-config interface limit") {
    std::string text;
    for (int i = 0; i < 10; ++i) text += fmt::format("interface range Gi{}/0/1 - 4096\n switchport access vlan 5\n", i);
    ParsedConfig p = parse_cisco_ios(text);
    CHECK(p.as_built.access_ports.size() == 4 * 4096);  // 16,384 is the limit
    CHECK(has_warning(p, "more than 16384 interfaces in the configuration: not read"));
}

TEST_CASE("IOS: one big ACL on many SVIs is not copied past the limit; its findings are unknown") {
    std::string text = "ip access-list extended BIG\n";
    for (int i = 0; i < 60'000; ++i)
        text += fmt::format(" permit tcp 10.{}.{}.0 0.0.0.255 any eq 443\n", i / 256 % 256, i % 256);
    text += "interface range Vlan1 - 20\n ip access-group BIG in\n";  // 1.2M entries in all
    ParsedConfig p = parse_cisco_ios(text);
    CHECK(has_warning(p, "more than 1000000 ACL entries on the SVIs: not read"));
    CHECK_FALSE(p.acls.at("BIG").fully_understood);
    std::size_t copied = 0;
    for (const auto& svi : p.as_built.svis) copied += svi.acl.entries.size();
    CHECK(copied <= kMaxConfigAclEntries);
}

TEST_CASE("Junos: sections nested deeper than the limit are skipped, the rest is read") {
    std::string text;
    for (int i = 0; i < 10'000; ++i) text += "a {\n";
    text += "b;\n";
    for (int i = 0; i < 10'000; ++i) text += "}\n";
    text += "vlans { v10 { vlan-id 10; } }\n";
    auto s = junos_statements(text);
    CHECK(has_problem(s, "section nested deeper than 64 levels skipped"));
    REQUIRE(s.statements.size() == 1);
    CHECK(std::ranges::equal(s.statements[0].words, std::vector<std::string_view>{"vlans", "v10", "vlan-id", "10"}));
}

TEST_CASE("Junos: long statements and [ list ] bombs are bounded") {
    std::string words;
    for (int i = 0; i < 300; ++i) words += "w ";
    // 300 path words x 200,000 list items would be 60M words.
    std::string text = words + "{\n x [ ";
    for (int i = 0; i < 200'000; ++i) text += "i ";
    text += "];\n}\n";
    auto start = std::clock();
    auto s = junos_statements(text);
    CHECK(seconds_since(start) < 10);
    CHECK(s.statements.empty());
    CHECK(has_problem(s, "statement of more than 256 words skipped"));
    std::string flood = "a b c d e f g h {\n";
    for (int i = 0; i < 250'000; ++i) flood += "x [ 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 ];\n";
    flood += "}\n";
    auto t = junos_statements(flood);
    CHECK(has_problem(t, "configuration too large: more than 16000000 words"));
    CHECK(t.statements.size() <= kMaxJunosWords / 10);
}

TEST_CASE("Junos: a config of sets and deletes is linear, and delete/deactivate keep their meaning") {
    std::string text;
    for (int i = 0; i < 100'000; ++i) text += fmt::format("set interfaces ge-0/0/{} unit 0 description d\n", i);
    for (int i = 0; i < 100'000; i += 2) text += fmt::format("delete interfaces ge-0/0/{}\n", i);
    text += "deactivate interfaces ge-0/0/1\nset interfaces ge-0/0/0 unit 0 description back\n"
            "deactivate interfaces ge-0/0/3\nactivate interfaces ge-0/0/3\n";
    auto start = std::clock();
    auto s = junos_statements(text);
    CHECK(seconds_since(start) < 10);
    REQUIRE(s.statements.size() == 50'000);  // odd ones minus ge-0/0/1, plus ge-0/0/0 set again
    CHECK(s.inactive == 1);
    CHECK(s.statements.front().words[1] == "ge-0/0/3");
    CHECK(s.statements.back().words[1] == "ge-0/0/0");
}

TEST_CASE("redaction: a megabyte line is redacted whole instead of overflowing std::regex's stack") {
    HashKey key{};
    std::string secret(1'000'000, 'x');
    for (PlatformId platform : {PlatformId::cisco_ios, PlatformId::junos}) {
        auto out = redact_config(platform, "hostname a\n" + std::string(500'000, ' ') + "enable secret 0 " + secret +
                                               "\nset system root-authentication encrypted-password " + secret + "\n",
                                 key);
        CHECK(out.secrets == 2);
        CHECK(out.text.find("xxxxxxxx") == std::string::npos);
        CHECK(out.text.starts_with("hostname a\n<redacted:"));
    }
}

TEST_CASE("IOS: an eq list is at most 10 ports, so ports on both sides cannot multiply") {
    std::string ports;
    for (int p = 1; p <= 20'000; ++p) ports += fmt::format(" {}", p);
    ParsedConfig p = parse_cisco_ios("ip access-list extended X\n permit tcp any eq" + ports + " any eq" + ports + "\n"
                                     " permit tcp any eq 1 2 3 4 5 6 7 8 9 10 any eq 1 2 3 4 5 6 7 8 9 10\n");
    CHECK(has_warning(p, "more than 10 ports after eq"));
    CHECK_FALSE(p.acls.at("X").fully_understood);
}

TEST_CASE("Junos: a term's lists cannot multiply past the entry limit; many terms stay linear") {
    std::string text;
    for (int i = 0; i < 1'100; ++i) {
        text += fmt::format("set firewall family inet filter F term t from source-address 10.1.{}.{}/32\n", i / 256, i % 256);
        text += fmt::format("set firewall family inet filter F term t from destination-address 10.2.{}.{}/32\n", i / 256, i % 256);
    }
    text += "set firewall family inet filter F term t then accept\n";
    for (int i = 0; i < 50'000; ++i) text += fmt::format("set firewall family inet filter G term g{} then accept\n", i);
    auto start = std::clock();
    ParsedConfig p = parser_for(PlatformId::junos)(text);  // 1,210,000 entries in term t
    CHECK(seconds_since(start) < 10);
    CHECK(has_warning(p, "filter F term t: more than 1000000 entries in the filters: not read"));
    CHECK_FALSE(p.acls.at("F").fully_understood);
    CHECK(p.acls.at("G").entry_lines.size() == 50'000);
}
