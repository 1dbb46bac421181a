// Port isolation as Junos prints it: an access port is isolated when it (or its interface-range)
// applies microseg's isolation filter (`firewall family ethernet-switching filter ms-iso-<class>`
// with a discard term), in ELS names (ip-source-address) or non-ELS ones (source-address), in
// `display set` or hierarchical form. `no-local-switching` alone is not isolation; another port
// filter makes the port's isolation "unknown".
#include <doctest/doctest.h>

#include "audit/parse/registry.hpp"
#include "model/as_built.hpp"

using namespace microseg;

namespace {

// ELS, display set. Expected: ge-0/0/1-2 isolated through the range; ge-0/0/3 applies its own
// filter local-only (line 14): not isolated, uncertain; ge-0/0/4 no filter: not isolated;
// filter ms-iso-pump read as 3 entries (gateway, peers, rest); no warnings.
const char* kEls = R"(set version 21.4R3.15
set interfaces interface-range ms-pump member-range ge-0/0/1 to ge-0/0/2
set interfaces interface-range ms-pump unit 0 family ethernet-switching interface-mode access
set interfaces interface-range ms-pump unit 0 family ethernet-switching vlan members pump
set interfaces interface-range ms-pump unit 0 family ethernet-switching filter input ms-iso-pump
set interfaces ge-0/0/3 unit 0 family ethernet-switching interface-mode access
set interfaces ge-0/0/3 unit 0 family ethernet-switching vlan members pump
set interfaces ge-0/0/4 unit 0 family ethernet-switching interface-mode access
set interfaces ge-0/0/4 unit 0 family ethernet-switching vlan members pump
set firewall family ethernet-switching filter local-only term smb from ip-protocol tcp
set firewall family ethernet-switching filter local-only term smb from destination-port 445
set firewall family ethernet-switching filter local-only term smb then discard
set firewall family ethernet-switching filter local-only term rest then accept
set interfaces ge-0/0/3 unit 0 family ethernet-switching filter input local-only
set firewall family ethernet-switching filter ms-iso-pump term t0010 from ip-source-address 10.110.0.0/22
set firewall family ethernet-switching filter ms-iso-pump term t0010 from ip-destination-address 10.110.0.1/32
set firewall family ethernet-switching filter ms-iso-pump term t0010 then accept
set firewall family ethernet-switching filter ms-iso-pump term t0020 from ip-source-address 10.110.0.0/22
set firewall family ethernet-switching filter ms-iso-pump term t0020 from ip-destination-address 10.110.0.0/22
set firewall family ethernet-switching filter ms-iso-pump term t0020 then discard
set firewall family ethernet-switching filter ms-iso-pump term accept-rest then accept
set vlans pump vlan-id 110
)";

// Non-ELS, hierarchical `show configuration`: port-mode, the filter under each port, inet match
// names, vlan.110 with no-local-switching. Expected: ge-0/0/1 isolated; ge-0/0/2 has only
// no-local-switching: not isolated, nothing uncertain; the SVI vlan.110 read; no warnings.
const char* kNonEls = R"(## Last commit: 2026-11-20 10:00:00 UTC by admin
version 12.3R12.4;
interfaces {
    ge-0/0/1 {
        unit 0 {
            family ethernet-switching {
                port-mode access;
                vlan {
                    members pump;
                }
                filter {
                    input ms-iso-pump;
                }
            }
        }
    }
    ge-0/0/2 {
        unit 0 {
            family ethernet-switching {
                port-mode access;
                vlan {
                    members pump;
                }
            }
        }
    }
    vlan {
        unit 110 {
            family inet {
                address 10.110.0.1/22;
            }
        }
    }
}
firewall {
    family ethernet-switching {
        filter ms-iso-pump {
            term t0010 {
                from {
                    source-address {
                        10.110.0.0/22;
                    }
                    destination-address {
                        10.110.0.1/32;
                    }
                }
                then accept;
            }
            term t0020 {
                from {
                    source-address {
                        10.110.0.0/22;
                    }
                    destination-address {
                        10.110.0.0/22;
                    }
                }
                then discard;
            }
            term accept-rest {
                then accept;
            }
        }
    }
}
vlans {
    pump {
        vlan-id 110;
        l3-interface vlan.110;
        no-local-switching;
    }
}
)";

}  // namespace

TEST_CASE("Junos ELS display set: the range's isolation filter isolates its members; another filter is unknown") {
    auto p = parse_junos(kEls);
    CHECK(p.warnings.empty());
    const auto& ports = p.as_built.access_ports;
    REQUIRE(ports.size() == 4);
    CHECK(ports[0].interface == "ge-0/0/1");
    CHECK(ports[0].isolated);
    CHECK(ports[1].isolated);
    CHECK_FALSE(ports[2].isolated);
    CHECK_FALSE(ports[3].isolated);
    REQUIRE(p.uncertain.size() == 1);
    CHECK(p.uncertain[0].kind == UncertainKind::port_isolation);
    CHECK(p.uncertain[0].interface == "ge-0/0/3");
    CHECK(p.uncertain[0].line == 14);
    CHECK(p.uncertain[0].reason == "port filter local-only is not an isolation filter microseg reads");
    REQUIRE(p.acls.count("ms-iso-pump"));
    CHECK(p.acls.at("ms-iso-pump").fully_understood);
    CHECK(p.acls.at("ms-iso-pump").entry_lines.size() == 3);
    CHECK_FALSE(p.as_built.vlans[0].isolated);  // ge-0/0/3 and 4 are open
}

TEST_CASE("Junos ELS: a filter input that names no ethernet-switching filter is a warning, not isolation") {
    auto p = parse_junos("set vlans pump vlan-id 110\n"
                         "set interfaces ge-0/0/1 unit 0 family ethernet-switching vlan members pump\n"
                         "set interfaces ge-0/0/1 unit 0 family ethernet-switching filter input ms-iso-pump\n");
    REQUIRE(p.as_built.access_ports.size() == 1);
    CHECK_FALSE(p.as_built.access_ports[0].isolated);
    REQUIRE(p.warnings.size() == 1);
    CHECK(p.warnings[0].line == 3);
    CHECK(p.uncertain.empty());
}

TEST_CASE("Junos non-ELS hierarchical: the port's isolation filter isolates; no-local-switching alone does not") {
    auto p = parse_junos(kNonEls);
    CHECK(p.warnings.empty());
    const auto& ports = p.as_built.access_ports;
    REQUIRE(ports.size() == 2);
    CHECK(ports[0].isolated);
    CHECK_FALSE(ports[1].isolated);
    CHECK(p.uncertain.empty());
    REQUIRE(p.as_built.svis.size() == 1);
    CHECK(p.as_built.svis[0].vlan == 110);
    CHECK(p.as_built.svis[0].addresses[0].address.str() == "10.110.0.1");
    CHECK(p.acls.at("ms-iso-pump").entry_lines.size() == 3);
}

TEST_CASE("Junos: an isolation filter that accepts everything before its discard is not isolation") {
    auto p = parse_junos("set vlans pump vlan-id 110\n"
                         "set interfaces ge-0/0/1 unit 0 family ethernet-switching vlan members pump\n"
                         "set interfaces ge-0/0/1 unit 0 family ethernet-switching filter input ms-iso-pump\n"
                         "set firewall family ethernet-switching filter ms-iso-pump term open then accept\n"
                         "set firewall family ethernet-switching filter ms-iso-pump term t0020 from ip-source-address 10.110.0.0/22\n"
                         "set firewall family ethernet-switching filter ms-iso-pump term t0020 from ip-destination-address 10.110.0.0/22\n"
                         "set firewall family ethernet-switching filter ms-iso-pump term t0020 then discard\n"
                         "set firewall family ethernet-switching filter ms-iso-pump term accept-rest then accept\n");
    CHECK(p.warnings.empty());
    REQUIRE(p.as_built.access_ports.size() == 1);
    CHECK_FALSE(p.as_built.access_ports[0].isolated);
    REQUIRE(p.uncertainty(UncertainKind::port_isolation, "ge-0/0/1"));
    CHECK(p.uncertainty(UncertainKind::port_isolation, "ge-0/0/1")->line == 3);
}
