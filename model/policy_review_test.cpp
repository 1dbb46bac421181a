#include <doctest/doctest.h>

#include "model/analysis_fixtures.hpp"
#include "model/policy_review.hpp"

using namespace microseg;

TEST_CASE("reviewing a policy against itself reports nothing") {
    Policy p = fixtures::mini_hospital();
    Policy q = fixtures::mini_hospital();
    auto before = ReachabilityGraph::build(p);
    auto after = ReachabilityGraph::build(q);
    PolicyReview r = review_policies(before, after);
    CHECK(r.empty());
    CHECK_FALSE(r.opens_path());
    // The same graph on both sides, too.
    CHECK(review_policies(before, before).empty());
}

TEST_CASE("one added flow opening a path to a life class") {
    // c0 (entry) -> c1 -> c2 (life): the new flow c1 -> c2 opens c0 -> c2.
    Policy before_policy = fixtures::chain_policy(3, {{0, 1}});
    Policy after_policy = fixtures::chain_policy(3, {{0, 1}, {1, 2}});
    auto before = ReachabilityGraph::build(before_policy);
    auto after = ReachabilityGraph::build(after_policy);
    PolicyReview r = review_policies(before, after);
    REQUIRE(r.added.size() == 1);
    CHECK(r.added[0].from == "c1");
    CHECK(r.added[0].to == "c2");
    CHECK(r.added[0].service == "https");
    CHECK(r.added[0].flow == 1);
    CHECK(r.removed.empty());
    REQUIRE(r.opened.size() == 1);
    CHECK(r.opened[0].from == "c0");
    CHECK(r.opened[0].to == "c2");
    CHECK(r.opened[0].path == ClassPath{0, 1, 2});
    CHECK(r.closed.empty());
    CHECK(r.opens_path());
    REQUIRE(r.radius.size() == 1);
    CHECK(r.radius[0].entry == "c0");
    CHECK(r.radius[0].before->devices == 1);
    CHECK(r.radius[0].after->devices == 2);

    // And the reverse change closes it.
    PolicyReview back = review_policies(after, before);
    CHECK(back.added.empty());
    CHECK(back.removed.size() == 1);
    CHECK(back.closed.size() == 1);
    CHECK_FALSE(back.opens_path());
}

TEST_CASE("a service added to an existing flow is an added edge, not a new path") {
    Policy before_policy = fixtures::mini_hospital();
    PolicyParts changed = before_policy.parts();
    changed.flows[0].services.push_back("ssh");  // workstation -> pacs
    Policy after_policy(std::move(changed));
    auto before = ReachabilityGraph::build(before_policy);
    auto after = ReachabilityGraph::build(after_policy);
    PolicyReview r = review_policies(before, after);
    REQUIRE(r.added.size() == 1);
    CHECK(r.added[0].service == "ssh");
    CHECK(r.opened.empty());
    CHECK(r.radius.empty());
}

TEST_CASE("isolating a class removes implicit edges and can close paths") {
    Policy before_policy = fixtures::mini_hospital();
    PolicyParts changed = before_policy.parts();
    changed.classes[*before_policy.class_index("pump-server")].isolate = true;
    Policy after_policy(std::move(changed));
    auto before = ReachabilityGraph::build(before_policy);
    auto after = ReachabilityGraph::build(after_policy);
    PolicyReview r = review_policies(before, after);
    // pump-server -> infusion-pump, infusion-pump -> pump-server and the pump-server self loop.
    CHECK(r.removed.size() == 3);
    for (const auto& e : r.removed) CHECK(e.kind != EdgeKind::explicit_flow);
    CHECK(r.closed.size() == 2);  // workstation and internet no longer reach the pumps
    CHECK(r.opened.empty());
    CHECK(r.radius.size() == 2);
}
