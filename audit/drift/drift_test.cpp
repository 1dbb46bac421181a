// Config microseg reads but cannot judge exactly (audit/parse's Uncertainty) turns the findings
// it could change into "unknown", and first-hop redundancy addresses are gateways: hand-written
// IOS and EOS configs against an intent read from a clean config of the same switch.
#include <doctest/doctest.h>

#include <algorithm>

#include "audit/drift/drift.hpp"
#include "audit/parse/registry.hpp"

using namespace microseg;

namespace {

const std::string kIos = R"(vlan 110
 name pump
vlan 130
 name ehr
interface GigabitEthernet1/0/1
 switchport mode access
 switchport access vlan 110
 switchport protected
interface Vlan110
 ip address 10.110.0.1 255.255.255.0
 ip access-group MS_IN_PUMP in
interface Vlan130
 ip address 10.130.0.1 255.255.255.0
 ip access-group MS_IN_EHR in
ip access-list extended MS_IN_PUMP
 permit tcp 10.110.0.0 0.0.0.255 10.130.0.0 0.0.0.255 eq 443
ip access-list extended MS_IN_EHR
 permit tcp 10.130.0.0 0.0.0.255 eq 443 10.110.0.0 0.0.0.255 established
end
)";

SwitchIntent intent_of(PlatformId platform, const std::string& text) {
    auto parsed = parser_for(platform)(text);
    REQUIRE(parsed.warnings.empty());
    parsed.as_built.switch_name = "sw";
    return parsed.as_built;
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
    auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    return text.replace(at, from.size(), to);
}

std::vector<DriftFinding> diff(const SwitchIntent& intent, const std::string& live) {
    return diff_switch(intent, parser_for(intent.platform)(live));
}

std::size_t count(const std::vector<DriftFinding>& f, DriftKind k, DriftImpact i) {
    return static_cast<std::size_t>(std::count_if(f.begin(), f.end(), [&](const DriftFinding& d) { return d.kind == k && d.impact == i; }));
}

}  // namespace

TEST_CASE("HSRP and VRRP: the shared address is the gateway, and so is the switch's own") {
    auto intent = intent_of(PlatformId::cisco_ios, kIos);
    CHECK(diff(intent, kIos).empty());
    for (const char* shared : {" standby 1 ip 10.110.0.1\n standby 1 priority 110\n standby 1 preempt\n",
                               " vrrp 7 ip 10.110.0.1\n",
                               " vrrp 7 address-family ipv4\n  address 10.110.0.1 primary\n  priority 120\n exit-vrrp\n"}) {
        CAPTURE(shared);
        auto live = replaced(kIos, " ip address 10.110.0.1 255.255.255.0\n",
                             std::string(" ip address 10.110.0.2 255.255.255.0\n") + shared);
        CHECK(parser_for(PlatformId::cisco_ios)(live).warnings.empty());
        CHECK(diff(intent, live).empty());  // the policy names the shared address
        auto own = intent;
        own.svis[0].addresses[0].address = *IpAddress::parse("10.110.0.2");
        CHECK(diff(own, live).empty());     // or the switch's own
        auto neither = intent;
        neither.svis[0].addresses[0].address = *IpAddress::parse("10.110.0.3");
        auto f = diff(neither, live);
        REQUIRE(f.size() == 1);
        CHECK(f[0].kind == DriftKind::svi_address);
        CHECK(f[0].impact == DriftImpact::outage);
    }
}

TEST_CASE("HSRP learning its address from a peer: the address finding is unknown, with the line") {
    auto intent = intent_of(PlatformId::cisco_ios, kIos);
    auto live = replaced(kIos, " ip address 10.110.0.1 255.255.255.0\n", " ip address 10.110.0.2 255.255.255.0\n standby 1 ip\n");
    auto f = diff(intent, live);
    REQUIRE(f.size() == 1);
    CHECK(f[0].kind == DriftKind::svi_address);
    CHECK(f[0].impact == DriftImpact::unknown);
    CHECK(f[0].message.find("learns its address from a peer (line 11)") != std::string::npos);
    auto outside = replaced(kIos, " ip address 10.110.0.1 255.255.255.0\n", " ip address 10.110.0.2 255.255.255.0\n standby 1 ip 10.7.0.1\n");
    f = diff(intent, outside);
    REQUIRE(f.size() == 1);
    CHECK(f[0].impact == DriftImpact::unknown);
}

TEST_CASE("an outbound SVI ACL: exposures into its VLAN and outages towards it are unknown, others stay definite") {
    auto intent = intent_of(PlatformId::cisco_ios, kIos);
    auto live = replaced(kIos, " ip access-group MS_IN_EHR in\n", " ip access-group MS_IN_EHR in\n ip access-group LOCAL out\n");
    live = replaced(live, "ip access-list extended MS_IN_EHR\n",
                    "ip access-list extended LOCAL\n permit ip any any\nip access-list extended MS_IN_EHR\n");
    auto clean_inbound = diff(intent, live);
    REQUIRE(clean_inbound.size() == 1);  // without it this switch would pass as clean
    CHECK(clean_inbound[0].kind == DriftKind::acl_outage);
    CHECK(clean_inbound[0].impact == DriftImpact::unknown);
    CHECK(clean_inbound[0].config_line == 15);  // the `out` line
    CHECK(clean_inbound[0].message.find("outbound ACL LOCAL") != std::string::npos);

    live = replaced(live, " permit tcp 10.110.0.0 0.0.0.255 10.130.0.0 0.0.0.255 eq 443\n",
                    " permit tcp 10.110.0.0 0.0.0.255 10.130.0.0 0.0.0.255 eq 443\n"
                    " permit udp 10.110.0.0 0.0.0.255 10.130.0.0 0.0.0.255 eq 53\n"
                    " permit tcp 10.110.0.0 0.0.0.255 10.99.0.0 0.0.0.255 eq 22\n");
    auto f = diff(intent, live);
    CHECK(count(f, DriftKind::acl_exposure, DriftImpact::unknown) == 1);   // into VLAN 130
    CHECK(count(f, DriftKind::acl_exposure, DriftImpact::exposure) == 1);  // to 10.99/24: no SVI here filters it
    CHECK(count(f, DriftKind::acl_outage, DriftImpact::unknown) == 1);
}

TEST_CASE("EOS: a port ACL that is not microseg's isolation ACL leaves isolation unknown; an undefined one is definite") {
    const std::string eos = "vlan 110\n   name pump\ninterface Ethernet1-2\n   switchport access vlan 110\n"
                            "   ip access-group MS_ISO_PUMP in\nip access-list MS_ISO_PUMP\n"
                            "   10 deny ip 10.110.0.0/24 10.110.0.0/24\n   20 permit ip any any\nend\n";
    auto intent = intent_of(PlatformId::arista_eos, eos);
    REQUIRE(intent.access_ports.size() == 2);
    REQUIRE(intent.access_ports[0].isolated);
    CHECK(diff(intent, eos).empty());
    auto other = replaced(eos, "MS_ISO_PUMP in", "PORT-FILTER in");
    other = replaced(other, "ip access-list MS_ISO_PUMP", "ip access-list PORT-FILTER");
    auto f = diff(intent, other);
    REQUIRE(f.size() == 2);
    for (const auto& d : f) {
        CHECK(d.kind == DriftKind::port_not_isolated);
        CHECK(d.impact == DriftImpact::unknown);
        CHECK(d.message.find("PORT-FILTER is not an isolation ACL microseg reads (line 5)") != std::string::npos);
    }
    auto undefined = replaced(eos, "MS_ISO_PUMP in", "GONE in");
    f = diff(intent, undefined);
    REQUIRE(f.size() == 2);
    CHECK(f[0].impact == DriftImpact::exposure);
}

// Two patterns of one group disagreeing on a port: the device resolves it one way, the docs do
// not say which, so every finding on that port is "unknown" (a warning alone left it definite).
TEST_CASE("Junos: an interface whose group settings conflict has only unknown findings") {
    const std::string clean = "set vlans pump vlan-id 110\nset vlans lab vlan-id 120\n"
                              "set interfaces ge-0/0/4 unit 0 family ethernet-switching interface-mode access\n"
                              "set interfaces ge-0/0/4 unit 0 family ethernet-switching vlan members pump\n";
    auto intent = intent_of(PlatformId::junos, clean);
    REQUIRE(intent.access_ports.size() == 1);
    const std::string live = "set groups G interfaces <ge-*> unit 0 family ethernet-switching interface-mode access\n"
                             "set groups G interfaces <ge-0/0/4> unit 0 family ethernet-switching interface-mode trunk\n"
                             "set groups G interfaces <ge-*> unit 0 family ethernet-switching vlan members lab\n"
                             "set apply-groups G\nset vlans pump vlan-id 110\nset vlans lab vlan-id 120\n"
                             "set interfaces ge-0/0/4 description bed-4\n";
    auto parsed = parser_for(PlatformId::junos)(live);
    REQUIRE_FALSE(parsed.uncertain.empty());
    CHECK(parsed.uncertain[0].kind == UncertainKind::interface_config);
    CHECK(parsed.uncertain[0].interface == "ge-0/0/4");
    auto f = diff_switch(intent, parsed);
    std::size_t on_port = 0;
    for (const auto& d : f)
        if (d.subject.starts_with("ge-0/0/4")) {
            ++on_port;
            CHECK(d.impact == DriftImpact::unknown);
        }
    CHECK(on_port >= 1);
}
