// The NetBox import on the fabricated site of tests/fixtures/netbox/ (its README cites the
// NetBox API documentation the JSON follows): the classes, switches, ports and trunks it must
// give, the unplaced objects it must list, both API versions' device role field, and bad input
// (malformed JSON located at file:line:col, a missing field named by its JSON path, a file over
// the size limit, a missing file).
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "importers/netbox.hpp"

using namespace microseg;
using namespace microseg::importers;
namespace fs = std::filesystem;

namespace {

const std::string kDir = std::string(MICROSEG_SOURCE_DIR) + "/tests/fixtures/netbox/";

NetboxFiles fixture(const std::string& devices = "devices.json") {
    return {kDir + devices, kDir + "prefixes.json", kDir + "vlans.json", kDir + "interfaces.json"};
}

NetboxMap fixture_map() {
    auto map = read_netbox_map(kDir + "map.yaml");
    REQUIRE(map.ok());
    return *map;
}

const ImportedClass* find_class(const NetboxImport& i, const std::string& name) {
    auto it = std::find_if(i.classes.begin(), i.classes.end(), [&](const auto& c) { return c.name == name; });
    return it == i.classes.end() ? nullptr : &*it;
}

const ImportedSwitch* find_switch(const NetboxImport& i, const std::string& name) {
    auto it = std::find_if(i.switches.begin(), i.switches.end(), [&](const auto& s) { return s.name == name; });
    return it == i.switches.end() ? nullptr : &*it;
}

bool lists(const NetboxImport& i, const std::string& object, long long id) {
    return std::any_of(i.unplaced.begin(), i.unplaced.end(), [&](const auto& u) { return u.object == object && u.id == id; });
}

// A scratch copy of the fixture dir's file `name` with `edit` applied to its JSON.
struct Scratch {
    fs::path dir = fs::temp_directory_path() / ("microseg-netbox-" + std::to_string(::getpid()));
    Scratch() { fs::create_directories(dir); }
    ~Scratch() { fs::remove_all(dir); }
    std::string write(const std::string& name, const std::string& text) const {
        std::ofstream(dir / name) << text;
        return (dir / name).string();
    }
    std::string edited(const std::string& name, const std::function<void(nlohmann::json&)>& edit) const {
        std::ifstream in(kDir + name);
        nlohmann::json doc = nlohmann::json::parse(in);
        edit(doc);
        return write(name, doc.dump(2));
    }
};

}  // namespace

TEST_CASE("netbox: the fixture site gives its classes with VLANs and subnets") {
    auto imported = import_netbox(fixture(), fixture_map());
    REQUIRE(imported.ok());
    REQUIRE(imported->classes.size() == 3);
    const auto* pump = find_class(*imported, "infusion-pump");
    REQUIRE(pump);
    CHECK(pump->vlan == 110);  // from the prefix whose role names it
    CHECK(pump->subnets == std::vector<std::string>{"10.110.0.0/24"});
    CHECK(pump->devices == 3);  // the unnamed pump counts too
    const auto* ws = find_class(*imported, "workstation");
    REQUIRE(ws);
    CHECK(ws->vlan == 120);  // from the VLAN's name; its prefix joins through the VLAN
    CHECK(ws->subnets == std::vector<std::string>{"10.120.0.0/24"});
    const auto* ehr = find_class(*imported, "ehr-server");  // the device's tag, through the map
    REQUIRE(ehr);
    CHECK(ehr->vlan == 130);
    CHECK(ehr->subnets == std::vector<std::string>{"10.130.0.0/28"});
    CHECK(ehr->devices == 1);
}

TEST_CASE("netbox: switches with platform, access ports, trunks and gateways") {
    auto imported = import_netbox(fixture(), fixture_map());
    REQUIRE(imported.ok());
    REQUIRE(imported->switches.size() == 2);
    const auto* s1 = find_switch(*imported, "acc-sw-01");
    REQUIRE(s1);
    CHECK(s1->platform == "cisco-ios");
    using Ports = std::vector<std::pair<std::string, std::string>>;
    CHECK(s1->ports == Ports{{"GigabitEthernet1/0/1", "infusion-pump"},
                             {"GigabitEthernet1/0/2", "infusion-pump"},
                             {"GigabitEthernet1/0/3", "workstation"}});
    REQUIRE(s1->trunks.size() == 1);
    CHECK(s1->trunks[0].first == "TenGigabitEthernet1/1/1");
    CHECK(s1->trunks[0].second == std::vector<int>{110, 120, 130});
    // infusion-pump: its SVI (Vlan110); workstation: the first switch with a port in VLAN 120.
    CHECK(s1->gateway == std::vector<std::string>{"infusion-pump", "workstation"});
    const auto* s2 = find_switch(*imported, "acc-sw-02");
    REQUIRE(s2);
    CHECK(s2->platform == "arista-eos");
    CHECK(s2->ports == Ports{{"Ethernet1", "ehr-server"}, {"Ethernet2", "workstation"}});
    REQUIRE(s2->trunks.size() == 1);
    CHECK(s2->trunks[0].second == std::vector<int>{110, 120, 130});  // tagged-all: every class VLAN
    CHECK(s2->gateway == std::vector<std::string>{"ehr-server"});    // the map names it
}

TEST_CASE("netbox: every device, prefix, VLAN and port it could not place is listed") {
    auto imported = import_netbox(fixture(), fixture_map());
    REQUIRE(imported.ok());
    CHECK(lists(*imported, "device", 3));       // acc-sw-03: platform procurve is not mapped
    CHECK(lists(*imported, "device", 40));      // printer-01: role printer is not in the map
    CHECK(lists(*imported, "prefix", 4));       // 10.99.0.0/24: VLAN 99 is no class's
    CHECK(lists(*imported, "prefix", 5));       // 10.200.0.0/24: no VLAN, no role
    CHECK(lists(*imported, "vlan", 4));         // MGMT
    CHECK(lists(*imported, "vlan", 5));         // LEGACY
    CHECK(lists(*imported, "interface", 104));  // access port in VLAN 300, of no class
    CHECK(lists(*imported, "interface", 247));  // access port without an untagged VLAN
    CHECK(imported->unplaced.size() == 8);
    std::string policy = netbox_policy_text(*imported, "clinic-east");
    CHECK(policy.find("version: 1\nname: clinic-east\n") != std::string::npos);
    CHECK(policy.find("# Not placed (8)") != std::string::npos);
    CHECK(policy.find("#   interface 247 acc-sw-02 Ethernet47: access port without an untagged VLAN") != std::string::npos);
    auto summary = nlohmann::json::parse(netbox_summary_json(*imported));
    CHECK(summary["unplaced"].size() == 8);
    CHECK(summary["switches"][0]["ports"]["GigabitEthernet1/0/3"] == "workstation");
}

TEST_CASE("netbox: the 3.x device_role and the 4.x role give the same import") {
    auto v4 = import_netbox(fixture("devices.json"), fixture_map());
    auto v3 = import_netbox(fixture("devices_v3.json"), fixture_map());
    REQUIRE(v4.ok());
    REQUIRE(v3.ok());
    CHECK(netbox_policy_text(*v3, "x") == netbox_policy_text(*v4, "x"));
}

TEST_CASE("netbox: without a map each role is a class and switch roles are those named switch") {
    auto imported = import_netbox(fixture(), NetboxMap{});
    REQUIRE(imported.ok());
    CHECK(find_class(*imported, "infusion-pump"));
    CHECK(find_class(*imported, "workstation"));
    CHECK_FALSE(find_class(*imported, "server"));  // no prefix or VLAN names it: its device is listed
    CHECK(lists(*imported, "device", 30));
    CHECK(find_switch(*imported, "acc-sw-01"));
    CHECK(find_switch(*imported, "acc-sw-02"));  // ios and eos are known slugs without a map
}

TEST_CASE("netbox: malformed JSON is located at file:line:col") {
    Scratch s;
    std::string path = s.write("devices.json", "{\n  \"count\": 1,\n  \"results\": [ {\"id\": 1,, } ]\n}\n");
    NetboxFiles files = fixture();
    files.devices = path;
    auto imported = import_netbox(files, fixture_map());
    REQUIRE_FALSE(imported.ok());
    CHECK(imported.error().location.file == path);
    CHECK(imported.error().location.line == 3);
    CHECK(imported.error().location.column == 25);  // the second comma
}

TEST_CASE("netbox: a missing field is named by its file and JSON path") {
    Scratch s;
    NetboxFiles files = fixture();
    files.interfaces = s.edited("interfaces.json", [](nlohmann::json& doc) { doc["results"][3]["untagged_vlan"].erase("vid"); });
    auto imported = import_netbox(files, fixture_map());
    REQUIRE_FALSE(imported.ok());
    CHECK(imported.error().location.file == files.interfaces);
    CHECK(imported.error().message == "results[3].untagged_vlan.vid: missing field");

    files = fixture();
    files.devices = s.edited("devices.json", [](nlohmann::json& doc) { doc["results"][1].erase("role"); });
    imported = import_netbox(files, fixture_map());
    REQUIRE_FALSE(imported.ok());
    CHECK(imported.error().message == "results[1].role: missing field");  // neither role nor device_role

    files = fixture();
    files.prefixes = s.write("prefixes.json", "[]");
    imported = import_netbox(files, fixture_map());
    REQUIRE_FALSE(imported.ok());
    CHECK(imported.error().message.starts_with("results: missing"));
}

TEST_CASE("netbox: a file over the size limit and a missing file are errors") {
    NetboxFiles files = fixture();
    files.max_bytes = 1000;
    auto imported = import_netbox(files, fixture_map());
    REQUIRE_FALSE(imported.ok());
    CHECK(imported.error().message.find("limit") != std::string::npos);

    files = fixture();
    files.vlans = kDir + "no-such-file.json";
    imported = import_netbox(files, fixture_map());
    REQUIRE_FALSE(imported.ok());
    CHECK(imported.error().location.file == files.vlans);
}

TEST_CASE("netbox: the map's unknown keys and bad shapes are located errors") {
    Scratch s;
    auto map = read_netbox_map(s.write("map.yaml", "roles: {a: b}\nswitch-roles: [x]\n"));
    REQUIRE_FALSE(map.ok());
    CHECK(map.error().location.line == 2);
    CHECK(map.error().message.find("switch-roles") != std::string::npos);
    map = read_netbox_map(s.write("map.yaml", "switch_roles: access\n"));
    REQUIRE_FALSE(map.ok());
    map = read_netbox_map(s.write("map.yaml", "roles: [\n"));
    REQUIRE_FALSE(map.ok());
    CHECK(map.error().kind == "yaml-syntax");
}

TEST_CASE("netbox: names are sanitised into policy names") {
    CHECK(sanitise_name("Infusion Pump") == "infusion-pump");
    CHECK(sanitise_name("--ACC_SW.01--") == "acc-sw-01");
    CHECK(sanitise_name("***") == "");
    CHECK(sanitise_name(std::string(100, 'a')).size() == 63);
}

TEST_CASE("netbox: a page with a next page is read, with a note that the rest is missing") {
    Scratch s;
    NetboxFiles files = fixture();
    files.vlans = s.edited("vlans.json", [](nlohmann::json& doc) { doc["next"] = "https://netbox.example.org/api/ipam/vlans/?limit=5&offset=5"; });
    auto imported = import_netbox(files, fixture_map());
    REQUIRE(imported.ok());
    REQUIRE(imported->notes.size() == 1);
    CHECK(imported->notes[0].find("next page") != std::string::npos);
    CHECK(netbox_policy_text(*imported, "x").find("#   " + files.vlans + ": the page has a next page") != std::string::npos);
}

TEST_CASE("netbox: two roles in one VLAN are both shared_vlan") {
    Scratch s;
    NetboxFiles files = fixture();
    NetboxMap map = fixture_map();
    map.roles["printer"] = "printer";
    // printer-01 joins VLAN 120 through a prefix with the printer role in it.
    files.prefixes = s.edited("prefixes.json", [](nlohmann::json& doc) {
        auto p = doc["results"][1];
        p["id"] = 6;
        p["prefix"] = "10.121.0.0/24";
        p["role"] = {{"id", 30}, {"name", "printer"}, {"slug", "printer"}};
        doc["results"].push_back(p);
    });
    auto imported = import_netbox(files, map);
    REQUIRE(imported.ok());
    REQUIRE(find_class(*imported, "printer"));
    CHECK(find_class(*imported, "printer")->vlan == 120);
    CHECK(find_class(*imported, "printer")->shared_vlan);
    CHECK(find_class(*imported, "workstation")->shared_vlan);
    CHECK(find_class(*imported, "printer")->subnets == std::vector<std::string>{"10.121.0.0/24"});
    // What only its VLAN places is ambiguous now: listed, not given to either class.
    CHECK(find_class(*imported, "workstation")->subnets.empty());
    CHECK(lists(*imported, "prefix", 2));
    CHECK(lists(*imported, "interface", 103));
    CHECK(lists(*imported, "vlan", 2));  // workstation's VLAN has no prefix of its own
}

TEST_CASE("netbox: a gateway the map names that is no switch is listed; the SVI rule decides") {
    NetboxMap map = fixture_map();
    map.gateways["infusion-pump"] = "core-01";
    auto imported = import_netbox(fixture(), map);
    REQUIRE(imported.ok());
    CHECK(lists(*imported, "gateway", 0));
    CHECK(find_switch(*imported, "acc-sw-01")->gateway == std::vector<std::string>{"infusion-pump", "workstation"});
}
