// Time (`expires` read as of CompileOptions::today) and the lint of the riskiest flows: entry
// classes into life/phi classes, life classes without isolate, outside access with no end date.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "compiler/compiler.hpp"

using namespace microseg;

namespace {

const char* kPolicy = R"(version: 1
classes:
  pump: {vlan: 110, subnets: [10.110.0.0/24], criticality: life}
  pacs: {vlan: 130, subnets: [10.130.0.0/24], phi: true}
  guest-wifi: {vlan: 300, subnets: [10.30.0.0/16], entry: true}
  workstation: {vlan: 200, subnets: [10.200.0.0/21]}
  vendor-vpn: {external: true, subnets: [172.31.200.0/24], entry: true}
  internet: {external: true, subnets: [0.0.0.0/0], entry: true}
flows:
  - {from: vendor-vpn, to: workstation, services: [ssh], expires: 2027-03-31}
  - {from: [workstation, vendor-vpn], to: pacs, services: [https], expires: 2027-03-31}
  - {from: guest-wifi, to: pacs, services: [https]}
  - {from: vendor-vpn, to: workstation, services: [rdp]}
  - {from: internet, to: workstation, services: [https]}
  - {from: workstation, to: pump, services: [https]}
)";

CompileOptions at(int year, unsigned month, unsigned day) {
    CompileOptions o;
    o.today = std::chrono::year_month_day{std::chrono::year{year}, std::chrono::month{month}, std::chrono::day{day}};
    return o;
}

// "line:col: message [kind]" of every warning.
std::vector<std::string> warnings_of(const CompileResult& r) {
    std::vector<std::string> out;
    for (const auto& d : r.diagnostics.items())
        if (d.severity == Severity::warning)
            out.push_back(fmt::format("{}:{}: {} [{}]", d.location.line, d.location.column, d.message, d.kind));
    return out;
}

bool has(const std::vector<std::string>& warnings, const std::string& text) {
    bool found = std::find(warnings.begin(), warnings.end(), text) != warnings.end();
    if (!found)
        for (const auto& w : warnings) MESSAGE(w);
    return found;
}

std::size_t count_kind(const CompileResult& r, std::string_view kind) {
    return static_cast<std::size_t>(std::count_if(r.diagnostics.items().begin(), r.diagnostics.items().end(),
                                                   [&](const Diagnostic& d) { return d.kind == kind; }));
}

bool has_flow(const Policy& p, std::string_view from, std::string_view to) {
    return std::any_of(p.flows().begin(), p.flows().end(),
                       [&](const FlowRule& f) { return f.from == from && f.to == to; });
}

}  // namespace

TEST_CASE("expires: a flow is valid through its day and gone from the next") {
    auto on_the_day = compile_policy_text(kPolicy, "p.yaml", at(2027, 3, 31));
    REQUIRE(on_the_day.ok());
    CHECK(has_flow(*on_the_day.policy, "vendor-vpn", "pacs"));
    CHECK(has_flow(*on_the_day.policy, "workstation", "pacs"));
    CHECK(count_kind(on_the_day, "expired-flow") == 0);
    CHECK(on_the_day.policy->flows().size() == 7);

    auto day_after = compile_policy_text(kPolicy, "p.yaml", at(2027, 4, 1));
    REQUIRE(day_after.ok());
    CHECK_FALSE(has_flow(*day_after.policy, "vendor-vpn", "pacs"));
    CHECK_FALSE(has_flow(*day_after.policy, "workstation", "pacs"));
    CHECK(has_flow(*day_after.policy, "vendor-vpn", "workstation"));  // the rdp flow has no end
    CHECK(day_after.policy->flows().size() == 4);
    auto w = warnings_of(day_after);
    CHECK(has(w, "10:5: flow from 'vendor-vpn' to 'workstation' expired on 2027-03-31: left out [expired-flow]"));
    // One warning per flow item, though the item names two pairs.
    CHECK(has(w, "11:5: flow from 'workstation' to 'pacs' (and 1 more pairs of this flow) expired on 2027-03-31: "
                 "left out [expired-flow]"));
    CHECK(count_kind(day_after, "expired-flow") == 2);
}

TEST_CASE("expires: an expired flow is not linted, an error in it is still an error") {
    auto r = compile_policy_text(kPolicy, "p.yaml", at(2028, 1, 1));
    REQUIRE(r.ok());
    // The vendor-vpn -> pacs pair is gone, so its external-to-protected warning is too.
    CHECK(count_kind(r, "external-to-protected") == 0);
    std::string bad = std::string(kPolicy) + "  - {from: workstation, to: pacs, services: [nope], expires: 2020-01-01}\n";
    CHECK_FALSE(compile_policy_text(bad, "p.yaml", at(2028, 1, 1)).ok());
}

TEST_CASE("lint: entry classes into life or phi classes, internal and external, at the flow") {
    auto r = compile_policy_text(kPolicy, "p.yaml", at(2027, 1, 1));
    REQUIRE(r.ok());
    auto w = warnings_of(r);
    CHECK(has(w, "12:5: flow from entry class 'guest-wifi' to patient-data (phi) class 'pacs' [entry-to-protected]"));
    CHECK(has(w, "11:5: flow from external class 'vendor-vpn' to patient-data (phi) class 'pacs' "
                 "[external-to-protected]"));
    // workstation is not an entry class: its flow to the pump is no one-hop path.
    CHECK(count_kind(r, "entry-to-protected") == 1);
    CHECK(count_kind(r, "external-to-protected") == 1);
}

TEST_CASE("lint: a life-critical class without isolate, at the class") {
    auto r = compile_policy_text(kPolicy, "p.yaml", at(2027, 1, 1));
    CHECK(has(warnings_of(r), "3:3: life-critical class 'pump' is not isolate: its devices reach each other on "
                              "every service [life-not-isolated]"));
    std::string isolated = kPolicy;
    isolated.replace(isolated.find("criticality: life}"), 18, "criticality: life, isolate: true}");
    CHECK(count_kind(compile_policy_text(isolated, "p.yaml", at(2027, 1, 1)), "life-not-isolated") == 0);
}

TEST_CASE("lint: a flow from outside with no expires, the internet excepted") {
    auto r = compile_policy_text(kPolicy, "p.yaml", at(2027, 1, 1));
    auto w = warnings_of(r);
    CHECK(has(w, "13:5: flow from external class 'vendor-vpn' to 'workstation' has no expires: access from outside "
                 "should end on a date [external-without-expires]"));
    // The internet publishing to a class (line 14) is a standing service; lines 10-11 have a date.
    CHECK(count_kind(r, "external-without-expires") == 1);
}
