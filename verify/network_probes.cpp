// Which packets the network lab sends, and what the model says of each.
#include <algorithm>
#include <map>
#include <set>

#include "model/infrastructure_acl.hpp"
#include "model/interface_name.hpp"
#include "model/switch_intent.hpp"
#include "model/reachability.hpp"
#include "verify/network_verify.hpp"

namespace microseg::verify {

namespace {

// Denied ports probed per pair and protocol: UDP ones show one-way holes (a datagram that
// arrives is a hole even when its answer is dropped), which TCP's handshake cannot.
constexpr std::size_t kDeniedPortsPerProtocol = 3;

// A stateless reply channel (DESIGN "Return traffic") admits a packet from the flow's UDP
// service port to the initiator's ports 1024-65535 or the catalogue's reply port; an `ip`
// flow's reply admits everything back.
bool reply_admits(const Policy& policy, const FlowRule& flow, ProbePort port, std::uint16_t source_port) {
    for (const auto& name : flow.services) {
        const Service* s = policy.find_service(name);
        if (!s) continue;
        for (const auto& sp : s->ports) {
            if (sp.protocol == Protocol::ip) return true;
            if (sp.protocol != Protocol::udp || port.protocol != Protocol::udp || source_port == 0) continue;
            if (source_port < sp.ports.first || source_port > sp.ports.last) continue;
            if (port.port >= 1024 || (s->reply_port != 0 && port.port == s->reply_port)) return true;
        }
    }
    return false;
}

// expect() (expectation.hpp) for a packet from a given source port: a reply edge of the
// graph then also allows what its stateless entries admit.
Expectation expect_packet(const ReachabilityGraph& graph, const std::string& from, const std::string& to,
                          ProbePort port, std::uint16_t source_port) {
    Expectation e = expect(graph, from, to, port);
    if (e.allow) return e;
    const Policy& policy = graph.policy();
    auto a = policy.class_index(from), b = policy.class_index(to);
    if (!a || !b) return e;
    for (const auto& r : graph.hop(*a, *b).reasons) {
        if (r.kind != EdgeKind::stateless_reply || !reply_admits(policy, policy.flows()[r.flow], port, source_port))
            continue;
        e.allow = true;
        e.because = Because::flow;
        e.flow = policy.flows()[r.flow].location;
        return e;
    }
    return e;
}

// The allowed ports of a pair and a few of the denied ones.
std::vector<ProbePort> ports_for(const ReachabilityGraph& graph, const std::string& from, const std::string& to,
                                 const std::vector<ProbePort>& sample) {
    std::vector<ProbePort> out;
    std::map<Protocol, std::size_t> denied;
    for (const auto& p : sample) {
        bool allow = expect(graph, from, to, p).allow;
        if (allow || denied[p.protocol]++ < kDeniedPortsPerProtocol) out.push_back(p);
    }
    return out;
}

class ProbePlanner {
public:
    ProbePlanner(const Policy& policy, const std::vector<ShippedFile>& files, const NetworkPlan& plan)
        : policy_(policy), files_(files), plan_(plan), graph_(ReachabilityGraph::build(policy)),
          sample_(sample_ports(policy)) {}

    std::vector<NetworkProbe> run() {
        for (const auto& a : policy_.classes())
            for (const auto& b : policy_.classes()) pair(a.name, b.name);
        management();
        forged_replies();
        return std::move(out_);
    }

private:
    // From every host of `from` (each switch's port filters act on what its own ports send):
    // to one host of `to` on the same switch and one on another, where the classes have them.
    void pair(const std::string& from, const std::string& to) {
        auto srcs = plan_.hosts_of(from), dsts = plan_.hosts_of(to);
        std::vector<ProbePort> ports;
        for (const auto* s : srcs) {
            std::set<bool> done;
            for (const auto* d : dsts) {
                if (s == d) continue;
                // Two lab-only hosts (their class has no access port in any file) meet on a
                // bridge no shipped file filters: nothing there for the probe to prove.
                if (s->port.empty() && d->port.empty() && !s->external() && s->vlan == d->vlan) continue;
                bool same = s->node == d->node && !s->external() && !d->external();
                if (!done.insert(same).second) continue;
                if (ports.empty()) ports = ports_for(graph_, from, to, sample_);
                for (const auto& p : ports) add(s, d, p, 0, same);
            }
        }
    }

    void add(const NetworkHost* s, const NetworkHost* d, ProbePort p, std::uint16_t sport, bool same) {
        NetworkProbe probe;
        probe.kind = sport ? ProbeKind::udp_source_port : same ? ProbeKind::same_switch : ProbeKind::cross_switch;
        probe.from = s;
        probe.to = d;
        probe.destination = d->address;
        probe.destination_netns = d->netns;
        probe.port = p;
        probe.source_port = sport;
        probe.expected = expect_packet(graph_, s->class_name, d->class_name, p, sport);
        out_.push_back(std::move(probe));
    }

    // The management class to every switch address on ssh/https/snmp; every other class that
    // has hosts, to them on ssh: the model's verdict for the class owning the address.
    void management() {
        const DeviceClass* mgmt = policy_.management_class();
        for (const auto& n : plan_.nodes) {
            const Switch& sw = *files_[n.file].sw;
            const auto& own = n.own_address;
            if (!own) continue;
            const DeviceClass* owner = policy_.class_of(*own);
            for (const auto& c : policy_.classes()) {
                auto hosts = plan_.hosts_of(c.name);
                if (hosts.empty()) continue;
                bool operators = mgmt && c.name == mgmt->name;
                for (const auto& sp : operator_to_switch_ports()) {
                    if (!operators && sp.protocol != Protocol::tcp) continue;
                    NetworkProbe probe;
                    probe.kind = ProbeKind::management;
                    probe.from = hosts.front();
                    probe.to_switch = sw.name;
                    probe.destination = *own;
                    probe.destination_netns = n.netns;
                    probe.port = {sp.protocol, sp.ports.first};
                    probe.expected = operators ? Expectation{c.name, sw.name, probe.port, true, Because::management, {}}
                                     : owner   ? expect(graph_, c.name, owner->name, probe.port)
                                               : Expectation{c.name, sw.name, probe.port, false, Because::nothing, {}};
                    out_.push_back(std::move(probe));
                    if (!operators) break;  // one port is enough to show the door is shut
                }
            }
        }
    }

    // For each UDP flow, its server class sends from the service port to an initiator host's
    // non-ephemeral port 9 and to an ephemeral one: what a stateless "reply" lets through.
    void forged_replies() {
        std::set<std::tuple<std::string, std::string, std::uint16_t>> seen;
        for (const auto& flow : policy_.flows())
            for (const auto& name : flow.services) {
                const Service* s = policy_.find_service(name);
                for (const auto& sp : s ? s->ports : std::vector<ServicePort>{}) {
                    if (sp.protocol != Protocol::udp) continue;
                    auto sport = static_cast<std::uint16_t>(std::max<int>(sp.ports.first, 1));
                    if (!seen.emplace(flow.to, flow.from, sport).second) continue;
                    auto servers = plan_.hosts_of(flow.to), clients = plan_.hosts_of(flow.from);
                    if (servers.empty() || clients.empty() || servers.front() == clients.front()) continue;
                    bool same = servers.front()->node == clients.front()->node;
                    for (std::uint16_t dport : {std::uint16_t{9}, std::uint16_t{40000}})
                        add(servers.front(), clients.front(), {Protocol::udp, dport}, sport, same);
                }
            }
    }

    const Policy& policy_;
    const std::vector<ShippedFile>& files_;
    const NetworkPlan& plan_;
    ReachabilityGraph graph_;
    std::vector<ProbePort> sample_;
    std::vector<NetworkProbe> out_;
};

}  // namespace

std::string_view to_string(ProbeKind k) {
    switch (k) {
        case ProbeKind::same_switch: return "same switch";
        case ProbeKind::cross_switch: return "cross switch";
        case ProbeKind::management: return "management";
        case ProbeKind::udp_source_port: return "UDP from a service port";
        case ProbeKind::dhcp_relay: return "DHCP relay";
        case ProbeKind::l2_protected: return "ARP between protected ports";
    }
    return "probe";
}

std::vector<NetworkProbe> network_probes(const Policy& policy, const std::vector<ShippedFile>& files,
                                         const NetworkPlan& plan) {
    return ProbePlanner(policy, files, plan).run();
}

std::vector<NetworkProbe> dhcp_probes(const Policy& policy, const std::vector<ShippedFile>& files,
                                      const NetworkPlan& plan) {
    std::vector<NetworkProbe> out;
    bool relayed = std::any_of(policy.classes().begin(), policy.classes().end(),
                               [](const DeviceClass& c) { return c.dhcp_server; });
    for (const auto& c : policy.classes()) {
        auto hosts = plan.hosts_of(c.name);
        auto host = std::find_if(hosts.begin(), hosts.end(), [](const NetworkHost* h) { return !h->port.empty(); });
        auto relay = plan.routed_by.find(c.name);
        if (!relayed || c.dhcp_server || host == hosts.end() || relay == plan.routed_by.end()) continue;
        NetworkProbe p;
        p.kind = ProbeKind::dhcp_relay;
        p.from = *host;
        p.to_switch = files[plan.nodes[relay->second].file].sw->name;
        p.relay_vlan = (*host)->vlan;
        p.destination = IpAddress::v4(0xffffffffu);
        p.destination_netns = plan.nodes[relay->second].netns;
        p.port = {Protocol::udp, 67};
        p.source_port = 68;
        p.expected = {c.name, p.to_switch, p.port, true, Because::dhcp_relay, {}};
        out.push_back(std::move(p));
    }
    return out;
}

std::vector<NetworkProbe> l2_probes(const Policy& policy, const std::vector<ShippedFile>& files,
                                    const NetworkPlan& plan) {
    std::vector<NetworkProbe> out;
    for (std::size_t n = 0; n < plan.nodes.size(); ++n) {
        const Switch& sw = *files[plan.nodes[n].file].sw;
        if (sw.platform != PlatformId::cisco_ios) continue;  // the only platform compiled with protected ports
        auto intent = switch_intent(policy, sw);
        if (!intent) continue;
        std::set<std::string> isolated;  // the ports compile makes `switchport protected`
        for (const auto& p : intent->access_ports)
            if (p.isolated) isolated.insert(canonical_interface(sw.platform, p.interface));
        std::map<std::string, const NetworkHost*> first_of_class;
        for (const auto& h : plan.hosts) {
            if (h.node != n || h.port.empty() || !isolated.count(canonical_interface(sw.platform, h.port))) continue;
            auto [it, fresh] = first_of_class.emplace(h.class_name, &h);
            if (fresh || it->second->vlan != h.vlan) continue;
            NetworkProbe p;
            p.kind = ProbeKind::l2_protected;
            p.from = it->second;
            p.to = &h;
            p.destination = h.address;
            p.destination_netns = h.netns;
            p.port = {Protocol::udp, 9};
            p.expected = {h.class_name, h.class_name, p.port, false, Because::protected_ports, {}};
            out.push_back(std::move(p));
        }
    }
    return out;
}

}  // namespace microseg::verify
