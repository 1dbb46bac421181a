#include "model/lateral_paths.hpp"

#include <algorithm>
#include <limits>
#include <map>
#include <optional>
#include <set>

#include <boost/graph/boykov_kolmogorov_max_flow.hpp>
#include <boost/graph/compressed_sparse_row_graph.hpp>
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

// ---- minimum cut ----

namespace {

// Each cut builds a network of its own (see below): a compressed sparse row graph is a few
// flat arrays built in one go, where an adjacency_list allocates two edge vectors per class;
// building those was half the time of `paths` on a 2,000-class policy. The arcs' capacities,
// residuals and reverses are arrays indexed by the graph's edge index.
using FlowGraph = boost::compressed_sparse_row_graph<boost::directedS>;
using FlowEdge = boost::graph_traits<FlowGraph>::edge_descriptor;

struct FlowArc {
    std::size_t from = 0, to = 0;
    std::int64_t capacity = 0;
    std::size_t hop = 0;  // index into Network::hop_flows; unused for a reverse arc
    std::size_t id = 0;   // 2k and 2k + 1 are each other's reverse
};

// Larger than any number of flows, and summable over a million edges without overflow.
constexpr std::int64_t kUncuttable = std::int64_t{1} << 40;

// The buffers of one cut, kept between cuts: a few thousand cuts on a large policy each asked
// malloc for a dozen arrays.
struct CutScratch {
    std::vector<FlowArc> arcs;  // as gathered: each forward arc followed by its reverse
    std::vector<FlowArc> by_tail;
    std::vector<std::size_t> start;  // per node: where its arcs begin in by_tail
    std::vector<std::pair<std::size_t, std::size_t>> ends;
    std::vector<std::size_t> index_of_id;
    std::vector<std::int64_t> capacity, residual;
    std::vector<FlowEdge> reverse;
    std::vector<boost::default_color_type> colour;
    std::vector<char> source_side;
    std::vector<std::size_t> side_list;  // the source side's classes
    std::vector<std::size_t> stack;
    // The network last built, and the classes it was built for: on a dense policy most cuts
    // lie on (nearly) every class, the same set cut after cut, and building the network was
    // two thirds of `paths` on L (perf); a cut of the same set only resets the residuals.
    std::optional<FlowGraph> graph;
    std::vector<std::size_t> built_for;
};

// Orders the arcs by tail, keeping their order within a tail (a counting sort: the arcs come
// grouped by class already, and a comparison sort of them was a sixth of `paths` on a
// 2,000-class policy). The result's order is the graph's edge index order.
void sort_by_tail(std::size_t classes, CutScratch& w) {
    w.start.assign(classes + 1, 0);
    for (const FlowArc& a : w.arcs) ++w.start[a.from + 1];
    for (std::size_t v = 0; v < classes; ++v) w.start[v + 1] += w.start[v];
    w.by_tail.resize(w.arcs.size());
    for (const FlowArc& a : w.arcs) w.by_tail[w.start[a.from]++] = a;
}

// Builds the flow network of `classes` nodes whose arcs are in w.arcs into w.graph, with the
// arcs' capacities and reverses.
void build_network(std::size_t classes, CutScratch& w) {
    sort_by_tail(classes, w);
    const std::vector<FlowArc>& arcs = w.by_tail;
    w.ends.clear();
    w.index_of_id.resize(arcs.size());
    for (std::size_t i = 0; i < arcs.size(); ++i) {
        w.ends.emplace_back(arcs[i].from, arcs[i].to);
        w.index_of_id[arcs[i].id] = i;
    }
    w.graph.emplace(boost::edges_are_sorted, w.ends.begin(), w.ends.end(), classes);
    w.capacity.resize(arcs.size());
    w.reverse.resize(arcs.size());
    for (std::size_t i = 0; i < arcs.size(); ++i) {
        w.capacity[i] = arcs[i].capacity;
        const std::size_t r = w.index_of_id[arcs[i].id ^ 1];
        w.reverse[i] = FlowEdge(arcs[r].from, r);
    }
}

// The minimum cut between s and t of the network in w.graph: the flows of the arcs it cuts
// (`hop_flows` per arc's hop), or uncuttable.
MinCut min_cut(std::size_t classes, CutScratch& w, std::size_t s, std::size_t t,
               const std::vector<std::vector<std::size_t>>& hop_flows) {
    MinCut result;
    const FlowGraph& g = *w.graph;
    const std::vector<FlowArc>& arcs = w.by_tail;
    w.residual.resize(arcs.size());  // the max-flow sets every residual from its capacity
    auto edge_index = boost::get(boost::edge_index, g);
    w.colour.assign(classes, boost::white_color);
    auto vertex_index = boost::get(boost::vertex_index, g);
    std::int64_t flow = boost::boykov_kolmogorov_max_flow(
        g, boost::make_iterator_property_map(w.capacity.begin(), edge_index),
        boost::make_iterator_property_map(w.residual.begin(), edge_index),
        boost::make_iterator_property_map(w.reverse.begin(), edge_index),
        boost::make_iterator_property_map(w.colour.begin(), vertex_index), vertex_index, s, t);
    if (flow >= kUncuttable) {
        result.cuttable = false;
        return result;
    }
    // The source side: classes reachable from `from` through arcs with residual capacity left.
    w.source_side.assign(classes, 0);
    w.stack.assign(1, s);
    w.source_side[s] = 1;
    std::vector<std::size_t>& side = w.side_list;
    side.assign(1, s);
    while (!w.stack.empty()) {
        std::size_t u = w.stack.back();
        w.stack.pop_back();
        for (auto [it, end] = boost::out_edges(u, g); it != end; ++it) {
            std::size_t v = boost::target(*it, g);
            if (w.residual[boost::get(boost::edge_index, g, *it)] > 0 && !w.source_side[v]) {
                w.source_side[v] = 1;
                w.stack.push_back(v);
                side.push_back(v);
            }
        }
    }
    // The cut: arcs leaving the source side (an edge's index is its arc's place in by_tail).
    for (std::size_t u : side)
        for (auto [it, end] = boost::out_edges(u, g); it != end; ++it) {
            const FlowArc& arc = arcs[boost::get(boost::edge_index, g, *it)];
            if (arc.capacity == 0 || w.source_side[arc.to]) continue;
            const auto& flows = hop_flows[arc.hop];
            result.flows.insert(result.flows.end(), flows.begin(), flows.end());
        }
    std::sort(result.flows.begin(), result.flows.end());
    return result;
}

}  // namespace

// The hops as arcs; each cut runs the max-flow on a network of its own, made of the classes
// that lie on some path from `from` to `to` (reachable from `from` and reaching `to`). Arcs
// outside that set can carry no flow and never cross the minimal cut (the source side is the
// classes reachable in the residual network, and a residual path that leaves the set cannot
// come back), so the cut is the one of the whole graph; but a network of a few dozen classes
// is built and solved far faster than one of thousands, once per (from, to) pair.
struct MinCutSolver::Network {
    struct Arc {
        std::size_t from = 0, to = 0;
        std::int64_t capacity = 0;
    };
    std::size_t classes = 0;
    std::vector<Arc> arcs;                              // one per (from, to) hop, in (from, to) order
    std::vector<std::vector<std::size_t>> hop_flows;    // per arc: its flows, sorted
    std::vector<std::vector<std::size_t>> out_arcs, in_arcs;  // per class: arc indices
    std::size_t reach_from_class = std::numeric_limits<std::size_t>::max();
    std::vector<char> reach_from;                       // classes reachable from reach_from_class
    std::vector<std::size_t> reach_from_list;           // the same, as a sorted list
    std::vector<std::size_t> local;                     // per class: its index in the cut's network
    std::map<std::size_t, std::vector<char>> reaching;  // per target: the classes that reach it
    std::vector<std::size_t> global;                    // the cut's network: its classes
    CutScratch scratch;

    // Classes reachable from `start` (itself included) along arcs, forwards or backwards.
    std::vector<char> closure(std::size_t start, bool forward) const {
        std::vector<char> seen(classes, 0);
        std::vector<std::size_t> stack{start};
        seen[start] = 1;
        while (!stack.empty()) {
            std::size_t u = stack.back();
            stack.pop_back();
            for (std::size_t a : forward ? out_arcs[u] : in_arcs[u]) {
                std::size_t v = forward ? arcs[a].to : arcs[a].from;
                if (!seen[v]) {
                    seen[v] = 1;
                    stack.push_back(v);
                }
            }
        }
        return seen;
    }
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
            if (!rg[*it].has_flow()) implicit = true;  // L2 or DHCP: no flow to remove
            else flows.insert(rg[*it].flow);
        }
    }
    Network& net = *network_;
    net.classes = n;
    net.local.assign(n, std::numeric_limits<std::size_t>::max());
    net.out_arcs.resize(n);
    net.in_arcs.resize(n);
    for (const auto& [pair, info] : hops) {
        const auto& [implicit, flows] = info;
        std::int64_t capacity = implicit ? kUncuttable : static_cast<std::int64_t>(flows.size());
        net.out_arcs[pair.first].push_back(net.arcs.size());
        net.in_arcs[pair.second].push_back(net.arcs.size());
        net.arcs.push_back({pair.first, pair.second, capacity});
        net.hop_flows.push_back(implicit ? std::vector<std::size_t>{} : std::vector<std::size_t>(flows.begin(), flows.end()));
    }
}

MinCutSolver::~MinCutSolver() = default;

MinCut MinCutSolver::cut(std::size_t from, std::size_t to) {
    MinCut result;
    Network& net = *network_;
    if (from == to || net.classes < 2) return result;
    if (net.reach_from_class != from) {
        net.reach_from = net.closure(from, true);
        net.reach_from_class = from;
        net.reach_from_list.clear();
        for (std::size_t c = 0; c < net.classes; ++c)
            if (net.reach_from[c]) net.reach_from_list.push_back(c);
    }
    if (!net.reach_from[to]) return result;  // no path: nothing to cut
    auto reaching = net.reaching.find(to);
    if (reaching == net.reaching.end()) reaching = net.reaching.emplace(to, net.closure(to, false)).first;

    // The classes on some path from -> to, renumbered 0..k-1; arcs among them in (from, to) order.
    constexpr std::size_t outside = std::numeric_limits<std::size_t>::max();
    std::vector<std::size_t>& local = net.local;  // all `outside` between cuts
    std::vector<std::size_t>& global = net.global;
    // When the classes on a path are most of those reachable from `from` (a dense policy), the
    // network of all reachable classes gives the same cut (a class that does not reach `to`
    // carries no flow, and a residual path through it never comes back) and is built once per
    // `from`; otherwise the smaller network of the classes on a path is solved faster.
    std::size_t on_path = 0;
    for (std::size_t c : net.reach_from_list) on_path += reaching->second[c] ? 1 : 0;
    const bool whole = on_path * 4 >= net.reach_from_list.size() * 3;
    global.clear();
    for (std::size_t c : net.reach_from_list)
        if (whole || reaching->second[c]) {
            local[c] = global.size();
            global.push_back(c);
        }
    CutScratch& w = net.scratch;
    if (!w.graph || global != w.built_for) {
        w.arcs.clear();
        for (std::size_t c : global) {
            for (std::size_t a : net.out_arcs[c]) {
                const auto& arc = net.arcs[a];
                if (local[arc.to] == outside) continue;
                w.arcs.push_back({local[arc.from], local[arc.to], arc.capacity, a, w.arcs.size()});
                w.arcs.push_back({local[arc.to], local[arc.from], 0, outside, w.arcs.size()});
            }
        }
        build_network(global.size(), w);
        w.built_for = global;
    }
    const std::size_t s = local[from], t = local[to];
    for (std::size_t c : global) local[c] = outside;
    return min_cut(global.size(), w, s, t, net.hop_flows);
}


LateralReport analyse_lateral_movement(const ReachabilityGraph& graph, const LateralOptions& options) {
    LateralReport report;
    report.from = options.from.empty() ? graph.entry_classes() : options.from;
    report.to = options.to.empty() ? graph.protected_classes() : options.to;
    AllPairsReachability reach(graph.graph());
    MinCutSolver cuts(graph);
    for (std::size_t from : report.from) {
        report.radius.push_back(blast_radius(graph, reach, from));
        // One search from `from` gives the shortest path to every target (the same path a
        // search per pair would find).
        const auto tree = bfs_tree(graph.graph(), graph.class_count(), from);
        for (std::size_t to : report.to) {
            if (from == to || !reach.reaches(from, to)) continue;
            LateralFinding finding{from, to,
                                   yen_paths(graph, path_in_tree(tree, from, to), to, std::max<std::size_t>(1, options.max_paths)),
                                   cuts.cut(from, to)};
            if (graph.class_at(to).criticality == Criticality::life) report.reaches_life = true;
            report.findings.push_back(std::move(finding));
        }
    }
    return report;
}

}  // namespace microseg
