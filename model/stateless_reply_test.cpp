// Stateless UDP replies (issue 19, DESIGN.md "Return traffic"): what the reply entries of a
// stateless gateway permit, packet by packet, and the reachability edges they open. The ACL
// and the graph must describe the same packets.
#include <doctest/doctest.h>

#include <algorithm>

#include "model/acl.hpp"
#include "model/acl_diff.hpp"
#include "model/lateral_paths.hpp"
#include "model/reachability.hpp"

using namespace microseg;

namespace {

DeviceClass make_class(std::string name, int vlan, const char* subnet, Criticality crit = Criticality::medium) {
    DeviceClass c;
    c.name = std::move(name);
    c.vlan = vlan;
    c.subnets = {*Cidr::parse(subnet)};
    c.addresses = AddressSet(c.subnets);
    c.criticality = crit;
    c.isolate = true;  // no same-class edges: the paths below are the flows' and replies' only
    return c;
}

FlowRule flow(std::string from, std::string to, std::vector<std::string> services, int line) {
    return {std::move(from), std::move(to), std::move(services), "", {}, {"p.yaml", line, 5}};
}

Switch gateway(std::string name, PlatformId platform, std::vector<std::string> classes) {
    Switch sw;
    sw.name = std::move(name);
    sw.platform = platform;
    sw.gateway_for = std::move(classes);
    return sw;
}

// workstation (entry) -> infra-server on https; infusion-pump (life) -> infra-server on ntp,
// syslog (udp) and ssh (tcp). No flow reaches the pumps: only a reply channel can.
Policy infra_policy(PlatformId infra_platform) {
    PolicyParts p;
    p.name = "t";
    p.services = builtin_services();
    p.classes = {make_class("infra-server", 140, "10.140.0.0/24"),
                 make_class("infusion-pump", 110, "10.110.0.0/22", Criticality::life),
                 make_class("workstation", 200, "10.200.0.0/21")};
    p.classes[2].entry = true;
    p.flows = {flow("workstation", "infra-server", {"https"}, 10),
               flow("infusion-pump", "infra-server", {"ntp", "syslog", "ssh"}, 11)};
    p.switches = {gateway("core", infra_platform, {"infra-server"}),
                  gateway("acc", PlatformId::cisco_ios, {"infusion-pump", "workstation"})};
    return Policy(std::move(p));
}

Packet udp(const char* src, std::uint16_t sport, const char* dst, std::uint16_t dport) {
    Packet p;
    p.protocol = Protocol::udp;
    p.source = *IpAddress::parse(src);
    p.destination = *IpAddress::parse(dst);
    p.source_port = sport;
    p.destination_port = dport;
    return p;
}

std::vector<AclEntry> replies_to_pumps(const std::vector<AclEntry>& entries, Protocol proto) {
    std::vector<AclEntry> out;
    for (const auto& e : entries)
        if (e.is_reply() && e.protocol == proto && e.destination == *Cidr::parse("10.110.0.0/22")) out.push_back(e);
    return out;
}

}  // namespace

TEST_CASE("udp reply entries bound the initiator's port; ntp adds 123 -> 123; tcp stays established") {
    auto p = infra_policy(PlatformId::cisco_ios);
    auto replies = reply_entries(p, *p.find_class("infra-server"));
    auto udp_replies = replies_to_pumps(replies, Protocol::udp);
    REQUIRE(udp_replies.size() == 3);  // ntp high ports, ntp 123, syslog high ports
    for (const auto& e : udp_replies) CHECK_FALSE(e.destination_ports.is_all());
    auto has = [&](PortRange sport, PortRange dport) {
        return std::any_of(udp_replies.begin(), udp_replies.end(),
                           [&](const AclEntry& e) { return e.source_ports == sport && e.destination_ports == dport; });
    };
    CHECK(has({123, 123}, kUdpReplyPorts));
    CHECK(has({123, 123}, {123, 123}));
    CHECK(has({514, 514}, kUdpReplyPorts));
    auto tcp = replies_to_pumps(replies, Protocol::tcp);
    REQUIRE(tcp.size() == 1);
    CHECK(tcp[0].established);
    CHECK(tcp[0].source_ports == PortRange{22, 22});
    CHECK(tcp[0].destination_ports.is_all());
}

TEST_CASE("a server class sending from the service port: high ports pass, the clients' services do not") {
    auto p = infra_policy(PlatformId::cisco_ios);
    const auto acl = intended_acl(p, *p.find_class("infra-server")).entries;
    CHECK_FALSE(acl_permits(acl, udp("10.140.0.5", 123, "10.110.0.9", 22)));   // the hole of issue 19
    CHECK_FALSE(acl_permits(acl, udp("10.140.0.5", 123, "10.110.0.9", 161)));  // snmp on the pump
    CHECK_FALSE(acl_permits(acl, udp("10.140.0.5", 514, "10.110.0.9", 123)));  // syslog has no reply port
    CHECK(acl_permits(acl, udp("10.140.0.5", 123, "10.110.0.9", 40000)));      // the price of statelessness
    CHECK(acl_permits(acl, udp("10.140.0.5", 123, "10.110.0.9", 123)));        // ntp answers to 123
    CHECK(acl_permits(acl, udp("10.140.0.5", 514, "10.110.0.9", 1024)));
    CHECK_FALSE(acl_permits(acl, udp("10.140.0.5", 124, "10.110.0.9", 40000)));  // not the service port
    CHECK_FALSE(acl_permits(acl, udp("10.140.0.5", 123, "10.200.0.9", 40000)));  // workstations ask no ntp
}

TEST_CASE("nftables: the forward rules are initiations only; conntrack carries the replies") {
    auto p = infra_policy(PlatformId::nftables);
    for (const auto& c : p.classes())
        for (const auto& e : initiation_entries(p, c)) CHECK_FALSE(e.is_reply());
}

TEST_CASE("reachability: infra-server reaches the pumps only through ntp/syslog reply edges") {
    auto p = infra_policy(PlatformId::cisco_ios);
    auto g = ReachabilityGraph::build(p);
    std::size_t infra = *p.class_index("infra-server"), pump = *p.class_index("infusion-pump"),
                ws = *p.class_index("workstation");
    Hop hop = g.hop(infra, pump);
    CHECK(hop.services == std::vector<std::string>{"ntp reply", "syslog reply"});  // ssh is tcp: no edge
    CHECK_FALSE(hop.any_service);
    REQUIRE(hop.reasons.size() == 1);
    CHECK(hop.reasons[0].kind == EdgeKind::stateless_reply);
    CHECK(hop.reasons[0].flow == 1);
    CHECK(g.describe(hop.reasons[0]) == "stateless reply of flow at p.yaml:11:5");
    CHECK(to_string(EdgeKind::stateless_reply) == "stateless_reply");
    CHECK_FALSE(g.has_edge(infra, ws));  // https is tcp: replies are established only

    auto report = analyse_lateral_movement(g);
    CHECK(report.reaches_life);
    REQUIRE(report.findings.size() == 1);
    CHECK(report.findings[0].paths[0] == ClassPath{ws, infra, pump});
    // The reply edge goes with its flow: removing the pumps' flow cuts the path.
    CHECK(report.findings[0].cut.cuttable);
    CHECK(report.findings[0].cut.flows.size() == 1);
}

TEST_CASE("reachability: no reply edge behind an nftables gateway, nor inside one VLAN") {
    auto nft = infra_policy(PlatformId::nftables);
    auto g = ReachabilityGraph::build(nft);
    CHECK_FALSE(g.has_edge(*nft.class_index("infra-server"), *nft.class_index("infusion-pump")));
    CHECK_FALSE(analyse_lateral_movement(g).reaches_life);

    auto parts = infra_policy(PlatformId::junos).parts();
    parts.classes[0].vlan = 110;  // infra-server joins the pumps' VLAN: no SVI between them
    parts.classes[0].shared_vlan = parts.classes[1].shared_vlan = true;
    Policy same_vlan(std::move(parts));
    auto g2 = ReachabilityGraph::build(same_vlan);
    for (const auto& r : g2.hop(*same_vlan.class_index("infra-server"), *same_vlan.class_index("infusion-pump")).reasons)
        CHECK(r.kind != EdgeKind::stateless_reply);
}

// DESIGN "Topology": a forged reply towards a class behind a conntrack router is dropped there,
// so the channel exists only when every filter on the initiator's side is stateless.
TEST_CASE("no stateless reply edge towards a class behind an nftables router") {
    PolicyParts parts = infra_policy(PlatformId::cisco_ios).parts();
    parts.switches[1].platform = PlatformId::nftables;  // the pumps' gateway keeps state
    Policy p(std::move(parts));
    auto g = ReachabilityGraph::build(p);
    auto infra = *p.class_index("infra-server"), pumps = *p.class_index("infusion-pump");
    CHECK_FALSE(g.has_edge(infra, pumps));
    CHECK(g.has_edge(pumps, infra));  // the flow itself stays
}

TEST_CASE("every class with a gateway reaches the dhcp_server classes on dhcp, uncuttable by a flow") {
    PolicyParts parts = infra_policy(PlatformId::cisco_ios).parts();
    parts.classes[0].dhcp_server = true;
    Policy p(std::move(parts));
    auto g = ReachabilityGraph::build(p);
    auto infra = *p.class_index("infra-server"), pumps = *p.class_index("infusion-pump"),
         ws = *p.class_index("workstation");
    Hop hop = g.hop(ws, infra);
    CHECK(hop.services == std::vector<std::string>{"dhcp", "https"});
    REQUIRE(hop.reasons.size() == 2);
    CHECK(hop.reasons[1].kind == EdgeKind::dhcp);
    CHECK_FALSE(hop.reasons[1].has_flow());
    CHECK(g.describe(hop.reasons[1]).find("DHCP") == 0);
    CHECK(g.hop(pumps, infra).services.front() == "dhcp");
    CHECK_FALSE(g.has_edge(infra, infra));  // isolated: no same-class edge, and no dhcp self edge
}
