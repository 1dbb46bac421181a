// Issue 19's `via`: where an external class enters the network, and its errors.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "compiler/compiler.hpp"

using namespace microseg;

namespace {

CompileOptions at_2026() {
    CompileOptions o;
    o.today = std::chrono::year_month_day{std::chrono::year{2026}, std::chrono::month{1}, std::chrono::day{1}};
    return o;
}

// Line numbers matter: the tests below replace line 5 (the internet class).
std::string policy_with(const std::string& internet_line) {
    return "version: 1\n"                                                                   // 1
           "classes:\n"                                                                     // 2
           "  ws: {vlan: 40, subnets: [10.20.40.0/24]}\n"                                   // 3
           "  guest: {vlan: 60, subnets: [10.20.64.0/22], entry: true}\n"                   // 4
           + internet_line + "\n" +                                                         // 5
           "flows:\n"                                                                       // 6
           "  - {from: [ws, guest], to: internet, services: [https]}\n"                     // 7
           "switches:\n"                                                                    // 8
           "  - {name: core-sw, platform: cisco-ios, address: 10.0.0.2, gateway: [ws]}\n"   // 9
           "  - {name: edge-fw, platform: nftables, address: 10.0.0.1, gateway: [guest]}\n";  // 10
}

const Diagnostic* find_kind(const CompileResult& r, std::string_view kind) {
    const auto& items = r.diagnostics.items();
    auto it = std::find_if(items.begin(), items.end(), [&](const Diagnostic& d) { return d.kind == kind; });
    return it == items.end() ? nullptr : &*it;
}

}  // namespace

TEST_CASE("via names the nftables switches where an external class enters") {
    auto r = compile_policy_text(policy_with("  internet: {external: true, subnets: [0.0.0.0/0], via: [edge-fw]}"),
                                 "<text>", at_2026());
    for (const auto& d : r.diagnostics.items()) MESSAGE(format_diagnostic(d));
    REQUIRE(r.ok());
    const Policy& p = *r.policy;
    const DeviceClass& internet = *p.find_class("internet");
    CHECK(internet.via == std::vector<std::string>{"edge-fw"});
    const Switch& edge = *p.find_switch("edge-fw");
    const Switch& core = *p.find_switch("core-sw");
    CHECK(p.is_local(edge, internet));
    CHECK(p.is_local(edge, *p.find_class("guest")));
    CHECK_FALSE(p.is_local(core, internet));
    CHECK_FALSE(p.is_local(edge, *p.find_class("ws")));
    REQUIRE(p.filters_of(internet).size() == 1);
    CHECK(p.filters_of(internet)[0] == &edge);
    REQUIRE(p.filters_of(*p.find_class("ws")).size() == 1);
    CHECK(p.filters_of(*p.find_class("ws"))[0] == &core);
}

TEST_CASE("an external class used by a flow needs via when the policy has switches") {
    auto r = compile_policy_text(policy_with("  internet: {external: true, subnets: [0.0.0.0/0]}"), "<text>", at_2026());
    CHECK_FALSE(r.ok());
    const Diagnostic* d = find_kind(r, "missing-via");
    REQUIRE(d != nullptr);
    CHECK(d->severity == Severity::error);
    CHECK(d->location.line == 5);
    CHECK(d->location.column == 3);
    CHECK(d->message.find("flow at <text>:7:5") != std::string::npos);
}

TEST_CASE("an external class no flow uses, or a policy without switches, needs no via") {
    auto unused = compile_policy_text("version: 1\nclasses:\n  ws: {vlan: 40, subnets: [10.20.40.0/24]}\n"
                                      "  internet: {external: true, subnets: [0.0.0.0/0]}\n"
                                      "switches:\n  - {name: s, platform: cisco-ios, gateway: [ws]}\n",
                                      "<text>", at_2026());
    CHECK(find_kind(unused, "missing-via") == nullptr);
    auto design = compile_policy_text("version: 1\nclasses:\n  ws: {vlan: 40, subnets: [10.20.40.0/24]}\n"
                                      "  internet: {external: true, subnets: [0.0.0.0/0]}\n"
                                      "flows:\n  - {from: ws, to: internet, services: [https]}\n",
                                      "<text>", at_2026());
    CHECK(find_kind(design, "missing-via") == nullptr);
}

TEST_CASE("via errors name the value's location") {
    SUBCASE("an unknown switch, with a suggestion") {
        auto r = compile_policy_text(policy_with("  internet: {external: true, subnets: [0.0.0.0/0], via: [edge-fv]}"),
                                     "<text>", at_2026());
        CHECK_FALSE(r.ok());
        const Diagnostic* d = find_kind(r, "unknown-switch");
        REQUIRE(d != nullptr);
        CHECK(d->location.line == 5);
        CHECK(d->location.column == 58);
        CHECK(d->message.find("'edge-fv'") != std::string::npos);
        CHECK(d->message.find("edge-fw") != std::string::npos);  // did you mean
    }
    SUBCASE("a switch that filters only on class SVIs") {
        auto r = compile_policy_text(policy_with("  internet: {external: true, subnets: [0.0.0.0/0], via: [core-sw]}"),
                                     "<text>", at_2026());
        CHECK_FALSE(r.ok());
        const Diagnostic* d = find_kind(r, "bad-via");
        REQUIRE(d != nullptr);
        CHECK(d->location.line == 5);
        CHECK(d->message.find("nftables") != std::string::npos);
    }
    SUBCASE("via on an internal class") {
        auto text = policy_with("  internet: {external: true, subnets: [0.0.0.0/0], via: [edge-fw]}");
        text.replace(text.find("10.20.40.0/24]}"), 15, "10.20.40.0/24], via: [edge-fw]}");
        auto r = compile_policy_text(text, "<text>", at_2026());
        CHECK_FALSE(r.ok());
        const Diagnostic* d = find_kind(r, "bad-via");
        REQUIRE(d != nullptr);
        CHECK(d->location.line == 3);
        CHECK(d->message.find("internal") != std::string::npos);
    }
}
