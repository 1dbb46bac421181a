// A group applied again at the same level (concatenated configs repeat `apply-groups`) replays
// what its first application left open (groups.cpp Expander::replayed). Each varied config
// must expand exactly as offering every statement again does: the same statements with their
// lines, the same problems in the same order, and the work limit tripping at the same place.
#include <doctest/doctest.h>

#include <random>
#include <string>

#include <fmt/format.h>

#include "audit/parse/junos/groups.hpp"
#include "audit/parse/junos/statements.hpp"

using namespace microseg;

namespace {

std::string dump(const JunosExpansion& e) {
    std::string s;
    auto out = std::back_inserter(s);
    auto words = [&](const JunosStatement& st) {
        for (auto w : st.words) fmt::format_to(out, " {}", w);
    };
    for (const auto& st : e.statements) fmt::format_to(out, "{}:", st.line), words(st), s += '\n';
    for (const auto& p : e.problems) fmt::format_to(out, "problem {}:", p.statement.line), words(p.statement), s += " (" + p.reason + ")\n";
    for (auto f : e.unordered_filters) fmt::format_to(out, "unordered {}\n", f);
    fmt::format_to(out, "group statements {}\n", e.group_statements);
    return s;
}

// Both ways over the same statements; the replayed one must be the straightforward one.
void check_same(const std::string& config) {
    auto read = junos_statements(config);
    auto replayed = expand_junos_groups(read.statements, true);
    auto straightforward = expand_junos_groups(read.statements, false);
    INFO("config:\n", config);
    CHECK(dump(replayed) == dump(straightforward));
}

// Copies of one switch, concatenated as bench_parse_printed scales a fixture: each copy
// applies the same groups again, its ports on another FPC. Ports that set a value the group
// also sets (left open by the first application, replayed), apply-groups-except, groups that
// are not defined, two statements of one group on one port, storm-control values (a problem at
// each application), filters from groups.
std::string repeated_config(std::mt19937& rng) {
    auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
    const char* patterns[] = {"<ge-*>", "<ge-*/0/[0-3]>", "<*>", "<xe-*>", "ge-0/0/2", "<ge-*/0/1?>"};
    std::string t;
    int groups = 1 + pick(3);
    for (int g = 0; g < groups; ++g) {
        std::string port = patterns[pick(6)];
        auto mode = pick(3) ? "access" : "trunk";
        t += fmt::format("set groups G{} interfaces {} unit 0 family ethernet-switching interface-mode {}\n", g, port, mode);
        t += fmt::format("set groups G{} interfaces {} unit 0 family ethernet-switching vlan members v{}\n", g, port, pick(4));
        if (pick(2)) t += fmt::format("set groups G{} interfaces {} description \"from G{}\"\n", g, port, g);
        // Not known to replace or add to another value: a problem each time it meets one.
        if (pick(2)) t += fmt::format("set groups G{} interfaces {} unit 0 family ethernet-switching storm-control default\n", g, port);
        if (pick(3) == 0) t += fmt::format("set groups G{} interfaces {} unit 0 family ethernet-switching native-vlan-id {}\n", g, patterns[pick(6)], pick(9));
        if (pick(3) == 0) t += fmt::format("set groups G{} vlans v{} vlan-id {}\n", g, pick(5), 10 + pick(5));
        if (pick(4) == 0) t += fmt::format("set groups G{} firewall family inet filter f term t{} then accept\n", g, g);
        if (pick(4) == 0) t += fmt::format("set groups G{} system host-name sw-{}\n", g, g);
    }
    int copies = 2 + pick(5);
    for (int c = 0; c < copies; ++c) {
        for (int g = 0; g < groups; ++g) {
            if (pick(3)) t += fmt::format("set apply-groups G{}\n", g);
            else t += fmt::format("set interfaces apply-groups G{}\n", g);
        }
        if (pick(4) == 0) t += "set apply-groups UNDEFINED\n";
        for (int v = 0; v < 4; ++v) t += fmt::format("set vlans v{} vlan-id {}\n", v, 10 + v);
        int ports = 2 + pick(12);
        for (int p = 0; p < ports; ++p) {
            std::string name = fmt::format("{}-{}/0/{}", pick(4) ? "ge" : "xe", c, p);
            if (pick(2)) t += fmt::format("set interfaces {} unit 0 family ethernet-switching vlan members v{}\n", name, pick(4));
            if (pick(3) == 0)
                t += fmt::format("set interfaces {} unit 0 family ethernet-switching interface-mode {}\n", name, pick(2) ? "access" : "trunk");
            if (pick(6) == 0) t += fmt::format("set interfaces {} apply-groups-except G{}\n", name, pick(groups));
            if (pick(5) == 0) t += fmt::format("set interfaces {} description \"port {}\"\n", name, p);
            if (pick(4) == 0) t += fmt::format("set interfaces {} unit 0 family ethernet-switching storm-control sc{}\n", name, pick(2));
        }
        if (pick(3) == 0) t += "set firewall family inet filter f term local then accept\n";
    }
    return t;
}

}  // namespace

TEST_CASE("junos groups: a group applied again expands as offering every statement again does") {
    std::mt19937 rng(2412);
    for (int i = 0; i < 400; ++i) check_same(repeated_config(rng));
}

TEST_CASE("junos groups: applied again over many ports, a group adds each port's statements once") {
    std::string t = "set groups ACCESS interfaces <ge-*> unit 0 family ethernet-switching interface-mode access\n"
                    "set groups ACCESS interfaces <ge-*> unit 0 family ethernet-switching vlan members staff\n";
    for (int c = 0; c < 50; ++c) {
        t += "set apply-groups ACCESS\n";
        for (int p = 0; p < 40; ++p) t += fmt::format("set interfaces ge-{}/0/{} description d\n", c, p);
        t += fmt::format("set interfaces ge-{}/1/0 apply-groups-except ACCESS\n", c);
        t += fmt::format("set interfaces ge-{}/1/0 unit 0 family ethernet-switching interface-mode trunk\n", c);
        t += fmt::format("set interfaces ge-{}/0/0 unit 0 family ethernet-switching interface-mode trunk\n", c);
    }
    check_same(t);
    auto read = junos_statements(t);
    auto e = expand_junos_groups(read.statements);
    std::size_t modes = 0, members = 0;
    for (const auto& s : e.statements) {
        // interfaces PORT unit 0 family ethernet-switching interface-mode access | vlan members staff
        if (s.words.size() < 8 || s.words[1].ends_with("/1/0")) continue;
        modes += s.words[6] == "interface-mode" && s.words[7] == "access";
        members += s.words[6] == "vlan";
    }
    CHECK(modes == 50 * 39);  // not ge-C/0/0 (trunk, its own) nor ge-C/1/0 (excepted)
    CHECK(members == 50 * 40);
    CHECK(e.problems.empty());
}

TEST_CASE("junos groups: the work limit trips at the same statement when a group is applied again and again") {
    // Each application looks through 2,000 interfaces for each of 100 patterns (the names are
    // known after the first, their work counted all the same): past the limit after about 250.
    std::string t;
    for (int i = 0; i < 2000; ++i) t += fmt::format("set interfaces ge-0/0/{} description d\n", i);
    t += "set interfaces ge-0/0/1 unit 0 family ethernet-switching interface-mode trunk\n";
    t += "set groups G interfaces <ge-0/0/1*> unit 0 family ethernet-switching interface-mode access\n";
    for (int i = 0; i < 100; ++i) t += fmt::format("set groups G interfaces <xe-{}*> description e\n", i);
    for (int i = 0; i < 300; ++i) t += "set apply-groups G\n";
    check_same(t);
    auto read = junos_statements(t);
    auto e = expand_junos_groups(read.statements);
    REQUIRE(!e.problems.empty());
    CHECK(e.problems.back().reason.find("steps to expand") != std::string::npos);
    CHECK(e.problems.back().statement.line > 2102);
    CHECK(e.problems.back().statement.line < 2402);
}
