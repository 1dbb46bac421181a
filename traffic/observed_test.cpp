// ObservedTraffic: sessions onto classes and services, judged by the policy.
#include <doctest/doctest.h>

#include <algorithm>

#include "traffic/observed.hpp"
#include "traffic/traffic_test_policy.hpp"

using namespace microseg;
using namespace microseg::traffic;
using namespace microseg::traffic::testing;

namespace {

std::string service_between(ObservedTraffic& t, const char* from, const char* to, std::uint8_t protocol,
                            std::uint16_t port) {
    t.add(test_session(from, to, protocol, port));
    for (const auto& [key, e] : t.keys())
        if (e.example.initiator.str() == from && e.example.responder.str() == to && e.example.responder_port == port &&
            e.example.protocol == protocol)
            return key.service == kNoService ? "none" : t.service(key.service).name;
    return "not kept";
}

}  // namespace

TEST_CASE("a port's service: the pair's own flow's name, else the narrowest, else the most named, else by name") {
    Policy policy = test_policy();
    ObservedTraffic t(policy, {});
    // tcp/443: https, ipps and pacs-web cover it. workstation -> pacs names pacs-web.
    CHECK(service_between(t, "10.200.0.9", "10.130.0.2", kTcp, 443) == "pacs-web");
    // Elsewhere the narrowest wins; https and ipps tie, and https comes first by name.
    CHECK(service_between(t, "10.120.0.9", "10.130.0.3", kTcp, 443) == "https");
    // tcp/22: sftp and ssh are equally narrow; a flow names ssh.
    CHECK(service_between(t, "10.120.0.9", "10.130.0.3", kTcp, 22) == "ssh");
    CHECK(service_between(t, "10.120.0.9", "10.130.0.3", kTcp, 8080) == "tcp-8080");
    CHECK(service_between(t, "10.120.0.9", "10.130.0.3", kUdp, 8080) == "udp-8080");
    // A policy service is already called tcp-9000 and covers 9000; tcp-9001 is new.
    CHECK(service_between(t, "10.120.0.9", "10.130.0.3", kTcp, 9000) == "tcp-9000");
    CHECK(service_between(t, "10.120.0.9", "10.130.0.3", kIcmp, 0) == "icmp");
    CHECK(service_between(t, "10.120.0.9", "10.130.0.3", 47, 0) == "none");  // GRE: no service names it
}

TEST_CASE("a learned name that a policy service already uses for other ports is made unique") {
    PolicyParts parts = test_policy().parts();
    parts.services.push_back(test_service("tcp-8080", {"tcp/8081"}));
    Policy policy(std::move(parts));
    ObservedTraffic t(policy, {});
    CHECK(service_between(t, "10.120.0.9", "10.130.0.3", kTcp, 8080) == "learned-tcp-8080");
}

TEST_CASE("the policy's verdict: flows by port, same class, isolate, and unowned ends") {
    Policy policy = test_policy();
    ObservedTraffic t(policy, {});
    t.add(test_session("10.120.0.5", "10.130.0.2", kTcp, 104, 10));      // dicom: allowed
    t.add(test_session("10.120.0.5", "10.130.0.2", kTcp, 11112, 5));     // dicom's other port
    t.add(test_session("10.200.0.5", "10.130.0.2", kTcp, 104, 3));       // workstation dicom: denied
    t.add(test_session("10.200.0.5", "10.200.0.6", kTcp, 445, 2));       // same class: allowed
    t.add(test_session("10.110.0.5", "10.110.0.6", kTcp, 80, 4));        // isolated pumps: denied
    t.add(test_session("10.99.0.1", "10.130.0.2", kTcp, 104, 7));        // internal, no class
    t.add(test_session("10.99.0.2", "8.8.8.8", kUdp, 53, 1));            // internal, no class -> internet
    t.add(test_session("192.0.2.1", "198.51.100.1", kTcp, 80, 6));       // internet -> internet: never here
    t.add(test_session("10.120.0.5", "224.0.0.251", kUdp, 5353, 9));     // mDNS: never routed
    const auto& totals = t.totals();
    CHECK(totals.sessions == 47);
    CHECK(totals.allowed == 17);
    CHECK(totals.unowned == 8);
    CHECK(totals.not_routed == 15);
    REQUIRE(t.unowned().size() == 2);
    CHECK(t.unowned().begin()->first.str() == "10.99.0.1");
    CHECK(t.unowned().rbegin()->first.str() == "10.99.0.2");
    CHECK(t.unowned().rbegin()->second.internal == true);
    std::uint64_t denied = 0;
    for (const auto& [key, e] : t.keys()) denied += e.denied_sessions;
    CHECK(denied == 7);
    // Used: modality -> pacs dicom (not dicom-tls); nothing else.
    const auto& used = t.flow_services_used();
    CHECK(used[0] == std::vector<bool>{true, false});
    CHECK(used[1] == std::vector<bool>{false});
    CHECK(used[2] == std::vector<bool>{false});
}

TEST_CASE("the inventory names a device's class where the subnets cannot") {
    Policy policy = test_policy();
    InventoryEntry by_ip{0, IpAddress::parse("10.99.0.1"), *policy.class_index("modality")};
    InventoryEntry by_mac{0x0000aabbccddeeULL, std::nullopt, *policy.class_index("workstation")};
    ObservedTraffic t(policy, {by_ip, by_mac});
    t.add(test_session("10.99.0.1", "10.130.0.2", kTcp, 104));
    auto s = test_session("10.120.0.77", "10.130.0.2", kTcp, 443);
    s.initiator_mac = 0x0000aabbccddeeULL;  // in the modality subnet, but the inventory knows it
    t.add(s);
    CHECK(t.totals().unowned == 0);
    CHECK(t.totals().allowed == 2);
}

TEST_CASE("distinct hosts: exact up to 10,000, then an estimate within a few percent") {
    HostCounter small, large;
    for (std::uint32_t i = 0; i < 9'999; ++i) small.add(IpAddress::v4(0x0a000000u + i));
    for (std::uint32_t i = 0; i < 9'999; ++i) small.add(IpAddress::v4(0x0a000000u + i));  // again
    CHECK(small.exact());
    CHECK(small.count() == 9'999);
    for (std::uint32_t i = 0; i < 200'000; ++i) large.add(IpAddress::v4(0x0a000000u + i));
    CHECK_FALSE(large.exact());
    CHECK(large.count() > 190'000);
    CHECK(large.count() < 210'000);
}
