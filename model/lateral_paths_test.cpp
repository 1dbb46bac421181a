#include <doctest/doctest.h>

#include <algorithm>

#include "model/analysis_fixtures.hpp"
#include "model/lateral_paths.hpp"

using namespace microseg;

namespace {

std::size_t idx(const Policy& p, const char* name) { return *p.class_index(name); }

ClassPath path_of(const Policy& p, std::initializer_list<const char*> names) {
    ClassPath out;
    for (const char* n : names) out.push_back(idx(p, n));
    return out;
}

// Every hop exists in the graph and each of its reasons is true of the policy.
void check_justified(const ReachabilityGraph& r, const ClassPath& path) {
    const Policy& p = r.policy();
    for (const Hop& hop : hops_of(r, path)) {
        REQUIRE_FALSE(hop.reasons.empty());
        const DeviceClass& from = p.classes()[hop.from];
        const DeviceClass& to = p.classes()[hop.to];
        for (const HopReason& why : hop.reasons) {
            switch (why.kind) {
                case EdgeKind::explicit_flow:
                    CHECK(p.flows().at(why.flow).from == from.name);
                    CHECK(p.flows().at(why.flow).to == to.name);
                    break;
                case EdgeKind::stateless_reply:  // the reverse of its flow
                    CHECK(p.flows().at(why.flow).from == to.name);
                    CHECK(p.flows().at(why.flow).to == from.name);
                    break;
                case EdgeKind::shared_vlan:
                    CHECK(from.vlan == why.vlan);
                    CHECK(to.vlan == why.vlan);
                    CHECK_FALSE((from.isolate && to.isolate));
                    break;
                case EdgeKind::same_class: FAIL("a path never takes a self loop"); break;
            }
        }
    }
}

}  // namespace

TEST_CASE("shortest paths in the mini hospital") {
    Policy p = fixtures::mini_hospital();
    auto r = ReachabilityGraph::build(p);
    CHECK(shortest_path(r, idx(p, "workstation"), idx(p, "pacs")) == path_of(p, {"workstation", "pacs"}));
    CHECK(shortest_path(r, idx(p, "workstation"), idx(p, "infusion-pump")) ==
          path_of(p, {"workstation", "pump-server", "infusion-pump"}));
    CHECK(shortest_path(r, idx(p, "internet"), idx(p, "infusion-pump")) ==
          path_of(p, {"internet", "portal", "pump-server", "infusion-pump"}));
    CHECK(shortest_path(r, idx(p, "pacs"), idx(p, "workstation")).empty());
    // A self loop is not a path.
    CHECK(shortest_path(r, idx(p, "workstation"), idx(p, "workstation")).empty());

    auto hops = hops_of(r, shortest_path(r, idx(p, "workstation"), idx(p, "infusion-pump")));
    REQUIRE(hops.size() == 2);
    CHECK(r.describe(hops[0].reasons.at(0)) == "flow at policy.yaml:43:5 (pump admin)");
    CHECK(r.describe(hops[1].reasons.at(0)) == "shared VLAN 110");
}

TEST_CASE("K shortest simple paths, shortest first") {
    // c0 -> c3 directly, through c1, through c2, and c0 -> c1 -> c2 -> c3.
    Policy p = fixtures::chain_policy(4, {{0, 1}, {1, 3}, {0, 2}, {2, 3}, {0, 3}, {1, 2}, {3, 0}});
    auto r = ReachabilityGraph::build(p);
    auto paths = k_shortest_paths(r, 0, 3, 5);
    REQUIRE(paths.size() == 4);
    CHECK(paths[0] == ClassPath{0, 3});
    CHECK(paths[1] == ClassPath{0, 1, 3});
    CHECK(paths[2] == ClassPath{0, 2, 3});
    CHECK(paths[3] == ClassPath{0, 1, 2, 3});
    CHECK(k_shortest_paths(r, 0, 3, 2).size() == 2);
    for (const auto& path : paths) {
        // Simple: no class twice, so the entry is never left a second time.
        ClassPath sorted = path;
        std::sort(sorted.begin(), sorted.end());
        CHECK(std::adjacent_find(sorted.begin(), sorted.end()) == sorted.end());
        check_justified(r, path);
    }
}

TEST_CASE("blast radius counts classes and devices, in any number of hops and in one") {
    Policy p = fixtures::mini_hospital();
    auto r = ReachabilityGraph::build(p);
    AllPairsReachability reach(r.graph());

    BlastRadius ws = blast_radius(r, reach, idx(p, "workstation"));
    // Itself (not isolated), pacs, pump-server, infusion-pump, printer.
    CHECK(ws.classes.size() == 5);
    CHECK(ws.devices == 100 + 4 + 2 + 50 + 10);
    CHECK(ws.one_hop_classes.size() == 4);  // itself, pacs, pump-server, printer
    CHECK(ws.one_hop_devices == 100 + 4 + 2 + 10);

    BlastRadius inet = blast_radius(r, reach, idx(p, "internet"));
    CHECK(inet.classes == path_of(p, {"portal", "pump-server", "infusion-pump", "pacs"}));
    CHECK(inet.devices == 2 + 2 + 50 + 4);
    CHECK(inet.one_hop_classes == path_of(p, {"portal"}));
    CHECK(inet.one_hop_devices == 2);
}

TEST_CASE("minimum cut: the fewest flows that cut every path") {
    SUBCASE("two disjoint paths need two flows") {
        Policy p = fixtures::chain_policy(4, {{0, 1}, {1, 3}, {0, 2}, {2, 3}, {1, 2}});
        auto r = ReachabilityGraph::build(p);
        MinCutSolver solver(r);
        MinCut cut = solver.cut(0, 3);
        CHECK(cut.cuttable);
        REQUIRE(cut.flows.size() == 2);
        // Removing the cut flows leaves no path.
        PolicyParts q = p.parts();
        for (auto it = cut.flows.rbegin(); it != cut.flows.rend(); ++it) q.flows.erase(q.flows.begin() + static_cast<std::ptrdiff_t>(*it));
        Policy without_cut(std::move(q));
        CHECK(shortest_path(ReachabilityGraph::build(without_cut), 0, 3).empty());
    }
    SUBCASE("a bottleneck hop is one flow even behind a fan-out") {
        Policy p = fixtures::chain_policy(5, {{0, 1}, {0, 2}, {1, 3}, {2, 3}, {3, 4}});
        auto r = ReachabilityGraph::build(p);
        MinCutSolver solver(r);
        MinCut cut = solver.cut(0, 4);
        CHECK(cut.flows == std::vector<std::size_t>{4});
    }
    SUBCASE("two flows over the same hop are two to remove") {
        PolicyParts parts = fixtures::chain_policy(2, {{0, 1}}).release();
        fixtures::add_flow(parts, "c0", "c1", {"ssh"});
        Policy p(std::move(parts));
        auto r = ReachabilityGraph::build(p);
        MinCutSolver solver(r);
        CHECK(solver.cut(0, 1).flows == std::vector<std::size_t>{0, 1});
    }
    SUBCASE("implicit edges cannot be cut; the cut goes around them") {
        Policy p = fixtures::mini_hospital();
        auto r = ReachabilityGraph::build(p);
        MinCutSolver solver(r);
        MinCut cut = solver.cut(idx(p, "workstation"), idx(p, "infusion-pump"));
        CHECK(cut.cuttable);
        CHECK(cut.flows == std::vector<std::size_t>{3});  // workstation -> pump-server
        MinCut inet = solver.cut(idx(p, "internet"), idx(p, "pacs"));
        CHECK(inet.flows.size() == 1);  // either flow 1 or flow 2 cuts internet -> portal -> pacs
    }
    SUBCASE("a shared VLAN alone is uncuttable") {
        PolicyParts parts;
        fixtures::add_class(parts, {"kiosk", 50, 3, Criticality::low, true});
        fixtures::add_class(parts, {"monitor", 50, 9, Criticality::life});
        Policy p(std::move(parts));
        auto r = ReachabilityGraph::build(p);
        MinCutSolver solver(r);
        MinCut cut = solver.cut(0, 1);
        CHECK_FALSE(cut.cuttable);
        CHECK(cut.flows.empty());
    }
}

TEST_CASE("lateral movement report over the mini hospital") {
    Policy p = fixtures::mini_hospital();
    auto r = ReachabilityGraph::build(p);
    LateralReport report = analyse_lateral_movement(r);
    CHECK(report.reaches_life);
    // workstation reaches pump-server, infusion-pump, pacs; internet reaches the same three.
    REQUIRE(report.findings.size() == 6);
    REQUIRE(report.radius.size() == 2);
    for (const auto& f : report.findings) {
        REQUIRE_FALSE(f.paths.empty());
        CHECK(f.paths.front().front() == f.from);
        CHECK(f.paths.front().back() == f.to);
        CHECK(f.cut.cuttable);
        CHECK_FALSE(f.cut.flows.empty());
        for (const auto& path : f.paths) check_justified(r, path);
    }

    LateralOptions only_pacs{{idx(p, "workstation")}, {idx(p, "pacs")}, 5};
    LateralReport narrow = analyse_lateral_movement(r, only_pacs);
    CHECK_FALSE(narrow.reaches_life);
    REQUIRE(narrow.findings.size() == 1);
    CHECK(narrow.findings[0].paths.size() == 1);  // pump-server does not reach pacs

    // Without the pump-server flows nobody reaches a life class.
    PolicyParts parts = p.parts();
    parts.flows.erase(parts.flows.begin() + 5);
    parts.flows.erase(parts.flows.begin() + 3);
    Policy q(std::move(parts));
    auto rq = ReachabilityGraph::build(q);
    CHECK_FALSE(analyse_lateral_movement(rq).reaches_life);
}
