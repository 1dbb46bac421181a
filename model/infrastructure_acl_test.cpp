// Issue 19: management access, DHCP relay and internal_space in every generated SVI ACL.
#include <doctest/doctest.h>

#include <algorithm>

#include "model/acl.hpp"
#include "model/acl_diff.hpp"
#include "model/infrastructure_acl.hpp"
#include "model/switch_intent.hpp"

using namespace microseg;

namespace {

DeviceClass cls(std::string name, std::optional<int> vlan, const char* subnet, bool external = false) {
    DeviceClass c;
    c.name = std::move(name);
    c.vlan = vlan;
    c.subnets.push_back(*Cidr::parse(subnet));
    c.addresses = AddressSet(c.subnets);
    c.external = external;
    return c;
}

// Operators own the switch addresses (10.0.0.0/24); guests reach the internet on https only.
Policy mgmt_policy() {
    PolicyParts p;
    p.name = "t";
    Service https{"https", {*ServicePort::parse("tcp/443")}};
    Service ssh{"ssh", {*ServicePort::parse("tcp/22")}};
    p.services = {https, ssh};
    p.classes = {cls("ops", 10, "10.0.0.0/24"), cls("pump", 110, "10.110.0.0/22"), cls("guest", 300, "10.30.0.0/24"),
                 cls("dhcp", 140, "10.140.0.0/28"), cls("internet", {}, "0.0.0.0/0", true)};
    p.classes[0].management = true;
    p.classes[3].dhcp_server = true;
    p.flows = {{"guest", "internet", {"https"}, "", {}, {}}, {"ops", "pump", {"ssh"}, "", {}, {}}};
    Switch sw;
    sw.name = "sw1";
    sw.address = "10.0.0.11";
    sw.gateway_for = {"ops", "pump", "guest", "dhcp"};
    sw.trunks = {{"Te1/1/1", {110, 300}, {}}};
    sw.management_vlan = 10;
    Switch sw2 = sw;
    sw2.name = "sw2";
    sw2.address = "10.0.0.12";
    sw2.gateway_for = {};
    p.switches = {sw, sw2};
    return Policy(std::move(p));
}

Packet packet(Protocol proto, const char* src, std::uint16_t sport, const char* dst, std::uint16_t dport) {
    Packet k;
    k.protocol = proto;
    k.source = *IpAddress::parse(src);
    k.destination = *IpAddress::parse(dst);
    k.source_port = sport;
    k.destination_port = dport;
    return k;
}

const Acl& svi_acl(const SwitchIntent& intent, const std::string& class_name) {
    auto it = std::find_if(intent.svis.begin(), intent.svis.end(),
                           [&](const SviIntent& s) { return s.classes == std::vector<std::string>{class_name}; });
    REQUIRE(it != intent.svis.end());
    return it->acl;
}

// The index of the first entry that matches `k` (first match decides), or the size.
std::size_t deciding(const std::vector<AclEntry>& entries, const Packet& k) {
    for (std::size_t i = 0; i < entries.size(); ++i) {
        AclEntry as_permit = entries[i];
        as_permit.action = AclAction::permit;
        if (acl_permits(std::vector<AclEntry>{as_permit}, k)) return i;
    }
    return entries.size();
}

std::size_t first_deny(const std::vector<AclEntry>& entries) {
    auto it = std::find_if(entries.begin(), entries.end(), [](const AclEntry& e) { return e.action == AclAction::deny; });
    return static_cast<std::size_t>(it - entries.begin());
}

}  // namespace

TEST_CASE("every SVI ACL lets DHCP reach the relay and the server before any deny") {
    auto policy = mgmt_policy();
    auto intent = switch_intent(policy, policy.switches()[0]);
    REQUIRE(intent);
    REQUIRE(intent->svis.size() == 4);
    for (const auto& svi : intent->svis) {
        CAPTURE(svi.acl.name);
        const auto& e = svi.acl.entries;
        auto discover = packet(Protocol::udp, "0.0.0.0", 68, "255.255.255.255", 67);
        CHECK(acl_permits(e, discover));
        CHECK(deciding(e, discover) < first_deny(e));
        auto own = svi_addresses(*policy.find_class(svi.classes[0]))[0].address.str();
        auto renew = packet(Protocol::udp, own.c_str(), 68, "10.140.0.2", 67);
        CHECK(acl_permits(e, renew));
        CHECK(deciding(e, renew) < first_deny(e));
        CHECK(e.back() == deny_all_log());
    }
}

TEST_CASE("the DHCP server answers every relay: server -> gateway address udp 67-68") {
    auto policy = mgmt_policy();
    auto intent = switch_intent(policy, policy.switches()[0]);
    REQUIRE(intent);
    const auto& e = svi_acl(*intent, "dhcp").entries;
    CHECK(acl_permits(e, packet(Protocol::udp, "10.140.0.2", 67, "10.110.0.1", 68)));
    CHECK(acl_permits(e, packet(Protocol::udp, "10.140.0.2", 67, "10.30.0.1", 67)));
    CHECK_FALSE(acl_permits(e, packet(Protocol::udp, "10.140.0.2", 67, "10.110.0.9", 68)));  // a host, not a relay
    // Nobody else answers DHCP to relays.
    CHECK_FALSE(acl_permits(svi_acl(*intent, "pump").entries, packet(Protocol::udp, "10.110.0.5", 67, "10.30.0.1", 68)));
}

TEST_CASE("the management class reaches every switch address on ssh, https and snmp, and hears them") {
    auto policy = mgmt_policy();
    auto intent = switch_intent(policy, policy.switches()[0]);
    REQUIRE(intent);
    const auto& e = svi_acl(*intent, "ops").entries;
    for (const char* sw : {"10.0.0.11", "10.0.0.12"}) {
        auto ssh = packet(Protocol::tcp, "10.0.0.50", 40000, sw, 22);
        CHECK(acl_permits(e, ssh));
        CHECK(deciding(e, ssh) < first_deny(e));
        CHECK(acl_permits(e, packet(Protocol::tcp, "10.0.0.50", 40000, sw, 443)));
        CHECK(acl_permits(e, packet(Protocol::udp, "10.0.0.50", 40000, sw, 161)));
        CHECK(acl_permits(e, packet(Protocol::udp, sw, 40000, "10.0.0.50", 514)));   // syslog
        CHECK(acl_permits(e, packet(Protocol::udp, sw, 40000, "10.0.0.50", 162)));   // snmp-trap
        CHECK(acl_permits(e, packet(Protocol::tcp, sw, 40000, "10.0.0.50", 49)));    // tacacs
        CHECK(acl_permits(e, packet(Protocol::udp, sw, 40000, "10.0.0.50", 1812)));  // radius
        CHECK(acl_permits(e, packet(Protocol::udp, sw, 40000, "10.0.0.50", 123)));   // ntp
    }
    // Only through flows to other hosts: ssh to pumps yes, https to pumps no.
    CHECK(acl_permits(e, packet(Protocol::tcp, "10.0.0.50", 40000, "10.110.0.5", 22)));
    CHECK_FALSE(acl_permits(e, packet(Protocol::tcp, "10.0.0.50", 40000, "10.110.0.5", 443)));
    // Other classes do not get the operators' access.
    CHECK_FALSE(acl_permits(svi_acl(*intent, "pump").entries, packet(Protocol::tcp, "10.110.0.5", 40000, "10.0.0.11", 22)));
}

TEST_CASE("internet means outside: a broad external destination excludes internal_space first") {
    auto policy = mgmt_policy();
    auto intent = switch_intent(policy, policy.switches()[0]);
    REQUIRE(intent);
    const auto& e = svi_acl(*intent, "guest").entries;
    CHECK(acl_permits(e, packet(Protocol::tcp, "10.30.0.5", 40000, "8.8.8.8", 443)));
    CHECK_FALSE(acl_permits(e, packet(Protocol::tcp, "10.30.0.5", 40000, "10.99.0.1", 443)));   // unowned
    CHECK_FALSE(acl_permits(e, packet(Protocol::tcp, "10.30.0.5", 40000, "10.0.0.11", 443)));   // a switch
    CHECK_FALSE(acl_permits(e, packet(Protocol::tcp, "10.30.0.5", 40000, "192.168.1.1", 443)));
    CHECK_FALSE(acl_permits(e, packet(Protocol::tcp, "10.30.0.5", 40000, "100.64.0.1", 443)));
    bool denies_space = std::any_of(e.begin(), e.end(), [](const AclEntry& x) {
        return x.action == AclAction::deny && x.destination == *Cidr::parse("172.16.0.0/12");
    });
    CHECK(denies_space);
}

TEST_CASE("an external class inside internal_space is matched as written; internal_space is the policy's") {
    auto parts = mgmt_policy().parts();
    parts.classes.push_back(cls("vpn", {}, "172.31.200.0/24", true));
    parts.flows.push_back({"guest", "vpn", {"https"}, "", {}, {}});
    parts.internal_space = {*Cidr::parse("10.0.0.0/8")};
    Policy policy(std::move(parts));
    auto acl = intended_acl(policy, *policy.find_class("guest"));
    CHECK(acl_permits(acl.entries, packet(Protocol::tcp, "10.30.0.5", 40000, "172.31.200.9", 443)));
    // 192.168/16 is outside this policy's internal space: "internet" again.
    CHECK(acl_permits(acl.entries, packet(Protocol::tcp, "10.30.0.5", 40000, "192.168.1.1", 443)));
    CHECK_FALSE(acl_permits(acl.entries, packet(Protocol::tcp, "10.30.0.5", 40000, "10.99.0.1", 443)));
}

TEST_CASE("class_of: no external class broader than internal_space owns an address inside it") {
    auto policy = mgmt_policy();
    CHECK(policy.class_of(*IpAddress::parse("10.99.0.1")) == nullptr);
    REQUIRE(policy.class_of(*IpAddress::parse("8.8.8.8")) != nullptr);
    CHECK(policy.class_of(*IpAddress::parse("8.8.8.8"))->name == "internet");
    CHECK(policy.class_of(*IpAddress::parse("10.0.0.11"))->name == "ops");
    CHECK(policy.management_class()->name == "ops");
}

TEST_CASE("management_vlan rides every trunk of its switch") {
    auto policy = mgmt_policy();
    auto intent = switch_intent(policy, policy.switches()[0]);
    REQUIRE(intent);
    REQUIRE(intent->trunks.size() == 1);
    CHECK(intent->trunks[0].vlans == std::vector<int>{10, 110, 300});
    auto vlans = vlans_on_switch(policy, policy.switches()[1]);
    CHECK(std::find(vlans.begin(), vlans.end(), 10) != vlans.end());
}

TEST_CASE("no DHCP entries without a dhcp_server class; switch addresses skip host names") {
    auto parts = mgmt_policy().parts();
    parts.classes[3].dhcp_server = false;
    parts.switches[1].address = "sw2.example.net";
    Policy policy(std::move(parts));
    auto entries = infrastructure_entries(policy, *policy.find_class("pump"));
    CHECK(entries.empty());
    CHECK(switch_addresses(policy) == std::vector<IpAddress>{*IpAddress::parse("10.0.0.11")});
}
