// An interface-range's `vlan members` are resolved once per range (ports.hpp) and taken by
// each member port: the ports' VLANs and the warnings about members that name no VLAN (their
// lines, in the order they were given per port: the last range's first, the port's own last)
// stay what resolving every port's members one by one gives.
#include <doctest/doctest.h>

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
    for (const auto& p : c.as_built.access_ports) fmt::format_to(out, "access {} {}\n", p.interface, p.vlan);
    for (const auto& t : c.as_built.trunks) fmt::format_to(out, "trunk {} {}\n", t.interface, t.vlans);
    for (const auto& w : c.warnings) fmt::format_to(out, "warning {} ({})\n", w.line, w.reason);
    return s;
}

}  // namespace

TEST_CASE("junos interface-range members: resolved once per range, as each port's one by one") {
    std::string t = "set vlans a vlan-id 10\n"                                                       // 1
                    "set vlans b vlan-id 20\n"                                                       // 2
                    "set interfaces interface-range up member ge-0/0/1\n"                            // 3
                    "set interfaces interface-range up member ge-0/0/2\n"                            // 4
                    "set interfaces interface-range up unit 0 family ethernet-switching interface-mode trunk\n"  // 5
                    "set interfaces interface-range up unit 0 family ethernet-switching vlan members a\n"        // 6
                    "set interfaces interface-range up unit 0 family ethernet-switching vlan members nope\n"     // 7
                    "set interfaces interface-range up unit 0 family ethernet-switching vlan members 30-32\n"    // 8
                    "set interfaces interface-range wide member ge-0/0/2\n"                                      // 9
                    "set interfaces interface-range wide member ge-0/0/3\n"                                      // 10
                    "set interfaces interface-range wide unit 0 family ethernet-switching vlan members b\n"      // 11
                    "set interfaces interface-range wide unit 0 family ethernet-switching vlan members default\n"  // 12
                    "set interfaces interface-range wide unit 0 family ethernet-switching vlan members b\n"      // 13
                    "set interfaces ge-0/0/2 unit 0 family ethernet-switching vlan members gone\n"               // 14
                    "set interfaces ge-0/0/3 unit 0 family ethernet-switching interface-mode trunk\n"            // 15
                    "set interfaces ge-0/0/3 unit 0 family ethernet-switching vlan members all\n";               // 16
    auto c = parser_for(PlatformId::junos)(t);
    CHECK(summary(c) == "trunk ge-0/0/1 [10, 30, 31, 32]\n"
                        "trunk ge-0/0/2 [1, 10, 20, 30, 31, 32]\n"
                        "trunk ge-0/0/3 [1, 10, 20]\n"
                        "warning 7 (vlan member 'nope' is not a configured VLAN)\n"
                        "warning 7 (vlan member 'nope' is not a configured VLAN)\n"
                        "warning 14 (vlan member 'gone' is not a configured VLAN)\n");
}

TEST_CASE("junos interface-range members: a range repeated by concatenated copies gives each port its VLAN once") {
    std::string t = "set vlans staff vlan-id 200\n";
    for (int c = 0; c < 300; ++c) {
        t += fmt::format("set interfaces interface-range desks member-range ge-{0}/0/1 to ge-{0}/0/7\n", c);
        t += "set interfaces interface-range desks unit 0 family ethernet-switching interface-mode access\n";
        t += "set interfaces interface-range desks unit 0 family ethernet-switching vlan members staff\n";
    }
    auto c = parser_for(PlatformId::junos)(t);
    CHECK(c.warnings.empty());
    REQUIRE(c.as_built.access_ports.size() == 300 * 7);
    for (const auto& p : c.as_built.access_ports) CHECK(p.vlan == 200);
}
