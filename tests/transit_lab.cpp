// Issue 19, acceptance: real packets through the nftables files that ship. Each router's file,
// as `compile` writes it, is loaded unchanged into a lab router; every class pair the router
// decides is probed against the model (transit to and from the external classes included), and
// two holes of the first round are probed directly: a host inside internal_space that no class
// owns, and UDP from a server's service port to a client's non-ephemeral port.
// Needs root (label "dataplane"); fails instead of skipping when CI=true.
#include <doctest/doctest.h>

#include <chrono>
#include <cstdlib>
#include <string>

#include <fmt/format.h>

#include "compiler/compiler.hpp"
#include "emitters/emitter.hpp"
#include "tests/dataplane_ready.hpp"
#include "verify/verify.hpp"

using namespace microseg;
using namespace microseg::verify;

namespace {


CompileOptions policy_day() {
    CompileOptions o;  // the goldens' day, before every example's expires date
    o.today = std::chrono::year_month_day{std::chrono::year{2026}, std::chrono::month{11}, std::chrono::day{1}};
    return o;
}

Policy compiled(const CompileResult& r) {
    for (const auto& d : r.diagnostics.items())
        if (d.severity == Severity::error) MESSAGE(format_diagnostic(d));
    REQUIRE(r.ok());
    return std::move(*r.policy);
}

Policy example(const char* name) {
    return compiled(compile_policy_file(fmt::format("{}/examples/{}/policy.yaml", MICROSEG_SOURCE_DIR, name), policy_day()));
}

std::string shipped_file(const Policy& p, const Switch& sw) {
    auto out = emitter_for(sw.platform).emit(p, sw);
    REQUIRE_MESSAGE(out.ok(), (out.ok() ? "" : out.error().message));
    return out->text;
}

// Every nftables router of `p`: its shipped file passes exactly what the model allows on the
// pairs it decides. Returns the number of routers checked.
int check_routers(const Policy& p, const char* what) {
    int routers = 0;
    for (const auto& sw : p.switches()) {
        if (sw.platform != PlatformId::nftables) continue;
        ++routers;
        auto r = verify_router_file(p, sw, shipped_file(p, sw), {});
        REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
        std::size_t allowed = 0;
        for (const auto& o : r->outcomes) allowed += o.expected.allow;
        MESSAGE(fmt::format("{} {}: {} classes, {} probes, {} expected to pass, {} passed, {} ms", what, sw.name,
                            r->classes, r->outcomes.size(), allowed, r->passed, r->total_time.count()));
        for (const auto& m : r->mismatches) MESSAGE(sw.name << ": " << describe_mismatch(m));
        CHECK(r->clean());
        CHECK(allowed > 0);
        CHECK(r->passed == allowed);
    }
    return routers;
}

// Two routers, each the gateway of some classes and the entry of one external class, and an
// IOS switch routing the rest: every external flow is transit through a router it is not
// gated by, and some flows cross both routers.
const char* const kTwoEdges = R"(version: 1
name: two-edges
classes:
  ws: {vlan: 40, subnets: [10.1.40.0/24], entry: true}
  ehr: {vlan: 30, subnets: [10.1.30.0/28], phi: true}
  guest: {vlan: 60, subnets: [10.1.64.0/22], criticality: low, entry: true}
  camera: {vlan: 70, subnets: [10.2.70.0/24], criticality: low}
  internet: {external: true, subnets: [0.0.0.0/0], entry: true, via: [edge-a]}
  partner: {external: true, subnets: [172.20.5.0/24], entry: true, via: [edge-b]}
flows:
  - {from: ws, to: ehr, services: [https]}
  - {from: [ws, guest], to: internet, services: [https, dns]}
  - {from: ehr, to: internet, services: [ntp]}
  - {from: partner, to: ehr, services: [hl7-mllp-tls], expires: 2027-06-30}
  - {from: camera, to: partner, services: [https]}
  - {from: guest, to: camera, services: [mqtt-tls]}
switches:
  - {name: core, platform: cisco-ios, address: 10.1.0.2, gateway: [ws, ehr]}
  - {name: edge-a, platform: nftables, address: 10.1.0.1, gateway: [guest]}
  - {name: edge-b, platform: nftables, address: 10.2.0.1, gateway: [camera]}
)";

// A /24 inside internal_space that no class owns (the broad external class aside).
Cidr unowned_internal(const Policy& p) {
    for (int third = 255; third > 0; --third) {
        auto net = *Cidr::parse(fmt::format("10.255.{}.0/24", third));
        const DeviceClass* owner = p.class_of(net.first_host());
        if (!owner || owner->external) return net;
    }
    FAIL("no unowned /24 in 10.255/16");
    return {};
}

}  // namespace

TEST_CASE("shipped nftables files: every flow crossing a router passes, the rest is dropped (clinic)") {
    if (!microseg::testing::dataplane_ready()) return;
    CHECK(check_routers(example("clinic"), "clinic") == 1);
}

TEST_CASE("shipped nftables files: every flow crossing a router passes, the rest is dropped (hospital)") {
    if (!microseg::testing::dataplane_ready()) return;
    CHECK(check_routers(example("hospital"), "hospital") == 1);
}

TEST_CASE("shipped nftables files: every flow crossing a router passes, the rest is dropped (health system)") {
    if (!microseg::testing::dataplane_ready()) return;
    CHECK(check_routers(example("health-system"), "health-system") == 2);
}

TEST_CASE("shipped nftables files: two routers, two external classes, transit both ways") {
    if (!microseg::testing::dataplane_ready()) return;
    CHECK(check_routers(compiled(compile_policy_text(kTwoEdges, "two-edges.yaml", policy_day())), "two-edges") == 2);
}

TEST_CASE("shipped nftables file: guest traffic to unowned internal space and forged UDP replies are dropped") {
    if (!microseg::testing::dataplane_ready()) return;
    Policy clinic = example("clinic");
    const Switch& fw = *clinic.find_switch("clinic-fw-01");
    std::string ruleset = shipped_file(clinic, fw);

    // The lab holds one more external class where nobody lives: the file never heard of it.
    PolicyParts parts = clinic.parts();
    DeviceClass nobody;
    nobody.name = "unowned-internal";
    nobody.external = true;
    nobody.subnets = {unowned_internal(clinic)};
    nobody.addresses = AddressSet(nobody.subnets);
    parts.classes.push_back(nobody);
    Policy lab_policy(std::move(parts));
    auto plan = plan_lab(lab_policy, {"guest-wifi", "internet", "unowned-internal"}, make_lab_prefix());
    REQUIRE_MESSAGE(plan.ok(), (plan.ok() ? "" : plan.error().message));
    Lab lab(std::move(*plan));
    auto built = lab.build();
    REQUIRE_MESSAGE(built.ok(), (built.ok() ? "" : built.error().message));
    auto loaded = lab.load_ruleset(ruleset);
    REQUIRE_MESSAGE(loaded.ok(), (loaded.ok() ? "" : loaded.error().message));

    const LabHost& guest = *lab.plan().host("guest-wifi", 0);
    const LabHost& internet = *lab.plan().host("internet", 0);
    const LabHost& unowned = *lab.plan().host("unowned-internal", 0);
    MESSAGE("unowned internal host " << unowned.address.str() << ", internet host " << internet.address.str());
    auto probe = [](const LabHost& from, const LabHost& to, Protocol proto, std::uint16_t port, std::uint16_t src = 0) {
        return Probe{from.netns, to.netns, to.address, ProbePort{proto, port}, src};
    };
    std::vector<Probe> probes = {
        probe(guest, internet, Protocol::tcp, 443),         // control: the guest flow
        probe(guest, unowned, Protocol::tcp, 443),          // "internet" is outside internal_space
        probe(guest, unowned, Protocol::udp, 53),
        probe(guest, internet, Protocol::udp, 53, 53),      // control: a bound source port works
        probe(internet, guest, Protocol::udp, 80, 53),      // a forged DNS "reply" to a low port
        probe(internet, guest, Protocol::udp, 40000, 53),   // and to a high one: conntrack only
    };
    auto passed = run_probes(probes);
    REQUIRE_MESSAGE(passed.ok(), (passed.ok() ? "" : passed.error().message));
    const std::vector<bool> expected = {true, false, false, true, false, false};
    for (std::size_t i = 0; i < probes.size(); ++i) {
        INFO("probe " << i << " to " << probes[i].dst.str() << " " << fmt::format("{}", probes[i].port));
        CHECK((*passed)[i] == expected[i]);
    }
}
