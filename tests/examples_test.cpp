// End-to-end facts about the example policies in examples/: each compiles with no errors, and
// the network it describes is consistent (every internal class is routed by exactly one switch,
// has access ports, and trunks carry the VLANs that must reach a gateway on another switch).
// Other golden tests depend on these examples; a failure here means an example changed.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "compiler/compiler.hpp"
#include "model/policy.hpp"

using namespace microseg;

namespace {

std::string example_path(std::string_view relative) {
    return fmt::format("{}/examples/{}", MICROSEG_SOURCE_DIR, relative);
}

CompileOptions pinned_today() {
    CompileOptions options;
    options.today = std::chrono::year_month_day{std::chrono::year{2026}, std::chrono::month{11},
                                                std::chrono::day{1}};
    return options;
}

struct Compiled {
    Policy policy;
    Diagnostics diagnostics;
};

Compiled compile_example(std::string_view relative) {
    auto result = compile_policy_file(example_path(relative), pinned_today());
    for (const auto& d : result.diagnostics.items())
        if (d.severity == Severity::error) MESSAGE(format_diagnostic(d, result.line_of(d.location)));
    REQUIRE(result.diagnostics.error_count() == 0);
    REQUIRE(result.ok());
    return {std::move(*result.policy), result.diagnostics};
}

std::size_t count_if_class(const Policy& p, bool external) {
    return static_cast<std::size_t>(std::count_if(p.classes().begin(), p.classes().end(),
                                                  [&](const DeviceClass& c) { return c.external == external; }));
}

bool has_flow(const Policy& p, std::string_view from, std::string_view to, std::string_view service) {
    return std::any_of(p.flows().begin(), p.flows().end(), [&](const FlowRule& f) {
        return f.from == from && f.to == to &&
               std::find(f.services.begin(), f.services.end(), service) != f.services.end();
    });
}

std::set<int> trunk_vlans(const Switch& sw) {
    std::set<int> out;
    for (const auto& t : sw.trunks) out.insert(t.vlans.begin(), t.vlans.end());
    return out;
}

// The structural rules every example keeps; the compiler only warns about some of them.
void check_network_invariants(const Policy& p) {
    std::set<int> class_vlans;
    for (const auto& c : p.classes()) {
        CAPTURE(c.name);
        CHECK_FALSE(c.subnets.empty());
        if (c.external) {
            CHECK_FALSE(c.vlan.has_value());
            CHECK(p.gateway_of(c.name) == nullptr);
            continue;
        }
        REQUIRE(c.vlan.has_value());
        class_vlans.insert(*c.vlan);
        // Exactly one gateway switch.
        auto gateways = std::count_if(p.switches().begin(), p.switches().end(), [&](const Switch& sw) {
            return std::find(sw.gateway_for.begin(), sw.gateway_for.end(), c.name) != sw.gateway_for.end();
        });
        CHECK(gateways == 1);
        // At least one access port somewhere.
        bool ported = std::any_of(p.switches().begin(), p.switches().end(), [&](const Switch& sw) {
            return std::any_of(sw.ports.begin(), sw.ports.end(),
                               [&](const AccessPort& port) { return port.device_class == c.name; });
        });
        CHECK(ported);
        CHECK(c.devices > 0);
        if (c.gateway_address) {
            CHECK(std::any_of(c.subnets.begin(), c.subnets.end(),
                              [&](const Cidr& s) { return s.contains(*c.gateway_address); }));
        }
    }
    for (const auto& sw : p.switches()) {
        CAPTURE(sw.name);
        auto trunked = trunk_vlans(sw);
        for (int v : trunked) CHECK(class_vlans.count(v) == 1);  // no trunk carries a VLAN nobody uses
        // A VLAN with access ports here but its SVI elsewhere must leave on a trunk...
        for (const auto& port : sw.ports) {
            const auto* c = p.find_class(port.device_class);
            REQUIRE(c != nullptr);
            CHECK_FALSE(c->external);
            const auto* gw = p.gateway_of(c->name);
            REQUIRE(gw != nullptr);
            if (gw != &sw) CHECK_MESSAGE(trunked.count(*c->vlan) == 1, port.interface, " ", c->name);
        }
        // ...and a VLAN routed here with no access port here must arrive on one.
        for (const auto& name : sw.gateway_for) {
            const auto* c = p.find_class(name);
            REQUIRE(c != nullptr);
            bool local = std::any_of(sw.ports.begin(), sw.ports.end(), [&](const AccessPort& port) {
                const auto* pc = p.find_class(port.device_class);
                return pc && pc->vlan == c->vlan;
            });
            if (!local) CHECK_MESSAGE(trunked.count(*c->vlan) == 1, name);
        }
    }
}

std::size_t warnings_of_kind(const Diagnostics& diags, std::string_view kind, std::string_view mentions = {}) {
    return static_cast<std::size_t>(std::count_if(diags.items().begin(), diags.items().end(), [&](const Diagnostic& d) {
        return d.severity == Severity::warning && d.kind == kind && d.message.find(mentions) != std::string::npos;
    }));
}

// Lint that would mean an example lost a gateway or its ports.
void check_no_structural_warnings(const Diagnostics& diags) {
    CHECK(warnings_of_kind(diags, "no-gateway") == 0);
    CHECK(warnings_of_kind(diags, "no-ports") == 0);
    CHECK(warnings_of_kind(diags, "unused-trunk-vlan") == 0);
    CHECK(warnings_of_kind(diags, "expired-flow") == 0);
    CHECK(warnings_of_kind(diags, "shadows-builtin") == 0);
    CHECK(warnings_of_kind(diags, "address-outside-management") == 0);
}

std::set<PlatformId> platforms_of(const Policy& p) {
    std::set<PlatformId> out;
    for (const auto& sw : p.switches()) out.insert(sw.platform);
    return out;
}

}  // namespace

TEST_CASE("examples: the clinic") {
    auto compiled = compile_example("clinic/policy.yaml");
    const Policy& p = compiled.policy;
    const Diagnostics& diags = compiled.diagnostics;
    CHECK(p.name() == "riverside-clinic");
    CHECK(p.classes().size() == 8);  // issue 19 added network-mgmt
    CHECK(count_if_class(p, true) == 1);
    CHECK(p.switches().size() == 2);
    CHECK(p.flows().size() == 9);  // 8 flow items; one has two sources
    CHECK(platforms_of(p) == std::set<PlatformId>{PlatformId::cisco_ios, PlatformId::nftables});
    check_network_invariants(p);

    REQUIRE(p.gateway_of("guest-wifi") != nullptr);
    CHECK(p.gateway_of("guest-wifi")->name == "clinic-fw-01");
    CHECK(p.gateway_of("infusion-pump")->name == "clinic-sw-01");
    const auto* fw = p.find_switch("clinic-fw-01");
    REQUIRE(fw != nullptr);
    CHECK(fw->ssh_port == 2222);
    CHECK(fw->ports.empty());
    const auto* sw = p.find_switch("clinic-sw-01");
    REQUIRE(sw != nullptr);
    CHECK(sw->ssh_port == 22);
    CHECK(sw->ports.size() == 47);  // Gi1/0/1-46 (ranges expanded) and the management PC's Gi1/0/48
    // Issue 19: the operators own both devices' addresses; the firewall is managed in band.
    REQUIRE(p.management_class() != nullptr);
    CHECK(p.management_class()->name == "network-mgmt");
    CHECK(p.management_class()->criticality == Criticality::high);
    for (const auto& s : p.switches()) {
        CHECK(p.management_class()->addresses.contains(*IpAddress::parse(s.address)));
        CHECK(s.management_vlan == std::optional<int>{2});
        for (const auto& t : s.trunks) CHECK(std::count(t.vlans.begin(), t.vlans.end(), 2) == 1);
    }

    const auto* ws = p.find_class("workstation");
    REQUIRE(ws != nullptr);
    CHECK(ws->entry);
    REQUIRE(ws->gateway_address.has_value());
    CHECK(fmt::format("{}", *ws->gateway_address) == "10.20.40.254");
    const auto* pump = p.find_class("infusion-pump");
    REQUIRE(pump != nullptr);
    CHECK(pump->criticality == Criticality::life);
    CHECK(pump->isolate);
    CHECK(has_flow(p, "workstation", "patient-monitor", "https"));  // the deliberate one-hop path
    CHECK(has_flow(p, "ehr-server", "printer", "ipp"));
    check_no_structural_warnings(diags);
    CHECK(warnings_of_kind(diags, "clear-text", "'hl7-mllp'") == 1);
    CHECK(warnings_of_kind(diags, "clear-text", "'ipp'") == 1);
}

TEST_CASE("examples: the hospital") {
    auto compiled = compile_example("hospital/policy.yaml");
    const Policy& p = compiled.policy;
    CHECK(p.name() == "st-mary");
    CHECK(p.classes().size() == 20);  // issue 19 added network-mgmt
    CHECK(count_if_class(p, true) == 2);
    CHECK(p.switches().size() == 6);
    CHECK(p.flows().size() == 50);
    CHECK(platforms_of(p) == std::set<PlatformId>{PlatformId::cisco_ios, PlatformId::arista_eos,
                                                  PlatformId::junos, PlatformId::nftables});
    check_network_invariants(p);

    // printer and ip-phone share VLAN 210; every other VLAN has one class.
    auto vlans = p.vlans();
    CHECK(vlans.size() == 17);
    auto shared = std::find_if(vlans.begin(), vlans.end(), [](const Vlan& v) { return v.id == 210; });
    REQUIRE(shared != vlans.end());
    CHECK(shared->classes == std::vector<std::string>{"ip-phone", "printer"});
    for (const auto& v : vlans)
        if (v.id != 210) CHECK(v.classes.size() == 1);

    const auto* pump = p.find_class("infusion-pump");
    REQUIRE(pump != nullptr);
    CHECK(pump->devices == 1800);
    CHECK(pump->is_protected());
    CHECK(p.gateway_of("infusion-pump")->name == "dist-dc-01");
    CHECK(p.gateway_of("patient-monitor")->name == "acc-icu-01");
    CHECK(p.gateway_of("camera")->name == "core-fw-01");
    CHECK(p.find_class("ehr")->subnets.size() == 2);
    CHECK(p.find_class("internet")->external);
    CHECK(p.find_class("clinical-workstation")->gateway_address.has_value());
    CHECK(p.total_devices() == 12 + 1800 + 3 + 60 + 6 + 4 + 24 + 600 + 24 + 180 + 40 + 1500 + 220 +
                                   900 + 350 + 300 + 2000 + 10);
    REQUIRE(p.management_class() != nullptr);
    CHECK(p.management_class()->name == "network-mgmt");
    CHECK(p.find_class("infra-server")->dhcp_server);
    for (const auto& s : p.switches()) {
        CHECK(p.management_class()->addresses.contains(*IpAddress::parse(s.address)));
        CHECK(s.management_vlan == std::optional<int>{99});
    }

    const auto* dist = p.find_switch("dist-dc-01");
    REQUIRE(dist != nullptr);
    REQUIRE(dist->tcam_budget.has_value());
    CHECK(dist->ace_budget() == 4000);
    CHECK(p.find_switch("acc-rad-01")->ace_budget() == 1000);  // the platform default
    CHECK(p.find_switch("acc-plant-01")->gateway_for.empty());  // layer 2 only
}

TEST_CASE("examples: the hospital's services, deliberate weaknesses and warnings") {
    auto compiled = compile_example("hospital/policy.yaml");
    const Policy& p = compiled.policy;
    const Diagnostics& diags = compiled.diagnostics;
    const auto* pacs_web = p.find_service("pacs-web");
    REQUIRE(pacs_web != nullptr);
    CHECK_FALSE(pacs_web->builtin);
    CHECK(pacs_web->ports.size() == 2);
    for (auto name : {"pump-sync", "monitor-net", "vendor-remote", "bacnet"}) CHECK(p.find_service(name));

    // The deliberate weaknesses are there.
    CHECK(has_flow(p, "imaging-modality", "pacs", "dicom"));
    CHECK(has_flow(p, "imaging-modality", "pacs", "dicom-tls"));
    CHECK(has_flow(p, "clinical-workstation", "pacs", "pacs-web"));
    CHECK(has_flow(p, "pacs", "imaging-modality", "dicom"));
    CHECK(has_flow(p, "pump-server", "infusion-pump", "pump-sync"));
    auto vendor = std::find_if(p.flows().begin(), p.flows().end(), [](const FlowRule& f) {
        return f.from == "vendor-vpn" && f.to == "imaging-modality";
    });
    REQUIRE(vendor != p.flows().end());
    REQUIRE(vendor->expires.has_value());
    CHECK(*vendor->expires == std::chrono::year_month_day{std::chrono::year{2027}, std::chrono::month{3},
                                                          std::chrono::day{31}});
    check_no_structural_warnings(diags);
    CHECK(warnings_of_kind(diags, "clear-text", "'dicom'") == 3);  // to pacs, to ris, from pacs
    CHECK(warnings_of_kind(diags, "classes-share-vlans") == 1);    // printer + ip-phone
    CHECK(warnings_of_kind(diags, "mixed-vlan") == 0);
    // The HVAC contractor's access has no end date; the modality and pump vendors' do.
    CHECK(warnings_of_kind(diags, "external-without-expires") == 1);
    CHECK(warnings_of_kind(diags, "external-without-expires", "'building-automation'") == 1);
    CHECK(warnings_of_kind(diags, "entry-to-protected", "'clinical-workstation'") == 3);  // pacs, ris, ehr
    CHECK(warnings_of_kind(diags, "life-not-isolated") == 0);
}

TEST_CASE("examples: the hospital's vendor flows are there through their expires day, gone after") {
    auto at = [](int y, unsigned m, unsigned d) {
        CompileOptions o;
        o.today = std::chrono::year_month_day{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
        return compile_policy_file(example_path("hospital/policy.yaml"), o);
    };
    auto march = at(2027, 3, 31), april = at(2027, 4, 1), july = at(2027, 7, 1);
    REQUIRE(march.ok());
    REQUIRE(april.ok());
    REQUIRE(july.ok());
    CHECK(has_flow(*march.policy, "vendor-vpn", "imaging-modality", "vendor-remote"));
    CHECK_FALSE(has_flow(*april.policy, "vendor-vpn", "imaging-modality", "vendor-remote"));
    CHECK(has_flow(*april.policy, "vendor-vpn", "pump-server", "https"));  // through 2027-06-30
    CHECK_FALSE(has_flow(*july.policy, "vendor-vpn", "pump-server", "https"));
    CHECK(warnings_of_kind(april.diagnostics, "expired-flow") == 1);
    CHECK(warnings_of_kind(july.diagnostics, "expired-flow") == 2);
    CHECK(july.policy->flows().size() == 48);
}

TEST_CASE("examples: the health system, assembled from included files") {
    auto compiled = compile_example("health-system/policy.yaml");
    const Policy& p = compiled.policy;
    const Diagnostics& diags = compiled.diagnostics;
    CHECK(p.name() == "northbridge-health");
    CHECK(p.classes().size() == 30);  // issue 19 added dc-netops
    REQUIRE(p.management_class() != nullptr);
    for (const auto& s : p.switches()) CHECK(p.management_class()->addresses.contains(*IpAddress::parse(s.address)));
    CHECK(count_if_class(p, true) == 2);
    CHECK(p.switches().size() == 9);
    CHECK(p.flows().size() == 52);
    CHECK(platforms_of(p) == std::set<PlatformId>{PlatformId::cisco_ios, PlatformId::arista_eos,
                                                  PlatformId::junos, PlatformId::nftables});
    check_network_invariants(p);

    // Classes from every included file, including the switches of a nested include.
    for (auto name : {"dc-pacs", "dc-ehr", "dc-patient-portal", "north-infusion-pump", "north-ip-phone",
                      "south-patient-monitor", "south-guest-wifi", "east-workstation",
                      "east-building-automation"})
        CHECK_MESSAGE(p.find_class(name) != nullptr, name);
    CHECK(p.find_service("monitor-net") != nullptr);             // from services.yaml
    CHECK(p.find_switch("north-dist-01") != nullptr);            // sites/north-switches.yaml
    CHECK(p.gateway_of("north-lab-analyser")->name == "north-dist-01");
    CHECK(p.gateway_of("east-camera")->name == "east-fw-01");

    // Every class belongs to a site by its name, and every switch says which site it is at.
    std::set<std::string> sites;
    for (const auto& sw : p.switches()) {
        CHECK_FALSE(sw.site.empty());
        sites.insert(sw.site);
    }
    CHECK(sites == std::set<std::string>{"dc1", "east", "north", "south"});
    for (const auto& c : p.classes()) {
        if (c.external) continue;
        const auto* gw = p.gateway_of(c.name);
        REQUIRE(gw != nullptr);
        std::string prefix = gw->site == "dc1" ? "dc-" : gw->site + "-";
        CHECK_MESSAGE(c.name.rfind(prefix, 0) == 0, c.name, " is routed at ", gw->site);
    }

    // The shared data centre is reached from every site.
    for (auto site : {"north", "south", "east"}) {
        std::string ws = fmt::format("{}-workstation", site);
        CHECK(has_flow(p, ws, "dc-ehr", "https"));
        CHECK(has_flow(p, ws, "dc-infra", "kerberos"));
        CHECK(std::any_of(p.flows().begin(), p.flows().end(), [&](const FlowRule& f) {
            return f.from == fmt::format("{}-imaging-modality", site) && f.to == "dc-pacs";
        }));
    }
    check_no_structural_warnings(diags);
    CHECK(warnings_of_kind(diags, "external-to-protected", "'dc-patient-portal'") == 1);
    CHECK(warnings_of_kind(diags, "clear-text", "'dicom'") == 2);  // south beside dicom-tls, east alone
    CHECK(warnings_of_kind(diags, "external-without-expires") == 1);
    CHECK(warnings_of_kind(diags, "entry-to-protected") == 6);
    CHECK(warnings_of_kind(diags, "life-not-isolated") == 0);

    // Locations point into the file that wrote them.
    CHECK(p.find_class("south-infusion-pump")->location.file.find("sites/south.yaml") != std::string::npos);
    CHECK(p.find_switch("north-acc-icu-01")->location.file.find("north-switches.yaml") != std::string::npos);
}

TEST_CASE("examples: microseg check accepts every example") {
    for (auto example : {"clinic/policy.yaml", "hospital/policy.yaml", "health-system/policy.yaml"}) {
        CAPTURE(example);
        std::string command = fmt::format("NO_COLOR=1 '{}' check --at 2026-11-01 '{}' >/dev/null 2>&1", MICROSEG_EXE,
                                          example_path(example));
        int status = std::system(command.c_str());
        CHECK(status == 0);
    }
}
