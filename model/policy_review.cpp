#include "model/policy_review.hpp"

#include <map>
#include <set>
#include <tuple>

namespace microseg {

namespace {

using EdgeKey = std::tuple<std::string, std::string, std::string, EdgeKind>;

// Every edge by (from, to, service, kind) name, self loops included, first occurrence kept.
std::map<EdgeKey, EdgeChange> edges_by_name(const ReachabilityGraph& graph) {
    std::map<EdgeKey, EdgeChange> out;
    const ReachGraph& g = graph.graph();
    for (std::size_t u = 0; u < graph.class_count(); ++u) {
        for (auto [it, end] = boost::out_edges(u, g); it != end; ++it) {
            const ReachEdge& e = g[*it];
            EdgeChange c{graph.class_at(u).name, graph.class_at(boost::target(*it, g)).name,
                         std::string(graph.service_name(e.service)), e.kind, e.flow, e.vlan};
            out.try_emplace({c.from, c.to, c.service, c.kind}, std::move(c));
        }
    }
    return out;
}

std::vector<EdgeChange> only_in(const std::map<EdgeKey, EdgeChange>& a, const std::map<EdgeKey, EdgeChange>& b) {
    std::vector<EdgeChange> out;
    for (const auto& [key, change] : a)
        if (!b.count(key)) out.push_back(change);
    return out;
}

using Pair = std::pair<std::string, std::string>;

std::set<Pair> lateral_pairs(const ReachabilityGraph& graph, const AllPairsReachability& reach) {
    std::set<Pair> out;
    for (std::size_t from : graph.entry_classes())
        for (std::size_t to : graph.protected_classes())
            if (from != to && reach.reaches(from, to)) out.insert({graph.class_at(from).name, graph.class_at(to).name});
    return out;
}

std::vector<PathChange> only_in(const std::set<Pair>& a, const std::set<Pair>& b, const ReachabilityGraph& graph) {
    std::vector<PathChange> out;
    for (const auto& [from, to] : a)
        if (!b.count({from, to}))
            out.push_back({from, to,
                           shortest_path(graph, *graph.policy().class_index(from), *graph.policy().class_index(to))});
    return out;
}

std::map<std::string, BlastRadius> radii(const ReachabilityGraph& graph, const AllPairsReachability& reach) {
    std::map<std::string, BlastRadius> out;
    for (std::size_t e : graph.entry_classes()) out.emplace(graph.class_at(e).name, blast_radius(graph, reach, e));
    return out;
}

// Radii compare by the names of the classes reached and the device counts.
bool same_radius(const ReachabilityGraph& g1, const BlastRadius& a, const ReachabilityGraph& g2, const BlastRadius& b) {
    auto names = [](const ReachabilityGraph& g, const std::vector<std::size_t>& classes) {
        std::set<std::string> out;
        for (std::size_t c : classes) out.insert(g.class_at(c).name);
        return out;
    };
    return a.devices == b.devices && a.one_hop_devices == b.one_hop_devices &&
           names(g1, a.classes) == names(g2, b.classes) && names(g1, a.one_hop_classes) == names(g2, b.one_hop_classes);
}

}  // namespace

PolicyReview review_policies(const ReachabilityGraph& before, const ReachabilityGraph& after) {
    PolicyReview review;
    auto old_edges = edges_by_name(before);
    auto new_edges = edges_by_name(after);
    review.added = only_in(new_edges, old_edges);
    review.removed = only_in(old_edges, new_edges);

    AllPairsReachability old_reach(before.graph());
    AllPairsReachability new_reach(after.graph());
    auto old_pairs = lateral_pairs(before, old_reach);
    auto new_pairs = lateral_pairs(after, new_reach);
    review.opened = only_in(new_pairs, old_pairs, after);
    review.closed = only_in(old_pairs, new_pairs, before);

    auto old_radii = radii(before, old_reach);
    auto new_radii = radii(after, new_reach);
    std::set<std::string> entries;
    for (const auto& [name, r] : old_radii) entries.insert(name);
    for (const auto& [name, r] : new_radii) entries.insert(name);
    for (const auto& name : entries) {
        auto o = old_radii.find(name);
        auto n = new_radii.find(name);
        bool both = o != old_radii.end() && n != new_radii.end();
        if (both && same_radius(before, o->second, after, n->second)) continue;
        RadiusChange change{name, {}, {}};
        if (o != old_radii.end()) change.before = o->second;
        if (n != new_radii.end()) change.after = n->second;
        review.radius.push_back(std::move(change));
    }
    return review;
}

}  // namespace microseg
