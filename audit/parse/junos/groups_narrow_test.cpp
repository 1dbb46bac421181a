// Group expansion looks only at the statements groups can reach when every group statement has
// three words or more after `groups G` (groups.cpp index_local). A group statement of one word
// (`groups UNUSED system`), never applied, turns that off and changes nothing else: each varied
// config must read the same both ways (one more skipped line for the unused group). Varied
// enough that some configs reach the expansion's problems (two groups setting one value).
#include <doctest/doctest.h>

#include <random>
#include <string>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "audit/parse/registry.hpp"
#include "model/as_built.hpp"

using namespace microseg;

namespace {

std::string summary(const ParsedConfig& c) {
    std::string s;
    auto out = std::back_inserter(s);
    for (const auto& v : c.as_built.vlans) fmt::format_to(out, "vlan {} {} {}\n", v.id, v.name, v.isolated);
    for (const auto& p : c.as_built.access_ports) fmt::format_to(out, "access {} {} {}\n", p.interface, p.vlan, p.isolated);
    for (const auto& t : c.as_built.trunks) fmt::format_to(out, "trunk {} {}\n", t.interface, t.vlans);
    for (const auto& v : c.as_built.svis) fmt::format_to(out, "svi {} {} entries\n", v.vlan, v.acl.entries.size());
    for (const auto& [name, acl] : c.acls) fmt::format_to(out, "acl {} {} {}\n", name, acl.entry_lines, acl.fully_understood);
    for (const auto& w : c.warnings) fmt::format_to(out, "warning {} {} ({})\n", w.line, w.text, w.reason);
    for (const auto& u : c.uncertain) fmt::format_to(out, "uncertain {} {} {}\n", u.interface, u.line, u.reason);
    return s;
}

// A switch with groups: wildcard and literal interface groups, applied at the top and under
// interfaces, apply-groups-except, VLANs, an irb, a filter from a group.
std::string varied_config(std::mt19937& rng) {
    auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
    const char* patterns[] = {"<ge-*>", "<ge-0/0/[0-3]>", "<*>", "<xe-*>", "ge-0/0/2", "<ge-0/0/1?>", "<*-0/*/*>"};
    std::string t;
    int groups = 1 + pick(3);
    for (int g = 0; g < groups; ++g) {
        std::string port = patterns[pick(7)];
        t += fmt::format("set groups G{} interfaces {} unit 0 family ethernet-switching interface-mode {}\n", g, port,
                         pick(3) ? "access" : "trunk");
        t += fmt::format("set groups G{} interfaces {} unit 0 family ethernet-switching vlan members v{}\n", g, port, pick(4));
        if (pick(2)) t += fmt::format("set groups G{} interfaces {} description \"from G{}\"\n", g, port, g);
        if (pick(3) == 0) t += fmt::format("set groups G{} vlans v{} vlan-id {}\n", g, pick(5), 10 + pick(5));
        if (pick(4) == 0) t += fmt::format("set groups G{} firewall family inet filter f term t{} then accept\n", g, g);
        if (pick(4) == 0) t += fmt::format("set groups G{} system syslog host 192.0.2.{} any notice\n", g, g);
    }
    for (int g = 0; g < groups; ++g) {
        if (pick(3)) t += fmt::format("set apply-groups G{}\n", g);
        else t += fmt::format("set interfaces apply-groups G{}\n", g);
    }
    for (int v = 0; v < 4; ++v) t += fmt::format("set vlans v{} vlan-id {}\n", v, 10 + v);
    int ports = 4 + pick(20);
    for (int p = 0; p < ports; ++p) {
        std::string name = fmt::format("{}-0/0/{}", pick(4) ? "ge" : "xe", p);
        if (pick(2)) t += fmt::format("set interfaces {} unit 0 family ethernet-switching vlan members v{}\n", name, pick(4));
        if (pick(3) == 0) t += fmt::format("set interfaces {} unit 0 family ethernet-switching interface-mode access\n", name);
        if (pick(6) == 0) t += fmt::format("set interfaces {} apply-groups-except G{}\n", name, pick(groups));
        if (pick(5) == 0) t += fmt::format("set interfaces {} description \"port {}\"\n", name, p);
    }
    if (pick(2)) t += "set interfaces irb unit 10 family inet address 10.0.10.1/24\nset vlans v0 l3-interface irb.10\n";
    if (pick(2)) t += "set firewall family inet filter f term local from protocol tcp\nset firewall family inet filter f term local then accept\n";
    return t;
}

}  // namespace

TEST_CASE("group expansion reads the same with and without narrowing to reachable statements") {
    std::mt19937 rng(2024);
    for (int i = 0; i < 300; ++i) {
        std::string config = varied_config(rng);
        auto narrowed = parser_for(PlatformId::junos)(config);
        // Last, so that no line moves; the config's own groups come first, so nothing else changes.
        auto full = parser_for(PlatformId::junos)(config + "set groups UNUSED system\n");
        INFO("config:\n", config);
        CHECK(summary(full) == summary(narrowed));
        CHECK(full.skipped_lines == narrowed.skipped_lines + 1);
    }
}
