// Extraction tests for the IOS-style parser: each fixture's comment states what must come out.
#include <doctest/doctest.h>

#include <algorithm>

#include "audit/parse/ios/acl_entry.hpp"
#include "audit/parse/registry.hpp"
#include "model/as_built.hpp"

using namespace microseg;

namespace {

// A messy but real-looking IOS-XE config: a banner with a '!' inside, a certificate, an
// unknown top-level section, VLANs, access ports, trunks with add/remove, an SVI with a
// secondary address and an ACL using host/any/wildcards/ports/established/log/remarks.
const char* kIos = R"(Building configuration...

Current configuration : 4242 bytes
!
! Last configuration change at 10:00:00 UTC Mon Nov 23 2026
version 17.9
hostname acc-sw-01
!
banner motd ^C
 Authorised access only! This ! is not a comment
 interface Vlan999 is not a real line either
^C
!
crypto pki certificate chain TP-self-signed-1
 certificate self-signed 01
  3082022B 30820194 A0030201 02020101 300D0609
  quit
!
frobnicate everything
 sub-option 1
!
vlan 110
 name infusion-pump
!
vlan 200
 name clinical-workstation
!
interface GigabitEthernet1/0/1
 description pump bay 1
 switchport mode access
 switchport access vlan 110
 switchport protected
 spanning-tree portfast
!
interface GigabitEthernet1/0/2
 switchport access vlan 200
!
interface TenGigabitEthernet1/1/1
 switchport mode trunk
 switchport trunk allowed vlan 110,200-202
 switchport trunk allowed vlan add 300
 switchport trunk allowed vlan remove 201
!
interface Vlan110
 ip address 10.110.0.1 255.255.252.0
 ip address 10.111.0.1 255.255.255.0 secondary
 ip access-group MS_IN_PUMP in
!
ip access-list extended MS_IN_PUMP
 remark pumps to pump server
 permit tcp 10.110.0.0 0.0.3.255 host 10.111.0.5 eq 51243 443
 permit udp 10.110.0.0 0.0.3.255 eq ntp any
 permit tcp any 10.200.0.0 0.0.7.255 established
 permit tcp any any range 8000 8010 log
 deny   tcp any any neq 22
 permit icmp any any echo-reply
 permit ospf any any
 deny   ip any any log
!
line vty 0 4
 transport input ssh
end
)";

}  // namespace

TEST_CASE("IOS extraction: VLANs, ports, trunks, SVIs") {
    auto p = parse_cisco_ios(kIos);
    const auto& sw = p.as_built;
    REQUIRE(sw.vlans.size() == 2);
    CHECK(sw.vlans[0].id == 110);
    CHECK(sw.vlans[0].name == "infusion-pump");
    CHECK_FALSE(sw.vlans[0].isolated);  // its only access port is protected: one switch only, no isolation
    CHECK_FALSE(sw.vlans[1].isolated);

    REQUIRE(sw.access_ports.size() == 2);
    CHECK(sw.access_ports[0].interface == "GigabitEthernet1/0/1");
    CHECK(sw.access_ports[0].vlan == 110);
    CHECK_FALSE(sw.access_ports[0].isolated);
    CHECK(sw.access_ports[1].vlan == 200);  // "switchport access vlan" without a mode line

    REQUIRE(sw.trunks.size() == 1);
    CHECK(sw.trunks[0].vlans == std::vector<int>{110, 200, 202, 300});

    REQUIRE(sw.svis.size() == 1);
    const auto& svi = sw.svis[0];
    CHECK(svi.vlan == 110);
    REQUIRE(svi.addresses.size() == 2);
    CHECK(svi.addresses[0].address.str() == "10.110.0.1");
    CHECK(svi.addresses[0].subnet.str() == "10.110.0.0/22");
    CHECK(svi.addresses[1].subnet.str() == "10.111.0.0/24");
    CHECK(svi.acl.name == "MS_IN_PUMP");
    CHECK(p.svis.at(110).acl_exists);
    CHECK(p.interface_line("Vlan110") == 44);
}

TEST_CASE("IOS extraction: ACL entries with every operator") {
    auto p = parse_cisco_ios(kIos);
    const auto& entries = p.as_built.svis.at(0).acl.entries;
    // eq 51243 443 -> 2; ntp -> 1; established -> 1; range -> 1; neq -> 2; echo-reply -> 1; deny -> 1
    REQUIRE(entries.size() == 9);
    CHECK(entries[0].destination.str() == "10.111.0.5/32");
    CHECK(entries[0].destination_ports == PortRange{51243, 51243});
    CHECK(entries[1].destination_ports == PortRange{443, 443});
    CHECK(entries[0].source.str() == "10.110.0.0/22");
    CHECK(entries[2].protocol == Protocol::udp);
    CHECK(entries[2].source_ports == PortRange{123, 123});
    CHECK(entries[3].established);
    CHECK(entries[3].destination.str() == "10.200.0.0/21");
    CHECK(entries[4].destination_ports == PortRange{8000, 8010});
    CHECK(entries[4].log);
    CHECK(entries[5].action == AclAction::deny);
    CHECK(entries[5].destination_ports == PortRange{0, 21});
    CHECK(entries[6].destination_ports == PortRange{23, 65535});
    CHECK(entries[7].protocol == Protocol::icmp);
    CHECK(entries[7].established);
    CHECK(entries[8].action == AclAction::deny);
    CHECK(entries[8].source.is_any());
    CHECK(entries[8].log);
    const auto& parsed = p.acls.at("MS_IN_PUMP");
    CHECK_FALSE(parsed.fully_understood);  // the ospf entry
    REQUIRE(parsed.entry_lines.size() == 9);
    CHECK(parsed.entry_lines[0] == 51);
    CHECK(parsed.entry_lines[8] == 58);
}

TEST_CASE("IOS extraction: unrecognised lines are counted warnings with line numbers") {
    auto p = parse_cisco_ios(kIos);
    std::vector<int> lines;
    for (const auto& w : p.warnings) lines.push_back(w.line);
    // "frobnicate everything" and the ospf ACL entry; nothing from the banner or certificate.
    CHECK(lines == std::vector<int>{19, 57});
    CHECK(p.warnings[0].reason == "unrecognised command");
    CHECK(p.warnings[1].reason == "ACL entry not understood: unsupported protocol 'ospf'");
    CHECK(p.skipped_lines >= 6);
}

TEST_CASE("an ACL applied but not defined is flagged") {
    auto p = parse_cisco_ios("interface Vlan120\n ip address 10.120.0.1 255.255.255.0\n ip access-group NOPE in\n");
    REQUIRE(p.svis.count(120));
    CHECK_FALSE(p.svis.at(120).acl_exists);
    CHECK(p.as_built.svis[0].acl.entries.empty());
}

TEST_CASE("EOS extraction: prefix notation, sequence numbers, ranges, port ACL isolation") {
    const char* eos = R"(! device: dist-dc-01 (DCS-7280SR3, EOS-4.30.1F)
vlan 130
   name pacs
!
interface Ethernet1-3
   switchport access vlan 130
   ip access-group MS_ISO_PACS in
!
interface Ethernet48
   switchport mode trunk
   switchport trunk allowed vlan none
   switchport trunk allowed vlan add 130
!
interface Vlan130
   ip address 10.130.0.1/27
   ip access-group MS_IN_PACS in
!
ip access-list MS_IN_PACS
   10 remark pacs replies
   20 permit tcp 10.130.0.0/27 eq 443 10.200.0.0/21 established
   30 deny ip any any log
!
ip access-list MS_ISO_PACS
   10 permit ip 10.130.0.0/27 host 10.130.0.1
   20 deny ip 10.130.0.0/27 10.130.0.0/27 log
   30 permit ip any any
!
end
)";
    auto p = parse_arista_eos(eos);
    const auto& sw = p.as_built;
    REQUIRE(sw.access_ports.size() == 3);
    CHECK(sw.access_ports[2].interface == "Ethernet3");
    CHECK(sw.access_ports[2].isolated);
    REQUIRE(sw.trunks.size() == 1);
    CHECK(sw.trunks[0].vlans == std::vector<int>{130});
    REQUIRE(sw.svis.size() == 1);
    CHECK(sw.svis[0].addresses[0].subnet.str() == "10.130.0.0/27");
    REQUIRE(sw.svis[0].acl.entries.size() == 2);
    CHECK(sw.svis[0].acl.entries[0].source_ports == PortRange{443, 443});
    CHECK(sw.svis[0].acl.entries[0].established);
    CHECK(p.warnings.empty());
}

TEST_CASE("garbled and truncated configs never crash") {
    std::string text = kIos;
    for (std::size_t cut = 0; cut < text.size(); cut += 7) {
        auto p = parse_cisco_ios(std::string_view(text).substr(0, cut));
        CHECK(p.as_built.vlans.size() <= 2);
    }
    std::string garbage;
    for (int i = 0; i < 5000; ++i) garbage += static_cast<char>((i * 131) % 256);
    auto g = parse_cisco_ios(garbage);
    CHECK(g.as_built.svis.empty());
    auto weird = parse_cisco_ios("interface Vlan\ninterface Vlan99999\n ip address 1.2.3.4\nvlan 0\nvlan 5000-1\n"
                                 "ip access-list extended X\n permit tcp host\n permit\n deny tcp any any eq\n");
    CHECK(weird.as_built.svis.empty());
    CHECK(weird.warnings.size() >= 5);
    CHECK_FALSE(weird.acls.at("X").fully_understood);
}

TEST_CASE("named ports and the parser table") {
    CHECK(ios_port_number("www", Protocol::tcp) == 80);
    CHECK(ios_port_number("bootps", Protocol::udp) == 67);
    CHECK_FALSE(ios_port_number("bootps", Protocol::tcp));
    CHECK(ios_port_number("65535", Protocol::tcp) == 65535);
    CHECK_FALSE(ios_port_number("65536", Protocol::tcp));
    CHECK(ios_port_number("022", Protocol::tcp) == 22);  // leading zeros, as std::from_chars reads them
    for (auto bad : {"", "-1", "+1", "2x", "99999999999999999999", "10.0.0.1"}) CHECK_FALSE(ios_port_number(bad, Protocol::tcp));
    CHECK((parser_for(PlatformId::cisco_ios) == &parse_cisco_ios));
    CHECK((parser_for(PlatformId::arista_eos) == &parse_arista_eos));
}

// The parser hands an ACL's entries to the last SVI that applies it and copies them for the
// others: every SVI must still see them all.
TEST_CASE("an ACL applied on several SVIs gives each of them its entries") {
    auto p = parse_cisco_ios("interface Vlan10\n ip access-group SHARED in\n"
                             "interface Vlan20\n ip access-group SHARED in\n"
                             "interface Vlan30\n ip access-group OTHER in\n"
                             "ip access-list extended SHARED\n permit tcp any any eq 80 443\n deny ip any any\n"
                             "ip access-list extended OTHER\n 10 permit udp any any eq 53\n");
    const auto& svis = p.as_built.svis;
    REQUIRE(svis.size() == 3);
    CHECK(svis[0].acl.entries.size() == 3);
    CHECK(svis[1].acl.entries == svis[0].acl.entries);
    REQUIRE(svis[2].acl.entries.size() == 1);
    CHECK(svis[2].acl.entries[0].destination_ports == PortRange{53, 53});
    CHECK(p.acls.at("SHARED").entry_lines == std::vector<int>{8, 8, 9});
}

// Interface lines are kept beside as_built's lists; a name's line is that of its last block,
// whatever it was each time (an access port, then a routed port; a trunk defined twice).
TEST_CASE("interface lines: the last block of each name, out of order and redefined") {
    auto p = parse_cisco_ios("interface Gi1/0/10\n switchport access vlan 10\n"        // 1
                             "interface range Gi1/0/2 - 3\n switchport mode access\n"  // 3
                             "interface Gi1/0/2\n shutdown\n"                          // 5
                             "interface Gi1/0/01\n switchport access vlan 20\n"       // 7
                             "interface Te1/1/1\n switchport mode trunk\n"             // 9
                             "interface Loopback0\n ip address 10.0.0.1 255.255.255.255\n"  // 11
                             "interface Te1/1/1\n switchport mode trunk\n"             // 13
                             "interface Gi1/0/3\n switchport access vlan 30\n"         // 15
                             "interface vlan20\n ip access-group X in\n");             // 17
    const auto& sw = p.as_built;
    REQUIRE(sw.access_ports.size() == 5);
    CHECK(sw.access_ports[0].interface == "Gi1/0/01");  // sorted naturally: 01 = 1 < 2 < 3 < 10
    CHECK(sw.access_ports.back().interface == "Gi1/0/10");
    CHECK(p.interface_lines.access_ports.size() == 5);
    CHECK(p.interface_line("Gi1/0/10") == 1);
    CHECK(p.interface_line("Gi1/0/2") == 5);   // shut down after the range
    CHECK(p.interface_line("Gi1/0/3") == 15);  // the range, then its own block
    CHECK(p.interface_line("Gi1/0/01") == 7);
    CHECK(p.interface_line("Gi1/0/1") == 0);   // sorts with Gi1/0/01, but is not its name
    CHECK(p.interface_line("Te1/1/1") == 13);
    CHECK(p.interface_line("Loopback0") == 11);
    CHECK(p.interface_line("vlan20") == 17);
    CHECK(p.interface_line("Vlan20") == 0);  // as written
    CHECK(interface_line_map(p) == std::map<std::string, int>{{"Gi1/0/01", 7}, {"Gi1/0/10", 1}, {"Gi1/0/2", 5},
                                                              {"Gi1/0/3", 15}, {"Loopback0", 11}, {"Te1/1/1", 13},
                                                              {"vlan20", 17}});
}

// set_interface_line assigns, as a map would, whatever records the name had.
TEST_CASE("set_interface_line overrides the records of a name") {
    auto p = parse_cisco_ios("interface Gi1/0/5\n switchport access vlan 10\n"
                             "interface Gi1/0/5\n switchport access vlan 10\n");
    CHECK(p.interface_line("Gi1/0/5") == 3);
    p.set_interface_line("Gi1/0/5", 2);
    CHECK(p.interface_line("Gi1/0/5") == 2);
    p.set_interface_line("irb.5", 9);
    CHECK(p.interface_line("irb.5") == 9);
    CHECK(interface_line_map(p) == std::map<std::string, int>{{"Gi1/0/5", 2}, {"irb.5", 9}});
}

// The ACL reader reuses the address it read last at the same place when the words are the same:
// only the same words may give the same address.
TEST_CASE("ACL addresses repeated from line to line read as written") {
    auto p = parse_cisco_ios("interface Vlan10\n ip access-group M in\n"
                             "ip access-list extended M\n"
                             " permit tcp 10.0.1.0 0.0.0.255 any eq 22\n"
                             " permit tcp 10.0.1.0 0.0.1.255 any eq 22\n"
                             " permit tcp host 10.0.0.5 any\n"
                             " permit tcp host 10.0.0.6 10.0.1.0 0.0.0.255\n"
                             " permit tcp 10.0.1.0 0.0.0.255 10.0.1.0 0.0.0.255\n"
                             " permit tcp 10.0.1.0/24 any\n"
                             " permit tcp any 10.0.2.0 0.0.0.255\n"
                             " permit tcp any 10.0.4.0 0.0.3.255\n"
                             " permit tcp 10.0.1.0/24 10.0.1.0\n"
                             " permit tcp 10.0.1.0 0.0.0.256 any\n"
                             " permit tcp 10.0.1.0 0.0.0.255 host 10.0.0.5 eq 22 10.0.9.9 0.0.0.0\n");
    REQUIRE(p.as_built.svis.size() == 1);
    const auto& e = p.as_built.svis[0].acl.entries;
    REQUIRE(e.size() == 8);
    CHECK(e[0].source.str() == "10.0.1.0/24");
    CHECK(e[1].source.str() == "10.0.0.0/23");  // the same address, another wildcard
    CHECK(e[2].source.str() == "10.0.0.5/32");
    CHECK(e[3].source.str() == "10.0.0.6/32");
    CHECK(e[3].destination.str() == "10.0.1.0/24");
    CHECK(e[4].source.str() == "10.0.1.0/24");
    CHECK(e[4].destination.str() == "10.0.1.0/24");
    CHECK(e[5].source.str() == "10.0.1.0/24");  // prefix notation
    CHECK(e[6].destination.str() == "10.0.2.0/24");  // another address, the same wildcard
    CHECK(e[7].destination.str() == "10.0.4.0/22");
    CHECK(p.warnings.size() == 3);  // a wildcard missing, a bad wildcard, a word after the ports
}

// Ports whose names live inside their std::string and ports whose names need the heap are
// built by different paths (audit/parse/ios/ports.cpp); mixed and out of order, each keeps its VLAN.
TEST_CASE("access ports with short and long names, out of order, keep their settings") {
    auto p = parse_cisco_ios("interface range GigabitEthernet1/0/3 - 4\n switchport access vlan 30\n"
                             "interface Gi1/0/1\n switchport access vlan 10\n"
                             "interface range GigabitEthernet1/0/1 - 2\n switchport access vlan 20\n"
                             "interface range Gi1/0/2-3\n switchport access vlan 40\n ip access-group MS_ISO_X in\n"
                             "ip access-list extended MS_ISO_X\n deny ip 10.40.0.0 0.0.0.255 10.40.0.0 0.0.0.255\n permit ip any any\n");
    std::vector<std::string> names;
    std::vector<int> vlans;
    for (const auto& port : p.as_built.access_ports) names.push_back(port.interface), vlans.push_back(port.vlan);
    CHECK(names == std::vector<std::string>{"Gi1/0/1", "Gi1/0/2", "Gi1/0/3", "GigabitEthernet1/0/1",
                                            "GigabitEthernet1/0/2", "GigabitEthernet1/0/3", "GigabitEthernet1/0/4"});
    CHECK(vlans == std::vector<int>{10, 40, 40, 20, 20, 30, 30});
    CHECK(p.interface_lines.access_ports == std::vector<int>{3, 7, 7, 5, 5, 1, 1});
    CHECK(p.as_built.access_ports[1].isolated);
    CHECK_FALSE(p.as_built.access_ports[3].isolated);
}

// An EOS port ACL is port isolation only when it is microseg's isolation ACL and is defined:
// an undefined one filters nothing, another one is no evidence (both were read as isolation).
TEST_CASE("EOS: a port ACL that is undefined or not an isolation ACL is not isolation") {
    auto p = parse_arista_eos(
        "interface Ethernet1\n   switchport access vlan 130\n   ip access-group MS_ISO_GONE in\n"
        "interface Ethernet2\n   switchport access vlan 130\n   ip access-group PERMIT_ALL in\n"
        "ip access-list PERMIT_ALL\n   10 permit ip any any\nend\n");
    REQUIRE(p.as_built.access_ports.size() == 2);
    CHECK_FALSE(p.as_built.access_ports[0].isolated);
    CHECK_FALSE(p.as_built.access_ports[1].isolated);
    REQUIRE(p.warnings.size() == 1);
    CHECK(p.warnings[0].line == 3);
    CHECK(p.warnings[0].reason == "port ACL not defined: the port is not isolated");
    // A defined ACL of someone else's may or may not isolate: its port's finding is "unknown".
    REQUIRE(p.uncertain.size() == 1);
    CHECK(p.uncertain[0].kind == UncertainKind::port_isolation);
    CHECK(p.uncertain[0].interface == "Ethernet2");
    CHECK(p.uncertain[0].line == 6);
}

// Numbered lists (IOS Security Configuration Guide, "IP Access List Overview"): 1-99 standard,
// 100-199 extended, each entry its own top-level line. An SVI bound to one has its entries, not
// "ACL not defined".
TEST_CASE("IOS numbered and standard ACLs are read") {
    auto p = parse_cisco_ios(R"(interface Vlan110
 ip address 10.110.0.1 255.255.255.0
 ip access-group 111 in
 ip access-group 10 out
!
access-list 10 permit 10.110.0.5
access-list 10 deny   any log
access-list 111 remark pumps to the infusion server
access-list 111 permit tcp 10.110.0.0 0.0.0.255 host 10.200.0.5 eq 443
access-list 111 deny   ip any any log
ip access-list standard MGMT
 10 permit 10.99.0.0 0.0.0.255
 20 deny   any
end
)");
    REQUIRE(p.svis.count(110));
    CHECK(p.svis.at(110).acl_exists);
    REQUIRE(p.as_built.svis.size() == 1);
    const auto& e = p.as_built.svis[0].acl.entries;
    REQUIRE(e.size() == 2);
    CHECK(e[0].destination_ports == PortRange{443, 443});
    CHECK(e[1].action == AclAction::deny);
    CHECK(p.acls.at("111").line == 8);
    CHECK(p.acls.at("111").entry_lines == std::vector<int>{9, 10});
    CHECK(p.acls.at("10").entry_lines == std::vector<int>{6, 7});
    CHECK(p.acls.at("MGMT").entry_lines == std::vector<int>{12, 13});
    CHECK(p.acls.at("MGMT").fully_understood);
    CHECK(p.warnings.empty());
    REQUIRE(p.uncertain.size() == 1);  // the outbound ACL is not the SVI's inbound filter
    CHECK(p.uncertain[0].line == 4);
}

// Object-groups are not expanded: the entry that uses one makes its ACL "not understood", so
// findings about it are "unknown" instead of definite.
TEST_CASE("an ACL entry with an object-group is marked unknown with its line") {
    auto p = parse_cisco_ios(R"(object-group network PUMPS
 10.110.0.0 255.255.255.0
ip access-list extended MS_IN_PUMP
 10 permit tcp object-group PUMPS host 10.200.0.5 eq 443
 20 deny ip any any
route-map RM permit 10
 match ip address 111
boot-start-marker
boot-end-marker
end
)");
    CHECK_FALSE(p.acls.at("MS_IN_PUMP").fully_understood);
    REQUIRE(p.warnings.size() == 1);
    CHECK(p.warnings[0].line == 4);
    CHECK(p.warnings[0].reason == "ACL entry not understood: object-group not expanded");
}

TEST_CASE("EOS: ip address virtual, vlan internal order, mlag, phone trunks") {
    auto p = parse_arista_eos(R"(vlan internal order ascending range 1006 1199
!
vlan 110
   name pumps
!
interface Ethernet5
   switchport trunk native vlan 110
   switchport phone vlan 300
   switchport phone trunk tagged
   switchport mode trunk phone
!
interface Vlan110
   ip address 10.110.0.2/24
   ip address virtual 10.110.0.1/24
   vrrp 1 priority-level 110
!
interface Vlan120
   ip address virtual 10.120.0.1/24
!
mlag configuration
   domain-id mlag1
   local-interface Vlan4094
   peer-address 10.255.255.2
   peer-link Port-Channel10
!
end
)");
    CHECK(p.warnings.empty());
    const auto& sw = p.as_built;
    CHECK(sw.trunks.empty());  // not a trunk of VLANs 1-4094
    REQUIRE(sw.access_ports.size() == 1);
    CHECK(sw.access_ports[0].interface == "Ethernet5");
    CHECK(sw.access_ports[0].vlan == 110);
    REQUIRE(sw.svis.size() == 2);
    REQUIRE(sw.svis[1].addresses.size() == 1);
    CHECK(sw.svis[1].addresses[0].address.str() == "10.120.0.1");
    CHECK(sw.svis[1].addresses[0].subnet.str() == "10.120.0.0/24");
}

// A member of a port-channel carries the port-channel's VLANs, which may be defined later.
TEST_CASE("port-channel members take their VLANs from the port-channel") {
    auto p = parse_cisco_ios(R"(interface GigabitEthernet1/1/1
 channel-group 1 mode active
!
interface GigabitEthernet1/1/2
 channel-group 1 mode active
!
interface GigabitEthernet1/0/3
 channel-group 2 mode on
!
interface Port-channel1
 switchport mode trunk
 switchport trunk allowed vlan 110,120
 switchport trunk allowed vlan add 130-131
 no switchport trunk allowed vlan
!
interface Port-channel2
 switchport access vlan 140
 switchport mode access
end
)");
    const auto& sw = p.as_built;
    REQUIRE(sw.trunks.size() == 3);
    CHECK(sw.trunks[0].interface == "GigabitEthernet1/1/1");
    CHECK(sw.trunks[0].vlans.size() == 4094);  // "no switchport trunk allowed vlan": all again
    CHECK(sw.trunks[2].interface == "Port-channel1");
    REQUIRE(sw.access_ports.size() == 2);
    CHECK(sw.access_ports[0].interface == "GigabitEthernet1/0/3");
    CHECK(sw.access_ports[0].vlan == 140);
    CHECK(p.interface_line("GigabitEthernet1/1/2") == 4);
}

// HSRP/VRRP lines were skipped, so an HSRP gateway read as its own address only; an outbound
// ACL was a warning nobody tied to the SVI's findings.
TEST_CASE("first-hop redundancy and outbound ACLs: read, or marked uncertain with their line") {
    auto p = parse_cisco_ios("interface Vlan10\n ip address 10.10.0.2 255.255.255.0\n ip address 10.11.0.2 255.255.255.0 secondary\n"
                             " standby version 2\n standby 10 ip 10.10.0.1\n standby 10 ip 10.11.0.1 secondary\n"
                             " standby 10 authentication md5 key-string 7 0822455D0A16\n ip access-group DOWN out\n"
                             "interface GigabitEthernet1/0/1\n switchport access vlan 10\n ip access-group PORT out\n");
    REQUIRE(p.as_built.svis.size() == 1);
    const auto& svi = p.as_built.svis[0];
    REQUIRE(svi.addresses.size() == 2);
    CHECK(svi.addresses[0].address.str() == "10.10.0.1");
    CHECK(svi.addresses[0].subnet.str() == "10.10.0.0/24");
    CHECK(svi.addresses[1].address.str() == "10.11.0.1");
    CHECK(p.svis.at(10).own_addresses.size() == 2);
    REQUIRE(p.uncertain.size() == 1);
    CHECK(p.uncertain[0].kind == UncertainKind::svi_outbound_acl);
    CHECK(p.uncertain[0].interface == "Vlan10");
    CHECK(p.uncertain[0].line == 8);
    REQUIRE(p.warnings.size() == 1);  // an outbound port ACL: no finding depends on it
    CHECK(p.warnings[0].line == 11);

    auto eos = parse_arista_eos("interface Vlan20\n   ip address 10.20.0.3/24\n   vrrp 5 ipv4 10.20.0.1\n   vrrp 5 priority-level 200\n");
    REQUIRE(eos.as_built.svis.size() == 1);
    CHECK(eos.as_built.svis[0].addresses.at(0).address.str() == "10.20.0.1");
    CHECK(eos.warnings.empty());
    // The older VARP form: silently skipped as an `ip` line, it left the switch's own address
    // as the gateway.
    auto varp = parse_arista_eos("interface Vlan30\n   ip address 10.30.0.2/24\n   ip virtual-router address 10.30.0.1\n");
    REQUIRE(varp.as_built.svis.size() == 1);
    REQUIRE(varp.as_built.svis[0].addresses.size() == 1);
    CHECK(varp.as_built.svis[0].addresses[0].address.str() == "10.30.0.1");
    CHECK(varp.svis.at(30).own_addresses.at(0).address.str() == "10.30.0.2");
    CHECK(varp.warnings.empty());
}
