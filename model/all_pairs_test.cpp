#include <doctest/doctest.h>

#include <random>

#include "model/all_pairs.hpp"
#include "model/analysis_fixtures.hpp"

using namespace microseg;

namespace {

// Reference: a breadth-first search from every vertex (one or more hops).
std::vector<std::vector<bool>> naive_closure(const ReachGraph& g) {
    const std::size_t n = boost::num_vertices(g);
    std::vector<std::vector<bool>> out(n, std::vector<bool>(n, false));
    for (std::size_t s = 0; s < n; ++s) {
        std::vector<std::size_t> queue;
        for (auto [it, end] = boost::out_edges(s, g); it != end; ++it) queue.push_back(boost::target(*it, g));
        while (!queue.empty()) {
            std::size_t v = queue.back();
            queue.pop_back();
            if (out[s][v]) continue;
            out[s][v] = true;
            for (auto [it, end] = boost::out_edges(v, g); it != end; ++it) queue.push_back(boost::target(*it, g));
        }
    }
    return out;
}

}  // namespace

TEST_CASE("all-pairs reachability agrees with a BFS per vertex on random graphs") {
    std::mt19937 rng(7);
    for (int round = 0; round < 30; ++round) {
        const std::size_t n = 1 + rng() % 150;  // crosses the 64-bit word boundary
        const std::size_t m = rng() % (3 * n);
        ReachGraph g(n);
        for (std::size_t e = 0; e < m; ++e) boost::add_edge(rng() % n, rng() % n, g);
        AllPairsReachability reach(g);
        auto expected = naive_closure(g);
        std::size_t pairs = 0;
        for (std::size_t a = 0; a < n; ++a) {
            std::vector<std::size_t> listed;
            for (std::size_t b = 0; b < n; ++b) {
                REQUIRE(reach.reaches(a, b) == expected[a][b]);
                if (expected[a][b]) listed.push_back(b);
            }
            CHECK(reach.reachable_from(a) == listed);
            pairs += listed.size();
        }
        CHECK(reach.reachable_pair_count() == pairs);
    }
}

TEST_CASE("a class reaches itself only through a cycle") {
    Policy p = fixtures::chain_policy(3, {{0, 1}, {1, 2}, {2, 1}});
    auto r = ReachabilityGraph::build(p);
    AllPairsReachability reach(r.graph());
    CHECK_FALSE(reach.reaches(0, 0));
    CHECK(reach.reaches(1, 1));
    CHECK(reach.reaches(0, 2));
    CHECK_FALSE(reach.reaches(2, 0));
    CHECK(reach.component_count() == 2);
    CHECK(reach.component_of(1) == reach.component_of(2));

    Policy mini = fixtures::mini_hospital();
    auto rm = ReachabilityGraph::build(mini);
    AllPairsReachability rr(rm.graph());
    CHECK(rr.reaches(*mini.class_index("workstation"), *mini.class_index("workstation")));  // same class
    CHECK_FALSE(rr.reaches(*mini.class_index("printer"), *mini.class_index("printer")));    // isolated
}

TEST_CASE("an empty graph has no pairs") {
    ReachGraph g;
    AllPairsReachability reach(g);
    CHECK(reach.component_count() == 0);
    CHECK(reach.reachable_pair_count() == 0);
}
