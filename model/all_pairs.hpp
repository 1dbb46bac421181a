#pragma once
// All-pairs reachability over the reachability graph, in one pass: the strongly connected
// components (boost::strong_components, Tarjan) condense the graph into a DAG, then one bitset
// per component is closed over that DAG in reverse topological order. Memory is one bit per
// (component, component) pair: 10,000 classes take 12.5 MB at worst.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "model/reachability.hpp"

namespace microseg {

class AllPairsReachability {
public:
    explicit AllPairsReachability(const ReachGraph& g);

    // `from` reaches `to` in one or more hops. A class reaches itself only through a cycle
    // (a self loop counts).
    bool reaches(std::size_t from, std::size_t to) const;
    // Every class `from` reaches in one or more hops, sorted.
    std::vector<std::size_t> reachable_from(std::size_t from) const;
    // The number of (from, to) pairs with reaches(from, to).
    std::size_t reachable_pair_count() const;

    std::size_t component_count() const { return members_.size(); }
    std::size_t component_of(std::size_t v) const { return component_[v]; }

private:
    bool bit(std::size_t from_component, std::size_t to_component) const {
        return (reach_[from_component * words_ + to_component / 64] >> (to_component % 64)) & 1u;
    }

    std::vector<std::size_t> component_;             // per vertex
    std::vector<std::vector<std::size_t>> members_;  // per component, sorted
    std::size_t words_ = 0;                          // 64-bit words per component row
    std::vector<std::uint64_t> reach_;               // row c: components reachable from c
};

}  // namespace microseg
