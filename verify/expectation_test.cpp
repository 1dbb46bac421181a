#include <doctest/doctest.h>

#include "verify/expectation.hpp"
#include "verify/test_policy.hpp"

using namespace microseg;
using namespace microseg::verify;

namespace {
const ProbePort tcp443{Protocol::tcp, 443};
const ProbePort tcp9{Protocol::tcp, 9};
}  // namespace

TEST_CASE("sample ports: first and last of each flow range, plus the never-allowed port 9") {
    auto p = testing::test_policy();
    std::vector<ProbePort> expected = {
        {Protocol::tcp, 9}, {Protocol::tcp, 443}, {Protocol::udp, 9}, {Protocol::udp, 5000}, {Protocol::udp, 5002}};
    CHECK(sample_ports(p) == expected);  // "any" (ip) adds no port of its own
}

TEST_CASE("an explicit flow allows its services in its direction only") {
    auto p = testing::test_policy();
    auto e = expect(p, "pump", "server", tcp443);
    CHECK(e.allow);
    CHECK(e.because == Because::flow);
    CHECK(e.flow.line == 10);
    CHECK_FALSE(expect(p, "server", "pump", tcp443).allow);
    CHECK_FALSE(expect(p, "pump", "server", tcp9).allow);
    CHECK(expect(p, "station", "server", {Protocol::udp, 5001}).allow);  // inside the range
    CHECK_FALSE(expect(p, "station", "server", {Protocol::udp, 5003}).allow);
    CHECK_FALSE(expect(p, "station", "server", {Protocol::tcp, 5000}).allow);  // wrong protocol
    CHECK(expect(p, "vendor", "server", {Protocol::udp, 33333}).allow);     // ip covers everything
}

TEST_CASE("own members and VLAN neighbours reach each other unless isolation forbids it") {
    auto p = testing::test_policy();
    CHECK_FALSE(expect(p, "pump", "pump", tcp9).allow);  // isolate
    auto self = expect(p, "server", "server", tcp9);
    CHECK(self.allow);
    CHECK(self.because == Because::same_class);
    auto vlan = expect(p, "monitor", "station", tcp9);  // only one of the two isolates
    CHECK(vlan.allow);
    CHECK(vlan.because == Because::same_vlan);
    CHECK(expect(p, "station", "monitor", tcp9).allow);
    CHECK_FALSE(expect(p, "monitor", "alarm", tcp9).allow);  // both isolate
    CHECK_FALSE(expect(p, "pump", "monitor", tcp9).allow);   // different VLANs, no flow
    CHECK_FALSE(expect(p, "internet", "vendor", tcp9).allow);  // externals share no VLAN
}

TEST_CASE("the matrix covers every ordered pair and port, but no external class with itself") {
    auto p = testing::test_policy();
    std::vector<std::string> classes = {"pump", "server", "internet"};
    auto ports = sample_ports(p);
    auto m = expected_matrix(p, classes, ports);
    CHECK(m.size() == (3 * 3 - 1) * ports.size());
    for (const auto& e : m) CHECK_FALSE((e.from == "internet" && e.to == "internet"));
    CHECK(m.front().from == "pump");
    CHECK(m.front().to == "pump");
    std::size_t allowed = 0;
    for (const auto& e : m) allowed += e.allow ? 1 : 0;
    // server->server on 5 ports, pump->server tcp/443, server->internet tcp/443.
    CHECK(allowed == 7);
}

TEST_CASE("probe ports print as protocol/port") {
    CHECK(fmt::format("{}", ProbePort{Protocol::udp, 123}) == "udp/123");
    CHECK(to_string(Because::same_vlan) == "same VLAN");
}
