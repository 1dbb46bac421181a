// Extraction tests for the Junos parser: each fixture's comment states what must come out.
#include <doctest/doctest.h>

#include <algorithm>

#include <fmt/format.h>

#include "audit/parse/registry.hpp"
#include "model/as_built.hpp"

using namespace microseg;

namespace {

ParsedConfig parse(std::string_view text) {
    auto parser = parser_for(PlatformId::junos);
    REQUIRE(static_cast<bool>(parser));
    return parser(text);
}

// Hierarchical `show configuration` of an EX switch: a commit comment, an annotation, a
// SECRET-DATA comment, an unknown top-level section (line 8), an inactive term, a bracket
// list of trunk members, a member-range. Expected: VLANs 110 pumps and 200 ws, neither isolated
// (no-local-switching is local to the switch, no port filter);
// ge-0/0/0-2 access in 110; ge-0/0/5 access in 200; xe-0/2/0 trunk 110,200;
// irb.110 10.110.0.1/22 with filter IN-PUMP of 3 entries (t10 is two destinations; t20 is
// inactive; deny-all); 1 warning (frobnicate, line 8).
const char* kHierarchical = R"(## Last commit: 2026-11-20 10:00:00 UTC by admin
version 21.4R3.15;
system {
    host-name acc-01;
    root-authentication {
        encrypted-password "$6$abc"; ## SECRET-DATA
    }
}
frobnicate everything;
interfaces {
    interface-range pumps {
        member-range ge-0/0/0 to ge-0/0/2;
        description "infusion pumps; bay {1}";
        unit 0 {
            family ethernet-switching {
                interface-mode access;
                vlan {
                    members pumps;
                }
            }
        }
    }
    ge-0/0/5 {
        unit 0 {
            family ethernet-switching {
                vlan {
                    members 200;
                }
            }
        }
    }
    xe-0/2/0 {
        unit 0 {
            family ethernet-switching {
                interface-mode trunk;
                vlan {
                    members [ pumps ws ];
                }
            }
        }
    }
    irb {
        unit 110 {
            family inet {
                filter {
                    input IN-PUMP;
                }
                address 10.110.0.1/22;
            }
        }
    }
}
firewall {
    family inet {
        /* pumps reach their server only */
        filter IN-PUMP {
            term t10 {
                from {
                    destination-address {
                        10.111.0.5/32;
                        10.111.0.6/32;
                    }
                    protocol tcp;
                    destination-port 443;
                }
                then accept;
            }
            inactive: term t20 {
                then accept;
            }
            term deny-rest {
                then {
                    syslog;
                    discard;
                }
            }
        }
    }
}
vlans {
    pumps {
        vlan-id 110;
        l3-interface irb.110;
        no-local-switching;
    }
    ws {
        vlan-id 200;
    }
}
{master:0}
)";

// The same configuration as `display set`, with the inactive term as a deactivate line.
const char* kSet = R"(set version 21.4R3.15
set system host-name acc-01
set system root-authentication encrypted-password "$6$abc"
set frobnicate everything
set interfaces interface-range pumps member-range ge-0/0/0 to ge-0/0/2
set interfaces interface-range pumps description "infusion pumps; bay {1}"
set interfaces interface-range pumps unit 0 family ethernet-switching interface-mode access
set interfaces interface-range pumps unit 0 family ethernet-switching vlan members pumps
set interfaces ge-0/0/5 unit 0 family ethernet-switching vlan members 200
set interfaces xe-0/2/0 unit 0 family ethernet-switching interface-mode trunk
set interfaces xe-0/2/0 unit 0 family ethernet-switching vlan members pumps
set interfaces xe-0/2/0 unit 0 family ethernet-switching vlan members ws
set interfaces irb unit 110 family inet filter input IN-PUMP
set interfaces irb unit 110 family inet address 10.110.0.1/22
set firewall family inet filter IN-PUMP term t10 from destination-address 10.111.0.5/32
set firewall family inet filter IN-PUMP term t10 from destination-address 10.111.0.6/32
set firewall family inet filter IN-PUMP term t10 from protocol tcp
set firewall family inet filter IN-PUMP term t10 from destination-port 443
set firewall family inet filter IN-PUMP term t10 then accept
set firewall family inet filter IN-PUMP term t20 then accept
deactivate firewall family inet filter IN-PUMP term t20
set firewall family inet filter IN-PUMP term deny-rest then syslog
set firewall family inet filter IN-PUMP term deny-rest then discard
set vlans pumps vlan-id 110
set vlans pumps l3-interface irb.110
set vlans pumps no-local-switching
set vlans ws vlan-id 200
)";

void check_fixture(const ParsedConfig& c, int frobnicate_line) {
    const auto& sw = c.as_built;
    REQUIRE(sw.vlans.size() == 2);
    CHECK(sw.vlans[0].id == 110);
    CHECK(sw.vlans[0].name == "pumps");
    CHECK_FALSE(sw.vlans[0].isolated);  // no-local-switching acts on this switch only: not isolation
    CHECK(sw.vlans[1].name == "ws");
    REQUIRE(sw.access_ports.size() == 4);
    CHECK(sw.access_ports[0].interface == "ge-0/0/0");
    CHECK(sw.access_ports[2].interface == "ge-0/0/2");
    CHECK(sw.access_ports[2].vlan == 110);
    CHECK_FALSE(sw.access_ports[2].isolated);  // no port filter
    CHECK(sw.access_ports[3].interface == "ge-0/0/5");
    CHECK(sw.access_ports[3].vlan == 200);
    CHECK_FALSE(sw.access_ports[3].isolated);
    REQUIRE(sw.trunks.size() == 1);
    CHECK(sw.trunks[0].vlans == std::vector<int>{110, 200});
    REQUIRE(sw.svis.size() == 1);
    CHECK(sw.svis[0].vlan == 110);
    REQUIRE(sw.svis[0].addresses.size() == 1);
    CHECK(sw.svis[0].addresses[0].address.str() == "10.110.0.1");
    CHECK(sw.svis[0].acl.name == "IN-PUMP");
    const auto& e = sw.svis[0].acl.entries;
    REQUIRE(e.size() == 3);
    CHECK(e[0].action == AclAction::permit);
    CHECK(e[0].protocol == Protocol::tcp);
    CHECK(e[0].destination.str() == "10.111.0.5/32");
    CHECK(e[1].destination.str() == "10.111.0.6/32");
    CHECK(e[1].destination_ports == PortRange{443, 443});
    CHECK(e[2].action == AclAction::deny);
    CHECK(e[2].log);
    CHECK(c.acls.at("IN-PUMP").fully_understood);
    REQUIRE(c.warnings.size() == 1);
    CHECK(c.warnings[0].line == frobnicate_line);
}

}  // namespace

TEST_CASE("junos: hierarchical configuration with comments, inactive term and lists") {
    check_fixture(parse(kHierarchical), 9);
}

TEST_CASE("junos: display set form gives the same result") {
    check_fixture(parse(kSet), 4);
    auto a = parse(kHierarchical).as_built, b = parse(kSet).as_built;
    CHECK(a.vlans == b.vlans);
    CHECK(a.access_ports == b.access_ports);
    CHECK(a.trunks == b.trunks);
    CHECK(a.svis[0].acl.entries == b.svis[0].acl.entries);
}

// A term with a match condition microseg does not model makes the filter not fully
// understood, with a warning on the term's first line (2); the other terms still convert.
TEST_CASE("junos: unsupported match condition marks the filter not understood") {
    auto c = parse(R"(set interfaces irb unit 5 family inet address 10.5.0.1/24
set firewall family inet filter F term a from packet-length 100
set firewall family inet filter F term a then accept
set firewall family inet filter F term b from protocol udp
set firewall family inet filter F term b from source-port [ 53 123 ]
set firewall family inet filter F term b then accept
set interfaces irb unit 5 family inet filter input F
set vlans v5 vlan-id 5
set vlans v5 l3-interface irb.5
)");
    CHECK_FALSE(c.acls.at("F").fully_understood);
    REQUIRE(c.warnings.size() == 1);
    CHECK(c.warnings[0].line == 2);
    REQUIRE(c.as_built.svis.size() == 1);
    const auto& e = c.as_built.svis[0].acl.entries;
    REQUIRE(e.size() == 2);  // udp sport 53, udp sport 123
    CHECK(e[1].source_ports == PortRange{123, 123});
    CHECK(c.acls.at("F").entry_lines == std::vector<int>{4, 4});
}

TEST_CASE("junos: truncated and garbled configurations never crash") {
    std::string text = kHierarchical;
    for (std::size_t cut = 0; cut < text.size(); cut += 7) {
        auto c = parse(std::string_view(text).substr(0, cut));
        // A cut inside a section is reported as truncation.
        if (cut > 200 && cut < text.size() - 60) CHECK_FALSE(c.warnings.empty());
    }
    std::string garbled = text;
    unsigned seed = 12345;
    for (int round = 0; round < 200; ++round) {
        seed = seed * 1103515245u + 12345u;
        auto i = seed % garbled.size();
        garbled[i] = "{}[];\"#/* x\n"[seed % 12];
        (void)parse(garbled);
    }
    auto c = parse("}}}\n[ [ ]\n\"unterminated\nset\ndelete\nset vlans\n/* never closed");
    CHECK_FALSE(c.warnings.empty());
}

// The reader keeps its storage between parses on a thread (audit/parse/junos/statements.cpp): a
// config parsed after a larger one, and again after it, must come out the same.
TEST_CASE("junos: storage kept between parses does not carry one config into the next") {
    std::string big;
    for (int i = 0; i < 10'000; ++i) big += fmt::format("set interfaces ge-0/0/{} unit 0 family ethernet-switching\n", i);
    auto first = parse(kSet);
    auto large = parse(big);
    auto again = parse(kSet);
    CHECK(large.as_built.access_ports.size() == 10'000);
    CHECK(again.as_built.vlans == first.as_built.vlans);
    CHECK(again.as_built.access_ports == first.as_built.access_ports);
    CHECK(again.as_built.trunks == first.as_built.trunks);
    CHECK(interface_line_map(again) == interface_line_map(first));
    REQUIRE(again.warnings.size() == first.warnings.size());
    for (std::size_t i = 0; i < again.warnings.size(); ++i) CHECK(again.warnings[i].text == first.warnings[i].text);
}
