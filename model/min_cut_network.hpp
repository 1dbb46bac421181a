#pragma once
// Internal to model/min_cut*.cpp: the flow network of a MinCutSolver and the searches its
// cuts share. One arc per (from, to) hop of the reachability graph.

#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <vector>

#include <boost/graph/compressed_sparse_row_graph.hpp>

#include "model/min_cut.hpp"

namespace microseg {

// Larger than any number of flows, and summable over a million edges without overflow.
inline constexpr std::int64_t kUncuttable = std::int64_t{1} << 40;
inline constexpr std::size_t kNone = std::numeric_limits<std::size_t>::max();

struct HopArc {
    std::size_t from = 0, to = 0;
    std::int64_t capacity = 0;  // its distinct flows, or kUncuttable
};

// What every cut from one class shares: the classes it reaches, and a breadth-first tree over
// them (the bound's residual search starts from it), numbered in preorder so that a subtree is
// a range of `preorder`.
struct SourceSearch {
    std::size_t from = kNone;
    std::vector<char> reaches;             // per class
    std::vector<std::size_t> reach_list;   // the same, ascending
    std::vector<std::size_t> tree_arc;     // per class: the arc that reaches it on the tree, or kNone
    std::vector<std::size_t> parent;       // per class: its parent on the tree, or kNone
    std::vector<std::size_t> bfs_order;    // the classes reached, in the order the search met them
    std::vector<std::size_t> pre;          // per class reached: its place in `preorder`
    std::vector<std::size_t> subtree;      // per class reached: its subtree's size
    std::vector<std::size_t> preorder;     // the classes reached, parents before children
    std::vector<std::size_t> child_start, children;  // per class: its children on the tree
    // Per class x: the arcs into x from the classes `from` has an arc to (its successors).
    std::vector<std::size_t> successor_arcs_start, successor_arcs;
};

// The buffers of one maximum-flow cut, kept between cuts (min_cut.cpp).
using FlowGraph = boost::compressed_sparse_row_graph<boost::directedS>;
using FlowEdge = boost::graph_traits<FlowGraph>::edge_descriptor;

struct FlowArc {
    std::size_t from = 0, to = 0;
    std::int64_t capacity = 0;
    std::size_t hop = 0;  // index into Network::hop_flows; unused for a reverse arc
    std::size_t id = 0;   // 2k and 2k + 1 are each other's reverse
};

struct MaxFlowScratch {
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
    std::vector<std::size_t> local;   // per class: its index in the cut's network (kNone between cuts)
    std::vector<std::size_t> global;  // the cut's network: its classes
    // The network last built, and the classes it was built for: on a dense policy most cuts
    // lie on (nearly) every class, the same set cut after cut; a cut of the same set only
    // resets the residuals.
    std::optional<FlowGraph> graph;
    std::vector<std::size_t> built_for;
};

// The buffers of the bound (min_cut_bound.cpp), kept between cuts. Marks are stamps: a class or
// arc is marked when its stamp equals the current one, so nothing is cleared between cuts.
struct BoundScratch {
    std::uint32_t stamp = 0;
    std::vector<std::uint32_t> node_mark;                                // per class
    std::vector<std::uint32_t> arc_mark;                                 // per hop arc
    std::vector<std::size_t> local_of;                                   // per class, valid when node_mark
    std::vector<std::int64_t> flow_on;                                   // per hop arc, valid when arc_mark
    std::vector<std::size_t> nodes;                                      // the local network's classes
    struct LocalArc {
        std::size_t from = 0, to = 0;
        std::int64_t residual = 0;
        std::size_t hop = kNone;  // kNone: a reverse arc
        std::size_t reverse = 0;
    };
    std::vector<LocalArc> arcs;
    std::vector<std::size_t> first, next_arc;  // per node: its arcs in CSR order
    std::vector<std::size_t> order;            // arcs sorted by tail
    std::vector<int> level;
    std::vector<std::size_t> queue, cursor, path;
    struct Doubt {
        std::size_t begin = 0, end = 0;  // the subtree's range of SourceSearch::preorder
        std::size_t root = 0;
    };
    std::vector<Doubt> doubt;          // subtrees of the tree from s not yet known to be reached
    std::vector<std::size_t> touched;  // the hops with flow (their flow_on), when a flow is found
    std::vector<std::size_t> layer, next_layer;  // the classes the network last grew by
};

// A hub (min_cut_hub.cpp): a well-connected class whose flows to and from the others, each
// proved once, bound the flow between any two others (a cut between s and t separates s from
// the hub or the hub from t).
struct HubFlows {
    static constexpr std::int64_t kNotYet = -2, kUnproved = -1;
    struct Known {
        std::int64_t value = kNotYet;  // the maximum flow, when proved
        bool source_alone = false, target_alone = false;  // as ProvenFlow
    };
    std::size_t hub = kNone;
    SourceSearch search;         // from the hub
    std::vector<Known> to_hub;   // per class s: s -> hub
    std::vector<Known> from_hub; // per class t: hub -> t
    std::vector<char> covers;    // per class s: the hub reaches every class s has an arc to (2: not yet known)
};

struct MinCutSolver::Network {
    std::size_t classes = 0;
    std::vector<HopArc> arcs;                                 // in (from, to) order
    std::vector<std::vector<std::size_t>> hop_flows;          // per arc: its flows, sorted
    std::vector<std::vector<std::size_t>> out_arcs, in_arcs;  // per class: arc indices
    const AllPairsReachability* all_pairs = nullptr;    // when given: answers `reaching`
    SourceSearch source;
    std::vector<std::unique_ptr<std::vector<char>>> reaching;  // per target: the classes that reach it
    MaxFlowScratch max_flow;
    BoundScratch bound;
    std::vector<HubFlows> hubs;
    // Per class: the flows of all its arcs out, and in, sorted; made when first asked for.
    std::vector<std::optional<std::vector<std::size_t>>> all_out_flows, all_in_flows;
    std::size_t by_hub = 0, by_bound = 0, by_max_flow = 0;

    // Classes reachable from `start` (itself included) along arcs, forwards or backwards.
    std::vector<char> closure(std::size_t start, bool forward) const;
    const std::vector<char>& reaching_of(std::size_t to);
    void search_from(std::size_t from);  // fills `source` unless it is already for `from`
    void search(SourceSearch& s, std::size_t from) const;
};

// What the bound proves about the maximum flow from `from` to `to` (min_cut_bound.cpp), with
// `source` the search from `from`: its value, and which of the two simple cuts is the one
// nearest `from` (neither: the maximum flow decides). Nothing when it cannot prove the value.
// The flow is sought near `to` (a budget of arcs: a cut of one pair among a million), or
// through the whole network if need be (a flow to or from a hub, shared by thousands of pairs).
struct ProvenFlow {
    std::int64_t value = 0;
    bool source_alone = false;  // `from`'s arcs (to classes on a path)
    bool target_alone = false;  // `to`'s arcs (from classes `from` reaches)
};
enum class FlowSearch { near_target, whole_network };
std::optional<ProvenFlow> prove_flow(MinCutSolver::Network& net, const SourceSearch& source, std::size_t from,
                                     std::size_t to, FlowSearch reach);
// The capacity of those two cuts; `to`'s reaching set must have been asked for (reaching_of).
std::pair<std::int64_t, std::int64_t> cut_bounds(const MinCutSolver::Network& net, const SourceSearch& source,
                                                 std::size_t from, std::size_t to);
MinCut source_alone_cut(MinCutSolver::Network& net, std::size_t from, const std::vector<char>& reaching);
MinCut target_alone_cut(MinCutSolver::Network& net, const SourceSearch& source, std::size_t to);

// The hubs of a network (min_cut_hub.cpp): the classes with the most capacity both ways.
std::vector<HubFlows> choose_hubs(const MinCutSolver::Network& net);
// The cut when the hubs decide it, nothing when they cannot; `net.source` is the search from
// `from`.
std::optional<MinCut> cut_by_hub(MinCutSolver::Network& net, std::size_t from, std::size_t to);

// The cut when the bound decides it (min_cut_bound.cpp), nothing when it cannot.
std::optional<MinCut> cut_by_bound(MinCutSolver::Network& net, std::size_t from, std::size_t to);
// The cut by a maximum flow (min_cut.cpp); always exact.
MinCut cut_by_max_flow(MinCutSolver::Network& net, std::size_t from, std::size_t to);

}  // namespace microseg
