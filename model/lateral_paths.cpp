#include "model/lateral_paths.hpp"

#include <algorithm>
#include <limits>
#include <map>
#include <set>

#include <boost/graph/boykov_kolmogorov_max_flow.hpp>
#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/filtered_graph.hpp>

namespace microseg {

namespace {

// Paths avoid these classes and these (from, to) hops: the masks of Yen's spur searches.
struct PathMask {
    std::vector<bool> blocked_classes;
    std::set<std::pair<std::size_t, std::size_t>> blocked_hops;
};

struct KeepVertex {
    const PathMask* mask = nullptr;
    bool operator()(std::size_t v) const { return !mask->blocked_classes[v]; }
};

struct KeepEdge {
    const ReachGraph* g = nullptr;
    const PathMask* mask = nullptr;
    bool operator()(ReachGraph::edge_descriptor e) const {
        return !mask->blocked_hops.count({boost::source(e, *g), boost::target(e, *g)});
    }
};

template <class Graph>
ClassPath bfs_path(const Graph& g, std::size_t n, std::size_t from, std::size_t to) {
    if (from == to) return {};
    constexpr std::size_t none = std::numeric_limits<std::size_t>::max();
    std::vector<std::size_t> pred(n, none);
    std::vector<boost::default_color_type> colour(n, boost::white_color);
    auto pred_map = boost::make_iterator_property_map(pred.begin(), boost::get(boost::vertex_index, g));
    auto colour_map = boost::make_iterator_property_map(colour.begin(), boost::get(boost::vertex_index, g));
    boost::breadth_first_search(
        g, from,
        boost::visitor(boost::make_bfs_visitor(boost::record_predecessors(pred_map, boost::on_tree_edge())))
            .color_map(colour_map));
    if (pred[to] == none) return {};
    ClassPath path{to};
    for (std::size_t v = to; v != from; v = pred[v]) path.push_back(pred[v]);
    std::reverse(path.begin(), path.end());
    return path;
}

ClassPath masked_path(const ReachabilityGraph& graph, const PathMask& mask, std::size_t from, std::size_t to) {
    const ReachGraph& g = graph.graph();
    boost::filtered_graph<ReachGraph, KeepEdge, KeepVertex> view(g, KeepEdge{&g, &mask}, KeepVertex{&mask});
    return bfs_path(view, graph.class_count(), from, to);
}

bool shorter(const ClassPath& a, const ClassPath& b) {
    return a.size() != b.size() ? a.size() < b.size() : a < b;
}

}  // namespace

ClassPath shortest_path(const ReachabilityGraph& graph, std::size_t from, std::size_t to) {
    return bfs_path(graph.graph(), graph.class_count(), from, to);
}

// Yen's algorithm with BFS as the shortest-path search (every hop weighs 1).
std::vector<ClassPath> k_shortest_paths(const ReachabilityGraph& graph, std::size_t from, std::size_t to,
                                        std::size_t k) {
    std::vector<ClassPath> found;
    if (k == 0) return found;
    ClassPath first = shortest_path(graph, from, to);
    if (first.empty()) return found;
    found.push_back(std::move(first));
    std::vector<ClassPath> candidates;
    while (found.size() < k) {
        const ClassPath previous = found.back();
        for (std::size_t i = 0; i + 1 < previous.size(); ++i) {
            PathMask mask{std::vector<bool>(graph.class_count(), false), {}};
            ClassPath root(previous.begin(), previous.begin() + static_cast<std::ptrdiff_t>(i) + 1);
            for (std::size_t r = 0; r < i; ++r) mask.blocked_classes[root[r]] = true;
            for (const auto& p : found)
                if (p.size() > i + 1 && std::equal(root.begin(), root.end(), p.begin()))
                    mask.blocked_hops.insert({p[i], p[i + 1]});
            ClassPath spur = masked_path(graph, mask, previous[i], to);
            if (spur.empty()) continue;
            root.insert(root.end(), spur.begin() + 1, spur.end());
            if (std::find(found.begin(), found.end(), root) == found.end() &&
                std::find(candidates.begin(), candidates.end(), root) == candidates.end())
                candidates.push_back(std::move(root));
        }
        if (candidates.empty()) break;
        auto best = std::min_element(candidates.begin(), candidates.end(), shorter);
        found.push_back(std::move(*best));
        candidates.erase(best);
    }
    return found;
}

std::vector<Hop> hops_of(const ReachabilityGraph& graph, const ClassPath& path) {
    std::vector<Hop> hops;
    for (std::size_t i = 0; i + 1 < path.size(); ++i) hops.push_back(graph.hop(path[i], path[i + 1]));
    return hops;
}

BlastRadius blast_radius(const ReachabilityGraph& graph, const AllPairsReachability& reach, std::size_t entry) {
    BlastRadius r;
    r.entry = entry;
    r.classes = reach.reachable_from(entry);
    for (std::size_t c : r.classes) r.devices += graph.class_at(c).devices;
    const ReachGraph& g = graph.graph();
    for (auto [it, end] = boost::out_edges(entry, g); it != end; ++it) r.one_hop_classes.push_back(boost::target(*it, g));
    std::sort(r.one_hop_classes.begin(), r.one_hop_classes.end());
    r.one_hop_classes.erase(std::unique(r.one_hop_classes.begin(), r.one_hop_classes.end()), r.one_hop_classes.end());
    for (std::size_t c : r.one_hop_classes) r.one_hop_devices += graph.class_at(c).devices;
    return r;
}

// ---- minimum cut ----

namespace {

// bidirectionalS: its edges() walks a global edge list (directedS trips -Wmaybe-uninitialized in Boost 1.74).
using FlowTraits = boost::adjacency_list_traits<boost::vecS, boost::vecS, boost::bidirectionalS>;

struct FlowArc {
    std::int64_t capacity = 0;
    std::int64_t residual = 0;
    FlowTraits::edge_descriptor reverse;
    std::size_t hop = std::numeric_limits<std::size_t>::max();  // index into Network::hop_flows
};

using FlowGraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, boost::no_property, FlowArc>;

// Larger than any number of flows, and summable over a million edges without overflow.
constexpr std::int64_t kUncuttable = std::int64_t{1} << 40;

}  // namespace

struct MinCutSolver::Network {
    FlowGraph g;
    std::vector<std::vector<std::size_t>> hop_flows;  // per (from, to) hop: its flows, sorted
};

// One arc per (from, to) hop: capacity = its number of distinct flows, or uncuttable when an
// implicit edge also joins the pair. Self loops never lie on a path and are left out.
MinCutSolver::MinCutSolver(const ReachabilityGraph& graph) : network_(std::make_unique<Network>()) {
    const ReachGraph& rg = graph.graph();
    const std::size_t n = graph.class_count();
    std::map<std::pair<std::size_t, std::size_t>, std::pair<bool, std::set<std::size_t>>> hops;
    for (std::size_t u = 0; u < n; ++u) {
        for (auto [it, end] = boost::out_edges(u, rg); it != end; ++it) {
            std::size_t v = boost::target(*it, rg);
            if (u == v) continue;
            auto& [implicit, flows] = hops[{u, v}];
            if (rg[*it].is_implicit()) implicit = true;
            else flows.insert(rg[*it].flow);
        }
    }
    Network& net = *network_;
    net.g = FlowGraph(n);
    for (const auto& [pair, info] : hops) {
        const auto& [implicit, flows] = info;
        std::int64_t capacity = implicit ? kUncuttable : static_cast<std::int64_t>(flows.size());
        auto forward = boost::add_edge(pair.first, pair.second, FlowArc{capacity, 0, {}, net.hop_flows.size()}, net.g).first;
        auto backward = boost::add_edge(pair.second, pair.first, FlowArc{0, 0, forward, std::numeric_limits<std::size_t>::max()}, net.g).first;
        net.g[forward].reverse = backward;
        net.hop_flows.push_back(implicit ? std::vector<std::size_t>{} : std::vector<std::size_t>(flows.begin(), flows.end()));
    }
}

MinCutSolver::~MinCutSolver() = default;

MinCut MinCutSolver::cut(std::size_t from, std::size_t to) {
    MinCut result;
    FlowGraph& g = network_->g;
    if (from == to || boost::num_vertices(g) < 2) return result;
    std::vector<boost::default_color_type> colour(boost::num_vertices(g));
    auto index = boost::get(boost::vertex_index, g);
    std::int64_t flow = boost::boykov_kolmogorov_max_flow(
        g, boost::get(&FlowArc::capacity, g), boost::get(&FlowArc::residual, g), boost::get(&FlowArc::reverse, g),
        boost::make_iterator_property_map(colour.begin(), index), index, from, to);
    if (flow >= kUncuttable) {
        result.cuttable = false;
        return result;
    }
    // The source side: classes reachable from `from` through arcs with residual capacity left.
    std::vector<bool> source_side(boost::num_vertices(g), false);
    std::vector<std::size_t> stack{from};
    source_side[from] = true;
    while (!stack.empty()) {
        std::size_t u = stack.back();
        stack.pop_back();
        for (auto [it, end] = boost::out_edges(u, g); it != end; ++it) {
            std::size_t v = boost::target(*it, g);
            if (g[*it].residual > 0 && !source_side[v]) {
                source_side[v] = true;
                stack.push_back(v);
            }
        }
    }
    for (std::size_t u = 0; u < boost::num_vertices(g); ++u) {
        if (!source_side[u]) continue;
        for (auto [it, end] = boost::out_edges(u, g); it != end; ++it) {
            const FlowArc& arc = g[*it];
            if (arc.capacity > 0 && !source_side[boost::target(*it, g)]) {
                const auto& flows = network_->hop_flows[arc.hop];
                result.flows.insert(result.flows.end(), flows.begin(), flows.end());
            }
        }
    }
    std::sort(result.flows.begin(), result.flows.end());
    return result;
}

LateralReport analyse_lateral_movement(const ReachabilityGraph& graph, const LateralOptions& options) {
    LateralReport report;
    report.from = options.from.empty() ? graph.entry_classes() : options.from;
    report.to = options.to.empty() ? graph.protected_classes() : options.to;
    AllPairsReachability reach(graph.graph());
    MinCutSolver cuts(graph);
    for (std::size_t from : report.from) {
        report.radius.push_back(blast_radius(graph, reach, from));
        for (std::size_t to : report.to) {
            if (from == to || !reach.reaches(from, to)) continue;
            LateralFinding finding{from, to, k_shortest_paths(graph, from, to, std::max<std::size_t>(1, options.max_paths)),
                                   cuts.cut(from, to)};
            if (graph.class_at(to).criticality == Criticality::life) report.reaches_life = true;
            report.findings.push_back(std::move(finding));
        }
    }
    return report;
}

}  // namespace microseg
