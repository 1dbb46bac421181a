// The minimum cut by its bound. No cut from s to t is smaller than the maximum flow, and none
// is larger than the arcs leaving s or those entering t (each towards or from a class on some
// s -> t path). On a dense policy one of those two is nearly always the minimum: a flow that
// large, found among s's and t's neighbours alone, proves it, and then the cut nearest s is
// either s alone (when s's arcs are the smaller) or every class but t, when the residual
// network still reaches each of them from s; this file checks that without a search of the
// whole network, starting from a breadth-first tree from s (SourceSearch) and re-checking only
// the classes below an arc the flow saturated. Whatever it cannot prove goes to the maximum
// flow over the whole network (min_cut.cpp), which gives the same cut, only slower.
#include <algorithm>

#include "model/min_cut_network.hpp"

namespace microseg {
namespace {

using LocalArc = BoundScratch::LocalArc;

struct Pair {
    const MinCutSolver::Network& net;
    const SourceSearch& source;
    const std::vector<char>& reaching;  // the classes that reach t
    std::size_t s = 0, t = 0;
    bool on_path(std::size_t c) const { return source.reaches[c] && reaching[c]; }
};

// Capacity of s's arcs to classes on a path, and of t's arcs from classes on a path.
std::pair<std::int64_t, std::int64_t> cut_bounds(const Pair& p) {
    std::int64_t out = 0, in = 0;
    for (std::size_t a : p.net.out_arcs[p.s])
        if (p.reaching[p.net.arcs[a].to]) out += p.net.arcs[a].capacity;
    for (std::size_t a : p.net.in_arcs[p.t])
        if (p.source.reaches[p.net.arcs[a].from]) in += p.net.arcs[a].capacity;
    return {out, in};
}

std::size_t add_node(BoundScratch& w, std::size_t c) {
    if (w.node_mark[c] != w.stamp) {
        w.node_mark[c] = w.stamp;
        w.local_of[c] = w.nodes.size();
        w.nodes.push_back(c);
    }
    return w.local_of[c];
}

void add_arc(BoundScratch& w, const MinCutSolver::Network& net, std::size_t hop) {
    if (w.arc_mark[hop] == w.stamp) return;
    w.arc_mark[hop] = w.stamp;
    w.flow_on[hop] = 0;
    const HopArc& arc = net.arcs[hop];
    std::size_t u = w.local_of[arc.from], v = w.local_of[arc.to];
    std::size_t i = w.arcs.size();
    w.arcs.push_back({u, v, arc.capacity, hop, i + 1});
    w.arcs.push_back({v, u, 0, kNone, i});
}

// Arcs from s's successors to local nodes `since` and after (SourceSearch::successor_arcs).
void link_successors(const Pair& p, BoundScratch& w, std::size_t since) {
    const SourceSearch& src = p.source;
    for (std::size_t i = since; i < w.nodes.size(); ++i) {
        std::size_t x = w.nodes[i];
        if (x == p.s) continue;
        for (std::size_t k = src.successor_arcs_start[x]; k < src.successor_arcs_start[x + 1]; ++k) {
            std::size_t a = src.successor_arcs[k];
            if (w.node_mark[p.net.arcs[a].from] == w.stamp) add_arc(w, p.net, a);
        }
    }
}

// The first network: s (local node 0), t (1), s's successors on a path, t's predecessors
// reached from s (the first backward layer), the arcs from s and into t, and the arcs among
// s's successors and from them into the layer.
void start_neighbourhood(const Pair& p, BoundScratch& w) {
    const auto& net = p.net;
    w.nodes.clear();
    w.arcs.clear();
    w.layer.clear();
    add_node(w, p.s);
    add_node(w, p.t);
    for (std::size_t a : net.out_arcs[p.s])
        if (p.reaching[net.arcs[a].to]) add_node(w, net.arcs[a].to), add_arc(w, net, a);
    for (std::size_t a : net.in_arcs[p.t]) {
        std::size_t u = net.arcs[a].from;
        if (!p.source.reaches[u]) continue;
        add_node(w, u);
        add_arc(w, net, a);
        if (u != p.s) w.layer.push_back(u);
    }
    link_successors(p, w, 0);
}

// Adds the next backward layer: the predecessors on a path of the last layer's classes, the
// arcs into the last layer, and the arcs from s's successors to the new classes. With
// `linked_only`, only the predecessors an arc from s's successors enters (the paths of four
// arcs, which nearly always suffice) and the layer stays, for a full step after.
void grow_backwards(const Pair& p, BoundScratch& w, bool linked_only) {
    const auto& net = p.net;
    const SourceSearch& src = p.source;
    const std::size_t before = w.nodes.size();
    w.next_layer.clear();
    for (std::size_t u : w.layer)
        for (std::size_t a : net.in_arcs[u]) {
            std::size_t q = net.arcs[a].from;
            if (q == p.t || !src.reaches[q]) continue;
            if (w.node_mark[q] != w.stamp) {
                if (linked_only && src.successor_arcs_start[q] == src.successor_arcs_start[q + 1]) continue;
                w.next_layer.push_back(q);
            }
            add_node(w, q);
            add_arc(w, net, a);
        }
    link_successors(p, w, before);
    if (!linked_only) w.layer.swap(w.next_layer);
}

// Arcs by tail: w.order, node n's arcs at w.order[w.first[n] .. w.first[n + 1]).
void index_by_tail(BoundScratch& w) {
    const std::size_t n = w.nodes.size();
    w.first.assign(n + 1, 0);
    for (const LocalArc& a : w.arcs) ++w.first[a.from + 1];
    for (std::size_t v = 0; v < n; ++v) w.first[v + 1] += w.first[v];
    w.order.resize(w.arcs.size());
    w.cursor.assign(w.first.begin(), w.first.end() - 1);
    for (std::size_t i = 0; i < w.arcs.size(); ++i) w.order[w.cursor[w.arcs[i].from]++] = i;
}

// Breadth-first levels from node 0 over arcs with residual capacity; true when node 1 is reached.
bool level_graph(BoundScratch& w) {
    w.level.assign(w.nodes.size(), -1);
    w.level[0] = 0;
    w.queue.assign(1, 0);
    for (std::size_t i = 0; i < w.queue.size(); ++i) {
        std::size_t u = w.queue[i];
        for (std::size_t k = w.first[u]; k < w.first[u + 1]; ++k) {
            const LocalArc& a = w.arcs[w.order[k]];
            if (a.residual > 0 && w.level[a.to] < 0) {
                w.level[a.to] = w.level[u] + 1;
                w.queue.push_back(a.to);
            }
        }
    }
    return w.level[1] >= 0;
}

// Pushes flow along level-increasing paths from node 0 to node 1 until none is left or
// `wanted` more has gone (Dinic's blocking flow); returns how much went.
std::int64_t blocking_flow(BoundScratch& w, std::int64_t wanted) {
    std::int64_t sent = 0;
    w.cursor.assign(w.first.begin(), w.first.end() - 1);
    w.path.clear();
    std::size_t u = 0;
    while (sent < wanted) {
        if (u == 1) {
            std::int64_t push = wanted - sent;
            for (std::size_t a : w.path) push = std::min(push, w.arcs[a].residual);
            for (std::size_t a : w.path) {
                w.arcs[a].residual -= push;
                w.arcs[w.arcs[a].reverse].residual += push;
            }
            sent += push;
            w.path.clear();
            u = 0;
            continue;
        }
        bool advanced = false;
        for (; w.cursor[u] < w.first[u + 1]; ++w.cursor[u]) {
            std::size_t a = w.order[w.cursor[u]];
            if (w.arcs[a].residual > 0 && w.level[w.arcs[a].to] == w.level[u] + 1) {
                w.path.push_back(a);
                u = w.arcs[a].to;
                advanced = true;
                break;
            }
        }
        if (advanced) continue;
        w.level[u] = -1;  // a dead end for the rest of this phase
        if (w.path.empty()) break;
        u = w.arcs[w.path.back()].from;
        w.path.pop_back();
        ++w.cursor[u];
    }
    return sent;
}

// More flow from s to t in the local network, on top of what its residuals already carry,
// stopping once `wanted` more has gone (Dinic's algorithm).
std::int64_t augment(BoundScratch& w, std::int64_t wanted) {
    index_by_tail(w);
    std::int64_t flow = 0;
    while (flow < wanted && level_graph(w)) {
        std::int64_t sent = blocking_flow(w, wanted - flow);
        if (sent == 0) break;
        flow += sent;
    }
    return flow;
}

// Whether a flow of `bound` goes from s to t through a neighbourhood of t grown backwards layer
// by layer (most flows on a dense policy take few hops), within a budget of arcs; then each
// hop's flow is in w.flow_on.
bool neighbourhood_carries(const Pair& p, BoundScratch& w, std::int64_t bound, FlowSearch reach) {
    const std::size_t budget =
        reach == FlowSearch::whole_network ? p.net.arcs.size() * 2 : std::max<std::size_t>(4096, p.net.arcs.size() / 8);
    start_neighbourhood(p, w);
    std::int64_t flow = augment(w, bound);
    for (int step = 0; flow < bound; ++step) {
        if (w.layer.empty() || w.arcs.size() > budget) return false;
        grow_backwards(p, w, step == 0);
        flow += augment(w, bound - flow);
    }
    w.touched.clear();
    for (const LocalArc& a : w.arcs)
        if (a.hop != kNone) {
            w.flow_on[a.hop] = p.net.arcs[a.hop].capacity - a.residual;
            if (w.flow_on[a.hop] > 0) w.touched.push_back(a.hop);
        }
    return true;
}

// Whether class u is known to be reachable from s in the residual network: on a path, not t,
// and below no doubtful subtree root that is not confirmed yet (t's children are such roots).
bool confirmed(const Pair& p, const BoundScratch& w, std::size_t u) {
    if (u == p.t || !p.on_path(u)) return false;
    const std::size_t at = p.source.pre[u];
    for (const auto& d : w.doubt)
        if (d.begin <= at && at < d.end) return false;
    return true;
}

// Whether some residual arc enters v from a confirmed class: a hop u -> v with capacity left,
// or a hop v -> u that carries flow (its reverse).
bool residual_arc_from_confirmed(const Pair& p, const BoundScratch& w, std::size_t v) {
    const auto& net = p.net;
    auto left = [&](std::size_t a) { return net.arcs[a].capacity - (w.arc_mark[a] == w.stamp ? w.flow_on[a] : 0); };
    for (std::size_t a : net.in_arcs[v])
        if (left(a) > 0 && confirmed(p, w, net.arcs[a].from)) return true;
    for (std::size_t a : net.out_arcs[v])
        if (w.arc_mark[a] == w.stamp && w.flow_on[a] > 0 && confirmed(p, w, net.arcs[a].to)) return true;
    return false;
}

void add_doubt(const Pair& p, BoundScratch& w, std::size_t root) {
    if (root == p.t || !p.reaching[root]) return;  // nothing below it reaches t
    const std::size_t begin = p.source.pre[root];
    for (const auto& d : w.doubt)
        if (d.begin == begin) return;
    w.doubt.push_back({begin, begin + p.source.subtree[root], root});
}

// True when the residual network of the flow in w.flow_on reaches every class on a path but t
// from s. A class is reached when its path on the breadth-first tree is: every arc of it keeps
// capacity and it avoids t. The tree is cut only below an arc the flow saturates and below t;
// each such subtree's root is doubtful until a residual arc from a reached class enters it.
bool residual_reaches_all_but_t(const Pair& p, BoundScratch& w) {
    const SourceSearch& src = p.source;
    w.doubt.clear();
    for (std::size_t k = src.child_start[p.t]; k < src.child_start[p.t + 1]; ++k) add_doubt(p, w, src.children[k]);
    for (std::size_t a : w.touched) {
        if (w.flow_on[a] < p.net.arcs[a].capacity) continue;  // capacity left
        std::size_t head = p.net.arcs[a].to;
        if (src.tree_arc[head] == a) add_doubt(p, w, head);
    }
    for (bool progress = true; progress && !w.doubt.empty();) {
        progress = false;
        for (std::size_t i = 0; i < w.doubt.size();) {
            if (!residual_arc_from_confirmed(p, w, w.doubt[i].root)) {
                ++i;
                continue;
            }
            w.doubt[i] = w.doubt.back();
            w.doubt.pop_back();
            progress = true;
        }
    }
    return w.doubt.empty();
}

// The flows of the given arcs, sorted (a flow twice when two of its hops are cut, as the
// maximum-flow cut lists them).
template <class Keep>
MinCut flows_of(const MinCutSolver::Network& net, const std::vector<std::size_t>& arcs, Keep keep) {
    MinCut cut;
    for (std::size_t a : arcs)
        if (keep(net.arcs[a])) cut.flows.insert(cut.flows.end(), net.hop_flows[a].begin(), net.hop_flows[a].end());
    std::sort(cut.flows.begin(), cut.flows.end());
    return cut;
}

void next_stamp(MinCutSolver::Network& net) {
    BoundScratch& w = net.bound;
    if (w.node_mark.size() != net.classes || ++w.stamp == 0) {
        w.node_mark.assign(net.classes, 0);
        w.local_of.assign(net.classes, 0);
        w.arc_mark.assign(net.arcs.size(), 0);
        w.flow_on.assign(net.arcs.size(), 0);
        w.stamp = 1;
    }
}

}  // namespace

std::optional<ProvenFlow> prove_flow(MinCutSolver::Network& net, const SourceSearch& source, std::size_t from,
                                     std::size_t to, FlowSearch reach) {
    const Pair p{net, source, net.reaching_of(to), from, to};
    const auto [out, in] = cut_bounds(p);
    const std::int64_t bound = std::min(out, in);
    if (bound >= kUncuttable) return std::nullopt;  // maybe uncuttable: the maximum flow decides
    next_stamp(net);
    BoundScratch& w = net.bound;
    if (!neighbourhood_carries(p, w, bound, reach)) return std::nullopt;
    ProvenFlow proven{bound, out <= in, false};
    if (!proven.source_alone) proven.target_alone = residual_reaches_all_but_t(p, w);
    return proven;
}

std::pair<std::int64_t, std::int64_t> cut_bounds(const MinCutSolver::Network& net, const SourceSearch& source,
                                                 std::size_t from, std::size_t to) {
    return cut_bounds(Pair{net, source, *net.reaching.at(to), from, to});
}

namespace {

// The flows of the arcs that count; when all do (the usual case), those of all of them, made
// once into `all`.
template <class Counts>
MinCut cut_of_arcs(const MinCutSolver::Network& net, const std::vector<std::size_t>& arcs, Counts counts,
                   std::optional<std::vector<std::size_t>>& all) {
    if (!std::all_of(arcs.begin(), arcs.end(), [&](std::size_t a) { return counts(net.arcs[a]); }))
        return flows_of(net, arcs, counts);
    if (!all) all = flows_of(net, arcs, [](const HopArc&) { return true; }).flows;
    return MinCut{true, *all};
}

}  // namespace

MinCut source_alone_cut(MinCutSolver::Network& net, std::size_t from, const std::vector<char>& reaching) {
    return cut_of_arcs(net, net.out_arcs[from], [&](const HopArc& a) { return reaching[a.to] != 0; },
                       net.all_out_flows[from]);
}

MinCut target_alone_cut(MinCutSolver::Network& net, const SourceSearch& source, std::size_t to) {
    return cut_of_arcs(net, net.in_arcs[to], [&](const HopArc& a) { return source.reaches[a.from] != 0; },
                       net.all_in_flows[to]);
}

std::optional<MinCut> cut_by_bound(MinCutSolver::Network& net, std::size_t from, std::size_t to) {
    const auto proven = prove_flow(net, net.source, from, to, FlowSearch::near_target);
    if (!proven) return std::nullopt;
    // s alone is a minimum cut, and no source side is smaller
    if (proven->source_alone) return source_alone_cut(net, from, net.reaching_of(to));
    if (proven->target_alone) return target_alone_cut(net, net.source, to);
    return std::nullopt;
}

}  // namespace microseg
