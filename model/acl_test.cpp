#include <doctest/doctest.h>

#include <algorithm>

#include "model/acl.hpp"
#include "model/switch_intent.hpp"

using namespace microseg;

namespace {

DeviceClass cls(std::string name, std::optional<int> vlan, std::vector<const char*> subnets,
                bool external = false) {
    DeviceClass c;
    c.name = std::move(name);
    c.vlan = vlan;
    for (const char* s : subnets) c.subnets.push_back(*Cidr::parse(s));
    c.addresses = AddressSet(c.subnets);
    c.external = external;
    return c;
}

Service service(std::string name, std::vector<const char*> ports) {
    Service s;
    s.name = std::move(name);
    for (const char* p : ports) s.ports.push_back(*ServicePort::parse(p));
    return s;
}

PolicyParts acl_parts() {
    PolicyParts p;
    p.name = "t";
    p.services = {service("dicom", {"tcp/104", "tcp/11112"}), service("dicom-tls", {"tcp/2762"}),
                  service("web", {"tcp/8080", "tcp/8081", "tcp/8081"}), service("ntp", {"udp/123"}),
                  service("icmp", {"icmp"}), service("remote", {"tcp/5938"}), service("any", {"ip"})};
    p.classes = {cls("modality", 120, {"10.120.0.0/24"}), cls("pacs", 130, {"10.130.0.0/26"}),
                 cls("pacs2", 131, {"10.130.0.64/26"}), cls("ws", 200, {"10.200.0.0/21"}),
                 cls("ws-guest", 200, {"10.201.0.0/24"}), cls("vpn", {}, {"172.31.200.0/24"}, true),
                 cls("servers", 140, {"10.140.0.0/25", "10.140.0.128/25"})};
    p.classes[4].shared_vlan = p.classes[3].shared_vlan = true;
    p.flows = {{"modality", "pacs", {"dicom", "dicom-tls"}, "", {}, {}},
               {"modality", "pacs2", {"dicom"}, "", {}, {}},
               {"modality", "servers", {"web", "ntp"}, "", {}, {}},
               {"modality", "modality", {"any"}, "", {}, {}},
               {"ws", "ws-guest", {"any"}, "", {}, {}},
               {"vpn", "modality", {"remote"}, "", {}, {}},
               {"ws", "modality", {"icmp", "ntp"}, "", {}, {}}};
    return p;
}

Policy acl_policy() { return Policy(acl_parts()); }

bool has(const std::vector<AclEntry>& entries, Protocol proto, const char* src, const char* dst,
         PortRange sports, PortRange dports, bool established) {
    return std::any_of(entries.begin(), entries.end(), [&](const AclEntry& e) {
        return e.action == AclAction::permit && e.protocol == proto && e.source == *Cidr::parse(src) &&
               e.destination == *Cidr::parse(dst) && e.source_ports == sports &&
               e.destination_ports == dports && e.established == established;
    });
}

const PortRange all{};

}  // namespace

TEST_CASE("initiations: ports merge per destination, adjacent destinations merge per port") {
    auto p = acl_policy();
    auto init = initiation_entries(p, *p.find_class("modality"));
    // pacs + pacs2 are adjacent /26s: one /25 for the ports both get (104, 11112).
    CHECK(has(init, Protocol::tcp, "10.120.0.0/24", "10.130.0.0/25", all, {104, 104}, false));
    CHECK(has(init, Protocol::tcp, "10.120.0.0/24", "10.130.0.0/25", all, {11112, 11112}, false));
    CHECK(has(init, Protocol::tcp, "10.120.0.0/24", "10.130.0.0/26", all, {2762, 2762}, false));
    // 8080 and 8081 (listed twice) become one range; the two /25 subnets one /24.
    CHECK(has(init, Protocol::tcp, "10.120.0.0/24", "10.140.0.0/24", all, {8080, 8081}, false));
    CHECK(has(init, Protocol::udp, "10.120.0.0/24", "10.140.0.0/24", all, {123, 123}, false));
    // The flow to itself is L2: no entry.
    CHECK(init.size() == 5);
}

TEST_CASE("replies: tcp established from the service port, udp from the port to high ports, icmp echo-reply") {
    auto p = acl_policy();
    auto replies = reply_entries(p, *p.find_class("modality"));
    CHECK(has(replies, Protocol::tcp, "10.120.0.0/24", "172.31.200.0/24", {5938, 5938}, all, true));
    // This hand-made ntp has no catalogue reply port: only the high ports.
    CHECK(has(replies, Protocol::udp, "10.120.0.0/24", "10.200.0.0/21", {123, 123}, kUdpReplyPorts, false));
    CHECK(has(replies, Protocol::icmp, "10.120.0.0/24", "10.200.0.0/21", all, all, true));
    CHECK(replies.size() == 3);
    for (const auto& e : replies) CHECK(e.is_reply());
}

TEST_CASE("the intended ACL: permits, then one deny any any log; same-VLAN flows need none") {
    auto p = acl_policy();
    auto acl = intended_acl(p, *p.find_class("modality"));
    CHECK(acl.name == "in-modality");
    REQUIRE(acl.entries.size() == 9);
    CHECK(acl.entries.back() == deny_all_log());
    CHECK(acl.entries.back().source.is_any());
    // Initiations come before replies, and nothing but the last entry denies.
    auto first_reply = std::find_if(acl.entries.begin(), acl.entries.end(),
                                    [](const AclEntry& e) { return e.is_reply(); });
    CHECK(std::none_of(first_reply, acl.entries.end() - 1, [](const AclEntry& e) { return !e.is_reply(); }));
    CHECK(std::count_if(acl.entries.begin(), acl.entries.end(),
                        [](const AclEntry& e) { return e.action == AclAction::deny; }) == 1);
    // ws -> ws-guest share VLAN 200: L2, no entry in ws's ACL.
    auto ws = intended_acl(p, *p.find_class("ws"));
    CHECK(ws.entries.size() == 3);  // icmp + ntp to modality, deny
    CHECK(same_l2_domain(*p.find_class("ws"), *p.find_class("ws-guest")));
    CHECK_FALSE(same_l2_domain(*p.find_class("ws"), *p.find_class("vpn")));
}

TEST_CASE("the intended ACL is deterministic whatever the order of classes and flows") {
    auto a = acl_policy();
    auto reversed = acl_parts();
    std::reverse(reversed.classes.begin(), reversed.classes.end());
    std::reverse(reversed.flows.begin(), reversed.flows.end());
    Policy b(std::move(reversed));
    auto x = intended_acl(a, *a.find_class("modality"));
    auto y = intended_acl(b, *b.find_class("modality"));
    CHECK(x.entries == y.entries);
}

TEST_CASE("switch intent: VLANs, ports, trunks, SVIs with addresses") {
    auto p = acl_parts();
    p.classes[0].isolate = true;
    p.classes[6].gateway_address = IpAddress::parse("10.140.0.254");
    Switch sw;
    sw.name = "sw1";
    sw.gateway_for = {"servers", "modality"};
    sw.ports = {{"Gi1/0/10", "modality", {}}, {"Gi1/0/2", "ws", {}}};
    sw.trunks = {{"Te1/1/1", {200, 120, 999}, {}}};
    p.switches = {sw};
    Policy policy(std::move(p));
    auto intent = switch_intent(policy, policy.switches()[0]);
    REQUIRE(intent);
    REQUIRE(intent->vlans.size() == 4);  // 120, 140, 200, 999
    CHECK(intent->vlans[0].name == "modality");
    CHECK(intent->vlans[0].isolated);
    CHECK(intent->vlans[2].name == "ws+ws-guest");
    CHECK(intent->vlans[3].name.empty());
    REQUIRE(intent->access_ports.size() == 2);
    CHECK(intent->access_ports[0].interface == "Gi1/0/2");  // natural order
    CHECK(intent->access_ports[1].isolated);
    REQUIRE(intent->svis.size() == 2);
    CHECK(intent->svis[0].vlan == 120);
    CHECK(intent->svis[0].addresses[0].address == *IpAddress::parse("10.120.0.1"));
    CHECK(intent->svis[1].addresses[0].address == *IpAddress::parse("10.140.0.1"));
    CHECK(intent->svis[1].addresses[1].address == *IpAddress::parse("10.140.0.254"));
    CHECK(intent->ace_count() == intent->svis[0].acl.entries.size() + intent->svis[1].acl.entries.size());
}

TEST_CASE("switch intent rejects a gateway for an external class and a stray gateway_address") {
    auto p = acl_parts();
    Switch sw;
    sw.name = "sw1";
    sw.gateway_for = {"vpn"};
    p.switches = {sw};
    Policy external_gateway(p);
    auto bad = switch_intent(external_gateway, external_gateway.switches()[0]);
    REQUIRE_FALSE(bad);
    CHECK(bad.error().message.find("switch 'sw1'") != std::string::npos);
    p.switches[0].gateway_for = {"pacs"};
    p.classes[1].gateway_address = IpAddress::parse("10.99.0.1");
    Policy stray_address(std::move(p));
    CHECK_FALSE(switch_intent(stray_address, stray_address.switches()[0]));
}
