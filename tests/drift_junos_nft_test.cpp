// Junos round trip and hand-made drift (tests/drift_test.cpp covers the round trip loop for
// every platform with a parser; this file adds the Junos-specific edits of emitted set lines).
#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <optional>
#include <regex>
#include <sstream>

#include "audit/drift/drift.hpp"
#include "audit/parse/registry.hpp"
#include "compiler/compiler.hpp"
#include "emitters/emitter.hpp"
#include "tests/support/example_fixture.hpp"

using namespace microseg;
using microseg::testing::describe;
using microseg::testing::load_example;

namespace {

struct JunosCase {
    SwitchIntent intent;
    std::string text;
    std::vector<DriftFinding> drift(const std::string& t) const {
        return diff_switch(intent, parser_for(PlatformId::junos)(t));
    }
};

JunosCase gateway_junos(const Policy& p) {
    for (const auto& sw : p.switches()) {
        if (sw.platform != PlatformId::junos || sw.gateway_for.empty()) continue;
        auto intent = switch_intent(p, sw);
        auto config = emitter_for(sw.platform).emit(p, sw);
        REQUIRE(intent);
        REQUIRE(config);
        return {*intent, config->text};
    }
    FAIL("no Junos gateway switch");
    throw;
}

}  // namespace

TEST_CASE("junos round trip: every junos example switch, zero findings and zero warnings") {
    int checked = 0;
    for (const char* example : {"clinic", "hospital", "health-system"}) {
        auto p = load_example(example);
        for (const auto& sw : p.switches()) {
            if (sw.platform != PlatformId::junos) continue;
            auto intent = switch_intent(p, sw);
            auto config = emitter_for(sw.platform).emit(p, sw);
            REQUIRE(intent);
            REQUIRE(config);
            auto parsed = parser_for(PlatformId::junos)(config->text);
            CHECK_MESSAGE(parsed.warnings.empty(), sw.name);
            auto f = diff_switch(*intent, parsed);
            CHECK_MESSAGE(f.empty(), sw.name, describe(f));
            ++checked;
        }
    }
    CHECK(checked == 4);
}

namespace {

// `text` with the "t<N>" terms of `filter` in reverse order (what follows them stays put).
std::string with_terms_reversed(const std::string& text, const std::string& filter, std::size_t& term_count) {
    std::istringstream in(text);
    std::string line, out;
    std::vector<std::vector<std::string>> terms;
    std::smatch tm;
    std::regex term_re("^" + filter + " term (t\\d+) ");
    std::string current;
    bool flushed = false;
    while (std::getline(in, line)) {
        if (std::regex_search(line, tm, term_re)) {
            if (tm[1].str() != current) terms.emplace_back(), current = tm[1].str();
            terms.back().push_back(line);
            continue;
        }
        if (!terms.empty() && !flushed) {
            for (auto it = terms.rbegin(); it != terms.rend(); ++it)
                for (const auto& l : *it) out += l + "\n";
            flushed = true;
        }
        out += line + "\n";
    }
    term_count = terms.size();
    return out;
}

}  // namespace

TEST_CASE("junos drift: extra permit, moved port, reordered filter, shadowing term") {
    auto p = load_example("hospital");
    auto c = gateway_junos(p);
    REQUIRE(c.drift(c.text).empty());
    std::smatch m;
    REQUIRE(std::regex_search(c.text, m, std::regex("set firewall family inet filter (\\S+) term")));
    std::string filter = "set firewall family inet filter " + m[1].str();

    SUBCASE("an extra permit term first is an exposure with an example packet") {
        // Terms are ordered by first appearance: put the new term before the others.
        auto first = c.text.find(filter + " term");
        auto text = c.text.substr(0, first) + filter + " term evil from protocol tcp\n" + filter +
               " term evil from destination-port 22\n" + filter + " term evil then accept\n" + c.text.substr(first);
        auto f = c.drift(text);
        REQUIRE_MESSAGE(f.size() == 1, describe(f));
        CHECK(f[0].kind == DriftKind::acl_exposure);
        CHECK(f[0].impact == DriftImpact::exposure);
        REQUIRE(f[0].example);
        CHECK(f[0].example->destination_port == 22);
        CHECK(f[0].config_line > 1);
    }
    SUBCASE("a port moved to another VLAN") {
        // The first access `vlan members` statement now names a VLAN outside the policy.
        std::string moved = std::regex_replace(c.text, std::regex("vlan members \\S+\n"), "vlan members quarantine\n",
                                               std::regex_constants::format_first_only) +
                            "set vlans quarantine vlan-id 3999\n";
        auto f2 = c.drift(moved);
        bool wrong = std::any_of(f2.begin(), f2.end(), [](const DriftFinding& d) {
            return d.kind == DriftKind::port_wrong_vlan && d.impact == DriftImpact::exposure && d.config_line > 0;
        });
        CHECK_MESSAGE(wrong, describe(f2));
    }
    SUBCASE("reordered but equivalent terms are not drift") {
        // Move the permit terms of the first filter into reverse order (deny-rest stays last):
        // the terms are disjoint permits, so the packet sets are unchanged.
        std::size_t terms = 0;
        std::string out = with_terms_reversed(c.text, filter, terms);
        REQUIRE(terms >= 2);
        REQUIRE(out != c.text);
        auto f = c.drift(out);
        CHECK_MESSAGE(f.empty(), describe(f));
    }
    SUBCASE("a shadowing discard term before the permits is an outage") {
        auto first = c.text.find(filter + " term");
        auto text = c.text.substr(0, first) + filter + " term block then discard\n" + c.text.substr(first);
        auto f = c.drift(text);
        REQUIRE_FALSE(f.empty());
        for (const auto& d : f) CHECK(d.kind == DriftKind::acl_outage);
    }
}

namespace {

// A Junos switch of `p` with access ports, its intent and emitted config.
JunosCase access_junos(const Policy& p) {
    for (const auto& sw : p.switches()) {
        if (sw.platform != PlatformId::junos) continue;
        auto intent = switch_intent(p, sw);
        REQUIRE(intent);
        if (intent->access_ports.empty()) continue;
        auto config = emitter_for(sw.platform).emit(p, sw);
        REQUIRE(config);
        return {*intent, config->text};
    }
    FAIL("no Junos switch with access ports");
    throw;
}

bool any_kind(const std::vector<DriftFinding>& f, DriftKind kind) {
    return std::any_of(f.begin(), f.end(), [&](const DriftFinding& d) { return d.kind == kind; });
}

}  // namespace

TEST_CASE("junos drift: ports configured only through a group are not missing") {
    // An emitted access switch config with every interface statement (interface-ranges, the
    // uplink trunk) moved into a group that the top level applies: what the device runs is
    // unchanged.
    auto c = access_junos(load_example("hospital"));
    std::regex interface_line("^set interfaces ", std::regex::multiline);
    REQUIRE(std::regex_search(c.text, interface_line));
    auto grouped = std::regex_replace(c.text, interface_line, "set groups PORTS interfaces ");
    auto f = c.drift(grouped + "set apply-groups PORTS\n");
    CHECK_MESSAGE(f.empty(), describe(f));
    auto parsed = parser_for(PlatformId::junos)(grouped + "set apply-groups PORTS\n");
    CHECK(parsed.warnings.empty());
    // The same group, not applied: the ports are missing, which the test above would miss.
    auto without = c.drift(grouped);
    CHECK_MESSAGE(any_kind(without, DriftKind::port_missing), describe(without));
}

TEST_CASE("junos drift: the EX2300 fixture whose access ports come from a <ge-*> group diffs clean") {
    std::ifstream in(std::string(MICROSEG_SOURCE_DIR) + "/tests/fixtures/junos/ex2300-groups.conf", std::ios::binary);
    REQUIRE(in);
    std::ostringstream text;
    text << in.rdbuf();
    auto p = compile_policy_file(std::string(MICROSEG_SOURCE_DIR) + "/tests/fixtures/junos/policy.yaml");
    REQUIRE(p.ok());
    std::optional<SwitchIntent> intent;
    for (const auto& sw : p.policy->switches())
        if (auto r = switch_intent(*p.policy, sw); r && sw.name == "ex4200-gw") intent = *r;
    REQUIRE(intent);
    auto f = diff_switch(*intent, parser_for(PlatformId::junos)(text.str()));
    CHECK_FALSE(any_kind(f, DriftKind::port_missing));
    CHECK_MESSAGE(f.empty(), describe(f));
}
