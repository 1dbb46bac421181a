// Junos and nftables configurations as the devices print them (tests/fixtures/junos and
// tests/fixtures/nftables, written from vendor documentation, not from microseg's output):
// the parse field by field, the warnings with their lines, and a clean diff against the
// policy each fixture matches.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "audit/drift/drift.hpp"
#include "audit/drift/drift_router.hpp"
#include "audit/parse/registry.hpp"
#include "compiler/compiler.hpp"
#include "tests/support/example_fixture.hpp"

using namespace microseg;
using microseg::testing::describe;

namespace {

std::string fixture_path(const std::string& name) { return std::string(MICROSEG_SOURCE_DIR) + "/tests/fixtures/" + name; }

std::string read_fixture(const std::string& name) {
    std::ifstream in(fixture_path(name), std::ios::binary);
    REQUIRE_MESSAGE(in, name);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

Policy policy_of(const std::string& dir) {
    auto r = compile_policy_file(fixture_path(dir + "/policy.yaml"));
    REQUIRE_MESSAGE(r.ok(), dir);
    return std::move(*r.policy);
}

// The intent of switch `name` of the fixture policy `dir`/policy.yaml.
SwitchIntent intent_of(const Policy& p, const std::string& name) {
    for (const auto& sw : p.switches()) {
        if (sw.name != name) continue;
        auto intent = switch_intent(p, sw);
        REQUIRE(intent);
        return *intent;
    }
    FAIL("no switch " << name);
    throw;
}

SwitchIntent intent_of(const std::string& dir, const std::string& name) { return intent_of(policy_of(dir), name); }

// The EX3400 fixture isolates its pumps with `no-local-switching` only, the mechanism of old:
// local to the switch, so each isolated port (ge-0/0/0-11) is "isolation removed", an exposure
// (DESIGN "Isolation"). Checks those twelve and returns the other findings.
std::vector<DriftFinding> beside_isolation(const std::vector<DriftFinding>& all) {
    std::vector<DriftFinding> rest;
    std::size_t isolation = 0;
    for (const auto& f : all) {
        if (f.kind != DriftKind::port_not_isolated) {
            rest.push_back(f);
            continue;
        }
        ++isolation;
        CHECK(f.impact == DriftImpact::exposure);
        CHECK(f.message.find("isolation removed from " + f.subject + " (infusion-pump)") == 0);
    }
    CHECK(isolation == 12);
    return rest;
}

// The 1-based line of the first line of `text` that contains `needle`.
int line_of(const std::string& text, const std::string& needle) {
    std::istringstream in(text);
    std::string line;
    for (int n = 1; std::getline(in, line); ++n)
        if (line.find(needle) != std::string::npos) return n;
    FAIL("no line with " << needle);
    return 0;
}

// The warning whose reason contains `what`, or nullptr.
const ParseWarning* warning(const ParsedConfig& c, const std::string& what) {
    for (const auto& w : c.warnings)
        if (w.reason.find(what) != std::string::npos) return &w;
    return nullptr;
}

std::string warnings_of(const ParsedConfig& c) {
    std::string s;
    for (const auto& w : c.warnings) s += fmt::format("\n  line {}: {} [{}]", w.line, w.reason, w.text);
    return s;
}

Cidr cidr(std::string_view s) { return *Cidr::parse(s); }

const AccessPortIntent* port(const SwitchIntent& sw, std::string_view name) {
    for (const auto& p : sw.access_ports)
        if (p.interface == name) return &p;
    return nullptr;
}

}  // namespace

namespace {

// The EX3400 fixture, whichever form it came in: the same parse field by field.
void check_ex3400_filter(const std::string& text, const ParsedConfig& c, bool set_form);

// Lines are those of a statement's first leaf: in the hierarchical form, inside the term.
void check_ex3400(const std::string& text, const ParsedConfig& c, bool set_form) {
    INFO(warnings_of(c));
    const auto& sw = c.as_built;
    REQUIRE(sw.vlans.size() == 3);
    CHECK(sw.vlans[0].id == 110);
    CHECK(sw.vlans[0].name == "infusion-pump");
    CHECK_FALSE(sw.vlans[0].isolated);  // no-local-switching is local to the switch: not isolation
    CHECK(sw.vlans[1].id == 111);
    CHECK(sw.vlans[2].id == 200);
    CHECK_FALSE(sw.vlans[2].isolated);
    // ge-0/0/0-11 from the range "pumps", ge-0/0/12-15 of their own (ge-0/0/13 names VLAN 200 by
    // its id), ge-0/0/16-23 from the range "desks" (access by default on ELS).
    REQUIRE(sw.access_ports.size() == 24);
    CHECK(sw.access_ports.front().interface == "ge-0/0/0");
    CHECK(sw.access_ports.back().interface == "ge-0/0/23");
    REQUIRE(port(sw, "ge-0/0/11"));
    CHECK(port(sw, "ge-0/0/11")->vlan == 110);
    CHECK_FALSE(port(sw, "ge-0/0/11")->isolated);  // no port filter
    REQUIRE(port(sw, "ge-0/0/13"));
    CHECK(port(sw, "ge-0/0/13")->vlan == 200);
    REQUIRE(port(sw, "ge-0/0/16"));
    CHECK(port(sw, "ge-0/0/16")->vlan == 200);
    CHECK(port(sw, "ge-0/0/23")->vlan == 200);
    REQUIRE(sw.trunks.size() == 1);
    CHECK(sw.trunks[0].interface == "xe-0/2/0");
    CHECK(sw.trunks[0].vlans == std::vector<int>{110, 111, 200});
    // irb.110, its address and its input filter; me0 is no SVI.
    REQUIRE(sw.svis.size() == 1);
    const auto& svi = sw.svis[0];
    CHECK(svi.vlan == 110);
    REQUIRE(svi.addresses.size() == 1);
    CHECK(svi.addresses[0].address == *IpAddress::parse("10.110.0.1"));
    CHECK(svi.addresses[0].subnet == cidr("10.110.0.0/24"));
    CHECK(svi.acl.name == "pumps-in");
    check_ex3400_filter(text, c, set_form);
    // The old-ssh term's three statements are skipped, and counted.
    CHECK(c.skipped_lines >= 3);
}

// irb.110's filter pumps-in, entry by entry, with the lines of its terms.
void check_ex3400_filter(const std::string& text, const ParsedConfig& c, bool set_form) {
    const auto& svi = c.as_built.svis.at(0);
    // block-mgmt (a host address without a length: /32), pump-sync (through a prefix-list),
    // deny-rest; the inactive term old-ssh is not there.
    REQUIRE(svi.acl.entries.size() == 3);
    const auto& block = svi.acl.entries[0];
    CHECK(block.action == AclAction::deny);
    CHECK(block.destination == cidr("192.0.2.11/32"));
    CHECK(block.protocol == Protocol::ip);
    const auto& sync = svi.acl.entries[1];
    CHECK(sync.action == AclAction::permit);
    CHECK(sync.source == cidr("10.110.0.0/24"));
    CHECK(sync.destination == cidr("10.111.0.0/28"));
    CHECK(sync.protocol == Protocol::tcp);
    CHECK(sync.destination_ports == PortRange{51243, 51243});
    const auto& rest = svi.acl.entries[2];
    CHECK(rest.action == AclAction::deny);
    CHECK(rest.log);
    CHECK(rest.destination == Cidr{});
    REQUIRE(c.acls.count("pumps-in"));
    CHECK(c.acls.at("pumps-in").fully_understood);
    CHECK(c.acls.at("pumps-in").entry_lines ==
          std::vector<int>{line_of(text, set_form ? "term block-mgmt" : "192.0.2.11;"),
                           line_of(text, set_form ? "term pump-sync" : "10.110.0.0/24;"),
                           line_of(text, set_form ? "term deny-rest" : " syslog;")});
    CHECK(c.svis.at(110).line == line_of(text, "input pumps-in"));
    CHECK(c.interface_line("irb.110") == line_of(text, "input pumps-in"));
}

// The warnings of the EX3400 fixture: each construct it does not model, at its line.
void check_ex3400_warnings(const std::string& text, const ParsedConfig& c, bool set_form) {
    INFO(warnings_of(c));
    REQUIRE(c.warnings.size() == 3);
    // The group common-syslog is defined and applied: expanded (into system, which the audit
    // does not read), so no warning.
    CHECK_FALSE(warning(c, "apply-groups"));
    // protect-mgmt (on me0, no SVI): prefix-list, dscp and packet-length are not modelled,
    // so that filter is not fully understood rather than read as something else.
    const auto* noc = warning(c, "term noc");
    REQUIRE(noc);
    CHECK(noc->reason.find("prefix-list") != std::string::npos);
    CHECK(noc->line == line_of(text, set_form ? "term noc" : "noc-hosts;"));
    const auto* voice = warning(c, "term voice");
    REQUIRE(voice);
    CHECK(voice->reason.find("dscp") != std::string::npos);
    const auto* small = warning(c, "term small");
    REQUIRE(small);
    CHECK(small->reason.find("packet-length") != std::string::npos);
    REQUIRE(c.acls.count("protect-mgmt"));
    CHECK_FALSE(c.acls.at("protect-mgmt").fully_understood);
}

}  // namespace

TEST_CASE("junos fixture: EX3400 ELS `show configuration`: the parse field by field and a clean diff") {
    auto text = read_fixture("junos/ex3400-els.conf");
    auto c = parser_for(PlatformId::junos)(text);
    check_ex3400(text, c, false);
    check_ex3400_warnings(text, c, false);
    auto f = beside_isolation(diff_switch(intent_of("junos", "ex3400-ward"), c));
    CHECK_MESSAGE(f.empty(), describe(f));
}

TEST_CASE("junos fixture: EX3400 ELS `| display set`: the same parse as the hierarchical form, a clean diff") {
    auto text = read_fixture("junos/ex3400-els.set");
    auto c = parser_for(PlatformId::junos)(text);
    check_ex3400(text, c, true);
    check_ex3400_warnings(text, c, true);
    auto hierarchical = parser_for(PlatformId::junos)(read_fixture("junos/ex3400-els.conf"));
    CHECK(c.as_built.vlans == hierarchical.as_built.vlans);
    CHECK(c.as_built.access_ports == hierarchical.as_built.access_ports);
    CHECK(c.as_built.trunks == hierarchical.as_built.trunks);
    CHECK(c.skipped_lines == hierarchical.skipped_lines);
    auto f = beside_isolation(diff_switch(intent_of("junos", "ex3400-ward"), c));
    CHECK_MESSAGE(f.empty(), describe(f));
}

TEST_CASE("junos fixture: EX4200 pre-ELS gateway: vlan.200 is the SVI of VLAN 200, a clean diff") {
    auto text = read_fixture("junos/ex4200-pre-els.conf");
    auto c = parser_for(PlatformId::junos)(text);
    INFO(warnings_of(c));
    CHECK(c.warnings.empty());
    const auto& sw = c.as_built;
    REQUIRE(sw.vlans.size() == 1);
    CHECK(sw.vlans[0].id == 200);
    CHECK(sw.vlans[0].name == "workstation");
    REQUIRE(sw.access_ports.size() == 8);  // ge-0/0/0 and the range ge-0/0/1-7 (port-mode access)
    for (const auto& p : sw.access_ports) CHECK(p.vlan == 200);
    REQUIRE(sw.trunks.size() == 1);
    CHECK(sw.trunks[0].interface == "ge-0/1/0");
    CHECK(sw.trunks[0].vlans == std::vector<int>{200});
    REQUIRE(sw.svis.size() == 1);
    CHECK(sw.svis[0].vlan == 200);
    REQUIRE(sw.svis[0].addresses.size() == 1);
    CHECK(sw.svis[0].addresses[0].address == *IpAddress::parse("10.200.0.1"));
    CHECK(sw.svis[0].acl.name == "desks-in");
    REQUIRE(sw.svis[0].acl.entries.size() == 2);
    CHECK(sw.svis[0].acl.entries[0].destination_ports == PortRange{443, 443});
    CHECK(sw.svis[0].acl.entries[1].action == AclAction::deny);
    CHECK(c.svis.at(200).line == line_of(text, "input desks-in"));
    CHECK(c.interface_line("vlan.200") == line_of(text, "input desks-in"));
    auto f = diff_switch(intent_of("junos", "ex4200-gw"), c);
    CHECK_MESSAGE(f.empty(), describe(f));
}

TEST_CASE("junos fixture: a pre-ELS l3-interface to a vlan unit that is not configured is a located warning") {
    auto c = parser_for(PlatformId::junos)("set vlans staff vlan-id 20\nset vlans staff l3-interface vlan.20\n"
                                           "set interfaces vlan unit 21 family inet address 10.0.21.1/24\n");
    CHECK(c.as_built.svis.empty());
    const auto* w = warning(c, "vlan.20 is not configured");
    REQUIRE(w);
    CHECK(w->line == 1);
}

TEST_CASE("junos fixture: an unmodelled match in a gateway's filter makes its findings unknown, never definite") {
    auto text = read_fixture("junos/ex3400-els.conf");
    // pumps-in gains a dscp term before its accept: which packets it drops is not modelled.
    auto at = text.find("            term pump-sync {");
    REQUIRE(at != std::string::npos);
    text.insert(at, "            term no-bulk {\n                from {\n                    dscp cs1;\n"
                    "                }\n                then discard;\n            }\n");
    auto c = parser_for(PlatformId::junos)(text);
    CHECK_FALSE(c.acls.at("pumps-in").fully_understood);
    const auto* w = warning(c, "term no-bulk");
    REQUIRE(w);
    CHECK(w->line == line_of(text, "dscp cs1"));
    for (const auto& f : beside_isolation(diff_switch(intent_of("junos", "ex3400-ward"), c)))
        CHECK_MESSAGE((f.impact == DriftImpact::unknown || f.impact == DriftImpact::hygiene), describe({f}));
}

TEST_CASE("junos fixture: apply-groups of a group the config does not define is a located warning") {
    auto c = parser_for(PlatformId::junos)("interfaces {\n    ge-0/0/1 {\n        apply-groups access-port;\n    }\n}\n");
    REQUIRE(c.warnings.size() == 1);
    CHECK(c.warnings[0].line == 3);
    CHECK(c.warnings[0].reason.find("apply-groups: group access-port is not defined") != std::string::npos);
}

TEST_CASE("junos fixture: apply-groups inside a hierarchy of a defined group is expanded there, no warning") {
    auto c = parser_for(PlatformId::junos)(
        "groups {\n    access-port {\n        interfaces {\n            <*> {\n                unit 0 {\n"
        "                    family ethernet-switching {\n                        vlan {\n"
        "                            members 20;\n                        }\n                    }\n"
        "                }\n            }\n        }\n    }\n}\n"
        "interfaces {\n    ge-0/0/1 {\n        apply-groups access-port;\n    }\n}\n");
    INFO(warnings_of(c));
    CHECK(c.warnings.empty());
    REQUIRE(c.as_built.access_ports.size() == 1);
    CHECK(c.as_built.access_ports[0].interface == "ge-0/0/1");
    CHECK(c.as_built.access_ports[0].vlan == 20);
    CHECK(c.interface_lines.access_ports.at(0) == 8);  // members 20: the group's line
}

// The EX2300 fixture: its access ports exist in the configuration with a description only and
// take their switching from the wildcard group ACCESS-PORT; the uplink opts out of it.
TEST_CASE("junos fixture: EX2300 with groups: <ge-*> ports, re0/re1 and syslog groups, a clean diff") {
    auto text = read_fixture("junos/ex2300-groups.conf");
    auto c = parser_for(PlatformId::junos)(text);
    INFO(warnings_of(c));
    CHECK(c.warnings.empty());
    const auto& sw = c.as_built;
    REQUIRE(sw.vlans.size() == 1);
    CHECK(sw.vlans[0].id == 200);
    REQUIRE(sw.access_ports.size() == 8);
    CHECK(sw.access_ports.front().interface == "ge-0/0/0");
    CHECK(sw.access_ports.back().interface == "ge-0/0/7");
    for (const auto& p : sw.access_ports) CHECK(p.vlan == 200);
    // Each port's line is its own first statement's; the switching it inherits is at the group's lines.
    CHECK(c.interface_lines.access_ports.front() == line_of(text, "desk 1"));
    REQUIRE(sw.trunks.size() == 1);  // ge-0/1/0: apply-groups-except, so not an access port
    CHECK(sw.trunks[0].interface == "ge-0/1/0");
    CHECK(sw.trunks[0].vlans == std::vector<int>{200});
    REQUIRE(sw.svis.size() == 1);
    CHECK(sw.svis[0].vlan == 200);
    CHECK(sw.svis[0].acl.name == "desks-in");
    CHECK(sw.svis[0].acl.entries.size() == 2);
    CHECK(c.acls.at("desks-in").fully_understood);
    auto f = diff_switch(intent_of("junos", "ex4200-gw"), c);
    CHECK_MESSAGE(f.empty(), describe(f));
}

TEST_CASE("junos fixture: EX2300 with groups: a port configured only in the group's wildcard is not created") {
    // Without its own block ge-0/0/7 does not exist: <ge-*> does not make it a port.
    auto text = read_fixture("junos/ex2300-groups.conf");
    auto at = text.find("    ge-0/0/7 {\n");
    REQUIRE(at != std::string::npos);
    text.erase(at, text.find("    }\n", at) + 6 - at);
    auto c = parser_for(PlatformId::junos)(text);
    INFO(warnings_of(c));
    CHECK(c.warnings.empty());
    CHECK(c.as_built.access_ports.size() == 7);
    CHECK_FALSE(port(c.as_built, "ge-0/0/7"));
}

TEST_CASE("nftables fixture: `nft list ruleset` of a Debian router: vmaps, iifname, the parse and a clean diff") {
    auto text = read_fixture("nftables/debian-router.nft");
    auto c = parser_for(PlatformId::nftables)(text);
    INFO(warnings_of(c));
    REQUIRE(c.router);
    CHECK(c.router->has_forward);
    // Debian's forward chain (policy accept) and microseg's run in series; both let replies
    // through with conntrack, Debian's by its `ct state vmap`.
    CHECK(c.router->conntrack_line == line_of(text, "chain forward") + 2);
    REQUIRE(c.acls.count("forward"));
    CHECK(c.acls.at("forward").fully_understood);
    // The input chain never sees routed traffic: its rules (iifname matches) are not read, so
    // they are no warning. Postrouting does see it: its nat rule is a located warning.
    CHECK(warning(c, "\"lo\"") == nullptr);
    CHECK(warning(c, "\"lan0\"") == nullptr);
    const auto* wan = warning(c, "\"wan0\"");
    REQUIRE(wan);
    CHECK(wan->line == line_of(text, "oifname \"wan0\" masquerade"));
    CHECK(wan->reason.find("oifname") != std::string::npos);
    CHECK(warning(c, "vmap") == nullptr);
    auto p = policy_of("nftables");
    auto f = diff_router(p, intent_of(p, "debian-gw"), c);
    CHECK_MESSAGE(f.empty(), describe(f));
}

namespace {

ParsedConfig forward_rule(const std::string& rule) {
    return parser_for(PlatformId::nftables)("table inet filter {\n\tchain forward {\n"
                                            "\t\ttype filter hook forward priority filter; policy drop;\n\t\t" +
                                            rule + "\n\t\tip saddr 10.1.0.0/24 ip daddr 10.2.0.0/24 tcp dport 443 accept\n"
                                                   "\t}\n}\n");
}

}  // namespace

TEST_CASE("nftables fixture: ct state vmap reads as the conntrack pair it stands for, or not at all") {
    SUBCASE("established and related accepted, invalid dropped: replies pass, the rule is read") {
        auto c = forward_rule("ct state vmap { invalid : drop, established : accept, related : accept }");
        CHECK(c.warnings.empty());
        CHECK(c.router->conntrack_line == 4);
        CHECK(c.acls.at("forward").fully_understood);
        REQUIRE(c.as_built.svis.size() == 1);
        CHECK(c.as_built.svis[0].acl.entries.front().destination == cidr("10.2.0.0/24"));
    }
    SUBCASE("invalid dropped alone: no effect on the model's packets") {
        auto c = forward_rule("ct state vmap { invalid : drop }");
        CHECK(c.warnings.empty());
        CHECK(c.router->conntrack_line == 0);
        CHECK(c.acls.at("forward").fully_understood);
    }
    SUBCASE("new dropped: not modelled, so the forward filter is unknown, at the rule's line") {
        auto c = forward_rule("ct state vmap { established : accept, related : accept, new : drop }");
        REQUIRE(c.warnings.size() == 1);
        CHECK(c.warnings[0].line == 4);
        CHECK(c.warnings[0].reason.find("vmap") != std::string::npos);
        CHECK_FALSE(c.acls.at("forward").fully_understood);
    }
    SUBCASE("a jump in the map: not modelled") {
        auto c = forward_rule("ct state vmap { established : accept, new : jump from_lan }");
        REQUIRE(c.warnings.size() == 1);
        CHECK_FALSE(c.acls.at("forward").fully_understood);
    }
}

TEST_CASE("nftables fixture: iifname and oifname in the forward chain make the filter unknown, at the line") {
    for (const char* rule : {"iifname \"lan0\" oifname \"wan0\" accept", "meta oifname \"wan0\" drop", "iif \"lan0\" accept",
                             "oifname != \"wan0\" drop"}) {
        auto c = forward_rule(rule);
        INFO(rule);
        REQUIRE(c.warnings.size() == 1);
        CHECK(c.warnings[0].line == 4);
        CHECK(c.warnings[0].reason.find("interface") != std::string::npos);
        CHECK_FALSE(c.acls.at("forward").fully_understood);
    }
}

TEST_CASE("junos fixture: an inactive: term is skipped and counted; the same term active is read") {
    auto text = read_fixture("junos/ex3400-els.conf");
    auto inactive = parser_for(PlatformId::junos)(text);
    auto at = text.find("inactive: term old-ssh");
    REQUIRE(at != std::string::npos);
    auto active_text = text;
    active_text.erase(at, std::string_view("inactive: ").size());
    auto active = parser_for(PlatformId::junos)(active_text);
    // Its three statements (from protocol, from destination-port, then accept).
    CHECK(inactive.skipped_lines == active.skipped_lines + 3);
    REQUIRE(active.as_built.svis.size() == 1);
    const auto& entries = active.as_built.svis[0].acl.entries;
    REQUIRE(entries.size() == 4);
    CHECK(entries[1].action == AclAction::permit);
    CHECK(entries[1].destination_ports == PortRange{22, 22});
    // Active, the term lets ssh to the pump-server subnet through: drift, not clean.
    CHECK_FALSE(diff_switch(intent_of("junos", "ex3400-ward"), active).empty());
}
