#include "model/all_pairs.hpp"

#include <algorithm>
#include <bit>
#include <stdexcept>
#include <utility>

#include <boost/graph/strong_components.hpp>

namespace microseg {

namespace {

// Condensed edges (c -> d, c != d), sorted and unique; `cyclic` marks components with a cycle.
std::vector<std::pair<std::size_t, std::size_t>> condense(const ReachGraph& g,
                                                          const std::vector<std::size_t>& component,
                                                          std::vector<bool>& cyclic) {
    std::vector<std::pair<std::size_t, std::size_t>> edges;
    // Out-edge lists rather than boost::edges(): GCC 12 warns inside Boost 1.74's edge iterator.
    for (std::size_t u = 0; u < boost::num_vertices(g); ++u) {
        for (auto [it, end] = boost::out_edges(u, g); it != end; ++it) {
            std::size_t c = component[u];
            std::size_t d = component[boost::target(*it, g)];
            if (c == d) {
                cyclic[c] = true;  // a self loop, or an edge inside a component of 2+ classes
            } else {
                edges.emplace_back(c, d);
            }
        }
    }
    std::sort(edges.begin(), edges.end());
    edges.erase(std::unique(edges.begin(), edges.end()), edges.end());
    return edges;
}

}  // namespace

AllPairsReachability::AllPairsReachability(const ReachGraph& g) {
    const std::size_t n = boost::num_vertices(g);
    component_.assign(n, 0);
    std::size_t count = n == 0 ? 0 : boost::strong_components(g, component_.data());
    members_.assign(count, {});
    for (std::size_t v = 0; v < n; ++v) members_[component_[v]].push_back(v);

    std::vector<bool> cyclic(count, false);
    auto edges = condense(g, component_, cyclic);
    words_ = (count + 63) / 64;
    reach_.assign(count * words_, 0);

    // Tarjan numbers a component only after every component it reaches, so successors have
    // smaller numbers: closing rows in increasing order is reverse topological order.
    std::size_t e = 0;
    for (std::size_t c = 0; c < count; ++c) {
        std::uint64_t* row = &reach_[c * words_];
        if (cyclic[c]) row[c / 64] |= std::uint64_t{1} << (c % 64);
        for (; e < edges.size() && edges[e].first == c; ++e) {
            std::size_t d = edges[e].second;
            if (d >= c) throw std::logic_error("strong_components: components not in reverse topological order");
            const std::uint64_t* succ = &reach_[d * words_];
            for (std::size_t w = 0; w < words_; ++w) row[w] |= succ[w];
            row[d / 64] |= std::uint64_t{1} << (d % 64);
        }
    }
}

bool AllPairsReachability::reaches(std::size_t from, std::size_t to) const {
    return bit(component_[from], component_[to]);
}

std::vector<std::size_t> AllPairsReachability::reachable_from(std::size_t from) const {
    std::vector<std::size_t> out;
    const std::size_t c = component_[from];
    for (std::size_t w = 0; w < words_; ++w) {
        std::uint64_t bits = reach_[c * words_ + w];
        while (bits) {
            std::size_t d = w * 64 + static_cast<std::size_t>(std::countr_zero(bits));
            bits &= bits - 1;
            out.insert(out.end(), members_[d].begin(), members_[d].end());
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::size_t AllPairsReachability::reachable_pair_count() const {
    std::size_t pairs = 0;
    for (std::size_t c = 0; c < members_.size(); ++c) {
        std::size_t targets = 0;
        for (std::size_t w = 0; w < words_; ++w) {
            std::uint64_t bits = reach_[c * words_ + w];
            while (bits) {
                targets += members_[w * 64 + static_cast<std::size_t>(std::countr_zero(bits))].size();
                bits &= bits - 1;
            }
        }
        pairs += targets * members_[c].size();
    }
    return pairs;
}

}  // namespace microseg
