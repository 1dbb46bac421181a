// MUD import and export (importers/mud.hpp) on tests/fixtures/mud: the classes, rules and
// services an import gives, the warnings (with JSON paths) for placeholders and ACEs left out,
// MUD -> policy -> MUD keeping the ACL semantics, the exported file's RFC 8520 structure, and
// bad input (malformed JSON at line:col, a missing mud-url, huge and deeply nested files).
#include <doctest/doctest.h>

#include <fstream>
#include <set>
#include <sstream>
#include <tuple>

#include <nlohmann/json.hpp>

#include "compiler/compiler.hpp"
#include "importers/mud.hpp"
#include "importers/mud_test_fixture.hpp"

using namespace microseg;
using namespace microseg::mud;
using nlohmann::json;

namespace {

using test::fixture;
using test::kDir;
using test::slurp;

MudMap fixture_map() {
    auto map = read_mud_map(kDir + "map.yaml");
    REQUIRE(map.ok());
    return *map;
}

bool has(const std::string& text, std::string_view what) { return text.find(what) != std::string::npos; }

// The warning whose message holds `what`, or "".
std::string warning_with(const MudImport& r, std::string_view what) {
    for (const auto& d : r.diagnostics.items())
        if (has(d.message, what)) return d.message;
    return "";
}

using Semantics = std::set<std::tuple<bool, Protocol, std::uint16_t, std::uint16_t, std::string>>;

Semantics semantics(const std::vector<MudRule>& rules, const std::string& device_class) {
    Semantics out;
    for (const auto& r : rules)
        if (device_class.empty() || r.device_class == device_class)
            out.insert({r.from_device, r.port.protocol, r.port.ports.first, r.port.ports.last, r.peer});
    return out;
}

const std::string kPump = "example-medical-pump-3000";

}  // namespace

TEST_CASE("import mud: the pump's class, its rules with exact ports, mapped peers and placeholders") {
    auto r = import_mud({fixture("pump3000.json")}, fixture_map());
    REQUIRE(r.ok());
    REQUIRE(r->devices.size() == 1);
    CHECK(r->devices[0].class_name == kPump);  // mfg-name + model-name, sanitised
    CHECK(r->devices[0].mud_url == "https://pumps.example-medical.com/mud/pump3000.json");
    Semantics expected = {
        {true, Protocol::tcp, 51243, 51243, "pump-server"},
        {false, Protocol::tcp, 51243, 51243, "pump-server"},
        {true, Protocol::tcp, 443, 443, kPump + "-controller"},
        {true, Protocol::tcp, 443, 443, "vendor-cloud"},  // the to-device reply entry is the same rule
        {true, Protocol::icmp, 0, 65535, "vendor-cloud"},
        {true, Protocol::udp, 123, 123, "net-198-51-100-0-24"},
        {true, Protocol::udp, 5000, 5010, "workstation"},
        {true, Protocol::tcp, 8883, 8883, "pumps-example-medical-com-devices"},
        {false, Protocol::udp, 24005, 24005, "monitors-example-medical-com-devices"},
    };
    CHECK(semantics(r->rules, "") == expected);
    // Services exact: catalogue names where one port matches, custom ones otherwise.
    CHECK(has(r->policy_text, "mud-tcp-51243: [tcp/51243]"));
    CHECK(has(r->policy_text, "mud-udp-5000-5010: [udp/5000-5010]"));
    CHECK(has(r->policy_text, "to: net-198-51-100-0-24, services: [ntp]"));
    CHECK(has(r->policy_text, "to: vendor-cloud, services: [https, icmp]"));
    CHECK(has(r->policy_text, "to: pumps-example-medical-com-devices, services: [mqtt-tls]"));
    std::map<std::string, MudPeerClass> peers;
    for (const auto& p : r->peers) peers[p.name] = p;
    CHECK(peers.at("pump-server").mapped);
    CHECK(peers.at("workstation").mapped);
    CHECK_FALSE(peers.at("net-198-51-100-0-24").mapped);
    CHECK(peers.at("net-198-51-100-0-24").subnet.starts_with("192.0.2."));
}

TEST_CASE("import mud: unmapped peers and unsupported constructs are warnings with their JSON path") {
    auto r = import_mud({fixture("pump3000.json")}, fixture_map());
    REQUIRE(r.ok());
    const std::string fr = "/ietf-access-control-list:acls/acl/0/aces/ace/";
    CHECK(has(warning_with(*r, "'drop'"), fr + "6/actions/forwarding"));
    CHECK(has(warning_with(*r, "icmp type and code"), fr + "7/matches/icmp/type"));
    CHECK(has(warning_with(*r, "'flags'"), fr + "8/matches/tcp/flags"));
    CHECK(has(warning_with(*r, "my-controller of"), fr + "1/matches/ietf-mud:mud/my-controller"));
    CHECK(has(warning_with(*r, "network 198.51.100.0/24"), fr + "3/matches/ipv4/destination-ipv4-network"));
    CHECK(has(warning_with(*r, "manufacturer monitors"), "/acl/1/aces/ace/2/matches/ietf-mud:mud/manufacturer"));
    CHECK(warning_with(*r, "pump-server").empty());  // mapped: no warning
    for (const auto& d : r->diagnostics.items()) {
        CHECK(d.severity == Severity::warning);
        if (d.kind != kMudPlaceholderAddressing) CHECK(d.location.file == kDir + "pump3000.json");
    }
    CHECK(!warning_with(*r, "placeholder VLANs").empty());
}

TEST_CASE("import mud: RFC 8520's light bulb (IPv6, DNS names, a reply entry) is one rule") {
    auto r = import_mud({fixture("lightbulb2000.json")}, {});
    REQUIRE(r.ok());
    REQUIRE(r->devices.size() == 1);
    CHECK(r->devices[0].class_name == "the-bms-example-light-bulb");  // from systeminfo
    CHECK(semantics(r->rules, "") == Semantics{{true, Protocol::tcp, 443, 443, "test-example-com"}});
    CHECK(has(warning_with(*r, "dnsname test.example.com"), "/matches/ipv6/ietf-acldns:dst-dnsname"));
}

TEST_CASE("import mud: the written policy compiles") {
    auto r = import_mud({fixture("pump3000.json"), fixture("lightbulb2000.json")}, fixture_map());
    REQUIRE(r.ok());
    auto compiled = compile_policy_text(r->policy_text, "mud.yaml");
    for (const auto& d : compiled.diagnostics.items()) CAPTURE(format_diagnostic(d));
    REQUIRE(compiled.ok());
    CHECK(compiled.policy->classes().size() == r->devices.size() + r->peers.size());
}
