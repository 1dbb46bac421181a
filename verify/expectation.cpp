#include "verify/expectation.hpp"

#include "model/initiation.hpp"

#include <algorithm>
#include <set>

namespace microseg::verify {

namespace {

void add_ports_of(const Service& service, std::set<ProbePort>& out) {
    for (const auto& sp : service.ports) {
        if (!sp.has_ports()) continue;
        auto first = static_cast<std::uint16_t>(std::max<int>(sp.ports.first, 1));
        out.insert({sp.protocol, first});
        if (!sp.ports.is_single() && sp.ports.last != first) out.insert({sp.protocol, sp.ports.last});
    }
}

Because because_of(EdgeKind kind) {
    return kind == EdgeKind::same_class ? Because::same_class : Because::same_vlan;
}

}  // namespace

std::string_view to_string(Because b) {
    switch (b) {
        case Because::flow: return "flow";
        case Because::same_class: return "same class";
        case Because::same_vlan: return "same VLAN";
        case Because::management: return "management access";
        case Because::dhcp_relay: return "DHCP relay";
        case Because::protected_ports: return "protected ports";
        case Because::nothing: return "no flow";
    }
    return "no flow";
}

std::vector<ProbePort> sample_ports(const Policy& policy) {
    std::set<ProbePort> ports = {{Protocol::tcp, 9}, {Protocol::udp, 9}};
    for (const auto& flow : policy.flows())
        for (const auto& name : flow.services)
            if (const Service* s = policy.find_service(name)) add_ports_of(*s, ports);
    return {ports.begin(), ports.end()};
}

Expectation expect(const ReachabilityGraph& graph, const std::string& from, const std::string& to,
                   ProbePort port) {
    const Policy& policy = graph.policy();
    Expectation e{from, to, port, false, Because::nothing, {}};
    auto a = policy.class_index(from), b = policy.class_index(to);
    if (!a || !b) return e;
    // dhcp: udp/67 only, probed by no lab
    auto verdict = InitiationRules(graph).judge(*a, *b, port.protocol, port.port);
    if (!verdict.allowed || verdict.reason.kind == EdgeKind::dhcp) return e;
    e.allow = true;
    if (verdict.reason.kind == EdgeKind::explicit_flow) {
        e.because = Because::flow;
        e.flow = policy.flows()[verdict.reason.flow].location;
    } else {
        e.because = because_of(verdict.reason.kind);
    }
    return e;
}

Expectation expect(const Policy& policy, const std::string& from, const std::string& to, ProbePort port) {
    return expect(ReachabilityGraph::build(policy), from, to, port);
}

std::vector<Expectation> expected_matrix(const Policy& policy, const std::vector<std::string>& classes,
                                         const std::vector<ProbePort>& ports) {
    auto graph = ReachabilityGraph::build(policy);
    std::vector<Expectation> out;
    for (const auto& from : classes) {
        for (const auto& to : classes) {
            const DeviceClass* c = policy.find_class(from);
            if (from == to && (!c || c->external)) continue;
            for (const auto& port : ports) out.push_back(expect(graph, from, to, port));
        }
    }
    return out;
}

}  // namespace microseg::verify
