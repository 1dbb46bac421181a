// Junos configuration groups: what a config inherits reads as configured; what cannot be
// expanded exactly is a warning at its line. Each case states the expected result.
#include <doctest/doctest.h>

#include <string>

#include <fmt/format.h>

#include "audit/parse/registry.hpp"
#include "model/as_built.hpp"

using namespace microseg;

namespace {

ParsedConfig parse(std::string_view text) { return parser_for(PlatformId::junos)(text); }

std::string warnings_of(const ParsedConfig& c) {
    std::string s;
    for (const auto& w : c.warnings) s += fmt::format("\n  line {}: {} [{}]", w.line, w.reason, w.text);
    return s;
}

const AccessPortIntent* access(const ParsedConfig& c, std::string_view name) {
    for (const auto& p : c.as_built.access_ports)
        if (p.interface == name) return &p;
    return nullptr;
}

const TrunkIntent* trunk(const ParsedConfig& c, std::string_view name) {
    for (const auto& p : c.as_built.trunks)
        if (p.interface == name) return &p;
    return nullptr;
}

const ParseWarning* warning(const ParsedConfig& c, std::string_view what) {
    for (const auto& w : c.warnings)
        if (w.reason.find(what) != std::string::npos) return &w;
    return nullptr;
}

constexpr const char* kVlans = "set vlans staff vlan-id 20\nset vlans guest vlan-id 30\n";  // lines 1-2

}  // namespace

TEST_CASE("junos groups: a top-level apply-groups creates the port its group names") {
    // ge-0/0/5 exists only in group PORTS: an access port in VLAN 20, at the group's line (3).
    auto c = parse(std::string(kVlans) +
                   "set groups PORTS interfaces ge-0/0/5 unit 0 family ethernet-switching vlan members staff\n"
                   "set apply-groups PORTS\n");
    INFO(warnings_of(c));
    CHECK(c.warnings.empty());
    REQUIRE(access(c, "ge-0/0/5"));
    CHECK(access(c, "ge-0/0/5")->vlan == 20);
    CHECK(c.interface_lines.access_ports.at(0) == 3);
}

TEST_CASE("junos groups: a <ge-*> wildcard configures the existing ge ports only") {
    // ge-0/0/1 and ge-0/0/2 exist (descriptions), xe-0/1/0 is a trunk that <ge-*> does not
    // match; ge-0/0/9 exists nowhere and is not created.
    auto c = parse(std::string(kVlans) +
                   "set groups ACCESS interfaces <ge-*> unit 0 family ethernet-switching interface-mode access\n"
                   "set groups ACCESS interfaces <ge-*> unit 0 family ethernet-switching vlan members guest\n"
                   "set apply-groups ACCESS\n"
                   "set interfaces ge-0/0/1 description desk\n"
                   "set interfaces ge-0/0/2 description desk\n"
                   "set interfaces xe-0/1/0 unit 0 family ethernet-switching interface-mode trunk\n"
                   "set interfaces xe-0/1/0 unit 0 family ethernet-switching vlan members staff\n");
    INFO(warnings_of(c));
    CHECK(c.warnings.empty());
    REQUIRE(c.as_built.access_ports.size() == 2);
    CHECK(access(c, "ge-0/0/1")->vlan == 30);
    CHECK(access(c, "ge-0/0/2")->vlan == 30);
    CHECK_FALSE(access(c, "ge-0/0/9"));
    REQUIRE(trunk(c, "xe-0/1/0"));
    CHECK(trunk(c, "xe-0/1/0")->vlans == std::vector<int>{20});
    CHECK(c.interface_lines.access_ports.at(0) == 6);  // the port's own first line
}

TEST_CASE("junos groups: wildcard patterns: ?, character classes and a run in the middle") {
    auto c = parse(std::string(kVlans) +
                   "set groups A interfaces \"<ge-0/0/[0-1]>\" unit 0 family ethernet-switching vlan members staff\n"
                   "set groups A interfaces <*-0/1/?> unit 0 family ethernet-switching vlan members guest\n"
                   "set apply-groups A\n"
                   "set interfaces ge-0/0/0 description a\nset interfaces ge-0/0/2 description b\n"
                   "set interfaces ge-0/1/3 description c\nset interfaces ge-0/1/13 description d\n");
    INFO(warnings_of(c));
    REQUIRE(c.as_built.access_ports.size() == 2);
    CHECK(access(c, "ge-0/0/0")->vlan == 20);
    CHECK(access(c, "ge-0/1/3")->vlan == 30);
}

TEST_CASE("junos groups: apply-groups at a level inherits only what lies under it") {
    // The group also sets ge-0/0/2, but it is applied under ge-0/0/1 only.
    auto c = parse(std::string(kVlans) +
                   "set groups G interfaces <*> unit 0 family ethernet-switching vlan members staff\n"
                   "set groups G vlans extra vlan-id 99\n"
                   "set interfaces ge-0/0/1 apply-groups G\n"
                   "set interfaces ge-0/0/2 description other\n");
    INFO(warnings_of(c));
    CHECK(c.warnings.empty());
    REQUIRE(c.as_built.access_ports.size() == 1);
    CHECK(access(c, "ge-0/0/1")->vlan == 20);
    CHECK(c.as_built.vlans.size() == 2);  // no VLAN 99: it is not under [interfaces ge-0/0/1]
}

TEST_CASE("junos groups: an element whose only statement applies another group is matched by a pattern") {
    auto c = parse(std::string(kVlans) +
                   "set groups ACCESS interfaces <ge-*> unit 0 family ethernet-switching vlan members staff\n"
                   "set groups NOTE interfaces <*> description noted\n"
                   "set apply-groups ACCESS\n"
                   "set interfaces ge-0/0/9 apply-groups NOTE\n");
    INFO(warnings_of(c));
    CHECK(c.warnings.empty());
    REQUIRE(access(c, "ge-0/0/9"));
    CHECK(access(c, "ge-0/0/9")->vlan == 20);
}

TEST_CASE("junos groups: apply-groups-except stops a group below a level") {
    auto c = parse(std::string(kVlans) +
                   "set groups ACCESS interfaces <ge-*> unit 0 family ethernet-switching vlan members staff\n"
                   "set apply-groups ACCESS\n"
                   "set interfaces ge-0/0/1 description desk\n"
                   "set interfaces ge-0/0/47 apply-groups-except ACCESS\n"
                   "set interfaces ge-0/0/47 unit 0 family ethernet-switching interface-mode trunk\n"
                   "set interfaces ge-0/0/47 unit 0 family ethernet-switching vlan members guest\n");
    INFO(warnings_of(c));
    CHECK(c.warnings.empty());
    CHECK(access(c, "ge-0/0/1")->vlan == 20);
    REQUIRE(trunk(c, "ge-0/0/47"));
    CHECK(trunk(c, "ge-0/0/47")->vlans == std::vector<int>{30});
}

TEST_CASE("junos groups: the local value wins over the inherited one; sets inherit every value") {
    // interface-mode is one value: the port's own trunk wins. vlan members is a set: the
    // group's member adds to the port's own.
    auto c = parse(std::string(kVlans) +
                   "set groups G interfaces <ge-*> unit 0 family ethernet-switching interface-mode access\n"
                   "set groups G interfaces <ge-*> unit 0 family ethernet-switching vlan members guest\n"
                   "set apply-groups G\n"
                   "set interfaces ge-0/0/1 unit 0 family ethernet-switching interface-mode trunk\n"
                   "set interfaces ge-0/0/1 unit 0 family ethernet-switching vlan members staff\n");
    INFO(warnings_of(c));
    CHECK(c.as_built.access_ports.empty());
    REQUIRE(trunk(c, "ge-0/0/1"));
    CHECK(trunk(c, "ge-0/0/1")->vlans == std::vector<int>{20, 30});
}

TEST_CASE("junos groups: of two groups the first listed wins; a deeper apply-groups wins over the top") {
    auto c = parse(std::string(kVlans) +
                   "set groups FIRST vlans v vlan-id 100\n"
                   "set groups SECOND vlans v vlan-id 200\n"
                   "set groups SECOND vlans w vlan-id 300\n"
                   "set apply-groups [ FIRST SECOND ]\n"
                   "set groups TRUNK interfaces <*> unit 0 family ethernet-switching interface-mode trunk\n"
                   "set groups ACCESS interfaces <*> unit 0 family ethernet-switching interface-mode access\n"
                   "set apply-groups ACCESS\n"
                   "set interfaces xe-0/0/0 apply-groups TRUNK\n"
                   "set interfaces xe-0/0/0 unit 0 family ethernet-switching vlan members staff\n");
    INFO(warnings_of(c));
    CHECK(c.warnings.empty());
    REQUIRE(c.as_built.vlans.size() == 4);
    CHECK(c.as_built.vlans[2].id == 100);
    CHECK(c.as_built.vlans[2].name == "v");
    CHECK(c.as_built.vlans[3].id == 300);
    CHECK(trunk(c, "xe-0/0/0"));
}

TEST_CASE("junos groups: two patterns of one group that both match and set a port differently are a warning") {
    // <ge-*> says access, <ge-0/0/4> trunk: which one wins on the device is not documented.
    auto c = parse(std::string(kVlans) +
                   "set groups G interfaces <ge-*> unit 0 family ethernet-switching interface-mode access\n"
                   "set groups G interfaces <ge-0/0/4> unit 0 family ethernet-switching interface-mode trunk\n"  // 4
                   "set apply-groups G\n"
                   "set interfaces ge-0/0/4 unit 0 family ethernet-switching vlan members staff\n");
    INFO(warnings_of(c));
    REQUIRE(c.warnings.size() == 1);
    CHECK(c.warnings[0].line == 4);
    CHECK(c.warnings[0].reason.find("which one applies is not modelled") != std::string::npos);
}

TEST_CASE("junos groups: the hierarchical and the display set forms give the same parse") {
    const char* hierarchical = R"(groups {
    ACCESS {
        interfaces {
            <ge-*> {
                unit 0 {
                    family ethernet-switching {
                        interface-mode access;
                        vlan {
                            members [ staff ];
                        }
                    }
                }
            }
        }
    }
}
apply-groups [ ACCESS ];
interfaces {
    ge-0/0/1 {
        description desk;
    }
}
vlans {
    staff {
        vlan-id 20;
    }
}
)";
    const char* set = "set groups ACCESS interfaces <ge-*> unit 0 family ethernet-switching interface-mode access\n"
                      "set groups ACCESS interfaces <ge-*> unit 0 family ethernet-switching vlan members staff\n"
                      "set apply-groups ACCESS\n"
                      "set interfaces ge-0/0/1 description desk\n"
                      "set vlans staff vlan-id 20\n";
    auto a = parse(hierarchical);
    auto b = parse(set);
    INFO(warnings_of(a), warnings_of(b));
    CHECK(a.warnings.empty());
    CHECK(b.warnings.empty());
    REQUIRE(a.as_built.access_ports.size() == 1);
    CHECK(a.as_built.access_ports == b.as_built.access_ports);
    CHECK(a.as_built.vlans == b.as_built.vlans);
    CHECK(a.as_built.trunks == b.as_built.trunks);
    CHECK(a.skipped_lines == b.skipped_lines);
}

TEST_CASE("junos groups: what cannot be expanded exactly is a warning at its line") {
    auto c = parse(std::string(kVlans) +
                   "set apply-groups MISSING\n"                                                  // 3
                   "set groups OUTER interfaces <*> apply-groups INNER\n"                        // 4
                   "set apply-groups OUTER\n"                                                    // 5
                   "set interfaces ge-0/0/1 description x\n"                                     // 6
                   "set groups D vlans staff l2-learning disable\n"                              // 7
                   "set groups D vlans staff frobnicate on\n"                                    // 8
                   "set apply-groups D\n"                                                        // 9
                   "set vlans staff frobnicate off\n");                                          // 10
    INFO(warnings_of(c));
    const auto* missing = warning(c, "group MISSING is not defined");
    REQUIRE(missing);
    CHECK(missing->line == 3);
    const auto* nested = warning(c, "apply-groups inside a group");
    REQUIRE(nested);
    CHECK(nested->line == 4);
    // frobnicate has a value of its own here: which applies is not known, at the group's line.
    const auto* conflict = warning(c, "which one applies is not modelled");
    REQUIRE(conflict);
    CHECK(conflict->line == 8);
}

TEST_CASE("junos groups: a filter from a group reads; mixed with local terms it is not understood") {
    const char* group_filter = "set groups F firewall family inet filter in term a from protocol tcp\n"
                               "set groups F firewall family inet filter in term a then accept\n"
                               "set groups F firewall family inet filter in term b then discard\n"
                               "set apply-groups F\n";
    auto only = parse(group_filter);
    INFO(warnings_of(only));
    CHECK(only.warnings.empty());
    REQUIRE(only.acls.count("in"));
    CHECK(only.acls.at("in").fully_understood);
    CHECK(only.acls.at("in").entry_lines == std::vector<int>{1, 3});
    auto mixed = parse(std::string(group_filter) + "set firewall family inet filter in term z then accept\n");
    CHECK_FALSE(mixed.acls.at("in").fully_understood);
    REQUIRE(warning(mixed, "their order is not modelled"));
}

TEST_CASE("junos groups: re0/re1 statements the audit reads are warnings; their system statements are not") {
    auto c = parse(std::string(kVlans) +
                   "set groups re0 system host-name sw-re0\n"
                   "set groups re0 interfaces em0 unit 0 family inet address 192.0.2.5/24\n"
                   "set groups re1 system host-name sw-re1\n"
                   "set groups re1 interfaces ge-0/0/3 unit 0 family ethernet-switching vlan members staff\n"  // 6
                   "set apply-groups [ re0 re1 ]\n");
    INFO(warnings_of(c));
    REQUIRE(c.warnings.size() == 1);
    CHECK(c.warnings[0].line == 6);
    CHECK(c.as_built.access_ports.empty());
}

TEST_CASE("junos groups: a config without groups parses as before, and groups that are not applied do nothing") {
    auto c = parse(std::string(kVlans) + "set groups G interfaces ge-0/0/1 unit 0 family ethernet-switching\n");
    CHECK(c.warnings.empty());
    CHECK(c.as_built.access_ports.empty());
    CHECK(c.skipped_lines == 1);
}

TEST_CASE("junos groups: crafted groups that would take too long to expand stop with a warning") {
    // 30,000 patterns, each looked up against 2,000 interfaces: past the work budget.
    std::string text;
    for (int i = 0; i < 2000; ++i) text += fmt::format("set interfaces ge-0/0/{} description d\n", i);
    for (int i = 0; i < 30000; ++i) text += fmt::format("set groups G interfaces <xe-{}*> description e\n", i);
    text += "set apply-groups G\n";
    auto c = parse(text);
    const auto* w = warning(c, "steps to expand: the rest is not read");
    REQUIRE(w);
    CHECK(w->line == 32001);
}
