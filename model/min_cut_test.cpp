#include <doctest/doctest.h>

#include <random>

#include "model/analysis_fixtures.hpp"
#include "model/min_cut.hpp"

using namespace microseg;

namespace {

// A random policy: `n` internal classes (some sharing a VLAN, some isolated) and an external
// one, with about `per_class` flows from each class, a few of them with two services.
Policy random_policy(std::mt19937& rng, std::size_t n, std::size_t per_class) {
    PolicyParts p;
    std::uniform_int_distribution<int> vlan(0, static_cast<int>(n) * 3 / 4);
    for (std::size_t i = 0; i < n; ++i)
        fixtures::add_class(p, {"c" + std::to_string(i), 100 + vlan(rng), 1, Criticality::low, i % 5 == 0, false,
                                rng() % 4 == 0});
    fixtures::add_class(p, {"internet", std::nullopt, 0, Criticality::low, true});
    std::uniform_int_distribution<std::size_t> pick(0, n);
    const char* services[] = {"https", "ssh", "dns", "ntp", "syslog"};
    for (std::size_t k = 0; k < n * per_class; ++k) {
        std::size_t a = pick(rng), b = pick(rng);
        if (a == b) continue;
        std::vector<std::string> svc{services[rng() % 5]};
        if (rng() % 6 == 0) svc.push_back(services[rng() % 5]);
        auto name = [&](std::size_t i) { return i == n ? std::string("internet") : "c" + std::to_string(i); };
        fixtures::add_flow(p, name(a), name(b), svc);
    }
    return Policy(std::move(p));
}

}  // namespace

TEST_CASE("the bound gives the same cut as the maximum flow, on random policies sparse and dense") {
    std::mt19937 rng(20261206);
    std::size_t by_hub = 0, by_bound = 0, by_max_flow = 0, pairs = 0, cuttable = 0;
    for (int round = 0; round < 60; ++round) {
        const std::size_t n = 8 + rng() % 40;
        const std::size_t per_class = 1 + rng() % 12;
        Policy policy = random_policy(rng, n, per_class);
        auto graph = ReachabilityGraph::build(policy);
        AllPairsReachability reach(graph.graph());
        MinCutSolver fast(graph, CutMethod::fastest, round % 2 ? &reach : nullptr);
        MinCutSolver exact(graph, CutMethod::max_flow_only);
        for (std::size_t from = 0; from < graph.class_count(); ++from)
            for (std::size_t to = 0; to < graph.class_count(); ++to) {
                MinCut a = fast.cut(from, to), b = exact.cut(from, to);
                INFO("round " << round << ": " << from << " -> " << to);
                CHECK(a.cuttable == b.cuttable);
                CHECK(a.flows == b.flows);
                ++pairs;
                cuttable += b.cuttable && !b.flows.empty() ? 1 : 0;
            }
        by_hub += fast.cuts_by_hub();
        by_bound += fast.cuts_by_bound();
        by_max_flow += fast.cuts_by_max_flow();
        CHECK(exact.cuts_by_bound() + exact.cuts_by_hub() == 0);
    }
    // Not vacuous: both ways were taken, many times, over pairs that have a cut.
    MESSAGE(pairs << " pairs, " << cuttable << " with a cut: " << by_hub << " through a hub, " << by_bound
                  << " by the bound, " << by_max_flow
                  << " by the maximum flow");
    CHECK(cuttable > 10000);
    CHECK(by_hub > 5000);
    CHECK(by_bound > 1000);
    CHECK(by_max_flow > 500);
}
