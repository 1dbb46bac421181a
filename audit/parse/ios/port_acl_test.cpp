// Port isolation as IOS-XE prints it (`show running-config`: one interface block per port, full
// names): an access port is isolated only when it applies microseg's isolation ACL
// (MS_ISO_<class>, defined, with a deny); `switchport protected` alone is not isolation (it
// acts on one switch); another port ACL makes the port's isolation "unknown".
#include <doctest/doctest.h>

#include "audit/parse/registry.hpp"
#include "model/as_built.hpp"

using namespace microseg;

namespace {

// Expected: Gi1/0/1-2 isolated (MS_ISO_PUMP, also protected); Gi1/0/3 protected only: not
// isolated, nothing uncertain; Gi1/0/4 applies BLOCK_SMB: not isolated, uncertain at line 27;
// VLAN 110 not isolated (not all its ports are).
const char* kIos = R"(Building configuration...

Current configuration : 2048 bytes
!
version 17.9
hostname acc-sw-01
!
vlan 110
 name pump
!
interface GigabitEthernet1/0/1
 description microseg pump
 switchport access vlan 110
 switchport mode access
 switchport protected
 ip access-group MS_ISO_PUMP in
!
interface GigabitEthernet1/0/2
 switchport access vlan 110
 switchport mode access
 switchport protected
 ip access-group MS_ISO_PUMP in
!
interface GigabitEthernet1/0/3
 switchport access vlan 110
 switchport mode access
 switchport protected
!
interface GigabitEthernet1/0/4
 switchport access vlan 110
 switchport mode access
 ip access-group BLOCK_SMB in
!
ip access-list extended BLOCK_SMB
 deny tcp any any eq 445
 permit ip any any
ip access-list extended MS_ISO_PUMP
 remark gateway
 permit ip 10.110.0.0 0.0.3.255 host 10.110.0.1
 remark isolated peers
 deny ip 10.110.0.0 0.0.3.255 10.110.0.0 0.0.3.255 log
 remark the rest is filtered at the SVI
 permit ip any any
!
end
)";

}  // namespace

TEST_CASE("IOS: the isolation port ACL isolates, protected alone does not, another port ACL is unknown") {
    auto p = parse_cisco_ios(kIos);
    CHECK(p.warnings.empty());
    const auto& ports = p.as_built.access_ports;
    REQUIRE(ports.size() == 4);
    CHECK(ports[0].isolated);
    CHECK(ports[1].isolated);
    CHECK_FALSE(ports[2].isolated);
    CHECK_FALSE(ports[3].isolated);
    REQUIRE(p.uncertain.size() == 1);
    CHECK(p.uncertain[0].kind == UncertainKind::port_isolation);
    CHECK(p.uncertain[0].interface == "GigabitEthernet1/0/4");
    CHECK(p.uncertain[0].line == 32);
    CHECK(p.uncertain[0].reason == "port ACL BLOCK_SMB is not an isolation ACL microseg reads");
    REQUIRE(p.as_built.vlans.size() == 1);
    CHECK_FALSE(p.as_built.vlans[0].isolated);
    CHECK(p.interface_line("GigabitEthernet1/0/3") == 24);
}

TEST_CASE("IOS: an isolation ACL without a deny, or never defined, is no isolation") {
    std::string text = kIos;
    auto deny = text.find(" deny ip 10.110.0.0");
    text.erase(deny, text.find('\n', deny) + 1 - deny);
    auto p = parse_cisco_ios(text);
    CHECK_FALSE(p.as_built.access_ports[0].isolated);
    CHECK(p.uncertainty(UncertainKind::port_isolation, "GigabitEthernet1/0/1"));

    auto undefined = parse_cisco_ios("interface GigabitEthernet1/0/1\n switchport access vlan 110\n"
                                     " ip access-group MS_ISO_PUMP in\nend\n");
    REQUIRE(undefined.as_built.access_ports.size() == 1);
    CHECK_FALSE(undefined.as_built.access_ports[0].isolated);
    REQUIRE(undefined.warnings.size() == 1);
    CHECK(undefined.warnings[0].reason == "port ACL not defined: the port is not isolated");
}

TEST_CASE("IOS: every port of a VLAN with the isolation ACL makes the VLAN isolated") {
    std::string text = kIos;
    for (const char* port : {"GigabitEthernet1/0/3\n", "GigabitEthernet1/0/4\n"}) {
        auto at = text.find(port);
        text.erase(at - 10, text.find("!\n", at) + 2 - (at - 10));  // "interface " .. "!"
    }
    auto p = parse_cisco_ios(text);
    REQUIRE(p.as_built.access_ports.size() == 2);
    CHECK(p.as_built.vlans[0].isolated);
}

TEST_CASE("IOS: an isolation ACL that permits more than its gateways before the denies is not isolation") {
    std::string text = kIos;
    auto at = text.find(" remark gateway\n");
    text.insert(at, " permit tcp any any eq 3389\n");
    auto p = parse_cisco_ios(text);
    CHECK_FALSE(p.as_built.access_ports[0].isolated);
    CHECK_FALSE(p.as_built.access_ports[1].isolated);
    REQUIRE(p.uncertainty(UncertainKind::port_isolation, "GigabitEthernet1/0/1"));
    CHECK(p.uncertainty(UncertainKind::port_isolation, "GigabitEthernet1/0/1")->reason ==
          "port ACL MS_ISO_PUMP is not an isolation ACL microseg reads");
    // Without the final permit of everything it is not the shape either.
    text = kIos;
    at = text.find(" permit ip any any\n!\nend");
    text.erase(at, std::string(" permit ip any any\n").size());
    CHECK_FALSE(parse_cisco_ios(text).as_built.access_ports[0].isolated);
}
