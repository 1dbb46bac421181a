// A good policy compiles into the model the DESIGN describes; lint warns without failing.
#include <doctest/doctest.h>

#include <algorithm>

#include "compiler/compiler.hpp"
#include "compiler/scalars.hpp"

using namespace microseg;

namespace {

const char* kStMary = R"(version: 1
name: st-mary
services:
  pacs-web: [tcp/443, tcp/8443]
  http: [tcp/8080]
classes:
  infusion-pump: {vlan: 110, subnets: [10.110.0.0/22], devices: 1800, criticality: life, isolate: true, shared_vlan: true}
  pacs: {vlan: 130, subnets: [10.130.0.0/26, 10.131.0.0/26], devices: 4, phi: true, gateway_address: 10.131.0.1}
  workstation: {vlan: 200, subnets: [10.200.0.0/21], devices: 1500, entry: true}
  kiosk: {vlan: 110, subnets: [10.111.0.0/24], entry: true, shared_vlan: true}
  vendor-vpn: {external: true, subnets: [172.31.200.0/24], entry: true, via: edge-fw}
flows:
  - {from: [workstation, vendor-vpn], to: [pacs, infusion-pump], services: [pacs-web, dicom]}
  - {from: workstation, to: pacs, services: https, expires: 2025-12-31}
switches:
  - name: acc-sw-01
    platform: arista-eos
    address: 10.0.0.11
    ssh_port: 2222
    tcam_budget: 500
    gateway: [infusion-pump, pacs, workstation]
    ports:
      Ethernet10, Ethernet2-3: infusion-pump
      Ethernet1: workstation
    trunks:
      Ethernet48: [110, "130-131", 999]
  - {name: edge-fw, platform: nftables, address: 10.0.0.1}
)";

CompileOptions pinned() {
    CompileOptions o;
    o.today = std::chrono::year_month_day{std::chrono::year{2026}, std::chrono::month{6}, std::chrono::day{1}};
    return o;
}

std::vector<std::string> warnings_of(const CompileResult& r) {
    std::vector<std::string> out;
    for (const auto& d : r.diagnostics.items())
        if (d.severity == Severity::warning)
            out.push_back(fmt::format("{}:{}: {} [{}]", d.location.line, d.location.column, d.message, d.kind));
    return out;
}

}  // namespace

TEST_CASE("a good policy becomes the model") {
    auto r = compile_policy_text(kStMary, "st-mary.yaml", pinned());
    for (const auto& d : r.diagnostics.items()) MESSAGE(format_diagnostic(d));
    REQUIRE(r.ok());
    const Policy& p = *r.policy;
    CHECK(p.name() == "st-mary");
    CHECK(p.source_file() == "st-mary.yaml");
    REQUIRE(p.classes().size() == 5);
    const DeviceClass* pump = p.find_class("infusion-pump");
    REQUIRE(pump);
    CHECK(pump->vlan == 110);
    CHECK(pump->devices == 1800);
    CHECK(pump->criticality == Criticality::life);
    CHECK(pump->isolate);
    CHECK(pump->location.line == 7);
    CHECK(pump->location.column == 3);
    CHECK(p.find_class("workstation")->criticality == Criticality::medium);  // the default
    CHECK(p.find_class("pacs")->subnets.size() == 2);
    CHECK(p.find_class("pacs")->gateway_address->str() == "10.131.0.1");
    CHECK_FALSE(p.find_class("vendor-vpn")->vlan.has_value());
    // 2 x 2 pairs from the first flow; the second expired before the pinned day and is left out.
    CHECK(p.flows().size() == 4);
    CHECK(p.flows()[0].from == "workstation");
    CHECK(p.flows()[0].to == "pacs");
    CHECK(p.flows()[3].from == "vendor-vpn");
    CHECK(p.flows()[3].to == "infusion-pump");
    // Services: built-ins plus the policy's, sorted; the policy's http replaces the built-in.
    CHECK(std::is_sorted(p.services().begin(), p.services().end(),
                         [](const Service& a, const Service& b) { return a.name < b.name; }));
    REQUIRE(p.find_service("pacs-web"));
    CHECK_FALSE(p.find_service("pacs-web")->builtin);
    REQUIRE(p.find_service("http"));
    CHECK(p.find_service("http")->ports.size() == 1);
    CHECK(p.find_service("http")->ports[0].ports.first == 8080);
    CHECK(p.find_service("http")->clear_text);
    CHECK(p.find_service("dicom")->builtin);
    REQUIRE(p.switches().size() == 2);
    const Switch& sw = p.switches()[0];
    CHECK(p.find_class("vendor-vpn")->via == std::vector<std::string>{"edge-fw"});
    CHECK(sw.platform == PlatformId::arista_eos);
    CHECK(sw.ssh_port == 2222);
    CHECK(sw.ace_budget() == 500);
    REQUIRE(sw.ports.size() == 4);
    CHECK(sw.ports[0].interface == "Ethernet1");
    CHECK(sw.ports[1].interface == "Ethernet2");
    CHECK(sw.ports[3].interface == "Ethernet10");
    CHECK(sw.ports[3].device_class == "infusion-pump");
    REQUIRE(sw.trunks.size() == 1);
    CHECK(sw.trunks[0].vlans == std::vector<int>{110, 130, 131, 999});
    CHECK(p.gateway_of("pacs") == &p.switches()[0]);
}

TEST_CASE("lint warns, and warnings alone keep the policy") {
    auto r = compile_policy_text(kStMary, "st-mary.yaml", pinned());
    REQUIRE(r.ok());
    auto w = warnings_of(r);
    auto has = [&](const std::string& s) {
        bool found = std::find(w.begin(), w.end(), s) != w.end();
        if (!found) for (const auto& x : w) MESSAGE(x);
        return found;
    };
    CHECK(has("1:1: 4 internal device classes share 3 VLANs: classes in one VLAN reach each other unfiltered [classes-share-vlans]"));
    CHECK(has("5:3: service 'http' replaces the built-in service of that name [shadows-builtin]"));
    CHECK(has("10:17: VLAN 110 mixes life-criticality class 'infusion-pump' with entry class 'kiosk': they reach each other on every service [mixed-vlan]"));
    CHECK(has("13:5: flow allows clear-text service 'dicom'; its encrypted twin 'dicom-tls' exists [clear-text]"));
    CHECK(has("13:5: flow from external class 'vendor-vpn' to patient-data (phi) class 'pacs' [external-to-protected]"));
    CHECK(has("13:5: flow from external class 'vendor-vpn' to life-critical class 'infusion-pump' [external-to-protected]"));
    CHECK(has("14:5: flow from 'workstation' to 'pacs' expired on 2025-12-31: left out [expired-flow]"));
    CHECK(has("13:5: flow from entry class 'workstation' to life-critical class 'infusion-pump' [entry-to-protected]"));
    CHECK(has("13:5: flow from external class 'vendor-vpn' to 'pacs' has no expires: access from outside should end "
              "on a date [external-without-expires]"));
    CHECK(has("10:3: class 'kiosk' has no gateway switch: its traffic is not filtered [no-gateway]"));
    CHECK(has("8:3: class 'pacs' has no switch port [no-ports]"));
    CHECK(has("26:36: trunk Ethernet48 carries VLAN 999, which no class uses [unused-trunk-vlan]"));
    CHECK_FALSE(r.diagnostics.has_errors());
}

TEST_CASE("sharing a VLAN needs shared_vlan on both classes") {
    auto both = compile_policy_text("version: 1\nclasses:\n  a: {vlan: 5, shared_vlan: true}\n  b: {vlan: 5, shared_vlan: true}\n", "s.yaml");
    CHECK(both.ok());
    auto one = compile_policy_text("version: 1\nclasses:\n  a: {vlan: 5, shared_vlan: true}\n  b: {vlan: 5}\n", "s.yaml");
    CHECK_FALSE(one.ok());
}

TEST_CASE("scalar rules") {
    using namespace microseg::compiler;
    CHECK(parse_decimal("4094", 1, 4094) == 4094);
    CHECK_FALSE(parse_decimal("010", 0, 100));
    CHECK_FALSE(parse_decimal("-1", -5, 100));
    CHECK(parse_decimal("0", 0, 1) == 0);
    CHECK_FALSE(parse_bool("yes"));
    CHECK_FALSE(parse_bool("True"));
    CHECK(parse_date("2024-02-29"));
    CHECK_FALSE(parse_date("2023-02-29"));
    CHECK(is_valid_name("dc1.pacs_v2-a"));
    CHECK_FALSE(is_valid_name("-x"));
    CHECK_FALSE(is_valid_name("a\nb"));
    CHECK_FALSE(is_valid_name(std::string(64, 'a')));
    CHECK(edit_distance("vlna", "vlan", 2) == 1);
    CHECK(closest_name("pmp", {"pump", "pacs"}) == "pump");
    CHECK(closest_name("ws", {"pacs"}).empty());
    CHECK(closest_name("infusoin-pump", {"infusion-pump", "pacs"}) == "infusion-pump");
}

TEST_CASE("line_of returns the source line for carets") {
    auto r = compile_policy_text("version: 1\r\nclasses:\n  a: {vlan: 5, vlan: 6}\n", "l.yaml");
    REQUIRE(r.diagnostics.items().size() >= 1);
    CHECK(r.line_of({"l.yaml", 1, 1}) == "version: 1");
    CHECK(r.line_of({"l.yaml", 3, 1}) == "  a: {vlan: 5, vlan: 6}");
    CHECK(r.line_of({"l.yaml", 99, 1}).empty());
    CHECK(r.line_of({"other.yaml", 1, 1}).empty());
}
