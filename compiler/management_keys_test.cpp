// Issue 19's keys: internal_space, management, dhcp_server, management_vlan.
#include <doctest/doctest.h>

#include <algorithm>

#include "compiler/compiler.hpp"

using namespace microseg;

namespace {

CompileOptions at_2026() {
    CompileOptions o;
    o.today = std::chrono::year_month_day{std::chrono::year{2026}, std::chrono::month{1}, std::chrono::day{1}};
    return o;
}

const char* kPolicy = R"(version: 1
internal_space: [10.0.0.0/8, 172.16.0.0/12]
classes:
  ops: {vlan: 10, subnets: [10.0.0.0/24], management: true}
  dhcp: {vlan: 140, subnets: [10.140.0.0/28], dhcp_server: true, criticality: low}
  pump: {vlan: 110, subnets: [10.110.0.0/22]}
switches:
  - name: s1
    platform: cisco-ios
    address: 10.0.0.11
    management_vlan: 10
    gateway: [ops, dhcp, pump]
    ports: {Gi1/0/1: pump, Gi1/0/2: ops, Gi1/0/3: dhcp}
    trunks: {Te1/1/1: [110], Te1/1/2: [10, 140]}
  - {name: s2, platform: junos, address: 10.110.0.200}
)";

bool has_diag(const CompileResult& r, Severity sev, std::string_view kind, int line, int column, std::string_view text) {
    return std::any_of(r.diagnostics.items().begin(), r.diagnostics.items().end(), [&](const Diagnostic& d) {
        return d.severity == sev && d.kind == kind && d.location.line == line && d.location.column == column &&
               d.location.file == "<text>" && d.message == text;
    });
}

}  // namespace

TEST_CASE("issue 19 keys are read into the model") {
    auto r = compile_policy_text(kPolicy, "<text>", at_2026());
    for (const auto& d : r.diagnostics.items()) MESSAGE(format_diagnostic(d));
    REQUIRE(r.ok());
    const Policy& p = *r.policy;
    CHECK(p.internal_space() == std::vector<Cidr>{*Cidr::parse("10.0.0.0/8"), *Cidr::parse("172.16.0.0/12")});
    REQUIRE(p.management_class() != nullptr);
    CHECK(p.management_class()->name == "ops");
    CHECK(p.find_class("ops")->criticality == Criticality::high);   // protected unless set
    CHECK(p.find_class("dhcp")->criticality == Criticality::low);   // as written
    CHECK(p.find_class("dhcp")->dhcp_server);
    CHECK_FALSE(p.find_class("pump")->dhcp_server);
    CHECK_FALSE(p.find_class("pump")->management);
    const Switch& s1 = *p.find_switch("s1");
    REQUIRE(s1.management_vlan);
    CHECK(*s1.management_vlan == 10);
    CHECK(s1.trunks[0].vlans == std::vector<int>{10, 110});   // added
    CHECK(s1.trunks[1].vlans == std::vector<int>{10, 140});   // already there, once
    CHECK_FALSE(p.find_switch("s2")->management_vlan);
}

TEST_CASE("internal_space defaults to the private and shared ranges") {
    auto r = compile_policy_text("version: 1\nclasses:\n  a: {vlan: 5, subnets: [10.5.0.0/24]}\n", "<text>", at_2026());
    REQUIRE(r.ok());
    CHECK(r.policy->internal_space() == default_internal_space());
    CHECK(r.policy->internal_space().size() == 4);
    CHECK(r.policy->management_class() == nullptr);
}

TEST_CASE("a switch address outside the management class is a located warning") {
    auto r = compile_policy_text(kPolicy, "<text>", at_2026());
    REQUIRE(r.ok());
    CHECK(has_diag(r, Severity::warning, "address-outside-management", 15, 42,
                   "address 10.110.0.200 of switch 's2' is outside the subnets of management class 'ops'"));
    CHECK_FALSE(has_diag(r, Severity::warning, "address-outside-management", 10, 14,
                         "address 10.0.0.11 of switch 's1' is outside the subnets of management class 'ops'"));
}

TEST_CASE("issue 19 keys: errors with their locations") {
    std::string two = "version: 1\nclasses:\n"
                      "  ops: {vlan: 10, subnets: [10.0.0.0/24], management: true}\n"
                      "  ops2: {vlan: 11, subnets: [10.0.1.0/24], management: true}\n";
    auto r = compile_policy_text(two, "<text>", at_2026());
    CHECK_FALSE(r.ok());
    CHECK(has_diag(r, Severity::error, "duplicate-management", 4, 56,
                   "class 'ops2' is marked management, but class 'ops' already is at <text>:3:55; a policy has one "
                   "management class"));

    r = compile_policy_text("version: 1\ninternal_space: [10.0.0.1/8, fish]\n", "<text>", at_2026());
    CHECK(has_diag(r, Severity::error, "bad-cidr", 2, 18,
                   "bad internal_space entry '10.0.0.1/8': host bits set; the network is 10.0.0.0/8"));
    CHECK(std::any_of(r.diagnostics.items().begin(), r.diagnostics.items().end(), [](const Diagnostic& d) {
        return d.kind == "bad-cidr" && d.location.line == 2 && d.location.column == 30;
    }));

    r = compile_policy_text("version: 1\nswitches:\n  - {name: s1, platform: junos, management_vlan: 4095}\n", "<text>",
                            at_2026());
    CHECK(has_diag(r, Severity::error, "bad-vlan", 3, 50,
                   "management_vlan of switch 's1' must be a VLAN id from 1 to 4094, not '4095'"));
    r = compile_policy_text("version: 1\nswitches:\n  - {name: s1, platform: junos, management_vlan: \"0x10\"}\n",
                            "<text>", at_2026());
    CHECK_FALSE(r.ok());

    r = compile_policy_text("version: 1\nclasses:\n  a: {vlan: 5, dhcp_server: yes}\n", "<text>", at_2026());
    CHECK(has_diag(r, Severity::error, "bad-boolean", 3, 29, "dhcp_server of class 'a' must be true or false, not 'yes'"));
    r = compile_policy_text("version: 1\nclasses:\n  a: {vlan: 5, managment: true}\n", "<text>", at_2026());
    CHECK(has_diag(r, Severity::error, "unknown-key", 3, 16,
                   "unknown key 'managment' in class 'a'; did you mean 'management'?"));
}

TEST_CASE("junos_style: els by default, non-els as written; other values and other platforms are errors") {
    const std::string base = "version: 1\nclasses:\n  a: {vlan: 5, subnets: [10.5.0.0/24]}\nswitches:\n";
    auto r = compile_policy_text(base + "  - {name: j1, platform: junos}\n  - {name: j2, platform: junos, junos_style: non-els}\n"
                                        "  - {name: j3, platform: junos, junos_style: els}\n",
                                 "<text>", at_2026());
    REQUIRE(r.ok());
    CHECK(r.policy->find_switch("j1")->junos_style == JunosStyle::els);
    CHECK(r.policy->find_switch("j2")->junos_style == JunosStyle::non_els);
    CHECK(r.policy->find_switch("j3")->junos_style == JunosStyle::els);

    r = compile_policy_text(base + "  - {name: j1, platform: junos, junos_style: NON-ELS}\n", "<text>", at_2026());
    CHECK_FALSE(r.ok());
    CHECK(has_diag(r, Severity::error, "bad-junos-style", 5, 46,
                   "junos_style of switch 'j1' must be els or non-els, not 'NON-ELS'"));
    r = compile_policy_text(base + "  - {name: e1, platform: arista-eos, junos_style: els}\n", "<text>", at_2026());
    CHECK_FALSE(r.ok());
    CHECK(has_diag(r, Severity::error, "bad-junos-style", 5, 51,
                   "junos_style is for junos switches only; switch 'e1' is arista-eos"));
}
