#include "model/reachability.hpp"

#include <algorithm>
#include <map>
#include <unordered_map>

#include <fmt/format.h>

#include "model/acl.hpp"

namespace microseg {

std::string_view to_string(EdgeKind kind) {
    switch (kind) {
        case EdgeKind::explicit_flow: return "explicit";
        case EdgeKind::shared_vlan: return "shared_vlan";
        case EdgeKind::same_class: return "same_class";
        case EdgeKind::stateless_reply: return "stateless_reply";
        case EdgeKind::dhcp: return "dhcp";
    }
    return "explicit";
}

namespace {

class ServiceInterner {
public:
    explicit ServiceInterner(std::vector<std::string>& names) : names_(names) {}
    std::uint32_t id(const std::string& name) {
        auto [it, added] = ids_.try_emplace(name, static_cast<std::uint32_t>(names_.size()));
        if (added) names_.push_back(name);
        return it->second;
    }

private:
    std::vector<std::string>& names_;
    std::unordered_map<std::string, std::uint32_t> ids_;
};

// Per class: replies leaving it pass by stateless entries (its gateway filters without
// conntrack), and replies reaching it pass only if no conntrack device filters it (its
// gateway, or the `via` routers of an external class): a stateful router on the initiator's
// side drops a forged "reply" that is no reply, so the channel closes there.
struct ReplyFilters {
    std::vector<char> stateless_sender;
    std::vector<char> open_receiver;
};

ReplyFilters reply_filters(const Policy& policy) {
    ReplyFilters out{std::vector<char>(policy.classes().size(), 0), std::vector<char>(policy.classes().size(), 1)};
    for (std::size_t i = 0; i < policy.classes().size(); ++i) {
        for (const Switch* sw : policy.filters_of(policy.classes()[i])) {
            if (sw->platform_info().conntrack) out.open_receiver[i] = 0;
            else if (!policy.classes()[i].external) out.stateless_sender[i] = 1;
        }
    }
    return out;
}

// The services whose reply entries are a channel of their own (udp: any high port of the
// initiator; ip: everything), as they appear in reply_entries (model/acl.hpp).
bool opens_reply_channel(const Policy& policy, const std::string& service) {
    const Service* s = policy.find_service(service);
    if (!s) return false;
    return std::any_of(s->ports.begin(), s->ports.end(), [](const ServicePort& p) {
        return p.protocol == Protocol::udp || p.protocol == Protocol::ip;
    });
}

// The reverse edges of flow i (from -> to) when `to`'s gateway answers statelessly. Flows
// inside one L2 domain cross no gateway, as in reply_entries.
void add_reply_edges(const Policy& policy, ReachGraph& g, ServiceInterner& services, std::size_t i,
                     const ReplyFilters& filters) {
    const auto& ends = policy.flow_ends(i);
    if (!filters.stateless_sender[ends.to] || !filters.open_receiver[ends.from]) return;
    if (same_l2_domain(policy.classes()[ends.from], policy.classes()[ends.to])) return;
    for (const auto& s : policy.flows()[i].services)
        if (opens_reply_channel(policy, s))
            boost::add_edge(ends.to, ends.from, ReachEdge{EdgeKind::stateless_reply, services.id(s + " reply"), i, 0}, g);
}

void add_flow_edges(const Policy& policy, ReachGraph& g, ServiceInterner& services) {
    const auto filters = reply_filters(policy);
    for (std::size_t i = 0; i < policy.flows().size(); ++i) {
        const FlowRule& f = policy.flows()[i];
        auto from = policy.class_index(f.from);
        auto to = policy.class_index(f.to);
        if (!from || !to) continue;  // the compiler rejects unknown names; nothing to reach
        for (const auto& s : f.services)
            boost::add_edge(*from, *to, ReachEdge{EdgeKind::explicit_flow, services.id(s), i, 0}, g);
        add_reply_edges(policy, g, services, i, filters);
    }
}

// DESIGN.md: classes sharing a VLAN reach each other on every service unless both `isolate`;
// a non-`isolate` class reaches its own members.
void add_implicit_edges(const Policy& policy, ReachGraph& g) {
    std::map<int, std::vector<std::size_t>> by_vlan;
    for (std::size_t i = 0; i < policy.classes().size(); ++i) {
        const auto& c = policy.classes()[i];
        if (c.external || !c.vlan) continue;
        by_vlan[*c.vlan].push_back(i);
        if (!c.isolate) boost::add_edge(i, i, ReachEdge{EdgeKind::same_class, kAnyService, kNoFlow, *c.vlan}, g);
    }
    for (const auto& [vlan, members] : by_vlan)
        for (std::size_t a : members)
            for (std::size_t b : members)
                if (a != b && !(policy.classes()[a].isolate && policy.classes()[b].isolate))
                    boost::add_edge(a, b, ReachEdge{EdgeKind::shared_vlan, kAnyService, kNoFlow, vlan}, g);
}

// Every internal class's SVI ACL or router chain lets it renew its lease with each DHCP server
// class directly (add_dhcp in model/infrastructure_acl.cpp); a server in the same VLAN is
// reached at L2 and needs no edge of its own.
void add_dhcp_edges(const Policy& policy, ReachGraph& g, ServiceInterner& services) {
    std::vector<std::size_t> servers;
    for (std::size_t i = 0; i < policy.classes().size(); ++i)
        if (policy.classes()[i].dhcp_server && !policy.classes()[i].external) servers.push_back(i);
    if (servers.empty()) return;
    const auto dhcp = services.id("dhcp");
    for (std::size_t i = 0; i < policy.classes().size(); ++i) {
        const auto& c = policy.classes()[i];
        if (c.external || !c.vlan || policy.filters_of(c).empty()) continue;
        for (std::size_t s : servers)
            if (!same_l2_domain(c, policy.classes()[s]))
                boost::add_edge(i, s, ReachEdge{EdgeKind::dhcp, dhcp, kNoFlow, 0}, g);
    }
}

}  // namespace

ReachabilityGraph::ReachabilityGraph(const Policy& policy) : policy_(&policy), graph_(policy.classes().size()) {}

ReachabilityGraph ReachabilityGraph::build(const Policy& policy) {
    ReachabilityGraph r(policy);
    ServiceInterner services(r.service_names_);
    add_flow_edges(policy, r.graph_, services);
    add_implicit_edges(policy, r.graph_);
    add_dhcp_edges(policy, r.graph_, services);
    return r;
}

std::string_view ReachabilityGraph::service_name(std::uint32_t id) const {
    if (id == kAnyService || id >= service_names_.size()) return "any";
    return service_names_[id];
}

Hop ReachabilityGraph::hop(std::size_t from, std::size_t to) const {
    Hop h{from, to, false, {}, {}};
    for (auto [it, end] = boost::out_edges(from, graph_); it != end; ++it) {
        if (boost::target(*it, graph_) != to) continue;
        const ReachEdge& e = graph_[*it];
        if (e.is_implicit()) {
            h.any_service = true;
        } else {
            h.services.emplace_back(service_name(e.service));
        }
        h.reasons.push_back({e.kind, e.flow, e.vlan});
    }
    std::sort(h.services.begin(), h.services.end());
    h.services.erase(std::unique(h.services.begin(), h.services.end()), h.services.end());
    std::sort(h.reasons.begin(), h.reasons.end());
    h.reasons.erase(std::unique(h.reasons.begin(), h.reasons.end()), h.reasons.end());
    return h;
}

bool ReachabilityGraph::has_edge(std::size_t from, std::size_t to) const {
    for (auto [it, end] = boost::out_edges(from, graph_); it != end; ++it)
        if (boost::target(*it, graph_) == to) return true;
    return false;
}

std::string ReachabilityGraph::describe(const HopReason& reason) const {
    switch (reason.kind) {
        case EdgeKind::explicit_flow: {
            const FlowRule& f = policy_->flows().at(reason.flow);
            if (f.reason.empty()) return fmt::format("flow at {}", f.location);
            return fmt::format("flow at {} ({})", f.location, f.reason);
        }
        case EdgeKind::shared_vlan: return fmt::format("shared VLAN {}", reason.vlan);
        case EdgeKind::same_class: return "same class, not isolated";
        case EdgeKind::dhcp: return "DHCP to the dhcp_server class (every filter permits it)";
        case EdgeKind::stateless_reply: {
            const FlowRule& f = policy_->flows().at(reason.flow);
            if (f.reason.empty()) return fmt::format("stateless reply of flow at {}", f.location);
            return fmt::format("stateless reply of flow at {} ({})", f.location, f.reason);
        }
    }
    return {};
}

std::string ReachabilityGraph::services_text(const Hop& hop) const {
    if (hop.any_service) return "any";
    return fmt::format("{}", fmt::join(hop.services, ", "));
}

std::vector<std::size_t> ReachabilityGraph::entry_classes() const {
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < policy_->classes().size(); ++i)
        if (policy_->classes()[i].entry) out.push_back(i);
    return out;
}

std::vector<std::size_t> ReachabilityGraph::protected_classes() const {
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < policy_->classes().size(); ++i)
        if (policy_->classes()[i].is_protected()) out.push_back(i);
    return out;
}

}  // namespace microseg
