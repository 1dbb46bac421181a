#include <doctest/doctest.h>

#include "emitters/test_fixture.hpp"

using namespace microseg;
using test::contains_line;

namespace {

void require_nft_accepts(const std::string& ruleset) {
    auto check = test::nft_check(ruleset);
    if (!check.ran) {
        if (test::nft_unavailable_is_failure()) FAIL("nft -c could not run (needs root, unshare, nft); CI=true");
        MESSAGE("SKIPPED: nft -c check needs root, unshare and nft");
        return;
    }
    INFO(check.output);
    CHECK(check.status == 0);
}

}  // namespace

TEST_CASE("nftables: the sample loads with nft -c in a private namespace") {
    auto p = test::sample_policy(PlatformId::nftables);
    auto out = emitter_for(PlatformId::nftables).emit(p, p.switches()[0]);
    REQUIRE(out);
    require_nft_accepts(out->text);
}

TEST_CASE("nftables: nft -c rejects a broken ruleset (the check can fail)") {
    auto check = test::nft_check("table inet microseg {\n\tchain fwd {\n\t}\n}\n");
    if (!check.ran) return;  // reported by the test above
    CHECK(check.status != 0);
}

TEST_CASE("nftables: one owned table, policy drop, conntrack, one chain per source class") {
    auto p = test::sample_policy(PlatformId::nftables);
    auto out = emitter_for(PlatformId::nftables).emit(p, p.switches()[0]);
    REQUIRE(out);
    const auto& t = out->text;
    CHECK(contains_line(t, "delete table inet microseg"));
    CHECK(contains_line(t, "\t\ttype filter hook forward priority filter; policy drop;"));
    CHECK(contains_line(t, "\t\tct state established,related accept"));
    // Conntrack passes the replies: no stateless reply rule (udp from 161 or 123) is written.
    CHECK(t.find("sport") == std::string::npos);
    // Gateway classes and the classes that initiate towards them, nobody else.
    auto chains = test::lines_starting(t, "\tchain ");
    CHECK(chains == std::vector<std::string>{"\tchain forward {", "\tchain from_imaging-modality {",
                                             "\tchain from_infusion-pump {", "\tchain from_vendor-vpn {",
                                             "\tchain from_workstation {", "\tchain forward {"});
    CHECK(contains_line(t, "\t\tip saddr 172.31.200.0/24 jump from_vendor-vpn"));
    CHECK(contains_line(t, "\t\tip daddr 10.130.0.0/26 tcp dport 2762 accept"));
    CHECK(contains_line(t, "\t\tip daddr 10.140.0.0/24 udp dport 123 accept"));
    CHECK(contains_line(t, "\t\tip daddr 10.120.0.0/24 udp dport 161 accept"));
    // No reply entries: conntrack carries them.
    CHECK(t.find("sport") == std::string::npos);
    // workstation -> pacs does not cross this router's classes: no rule for it.
    CHECK(t.find("dport 8443") == std::string::npos);
    // Isolation: bridged traffic between pump members is dropped.
    CHECK(contains_line(t, "\t\tip saddr 10.110.0.0/22 ip daddr 10.110.0.0/22 drop"));
    // Every rule line is counted.
    CHECK(out->ace_count == test::lines_starting(t, "\t\t").size() - 2);  // minus the two chain-type lines
}

TEST_CASE("nftables: the most specific class judges an address, whatever covers it") {
    auto parts = test::sample_parts(PlatformId::nftables);
    // internet (0.0.0.0/0) may reach pacs... were pacs routed here; pump-server has no chain,
    // but its addresses lie inside internet's: they must be dropped, not judged as internet.
    parts.flows.push_back({"internet", "imaging-modality", {"https"}, "", {}, {}});
    Policy p(std::move(parts));
    auto t = emitter_for(PlatformId::nftables).emit(p, p.switches()[0])->text;
    auto pump_server_drop = t.find("\t\tip saddr 10.140.0.0/24 drop\n");
    auto internet_jump = t.find("\t\tip saddr 0.0.0.0/0 jump from_internet\n");
    REQUIRE(pump_server_drop != std::string::npos);
    REQUIRE(internet_jump != std::string::npos);
    CHECK(pump_server_drop < internet_jump);
    CHECK(t.find("\t\tip saddr 10.110.0.0/22 jump from_infusion-pump\n") < internet_jump);
    require_nft_accepts(t);
}

TEST_CASE("nftables: class names that are nft keywords or hostile still load") {
    auto parts = test::sample_parts(PlatformId::nftables);
    auto rename = [&](const std::string& from, const std::string& to) {
        for (auto& c : parts.classes) if (c.name == from) c.name = to;
        for (auto& f : parts.flows) {
            if (f.from == from) f.from = to;
            if (f.to == from) f.to = to;
        }
        for (auto& g : parts.switches[0].gateway_for) if (g == from) g = to;
        for (auto& port : parts.switches[0].ports) if (port.device_class == from) port.device_class = to;
    };
    rename("imaging-modality", "fwd");
    rename("workstation", "ws\"; flush ruleset; \"");
    rename("vendor-vpn", "table");
    Policy p(std::move(parts));
    auto out = emitter_for(PlatformId::nftables).emit(p, p.switches()[0]);
    REQUIRE(out);
    CHECK(out->text.find("flush ruleset") == std::string::npos);
    CHECK(contains_line(out->text, "\tchain from_fwd {"));
    require_nft_accepts(out->text);
}

TEST_CASE("nftables: IPv6 subnets use ip6 matches") {
    auto parts = test::sample_parts(PlatformId::nftables);
    parts.classes[2].subnets.push_back(*Cidr::parse("2001:db8:130::/64"));
    parts.classes[2].addresses = AddressSet(parts.classes[2].subnets);
    parts.classes[1].subnets.push_back(*Cidr::parse("2001:db8:120::/64"));
    parts.classes[1].addresses = AddressSet(parts.classes[1].subnets);
    Policy p(std::move(parts));
    auto out = emitter_for(PlatformId::nftables).emit(p, p.switches()[0]);
    REQUIRE(out);
    CHECK(contains_line(out->text, "\t\tip6 daddr 2001:db8:130::/64 tcp dport 104 accept"));
    CHECK(contains_line(out->text, "\t\tip6 saddr 2001:db8:120::/64 jump from_imaging-modality"));
    require_nft_accepts(out->text);
}

// DESIGN "Topology": a router filters what its local classes send and receive, its `via`
// classes included, so transit from a class routed elsewhere must be accepted here.
TEST_CASE("nftables: an edge router accepts transit to and from the external classes it carries") {
    auto parts = test::sample_parts(PlatformId::cisco_ios);  // acc-sw-01 routes pump and modality
    Switch edge;
    edge.name = "edge-fw";
    edge.platform = PlatformId::nftables;
    parts.switches.push_back(edge);
    for (auto& c : parts.classes)
        if (c.external) c.via = {"edge-fw"};
    parts.flows.push_back({"workstation", "internet", {"https"}, "web", {}, {}});
    Policy p(std::move(parts));
    auto out = emitter_for(PlatformId::nftables).emit(p, *p.find_switch("edge-fw"));
    REQUIRE(out);
    const auto& t = out->text;
    require_nft_accepts(t);
    // The vendor's session to a modality routed by acc-sw-01, and the workstation's web access.
    CHECK(contains_line(t, "\t\tip saddr 172.31.200.0/24 jump from_vendor-vpn"));
    CHECK(contains_line(t, "\t\tip daddr 10.120.0.0/24 tcp dport 5938 accept"));
    CHECK(contains_line(t, "\t\tip saddr 10.200.0.0/21 jump from_workstation"));
    CHECK(contains_line(t, "\t\tip daddr 0.0.0.0/0 tcp dport 443 accept"));
    // "internet" is outside: the classes and the organisation's own space are denied first.
    auto deny_internal = t.find("\t\tip daddr 10.0.0.0/8 drop");
    auto permit_web = t.find("\t\tip daddr 0.0.0.0/0 tcp dport 443 accept");
    REQUIRE(deny_internal != std::string::npos);
    CHECK(deny_internal < permit_web);
    // Flows between classes routed elsewhere do not cross it: workstation -> pacs is not here.
    CHECK(t.find("dport 8443") == std::string::npos);
    // The modality has no flow to a local class, so no chain.
    CHECK(t.find("jump from_imaging-modality") == std::string::npos);
}
