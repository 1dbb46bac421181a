// The proof judges states read back from config text (written here as IOS prints it), so each
// rule is shown on a state that breaks it and on one that does not.
#include <doctest/doctest.h>

#include <fmt/format.h>

#include "audit/parse/registry.hpp"
#include "compiler/compiler.hpp"
#include "plan/proof.hpp"

using namespace microseg;

namespace {

constexpr const char* kPolicy = R"(version: 1
name: proof
classes:
  ops: {vlan: 99, subnets: [10.99.0.0/24], management: true}
  pumps: {vlan: 10, subnets: [10.10.0.0/24]}
  ehr: {vlan: 20, subnets: [10.20.0.0/24]}
flows:
  - {from: pumps, to: ehr, services: [https]}
switches:
  - name: s1
    platform: cisco-ios
    address: 10.99.0.11
    management_vlan: 99
    gateway: [pumps, ehr, ops]
    ports: {Gi1/0/1: pumps}
    trunks: {Gi1/0/48: [10, 20]}
)";

Policy test_policy() {
    CompileOptions at;
    at.today = std::chrono::year_month_day{std::chrono::year{2026}, std::chrono::month{1}, std::chrono::day{1}};
    auto r = compile_policy_text(kPolicy, "proof.yaml", at);
    REQUIRE(r.ok());
    return std::move(*r.policy);
}

// One IOS config: the ACL bound on Vlan10 (`bound`), the ACLs defined, the port's VLAN and the
// trunk's list, the SVI that holds 10.10.0.0/24.
struct Shape {
    std::string bound = "A";
    std::string acls = "ip access-list extended A\n 10 permit tcp 10.10.0.0 0.0.0.255 10.20.0.0 0.0.0.255 eq 443\n"
                       " 20 permit tcp 10.10.0.0 0.0.0.255 host 10.99.0.11 eq 22\n 30 deny ip any any log\n";
    int port_vlan = 10;
    std::string trunk = "10,20,99";
    int pump_svi = 10;
    std::string mgmt_acl = "ip access-list extended M\n 10 permit tcp 10.99.0.0 0.0.0.255 host 10.99.0.11 eq 22\n"
                           " 20 permit tcp 10.99.0.0 0.0.0.255 host 10.99.0.11 eq 443\n"
                           " 30 permit udp 10.99.0.0 0.0.0.255 host 10.99.0.11 eq 161\n 40 deny ip any any log\n";
};

ParsedConfig ios(const Shape& s) {
    std::string text = "hostname s1\n!\nvlan 10\n!\nvlan 20\n!\nvlan 99\n!\n";
    text += fmt::format("interface GigabitEthernet1/0/1\n switchport mode access\n switchport access vlan {}\n!\n", s.port_vlan);
    text += fmt::format("interface GigabitEthernet1/0/48\n switchport mode trunk\n switchport trunk allowed vlan {}\n!\n", s.trunk);
    text += fmt::format("interface Vlan{}\n ip address 10.10.0.1 255.255.255.0\n ip access-group {} in\n!\n", s.pump_svi, s.bound);
    text += "interface Vlan20\n ip address 10.20.0.1 255.255.255.0\n!\n";
    text += "interface Vlan99\n ip address 10.99.0.1 255.255.255.0\n ip access-group M in\n!\n";
    text += s.acls + s.mgmt_acl + "!\nend\n";
    return parser_for(PlatformId::cisco_ios)(text);
}

std::vector<ProofIssue> issues_of(const Shape& middle, const Shape& old_shape = {}, Shape new_shape = {}) {
    static const Policy policy = test_policy();
    if (new_shape.bound == "A") {
        new_shape.bound = "B";
        new_shape.acls += "ip access-list extended B\n 10 permit tcp 10.10.0.0 0.0.0.255 10.20.0.0 0.0.0.255 eq 443\n"
                          " 20 permit tcp 10.10.0.0 0.0.0.255 10.20.0.0 0.0.0.255 eq 8443\n"
                          " 30 permit tcp 10.10.0.0 0.0.0.255 host 10.99.0.11 eq 22\n 40 deny ip any any log\n";
    }
    auto before = ios(old_shape), after = ios(new_shape);
    std::vector<ParsedConfig> states;
    states.push_back(ios(middle));
    states.push_back(after);
    return prove_plan({policy, *policy.find_switch("s1"), before, after, states, before}).issues;
}

bool has(const std::vector<ProofIssue>& issues, ProofIssueKind kind, std::string_view subject_part = "") {
    for (const auto& i : issues)
        if (i.kind == kind && i.subject.find(subject_part) != std::string::npos && i.state == 1) return true;
    return false;
}

}  // namespace

TEST_CASE("a state that is the old or the new config proves") {
    auto issues = issues_of(Shape{});
    CHECK(issues.empty());
}

TEST_CASE("an ACL bound before it is defined opens everything (IOS permits all): exposure") {
    Shape middle;
    middle.bound = "B";  // B not defined in this state
    auto issues = issues_of(middle);
    CHECK(has(issues, ProofIssueKind::exposure, "VLAN 10"));
}

TEST_CASE("an ACL emptied in place drops what both permit, and cuts the operators") {
    Shape middle;
    middle.acls = "ip access-list extended A\n 10 deny ip any any log\n";
    middle.mgmt_acl = "ip access-list extended M\n 10 deny ip any any log\n";
    auto issues = issues_of(middle);
    CHECK(has(issues, ProofIssueKind::outage, "VLAN 10"));
    CHECK(has(issues, ProofIssueKind::management, "VLAN 99"));
    CHECK_FALSE(has(issues, ProofIssueKind::exposure));
}

TEST_CASE("a port moved to a VLAN that does not exist yet, a trunk list replaced: outage and management") {
    Shape middle;
    middle.trunk = "10";
    auto issues = issues_of(middle);
    CHECK(has(issues, ProofIssueKind::outage, "GigabitEthernet1/0/48"));
    CHECK(has(issues, ProofIssueKind::management, "GigabitEthernet1/0/48"));
    Shape to_30 = Shape{};
    to_30.port_vlan = 30;
    Shape old_shape;
    auto moved = issues_of(to_30, old_shape, [] {
        Shape s;
        s.port_vlan = 30;
        return s;
    }());
    CHECK(has(moved, ProofIssueKind::outage, "GigabitEthernet1/0/1"));
}

TEST_CASE("a trunk that carries a VLAN neither old nor new carries is an exposure") {
    Shape middle;
    middle.trunk = "10,20,99,110";
    CHECK(has(issues_of(middle), ProofIssueKind::exposure, "GigabitEthernet1/0/48"));
}

TEST_CASE("a subnet moving to another VLAN is at risk, with its flows") {
    Shape new_shape;
    new_shape.pump_svi = 30;
    auto issues = issues_of(Shape{}, Shape{}, new_shape);
    bool found = false;
    for (const auto& i : issues)
        if (i.kind == ProofIssueKind::at_risk && i.subject == "10.10.0.0/24") {
            found = true;
            CHECK(i.message.find("pumps -> ehr (https)") != std::string::npos);
        }
    CHECK(found);
}

TEST_CASE("config the parser could not read is listed as not proven") {
    static const Policy policy = test_policy();
    auto before = parser_for(PlatformId::cisco_ios)("hostname s1\n!\ninterface Vlan10\n ip address 10.10.0.1 255.255.255.0\n"
                                                    " ip access-group A in\n!\nip access-list extended A\n"
                                                    " 10 permit tcp object-group X any eq 22\n!\nend\n");
    auto proof = prove_plan({policy, *policy.find_switch("s1"), before, before, {}, before});
    bool listed = false;
    for (const auto& i : proof.issues) listed |= i.kind == ProofIssueKind::not_proven;
    CHECK(listed);
}
