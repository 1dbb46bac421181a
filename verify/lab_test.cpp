#include <doctest/doctest.h>

#include <algorithm>

#include "verify/lab.hpp"
#include "verify/test_policy.hpp"

using namespace microseg;
using namespace microseg::verify;

namespace {

std::string addr(const IpAddress& a) { return a.str(); }

LabPlan plan_all(const Policy& p) {
    auto plan = plan_lab(p, lab_classes(p), "ms42a");
    REQUIRE(plan.ok());
    return plan.value();
}

}  // namespace

TEST_CASE("lab classes: internal ones with a VLAN, then externals; --switch keeps its gateway classes") {
    auto p = testing::test_policy();
    CHECK(lab_classes(p) ==
          std::vector<std::string>{"pump", "monitor", "alarm", "station", "server", "internet", "vendor"});
    CHECK(lab_classes(p, "core") ==
          std::vector<std::string>{"pump", "monitor", "alarm", "station", "internet", "vendor"});
}

TEST_CASE("two hosts per internal class, skipping the gateway address") {
    auto plan = plan_all(testing::test_policy());
    CHECK(plan.router_netns == "ms42a-r");
    CHECK(plan.hosts.size() == 5 * 2 + 2);
    const LabHost* pump0 = plan.host("pump", 0);
    REQUIRE(pump0);
    CHECK(addr(pump0->address) == "10.0.10.2");  // .1 is the gateway
    CHECK(addr(plan.host("pump", 1)->address) == "10.0.10.3");
    CHECK(addr(pump0->gateway) == "10.0.10.1");
    CHECK(pump0->bridge == "br10");
    const LabHost* server0 = plan.host("server", 0);
    CHECK(addr(server0->address) == "10.0.30.1");  // the gateway is .254 here
    CHECK(addr(server0->gateway) == "10.0.30.254");
    CHECK(plan.host("server", 2) == nullptr);
}

TEST_CASE("one bridge per VLAN carries the gateway address of every class on it") {
    auto plan = plan_all(testing::test_policy());
    REQUIRE(plan.bridges.size() == 3);
    CHECK(plan.bridges[1].name == "br20");
    CHECK(plan.bridges[1].addresses ==
          std::vector<std::string>{"10.0.20.1/24", "10.0.22.1/24", "10.0.21.1/24"});
    CHECK(plan.bridges[2].addresses == std::vector<std::string>{"10.0.30.254/24"});
    // A host reaches the other subnets of its VLAN over L2, not through the router.
    const auto& on_link = plan.host("station", 0)->on_link;
    CHECK(on_link.size() == 2);
    CHECK(std::count(on_link.begin(), on_link.end(), *Cidr::parse("10.0.20.0/24")) == 1);
    CHECK(plan.host("server", 0)->on_link.empty());
}

TEST_CASE("an external class gets one routed host at an address the policy maps back to it") {
    auto p = testing::test_policy();
    auto plan = plan_all(p);
    const LabHost* internet = plan.host("internet", 0);
    REQUIRE(internet);
    CHECK(internet->bridge.empty());
    CHECK(addr(internet->address) == "203.0.113.10");
    CHECK(addr(plan.host("vendor", 0)->address) == "172.31.0.10");
    CHECK(p.class_of(internet->address)->name == "internet");
    CHECK(plan.host("internet", 1) == nullptr);
}

TEST_CASE("names are unique, prefixed, and short enough for interface names") {
    auto plan = plan_all(testing::test_policy());
    auto names = plan.namespaces();
    std::sort(names.begin(), names.end());
    CHECK(std::adjacent_find(names.begin(), names.end()) == names.end());
    for (const auto& n : names) {
        CHECK(n.rfind("ms42a-", 0) == 0);
        CHECK(n.size() <= 15);
    }
    std::string a = make_lab_prefix(), b = make_lab_prefix();
    CHECK(a != b);
    CHECK(a.rfind("ms", 0) == 0);
    CHECK(a.size() <= 7);
}

TEST_CASE("a subnet without room for two hosts is a located error") {
    PolicyParts parts = testing::test_policy().release();
    parts.classes[0].subnets = {*Cidr::parse("10.0.10.0/30")};  // .1 gateway, .2 the only host
    parts.classes[0].location = {"t.yaml", 3, 3};
    Policy p(std::move(parts));
    auto plan = plan_lab(p, {"pump"}, "ms42a");
    REQUIRE_FALSE(plan.ok());
    CHECK(plan.error().message == "class pump: subnet 10.0.10.0/30 has no room for 2 lab hosts");
    CHECK(plan.error().location.line == 3);
}
