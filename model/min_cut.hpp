#pragma once
// The minimum set of flows whose removal cuts every path from one class to another: a minimum
// cut of the reachability graph where each hop's capacity is its number of distinct explicit
// flows (a stateless reply counts as its flow) and a hop with an implicit edge (shared VLAN,
// DHCP) cannot be cut. The cut reported is the one nearest the source (the classes reachable
// from `from` in the residual network of a maximum flow), which every maximum flow gives alike.

#include <cstddef>
#include <memory>
#include <vector>

#include "model/all_pairs.hpp"
#include "model/reachability.hpp"

namespace microseg {

struct MinCut {
    bool cuttable = true;            // false when implicit edges alone connect the pair
    std::vector<std::size_t> flows;  // indices into Policy::flows, sorted; empty if not cuttable
};

// How a cut is found. `fastest` first tries flows through a hub (min_cut_hub.cpp), then a bound
// (min_cut_bound.cpp), and falls back to a maximum flow over the whole network; `max_flow_only` always runs the maximum flow (tests
// compare the two).
enum class CutMethod { fastest, max_flow_only };

// Minimum cuts between any pairs of one graph; builds the flow network once. Cuts from the
// same `from` in a row reuse its searches, so ask them grouped by `from`. Not thread-safe: one
// solver per thread.
class MinCutSolver {
public:
    // With `reach` (of the same graph, outliving the solver), which classes reach a target is
    // looked up instead of searched: once per target and solver, 1,000 searches of a large
    // graph otherwise.
    explicit MinCutSolver(const ReachabilityGraph& graph, CutMethod method = CutMethod::fastest,
                          const AllPairsReachability* reach = nullptr);
    ~MinCutSolver();
    MinCutSolver(const MinCutSolver&) = delete;
    MinCutSolver& operator=(const MinCutSolver&) = delete;

    MinCut cut(std::size_t from, std::size_t to);

    // How many cuts the hubs decided, the bound, and how many needed the maximum flow.
    std::size_t cuts_by_hub() const;
    std::size_t cuts_by_bound() const;
    std::size_t cuts_by_max_flow() const;

    struct Network;

private:
    std::unique_ptr<Network> network_;
    CutMethod method_;
};

}  // namespace microseg
