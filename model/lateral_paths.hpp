#pragma once
// Lateral-movement analyses over the reachability graph: the shortest path and the K shortest
// simple paths from an entry class to a protected class (breadth-first search; Yen's algorithm
// over BFS for K), the blast radius of an entry class, and the minimum set of flows whose
// removal cuts every path (model/min_cut.hpp).

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "model/all_pairs.hpp"
#include "model/min_cut.hpp"
#include "model/reachability.hpp"

namespace microseg {

// The classes of a path, the start first. A path is simple: no class appears twice, so it never
// starts a second time from its entry class, and a self loop is never a path.
using ClassPath = std::vector<std::size_t>;

// The shortest path (fewest hops) from `from` to `to`, or empty when there is none or
// from == to.
ClassPath shortest_path(const ReachabilityGraph& graph, std::size_t from, std::size_t to);

// Up to `k` distinct simple paths, shortest first (ties in discovery order).
std::vector<ClassPath> k_shortest_paths(const ReachabilityGraph& graph, std::size_t from, std::size_t to,
                                        std::size_t k);

// Each hop of a path with its services and reasons.
std::vector<Hop> hops_of(const ReachabilityGraph& graph, const ClassPath& path);

struct BlastRadius {
    std::size_t entry = 0;
    std::vector<std::size_t> classes;  // reachable in one or more hops (the entry itself through a cycle)
    std::int64_t devices = 0;          // devices of those classes
    std::vector<std::size_t> one_hop_classes;
    std::int64_t one_hop_devices = 0;
};

BlastRadius blast_radius(const ReachabilityGraph& graph, const AllPairsReachability& reach, std::size_t entry);

struct LateralOptions {
    std::vector<std::size_t> from;  // empty: every entry class
    std::vector<std::size_t> to;    // empty: every protected class
    std::size_t max_paths = 1;      // paths listed per pair
};

struct LateralFinding {
    std::size_t from = 0;
    std::size_t to = 0;
    std::vector<ClassPath> paths;  // shortest first, at least one
    MinCut cut;
};

struct LateralReport {
    std::vector<std::size_t> from;         // the start classes analysed
    std::vector<std::size_t> to;           // the target classes analysed
    std::vector<LateralFinding> findings;  // one per reachable (from, to) pair, from != to
    std::vector<BlastRadius> radius;       // one per start class
    bool reaches_life = false;             // some finding ends at a `life` class
};

LateralReport analyse_lateral_movement(const ReachabilityGraph& graph, const LateralOptions& options = {});

}  // namespace microseg
