// Cuts through a hub. For any class h other than s and t, a cut between s and t separates s
// from h or h from t, so the maximum flow s -> t is at least the smaller of the flows s -> h and
// h -> t; it is at most the capacity of s's arcs (out) and of t's arcs (in). When the flows
// through a hub reach min(out, in), that is the maximum flow, and which cut is nearest s follows:
// - out <= in: s alone (min_cut_bound.cpp says why no source side is smaller);
// - in < out: t's arcs are the cut nearest s when every class v on a path but t stays on s's
//   side, that is when the flow from s to {v, t} exceeds in. Through the hub that flow is at
//   least min(flow s -> h, flow h -> {v, t}); the first exceeds in when s -> h does (also for
//   v = h), and the second exceeds flow h -> t >= in for every v on the hub's side of the cut
//   nearest the hub, which is every class but t when that cut is t's arcs alone (`target_alone`)
//   and the hub reaches every class s has an arc to (so s's classes are among the hub's).
// A pair that starts or ends at a hub is the hub's own flow. Each flow to or from a hub is
// proved once by the bound (min_cut_bound.cpp, searching the whole network if need be) and
// kept, so a pair costs two lookups instead of a flow: on a dense policy with 250 start classes
// and 1,000 targets, 1,250 flows instead of 250,000.
#include <algorithm>

#include "model/min_cut_network.hpp"

namespace microseg {
namespace {

constexpr std::size_t kHubs = 2;  // a second one for the pairs that start or end at the first

std::int64_t finite_capacity(const MinCutSolver::Network& net, const std::vector<std::size_t>& arcs) {
    std::int64_t sum = 0;
    for (std::size_t a : arcs)
        if (net.arcs[a].capacity < kUncuttable) sum += net.arcs[a].capacity;
    return sum;
}

HubFlows::Known known_of(const std::optional<ProvenFlow>& proven) {
    if (!proven) return {HubFlows::kUnproved};
    return {proven->value, proven->source_alone, proven->target_alone};
}

// s -> hub; `net.source` is the search from s.
const HubFlows::Known& flow_to_hub(MinCutSolver::Network& net, HubFlows& hub, std::size_t from) {
    HubFlows::Known& known = hub.to_hub[from];
    if (known.value == HubFlows::kNotYet)
        known = known_of(prove_flow(net, net.source, from, hub.hub, FlowSearch::whole_network));
    return known;
}

const HubFlows::Known& flow_from_hub(MinCutSolver::Network& net, HubFlows& hub, std::size_t to) {
    HubFlows::Known& known = hub.from_hub[to];
    if (known.value == HubFlows::kNotYet) {
        if (hub.search.from != hub.hub) net.search(hub.search, hub.hub);
        known = known_of(prove_flow(net, hub.search, hub.hub, to, FlowSearch::whole_network));
    }
    return known;
}

// Whether every class s reaches, but s, the hub reaches too (then so does each class on a path
// from s): true when the hub reaches each class s has an arc to.
bool hub_covers(const MinCutSolver::Network& net, HubFlows& hub, std::size_t from) {
    char& known = hub.covers[from];
    if (known == 2) {
        const auto& arcs = net.out_arcs[from];
        known = std::all_of(arcs.begin(), arcs.end(), [&](std::size_t a) {
            return net.arcs[a].to == from || hub.search.reaches[net.arcs[a].to];
        });
    }
    return known != 0;
}

// The cut of a pair that starts or ends at the hub: the flow to or from the hub is the pair's.
std::optional<MinCut> cut_at_hub(MinCutSolver::Network& net, const HubFlows::Known& known, std::size_t from,
                                 std::size_t to) {
    if (known.value < 0) return std::nullopt;
    if (known.source_alone) return source_alone_cut(net, from, net.reaching_of(to));
    if (known.target_alone) return target_alone_cut(net, net.source, to);
    return std::nullopt;
}

}  // namespace

std::vector<HubFlows> choose_hubs(const MinCutSolver::Network& net) {
    std::vector<std::pair<std::int64_t, std::size_t>> by_capacity;
    for (std::size_t c = 0; c < net.classes; ++c)
        by_capacity.emplace_back(std::min(finite_capacity(net, net.out_arcs[c]), finite_capacity(net, net.in_arcs[c])), c);
    const std::size_t count = std::min(kHubs, by_capacity.size());
    std::partial_sort(by_capacity.begin(), by_capacity.begin() + static_cast<std::ptrdiff_t>(count), by_capacity.end(),
                      [](const auto& a, const auto& b) { return a.first != b.first ? a.first > b.first : a.second < b.second; });
    std::vector<HubFlows> hubs(count);
    for (std::size_t i = 0; i < count; ++i) {
        hubs[i].hub = by_capacity[i].second;
        hubs[i].to_hub.assign(net.classes, {});
        hubs[i].from_hub.assign(net.classes, {});
        hubs[i].covers.assign(net.classes, 2);
    }
    return hubs;
}

std::optional<MinCut> cut_by_hub(MinCutSolver::Network& net, std::size_t from, std::size_t to) {
    const std::vector<char>& reaching = net.reaching_of(to);
    const auto [out, in] = cut_bounds(net, net.source, from, to);
    const std::int64_t bound = std::min(out, in);
    if (bound >= kUncuttable) return std::nullopt;
    for (HubFlows& hub : net.hubs) {
        if (hub.hub == from) {
            if (auto cut = cut_at_hub(net, flow_from_hub(net, hub, to), from, to)) return cut;
            continue;
        }
        if (hub.hub == to) {
            if (auto cut = cut_at_hub(net, flow_to_hub(net, hub, from), from, to)) return cut;
            continue;
        }
        const std::int64_t to_hub = flow_to_hub(net, hub, from).value;
        if (to_hub < bound || flow_from_hub(net, hub, to).value < bound) continue;
        if (out <= in) return source_alone_cut(net, from, reaching);
        if (to_hub > in && hub.from_hub[to].target_alone && hub_covers(net, hub, from))
            return target_alone_cut(net, net.source, to);
    }
    return std::nullopt;
}

}  // namespace microseg
