// The most important test of all (STYLE.md): emit each switch's config, parse it back, and
// require zero semantic difference from the compiled intent. Then hand-made drift per
// platform: an extra permit, a port moved to another VLAN, a reordered-but-equivalent ACL that
// must NOT be drift, a shadowing entry.
#include <doctest/doctest.h>

#include <regex>

#include "audit/drift/drift.hpp"
#include "audit/parse/registry.hpp"
#include "compiler/compiler.hpp"
#include "emitters/emitter.hpp"
#include "tests/support/example_fixture.hpp"

using namespace microseg;
using microseg::testing::describe;
using microseg::testing::load_example;

namespace {

struct Emitted {
    SwitchIntent intent;
    std::string text;
};

Emitted emit(const Policy& p, const Switch& sw) {
    auto intent = switch_intent(p, sw);
    REQUIRE(intent);
    auto config = emitter_for(sw.platform).emit(p, sw);
    REQUIRE_MESSAGE(config, sw.name);
    return {*intent, config->text};
}

std::vector<DriftFinding> drift(const Emitted& e, const std::string& text) {
    return diff_switch(e.intent, parser_for(e.intent.platform)(text));
}

const Switch& first_switch(const Policy& p, PlatformId platform, bool with_gateway) {
    for (const auto& sw : p.switches())
        if (sw.platform == platform && (!with_gateway || !sw.gateway_for.empty())) return sw;
    FAIL("no such switch in the example");
    throw;
}

// Inserts `line` right after the first line matching `after` (a regex).
std::string insert_after(const std::string& text, const std::string& after, const std::string& line) {
    std::smatch m;
    REQUIRE(std::regex_search(text, m, std::regex(after)));
    auto end = text.find('\n', static_cast<std::size_t>(m.position(0)));
    return text.substr(0, end + 1) + line + "\n" + text.substr(end + 1);
}

}  // namespace

TEST_CASE("round trip: every IOS and EOS example switch parses back with zero drift") {
    int checked = 0;
    for (const char* example : {"clinic", "hospital", "health-system"}) {
        auto p = load_example(example);
        for (const auto& sw : p.switches()) {
            // Routers (nftables) are diffed per class with the policy: tests/drift_nft_test.cpp.
            if (sw.platform == PlatformId::nftables) continue;
            auto e = emit(p, sw);
            auto parsed = parser_for(sw.platform)(e.text);
            CHECK_MESSAGE(parsed.warnings.empty(), sw.name, ": ", parsed.warnings.size(), " warnings, first: ",
                          parsed.warnings.empty() ? "" : parsed.warnings[0].text);
            auto findings = diff_switch(e.intent, parsed);
            CHECK_MESSAGE(findings.empty(), sw.name, describe(findings));
            ++checked;
        }
    }
    CHECK(checked >= 5);
}

TEST_CASE("drift per platform: extra permit, moved port, reordered ACL, shadowing entry") {
    auto p = load_example("hospital");
    for (auto platform : {PlatformId::cisco_ios, PlatformId::arista_eos}) {
        CAPTURE(platform);
        const auto& sw = first_switch(p, platform, true);
        auto e = emit(p, sw);
        REQUIRE(drift(e, e.text).empty());
        const auto& svi = e.intent.svis.front();
        // The ACL header as this platform writes it, and its first entry.
        // (MS_IN_: an SVI's, not the isolation port ACL that comes first.)
        std::string acl_header = platform == PlatformId::cisco_ios ? "ip access-list extended MS_IN_\\S+\n"
                                                                   : "ip access-list MS_IN_\\S+\n";
        std::string indent = platform == PlatformId::cisco_ios ? " " : "   ";
        std::string seq = platform == PlatformId::cisco_ios ? "" : "1 ";

        SUBCASE("an extra permit is an exposure with the live line") {
            auto text = insert_after(e.text, acl_header, indent + seq + "permit tcp any any eq 22");
            auto f = drift(e, text);
            REQUIRE_MESSAGE(f.size() == 1, describe(f));
            CHECK(f[0].kind == DriftKind::acl_exposure);
            CHECK(f[0].impact == DriftImpact::exposure);
            REQUIRE(f[0].example);
            CHECK(f[0].example->destination_port == 22);
            CHECK(f[0].config_line > 0);
        }
        SUBCASE("a port moved to another VLAN") {
            const auto& port = e.intent.access_ports.front();
            auto moved = std::regex_replace(
                e.text, std::regex(fmt::format("switchport access vlan {}\n", port.vlan)),
                "switchport access vlan 3999\n", std::regex_constants::format_first_only);
            auto f = drift(e, moved);
            bool found = std::any_of(f.begin(), f.end(), [](const DriftFinding& d) {
                return d.kind == DriftKind::port_wrong_vlan && d.impact == DriftImpact::exposure;
            });
            CHECK_MESSAGE(found, describe(f));
        }
        SUBCASE("a shadowing deny before the permits is an outage") {
            auto text = insert_after(e.text, acl_header, indent + seq + "deny ip any any");
            auto f = drift(e, text);
            REQUIRE_FALSE(f.empty());
            for (const auto& d : f) CHECK(d.kind == DriftKind::acl_outage);
        }
        SUBCASE("no ACL applied on the SVI") {
            auto text = std::regex_replace(e.text, std::regex("\\n\\s*ip access-group \\S+ in\\n"), "\n",
                                           std::regex_constants::format_first_only);
            auto f = drift(e, text);
            REQUIRE_FALSE(f.empty());
        }
        (void)svi;
    }
}

TEST_CASE("a reordered but equivalent ACL is not drift") {
    auto p = load_example("hospital");
    const auto& sw = first_switch(p, PlatformId::cisco_ios, true);
    auto e = emit(p, sw);
    // Reverse the permit entries of every ACL (they are disjoint or equal in action), keeping
    // the final deny last: the packet sets stay the same.
    std::string out, block;
    std::vector<std::string> permits;
    std::istringstream in(e.text);
    std::string line;
    auto flush = [&] {
        for (auto it = permits.rbegin(); it != permits.rend(); ++it) out += *it + "\n";
        permits.clear();
    };
    while (std::getline(in, line)) {
        if (line.rfind(" permit ", 0) == 0) {
            permits.push_back(line);
            continue;
        }
        flush();
        out += line + "\n";
    }
    flush();
    REQUIRE(out != e.text);
    auto f = drift(e, out);
    CHECK_MESSAGE(f.empty(), describe(f));
}
