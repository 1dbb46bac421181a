// MUD -> policy -> MUD (importers/mud.hpp): a fixture imported, the policy compiled, each
// device class exported and imported again gives the same (direction, protocol, ports, peer)
// set; the exported file has the structure of RFC 8520's YANG-derived JSON (sections 2.1 and
// 8, with RFC 8519's acls); bad input fails whole, located.
#include <doctest/doctest.h>

#include <fstream>
#include <regex>
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

using Semantics = std::set<std::tuple<bool, Protocol, std::uint16_t, std::uint16_t, std::string>>;

Semantics semantics(const std::vector<MudRule>& rules, const std::string& device_class) {
    Semantics out;
    for (const auto& r : rules)
        if (r.device_class == device_class)
            out.insert({r.from_device, r.port.protocol, r.port.ports.first, r.port.ports.last, r.peer});
    return out;
}

void check_port(const json& port) {
    REQUIRE(port.is_object());
    if (port.contains("operator")) {
        CHECK(port["operator"] == "eq");
        CHECK(port.at("port").is_number_unsigned());
    } else {
        CHECK(port.at("lower-port").is_number_unsigned());
        CHECK(port.at("upper-port").is_number_unsigned());
    }
}

void check_ace(const json& ace) {
    CHECK(ace.at("name").is_string());
    const auto& matches = ace.at("matches");
    REQUIRE(matches.is_object());
    for (const auto& [key, value] : matches.items()) {
        CAPTURE(key);
        CHECK((key == "ipv4" || key == "ipv6" || key == "tcp" || key == "udp"));
        if (value.contains("protocol")) CHECK(value["protocol"].is_number_unsigned());
        if (value.contains("destination-port")) check_port(value["destination-port"]);
    }
    CHECK(ace.at("actions").at("forwarding") == "accept");
}

// The keys and types RFC 8520's model gives each level; every listed ACL exists.
void check_mud_structure(const json& doc) {
    REQUIRE(doc.is_object());
    const auto& mud = doc.at("ietf-mud:mud");
    CHECK(mud.at("mud-version") == 1);
    CHECK(mud.at("mud-url").is_string());
    CHECK(std::regex_match(mud.at("last-update").get<std::string>(),
                           std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d))")));
    CHECK(mud.at("cache-validity").is_number_unsigned());  // hours, 1-168
    CHECK(mud.at("is-supported").is_boolean());
    CHECK(mud.at("systeminfo").is_string());
    std::set<std::string> acl_names;
    for (const auto& acl : doc.at("ietf-access-control-list:acls").at("acl")) {
        CHECK(acl.at("name").is_string());
        acl_names.insert(acl["name"].get<std::string>());
        CHECK((acl.at("type") == "ipv4-acl-type" || acl.at("type") == "ipv6-acl-type"));
        REQUIRE(acl.at("aces").at("ace").is_array());
        for (const auto& ace : acl["aces"]["ace"]) check_ace(ace);
    }
    for (const char* policy : {"from-device-policy", "to-device-policy"}) {
        const auto& list = mud.at(policy).at("access-lists").at("access-list");
        REQUIRE(list.is_array());
        for (const auto& entry : list) CHECK(acl_names.contains(entry.at("name").get<std::string>()));
    }
}

}  // namespace

TEST_CASE("MUD -> policy -> MUD keeps each device's ACL semantics; the export has RFC 8520's structure") {
    auto map = read_mud_map(kDir + "map.yaml");
    REQUIRE(map.ok());
    auto first = import_mud({fixture("pump3000.json"), fixture("lightbulb2000.json")}, *map);
    REQUIRE(first.ok());
    auto compiled = compile_policy_text(first->policy_text, "mud.yaml");
    REQUIRE(compiled.ok());
    // On the way back every peer is a network: name each class's subnets.
    MudMap back;
    for (const auto& cls : compiled.policy->classes())
        for (const auto& subnet : cls.subnets) back.sections["network"].by_key[subnet.str()] = cls.name;
    for (const auto& device : first->devices) {
        CAPTURE(device.class_name);
        auto exported = export_mud(*compiled.policy, device.class_name, {"", "2026-11-01T00:00:00+00:00"});
        REQUIRE(exported.ok());
        check_mud_structure(json::parse(*exported));
        auto again = import_mud({{"exported.json", *exported}}, back);
        REQUIRE(again.ok());
        for (const auto& d : again->diagnostics.items())
            CHECK_MESSAGE(d.kind == kMudPlaceholderAddressing, d.message);
        REQUIRE(again->devices.size() == 1);
        CHECK(semantics(again->rules, again->devices[0].class_name) == semantics(first->rules, device.class_name));
        CHECK(!semantics(first->rules, device.class_name).empty());
    }
    CHECK(!export_mud(*compiled.policy, "no-such-class").ok());
}

TEST_CASE("import mud: malformed JSON is an error at line:col, and nothing is imported") {
    auto r = import_mud({fixture("lightbulb2000.json"), fixture("malformed.json")}, {});
    REQUIRE(!r.ok());
    CHECK(r.error().location.file == kDir + "malformed.json");
    CHECK(r.error().location.line == 5);  // the key after the missing comma
    CHECK(r.error().location.column == 16);  // nlohmann reads the whole unexpected token
    CHECK(r.error().kind == kJsonSyntax);
}

TEST_CASE("import mud: a missing mud-url, or an ACL listed but absent, is named by its JSON path") {
    auto r = import_mud({fixture("missing-url.json")}, {});
    REQUIRE(!r.ok());
    CHECK(r.error().message.starts_with("/ietf-mud:mud/mud-url: missing"));
    CHECK(r.error().location.file == kDir + "missing-url.json");
    auto text = slurp(kDir + "lightbulb2000.json");
    text.replace(text.find("\"name\": \"mud-76100-v6to\","), 25, "\"name\": \"renamed-acl\",");
    auto absent = import_mud({{"x.json", text}}, {});
    REQUIRE(!absent.ok());
    CHECK(absent.error().message == "/ietf-access-control-list:acls/acl: no ACL named 'mud-76100-v6to'");
}

TEST_CASE("import mud: huge and deeply nested files are refused before parsing") {
    auto huge = import_mud({{"huge.json", std::string(kMaxMudFileBytes + 1, ' ')}}, {});
    REQUIRE(!huge.ok());
    CHECK(huge.error().message.find("16 MiB") != std::string::npos);
    auto deep = import_mud({{"deep.json", std::string(100000, '[')}}, {});
    REQUIRE(!deep.ok());
    CHECK(deep.error().kind == kJsonSyntax);
    CHECK(deep.error().location.column == kMaxJsonDepth + 1);
}

TEST_CASE("import mud: ACEs the policy cannot hold exactly are left out with a warning") {
    auto text = slurp(kDir + "lightbulb2000.json");
    auto both = text;  // a source and a destination port at once
    both.replace(both.find("\"destination-port\""), 0, "\"source-port\": {\"operator\": \"eq\", \"port\": 1},\n");
    auto r = import_mud({{"both.json", both}}, {});
    REQUIRE(r.ok());
    CHECK(r->rules.size() == 1);  // the reply entry still gives the rule
    bool warned = false;
    for (const auto& d : r->diagnostics.items()) warned |= d.message.find("both a source and a destination") != std::string::npos;
    CHECK(warned);
    auto neq = text;
    for (auto at = neq.find("\"eq\""); at != std::string::npos; at = neq.find("\"eq\"", at + 5))
        neq.replace(at, 4, "\"neq\"");
    auto n = import_mud({{"neq.json", neq}}, {});
    REQUIRE(n.ok());
    bool neq_warned = false;
    for (const auto& d : n->diagnostics.items()) neq_warned |= d.message.find("'neq'") != std::string::npos;
    CHECK(neq_warned);
    CHECK(n->rules.empty());
}

TEST_CASE("MUD map: sections and class names are checked, with locations") {
    auto good = parse_mud_map("dnsname: {\"a.example\": cloud}\nlocal-networks: ws\n", "m.yaml");
    REQUIRE(good.ok());
    CHECK(good->lookup("dnsname", "a.example") == "cloud");
    CHECK(good->lookup("local-networks", "https://any/url") == "ws");
    CHECK(!good->lookup("controller", "x").has_value());
    auto unknown = parse_mud_map("dns-name: {}\n", "m.yaml");
    REQUIRE(!unknown.ok());
    CHECK(unknown.error().location.line == 1);
    auto bad = parse_mud_map("controller:\n  \"urn:x\": \"bad name\"\n", "m.yaml");
    REQUIRE(!bad.ok());
    CHECK(bad.error().location.line == 2);
}
