#include "model/infrastructure_acl.hpp"

#include <algorithm>

#include "model/switch_intent.hpp"

namespace microseg {
namespace {

// Fixed ports, not the catalogue's names: a policy may redefine "ssh", never the switches'.
const std::vector<ServicePort> kOperatorToSwitch = {
    {Protocol::tcp, {22, 22}}, {Protocol::tcp, {443, 443}}, {Protocol::udp, {161, 161}}};
const std::vector<ServicePort> kSwitchToOperator = {
    {Protocol::udp, {514, 514}}, {Protocol::udp, {162, 162}}, {Protocol::tcp, {49, 49}},
    {Protocol::udp, {1812, 1813}}, {Protocol::udp, {123, 123}}};
constexpr PortRange kDhcpServer{67, 67};
constexpr PortRange kDhcpRelayAnswer{67, 68};

Cidr host(const IpAddress& a) { return {a, a.bits()}; }

AclEntry permit(Protocol p, const Cidr& src, const Cidr& dst, PortRange dport, std::string remark) {
    AclEntry e;
    e.protocol = p;
    e.source = src;
    e.destination = dst;
    e.destination_ports = dport;
    e.remark = std::move(remark);
    return e;
}

// The initiation `src -> dst` on `port`, or its stateless reply `dst -> src`.
AclEntry session_entry(const ServicePort& port, const Cidr& src, const Cidr& dst, bool reply) {
    if (!reply) return permit(port.protocol, src, dst, port.ports, "management access");
    AclEntry e = permit(port.protocol, dst, src, {}, "management access reply");
    e.source_ports = port.ports;
    e.established = port.protocol == Protocol::tcp;
    return e;
}

// Operators -> switch and switch -> operators with their replies, as seen from one side:
// the operators' SVI sees their initiations and their answers to the switch; the SVI behind
// which the switch address lives sees the switch's initiations and answers.
void add_sessions(const Cidr& operators, const Cidr& sw, bool from_operators, std::vector<AclEntry>& out) {
    for (const auto& p : kOperatorToSwitch)
        out.push_back(from_operators ? session_entry(p, operators, sw, false) : session_entry(p, operators, sw, true));
    for (const auto& p : kSwitchToOperator)
        out.push_back(from_operators ? session_entry(p, sw, operators, true) : session_entry(p, sw, operators, false));
}

void add_management(const Policy& policy, const DeviceClass& cls, std::vector<AclEntry>& out) {
    const DeviceClass* mgmt = policy.management_class();
    if (!mgmt) return;
    for (const auto& a : switch_addresses(policy)) {
        for (const auto& ops : mgmt->addresses.cidrs()) {
            if (ops.network.family != a.family) continue;
            if (cls.name == mgmt->name) add_sessions(ops, host(a), true, out);
            if (cls.addresses.contains(a)) add_sessions(ops, host(a), false, out);
        }
    }
}

std::vector<Cidr> dhcp_servers(const Policy& policy) {
    std::vector<Cidr> out;
    for (const auto& c : policy.classes())
        if (c.dhcp_server)
            for (const auto& s : c.addresses.cidrs())
                if (s.network.family == IpFamily::v4) out.push_back(s);
    return out;
}

// Clients -> relay (broadcast) and -> server (renewals); server -> every relay.
void add_dhcp(const Policy& policy, const DeviceClass& cls, std::vector<AclEntry>& out) {
    auto servers = dhcp_servers(policy);
    if (servers.empty()) return;
    const Cidr broadcast = host(*IpAddress::parse("255.255.255.255"));
    out.push_back(permit(Protocol::udp, host(*IpAddress::parse("0.0.0.0")), broadcast, kDhcpServer, "dhcp relay"));
    for (const auto& own : cls.addresses.cidrs()) {
        if (own.network.family != IpFamily::v4) continue;
        out.push_back(permit(Protocol::udp, own, broadcast, kDhcpServer, "dhcp relay"));
        for (const auto& s : servers) out.push_back(permit(Protocol::udp, own, s, kDhcpServer, "dhcp server"));
        if (!cls.dhcp_server) continue;
        for (const auto& sw : policy.switches())
            for (const auto& g : sw.gateway_for)
                if (const auto* gc = policy.find_class(g))
                    for (const auto& a : svi_addresses(*gc))
                        if (a.address.family == IpFamily::v4)
                            out.push_back(permit(Protocol::udp, own, host(a.address), kDhcpRelayAnswer, "dhcp relay"));
    }
}

}  // namespace

std::vector<IpAddress> switch_addresses(const Policy& policy) {
    std::vector<IpAddress> out;
    for (const auto& sw : policy.switches())
        if (auto a = IpAddress::parse(sw.address)) out.push_back(*a);
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

std::vector<AclEntry> stateful_gateway_entries(const Policy& policy, const DeviceClass& cls) {
    auto entries = initiation_entries(policy, cls);
    const auto& own = cls.addresses.cidrs();
    for (auto& e : infrastructure_entries(policy, cls))
        if (!e.is_reply() && std::find(own.begin(), own.end(), e.source) != own.end()) entries.push_back(std::move(e));
    normalise_entries(entries);
    return entries;
}

std::vector<AclEntry> router_forward_entries(const Policy& policy, const Switch& sw, const DeviceClass& from) {
    auto local = [&](const DeviceClass& c) { return policy.is_local(sw, c); };
    if (!local(from)) return initiation_entries(policy, from, local);
    if (from.external) return initiation_entries(policy, from);
    return stateful_gateway_entries(policy, from);
}

std::vector<AclEntry> infrastructure_entries(const Policy& policy, const DeviceClass& cls) {
    std::vector<AclEntry> out;
    if (!cls.external) {
        add_dhcp(policy, cls, out);
        add_management(policy, cls, out);
    }
    for (auto& e : out) e.tier = 0;
    normalise_entries(out);
    return out;
}

const std::vector<ServicePort>& operator_to_switch_ports() { return kOperatorToSwitch; }

}  // namespace microseg
