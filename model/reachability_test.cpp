#include <doctest/doctest.h>

#include "model/analysis_fixtures.hpp"
#include "model/reachability.hpp"

using namespace microseg;

namespace {

std::size_t idx(const Policy& p, const char* name) { return *p.class_index(name); }

std::size_t count_kind(const ReachabilityGraph& r, EdgeKind kind) {
    std::size_t n = 0;
    for (std::size_t u = 0; u < r.class_count(); ++u)
        for (auto [it, end] = boost::out_edges(u, r.graph()); it != end; ++it) n += r.graph()[*it].kind == kind;
    return n;
}

}  // namespace

TEST_CASE("reachability graph: one edge per (from, to, service) plus the implicit edges") {
    Policy p = fixtures::mini_hospital();
    auto r = ReachabilityGraph::build(p);
    CHECK(r.class_count() == 7);
    // 6 flows, flow 2 has two services.
    CHECK(count_kind(r, EdgeKind::explicit_flow) == 7);
    // pump-server <-> infusion-pump (not both isolated).
    CHECK(count_kind(r, EdgeKind::shared_vlan) == 2);
    // Self loops for the non-isolated internal classes: workstation, portal, pump-server, pacs.
    CHECK(count_kind(r, EdgeKind::same_class) == 4);
    CHECK(r.has_edge(idx(p, "workstation"), idx(p, "workstation")));
    CHECK_FALSE(r.has_edge(idx(p, "infusion-pump"), idx(p, "infusion-pump")));
    CHECK_FALSE(r.has_edge(idx(p, "internet"), idx(p, "internet")));  // external: no VLAN
    CHECK_FALSE(r.has_edge(idx(p, "printer"), idx(p, "printer")));
    CHECK_FALSE(r.has_edge(idx(p, "pacs"), idx(p, "workstation")));  // flows are initiations

    CHECK(r.entry_classes() == std::vector<std::size_t>{idx(p, "workstation"), idx(p, "internet")});
    CHECK(r.protected_classes() ==
          std::vector<std::size_t>{idx(p, "pump-server"), idx(p, "infusion-pump"), idx(p, "pacs")});
}

TEST_CASE("a hop merges services and says why it exists") {
    Policy p = fixtures::mini_hospital();
    auto r = ReachabilityGraph::build(p);

    Hop h = r.hop(idx(p, "portal"), idx(p, "pacs"));
    CHECK_FALSE(h.any_service);
    CHECK(h.services == std::vector<std::string>{"hl7-mllp", "https"});
    REQUIRE(h.reasons.size() == 1);  // one flow with two services
    CHECK(h.reasons[0].flow == 2);
    CHECK(r.describe(h.reasons[0]) == "flow at policy.yaml:42:5 (results)");
    CHECK(r.services_text(h) == "hl7-mllp, https");

    Hop implicit = r.hop(idx(p, "pump-server"), idx(p, "infusion-pump"));
    CHECK(implicit.any_service);
    REQUIRE(implicit.reasons.size() == 1);
    CHECK(r.describe(implicit.reasons[0]) == "shared VLAN 110");
    CHECK(r.services_text(implicit) == "any");

    Hop self = r.hop(idx(p, "workstation"), idx(p, "workstation"));
    REQUIRE(self.reasons.size() == 1);
    CHECK(r.describe(self.reasons[0]) == "same class, not isolated");

    Hop unnamed = r.hop(idx(p, "internet"), idx(p, "portal"));
    REQUIRE(unnamed.reasons.size() == 1);
    CHECK(r.describe(unnamed.reasons[0]) == "flow at policy.yaml:41:5");

    CHECK(r.hop(idx(p, "pacs"), idx(p, "portal")).reasons.empty());
}

TEST_CASE("two isolated classes sharing a VLAN do not reach each other") {
    PolicyParts parts;
    fixtures::add_class(parts, {"a", 10, 1, Criticality::low, true, false, true});
    fixtures::add_class(parts, {"b", 10, 1, Criticality::life, false, false, true});
    fixtures::add_class(parts, {"c", 10, 1, Criticality::low});
    Policy p(std::move(parts));
    auto r = ReachabilityGraph::build(p);
    CHECK_FALSE(r.has_edge(0, 1));
    CHECK_FALSE(r.has_edge(1, 0));
    CHECK(r.has_edge(0, 2));  // c is not isolated: a shares the VLAN with it
    CHECK(r.has_edge(2, 1));
    CHECK(r.has_edge(2, 2));
}

TEST_CASE("a flow naming an unknown class adds no edge") {
    PolicyParts parts = fixtures::chain_policy(2, {{0, 1}}).release();
    fixtures::add_flow(parts, "c0", "ghost", {"https"});
    Policy p(std::move(parts));
    auto r = ReachabilityGraph::build(p);
    CHECK(boost::num_edges(r.graph()) == 1);
}
