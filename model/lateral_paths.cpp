#include "model/lateral_paths.hpp"

#include <algorithm>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <set>

#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/filtered_graph.hpp>

#include "model/every_core.hpp"

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

constexpr std::size_t kNoPredecessor = std::numeric_limits<std::size_t>::max();

// The predecessor of every class on a breadth-first search from `from` (kNoPredecessor when
// unreached): the shortest path from `from` to every class at once.
template <class Graph>
std::vector<std::size_t> bfs_tree(const Graph& g, std::size_t n, std::size_t from) {
    std::vector<std::size_t> pred(n, kNoPredecessor);
    std::vector<boost::default_color_type> colour(n, boost::white_color);
    auto pred_map = boost::make_iterator_property_map(pred.begin(), boost::get(boost::vertex_index, g));
    auto colour_map = boost::make_iterator_property_map(colour.begin(), boost::get(boost::vertex_index, g));
    boost::breadth_first_search(
        g, from,
        boost::visitor(boost::make_bfs_visitor(boost::record_predecessors(pred_map, boost::on_tree_edge())))
            .color_map(colour_map));
    return pred;
}

ClassPath path_in_tree(const std::vector<std::size_t>& pred, std::size_t from, std::size_t to) {
    if (from == to || pred[to] == kNoPredecessor) return {};
    ClassPath path{to};
    for (std::size_t v = to; v != from; v = pred[v]) path.push_back(pred[v]);
    std::reverse(path.begin(), path.end());
    return path;
}

template <class Graph>
ClassPath bfs_path(const Graph& g, std::size_t n, std::size_t from, std::size_t to) {
    if (from == to) return {};
    return path_in_tree(bfs_tree(g, n, from), from, to);
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
namespace {

// Yen's algorithm, given the shortest path (empty: none).
std::vector<ClassPath> yen_paths(const ReachabilityGraph& graph, ClassPath first, std::size_t to, std::size_t k) {
    std::vector<ClassPath> found;
    if (k == 0 || first.empty()) return found;
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

}  // namespace

std::vector<ClassPath> k_shortest_paths(const ReachabilityGraph& graph, std::size_t from, std::size_t to,
                                        std::size_t k) {
    return yen_paths(graph, k == 0 ? ClassPath{} : shortest_path(graph, from, to), to, k);
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

namespace {

// The findings and blast radius of one start class.
struct StartResult {
    BlastRadius radius;
    std::vector<LateralFinding> findings;
};

StartResult analyse_start(const ReachabilityGraph& graph, const AllPairsReachability& reach, MinCutSolver& cuts,
                          std::size_t from, const std::vector<std::size_t>& targets, std::size_t max_paths) {
    StartResult out{blast_radius(graph, reach, from), {}};
    // One search from `from` gives the shortest path to every target (the same path a search
    // per pair would find).
    const auto tree = bfs_tree(graph.graph(), graph.class_count(), from);
    for (std::size_t to : targets) {
        if (from == to || !reach.reaches(from, to)) continue;
        out.findings.push_back({from, to, yen_paths(graph, path_in_tree(tree, from, to), to, max_paths), cuts.cut(from, to)});
    }
    return out;
}

}  // namespace

// Start classes are independent: each core takes the next one, with a cut solver of its own
// (a solver reuses its searches from one start class across its targets, and its flows through
// the hubs across all), and the report lists them in the order asked.
LateralReport analyse_lateral_movement(const ReachabilityGraph& graph, const LateralOptions& options) {
    LateralReport report;
    report.from = options.from.empty() ? graph.entry_classes() : options.from;
    report.to = options.to.empty() ? graph.protected_classes() : options.to;
    AllPairsReachability reach(graph.graph());
    std::vector<StartResult> results(report.from.size());
    const std::size_t max_paths = std::max<std::size_t>(1, options.max_paths);
    on_every_core_with_state(
        results.size(), [&] { return std::make_unique<MinCutSolver>(graph, CutMethod::fastest, &reach); },
        [&](auto& cuts, std::size_t i) { results[i] = analyse_start(graph, reach, *cuts, report.from[i], report.to, max_paths); });
    for (StartResult& r : results) {
        report.radius.push_back(std::move(r.radius));
        for (LateralFinding& f : r.findings) {
            if (graph.class_at(f.to).criticality == Criticality::life) report.reaches_life = true;
            report.findings.push_back(std::move(f));
        }
    }
    return report;
}

}  // namespace microseg
