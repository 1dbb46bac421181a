#include "model/initiation.hpp"

#include <algorithm>

namespace microseg {

bool service_covers(const Service& service, Protocol protocol, std::uint16_t port) {
    ServicePort probe{protocol, {port, port}};
    return std::any_of(service.ports.begin(), service.ports.end(),
                       [&](const ServicePort& sp) { return sp.covers(probe); });
}

const Hop& InitiationRules::hop(std::size_t from, std::size_t to) const {
    const std::uint64_t key = (static_cast<std::uint64_t>(from) << 32) | to;
    auto it = hops_.find(key);
    if (it == hops_.end()) it = hops_.emplace(key, graph_->hop(from, to)).first;
    return it->second;
}

bool InitiationRules::flow_covers(std::size_t flow, Protocol protocol, std::uint16_t port) const {
    const Policy& policy = graph_->policy();
    const auto& names = policy.flows()[flow].services;
    return std::any_of(names.begin(), names.end(), [&](const std::string& name) {
        const Service* s = policy.find_service(name);
        return s && service_covers(*s, protocol, port);
    });
}

InitiationVerdict InitiationRules::judge(std::size_t from, std::size_t to, Protocol protocol,
                                         std::uint16_t port) const {
    const Hop& h = hop(from, to);
    for (const auto& r : h.reasons)  // explicit flows first: their location is the better answer
        if (r.kind == EdgeKind::explicit_flow && flow_covers(r.flow, protocol, port)) return {true, r};
    for (const auto& r : h.reasons)
        if (r.kind == EdgeKind::same_class || r.kind == EdgeKind::shared_vlan) return {true, r};
    for (const auto& r : h.reasons)
        if (r.kind == EdgeKind::dhcp && protocol == Protocol::udp && port == 67) return {true, r};
    return {};
}

}  // namespace microseg
