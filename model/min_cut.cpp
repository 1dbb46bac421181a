#include "model/min_cut.hpp"

#include <algorithm>
#include <set>

#include <boost/graph/boykov_kolmogorov_max_flow.hpp>

#include "model/min_cut_network.hpp"

namespace microseg {

// ---- the network and the searches cuts share ----

std::vector<char> MinCutSolver::Network::closure(std::size_t start, bool forward) const {
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

const std::vector<char>& MinCutSolver::Network::reaching_of(std::size_t to) {
    auto& known = reaching[to];
    if (known) return *known;
    if (!all_pairs) return *(known = std::make_unique<std::vector<char>>(closure(to, false)));
    known = std::make_unique<std::vector<char>>(classes, 0);
    for (std::size_t c = 0; c < classes; ++c) (*known)[c] = c == to || all_pairs->reaches(c, to);
    return *known;
}

namespace {

// Numbers the tree's classes in preorder (children in the order the search found them) and
// records each subtree's size.
void number_tree(SourceSearch& s, std::size_t classes) {
    std::vector<std::size_t>& child_start = s.child_start;
    std::vector<std::size_t>& children = s.children;
    child_start.assign(classes + 1, 0);
    for (std::size_t c : s.reach_list)
        if (c != s.from) ++child_start[s.parent[c] + 1];
    for (std::size_t v = 0; v < classes; ++v) child_start[v + 1] += child_start[v];
    children.resize(child_start[classes]);
    std::vector<std::size_t> fill(child_start.begin(), child_start.end() - 1);
    for (std::size_t c : s.bfs_order)
        if (c != s.from) children[fill[s.parent[c]]++] = c;
    s.preorder.clear();
    std::vector<std::size_t> stack{s.from};
    while (!stack.empty()) {
        std::size_t u = stack.back();
        stack.pop_back();
        s.pre[u] = s.preorder.size();
        s.preorder.push_back(u);
        for (std::size_t i = child_start[u + 1]; i-- > child_start[u];) stack.push_back(children[i]);
    }
    for (std::size_t i = s.preorder.size(); i-- > 0;) {
        std::size_t u = s.preorder[i];
        s.subtree[u] += 1;
        if (u != s.from) s.subtree[s.parent[u]] += s.subtree[u];
    }
}

// SourceSearch::successor_arcs: the arcs leaving `from`'s successors, grouped by head.
void index_successor_arcs(const MinCutSolver::Network& net, SourceSearch& s) {
    s.successor_arcs_start.assign(net.classes + 1, 0);
    for (std::size_t first : net.out_arcs[s.from])
        for (std::size_t a : net.out_arcs[net.arcs[first].to]) ++s.successor_arcs_start[net.arcs[a].to + 1];
    for (std::size_t v = 0; v < net.classes; ++v) s.successor_arcs_start[v + 1] += s.successor_arcs_start[v];
    s.successor_arcs.resize(s.successor_arcs_start[net.classes]);
    std::vector<std::size_t> fill(s.successor_arcs_start.begin(), s.successor_arcs_start.end() - 1);
    for (std::size_t first : net.out_arcs[s.from])
        for (std::size_t a : net.out_arcs[net.arcs[first].to]) s.successor_arcs[fill[net.arcs[a].to]++] = a;
}

}  // namespace

void MinCutSolver::Network::search_from(std::size_t from) {
    if (source.from != from) search(source, from);
}

void MinCutSolver::Network::search(SourceSearch& s, std::size_t from) const {
    s.from = from;
    s.reaches.assign(classes, 0);
    s.tree_arc.assign(classes, kNone);
    s.parent.assign(classes, kNone);
    s.pre.assign(classes, kNone);
    s.subtree.assign(classes, 0);
    s.bfs_order.assign(1, from);
    s.reaches[from] = 1;
    for (std::size_t i = 0; i < s.bfs_order.size(); ++i) {
        std::size_t u = s.bfs_order[i];
        for (std::size_t a : out_arcs[u]) {
            std::size_t v = arcs[a].to;
            if (s.reaches[v]) continue;
            s.reaches[v] = 1;
            s.tree_arc[v] = a;
            s.parent[v] = u;
            s.bfs_order.push_back(v);
        }
    }
    s.reach_list = s.bfs_order;
    std::sort(s.reach_list.begin(), s.reach_list.end());
    number_tree(s, classes);
    index_successor_arcs(*this, s);
}

// ---- the maximum flow ----

namespace {

// Orders the arcs by tail, keeping their order within a tail (a counting sort: the arcs come
// grouped by class already, and a comparison sort of them was a sixth of `paths` on a
// 2,000-class policy). The result's order is the graph's edge index order.
void sort_by_tail(std::size_t classes, MaxFlowScratch& w) {
    w.start.assign(classes + 1, 0);
    for (const FlowArc& a : w.arcs) ++w.start[a.from + 1];
    for (std::size_t v = 0; v < classes; ++v) w.start[v + 1] += w.start[v];
    w.by_tail.resize(w.arcs.size());
    for (const FlowArc& a : w.arcs) w.by_tail[w.start[a.from]++] = a;
}

// Builds the flow network of `classes` nodes whose arcs are in w.arcs into w.graph (a
// compressed sparse row graph: a few flat arrays built in one go, where an adjacency_list
// allocated two edge vectors per class), with the arcs' capacities and reverses in arrays
// indexed by the graph's edge index.
void build_network(std::size_t classes, MaxFlowScratch& w) {
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

// The source side of the network in w.graph after its maximum flow: the classes reachable
// from s through arcs with residual capacity left, into w.source_side and w.side_list.
void mark_source_side(std::size_t classes, MaxFlowScratch& w, std::size_t s) {
    const FlowGraph& g = *w.graph;
    w.source_side.assign(classes, 0);
    w.stack.assign(1, s);
    w.source_side[s] = 1;
    w.side_list.assign(1, s);
    while (!w.stack.empty()) {
        std::size_t u = w.stack.back();
        w.stack.pop_back();
        for (auto [it, end] = boost::out_edges(u, g); it != end; ++it) {
            std::size_t v = boost::target(*it, g);
            if (w.residual[boost::get(boost::edge_index, g, *it)] > 0 && !w.source_side[v]) {
                w.source_side[v] = 1;
                w.stack.push_back(v);
                w.side_list.push_back(v);
            }
        }
    }
}

// The minimum cut between s and t of the network in w.graph: the flows of the arcs it cuts
// (`hop_flows` per arc's hop), or uncuttable.
MinCut solve(std::size_t classes, MaxFlowScratch& w, std::size_t s, std::size_t t,
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
    mark_source_side(classes, w, s);
    // The cut: arcs leaving the source side (an edge's index is its arc's place in by_tail).
    for (std::size_t u : w.side_list)
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

// The max-flow runs on a network of the classes that lie on some path from `from` to `to`
// (reachable from `from` and reaching `to`). Arcs outside that set can carry no flow and never
// cross the minimal cut (the source side is the classes reachable in the residual network, and
// a residual path that leaves the set cannot come back), so the cut is the one of the whole
// graph; but a network of a few dozen classes is built and solved far faster than one of
// thousands. When the classes on a path are most of those reachable from `from` (a dense
// policy), the network of all reachable classes gives the same cut (a class that does not
// reach `to` carries no flow, and a residual path through it never comes back) and is built
// once per `from`.
MinCut cut_by_max_flow(MinCutSolver::Network& net, std::size_t from, std::size_t to) {
    const SourceSearch& source = net.source;
    const std::vector<char>& reaching = net.reaching_of(to);
    MaxFlowScratch& w = net.max_flow;
    std::size_t on_path = 0;
    for (std::size_t c : source.reach_list) on_path += reaching[c] ? 1 : 0;
    const bool whole = on_path * 4 >= source.reach_list.size() * 3;
    w.local.resize(net.classes, kNone);  // all kNone between cuts
    w.global.clear();
    for (std::size_t c : source.reach_list)
        if (whole || reaching[c]) {
            w.local[c] = w.global.size();
            w.global.push_back(c);
        }
    if (!w.graph || w.global != w.built_for) {
        w.arcs.clear();
        for (std::size_t c : w.global) {
            for (std::size_t a : net.out_arcs[c]) {
                const HopArc& arc = net.arcs[a];
                if (w.local[arc.to] == kNone) continue;
                w.arcs.push_back({w.local[arc.from], w.local[arc.to], arc.capacity, a, w.arcs.size()});
                w.arcs.push_back({w.local[arc.to], w.local[arc.from], 0, kNone, w.arcs.size()});
            }
        }
        build_network(w.global.size(), w);
        w.built_for = w.global;
    }
    const std::size_t s = w.local[from], t = w.local[to];
    for (std::size_t c : w.global) w.local[c] = kNone;
    return solve(w.global.size(), w, s, t, net.hop_flows);
}

// ---- the solver ----

// One arc per (from, to) hop: capacity = its number of distinct flows, or uncuttable when an
// implicit edge also joins the pair. Self loops never lie on a path and are left out.
MinCutSolver::MinCutSolver(const ReachabilityGraph& graph, CutMethod method, const AllPairsReachability* reach)
    : network_(std::make_unique<Network>()), method_(method) {
    network_->all_pairs = reach;
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
    net.hubs = choose_hubs(net);
    net.reaching.resize(n);
    net.all_out_flows.resize(n);
    net.all_in_flows.resize(n);
}

MinCutSolver::~MinCutSolver() = default;

MinCut MinCutSolver::cut(std::size_t from, std::size_t to) {
    Network& net = *network_;
    if (from == to || net.classes < 2) return {};
    net.search_from(from);
    if (!net.source.reaches[to]) return {};  // no path: nothing to cut
    if (method_ == CutMethod::fastest) {
        if (auto cut = cut_by_hub(net, from, to)) {
            ++net.by_hub;
            return std::move(*cut);
        }
        if (auto cut = cut_by_bound(net, from, to)) {
            ++net.by_bound;
            return std::move(*cut);
        }
    }
    ++net.by_max_flow;
    return cut_by_max_flow(net, from, to);
}

std::size_t MinCutSolver::cuts_by_hub() const { return network_->by_hub; }
std::size_t MinCutSolver::cuts_by_bound() const { return network_->by_bound; }
std::size_t MinCutSolver::cuts_by_max_flow() const { return network_->by_max_flow; }

}  // namespace microseg
