// `microseg placement` end to end on the hospital example: saved MAC tables in three formats
// (examples/hospital/macs), the inventory CSV, text and JSON output, exit codes.
#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>

#include "model/file_io.hpp"
#include "tests/support/run_command.hpp"
#include "tests/support/temp_dir.hpp"

using namespace microseg;
using microseg::testing::run_microseg;
namespace fs = std::filesystem;

namespace {

const std::string kExamples = std::string(MICROSEG_SOURCE_DIR) + "/examples/hospital";
const std::string kPolicy = kExamples + "/policy.yaml";
const std::string kInventory = kExamples + "/inventory.csv";
const std::string kMacs = kExamples + "/macs";

bool has(const std::string& text, std::string_view what) { return text.find(what) != std::string::npos; }

}  // namespace

TEST_CASE("placement of the hospital example: misplaced and unknown devices, trunks ignored") {
    auto r = run_microseg({"placement", "--at", microseg::testing::kPolicyDay, kPolicy, "--inventory", kInventory, "--macs", kMacs});
    CHECK_MESSAGE(r.exit_code == 1, r.err);
    CHECK(r.err.empty());
    // IOS: a workstation cart on a pump port, a phone on a patient-monitor port.
    CHECK(has(r.out, "misplaced: 02:00:5e:10:00:07 10.200.3.41 ws-icu-cart-07 (clinical-workstation) on acc-icu-01 "
                     "Gi1/0/7: a port for infusion-pump"));
    CHECK(has(r.out, "(ip-phone) on acc-icu-01 Gi2/0/4: a port for patient-monitor"));
    // Junos (VLAN names, units): a workstation on ge-0/0/3.0.
    CHECK(has(r.out, "ws-blockb-03 (clinical-workstation) on acc-blockb-01 ge-0/0/3.0: a port for infusion-pump"));
    CHECK(has(r.out, "VLAN 110 infusion-pump: 19 device(s), 84% where the policy says; 16% not infusion-pump "
                     "(2 misplaced, 1 unknown)"));
    // EOS: the access switches' devices learned on its trunks are not placed on dist-dc-01.
    CHECK(has(r.out, "dist-dc-01: 12 device entries from"));
    CHECK(has(r.out, "learned on trunks (ignored)"));
    // bridge fdb: only trunk-learned entries on the firewall.
    CHECK(has(r.out, "core-fw-01: 0 device entries from"));
    CHECK(has(r.out, "acc-rad-01: not checked: no MAC table for acc-rad-01"));
    CHECK(has(r.out, "total: "));
    CHECK(!has(r.out, "not understood"));
}

TEST_CASE("placement JSON output") {
    auto r = run_microseg({"placement", "--at", microseg::testing::kPolicyDay, kPolicy, "--inventory", kInventory, "--macs", kMacs, "--format", "json"});
    CHECK(r.exit_code == 1);
    CHECK(has(r.out, "\"exit_code\": 1"));
    CHECK(has(r.out, "\"placement\": \"misplaced\""));
    CHECK(has(r.out, "\"port_class\": \"infusion-pump\""));
    CHECK(has(r.out, "\"summary\": \"VLAN 110 infusion-pump: 19 device(s)"));
}

TEST_CASE("placement: a clean table exits 0; garbled lines are counted warnings") {
    test::TempDir dir("placement");
    dir.file("acc-icu-01.txt",
             "Vlan    Mac Address       Type        Ports\n"
             " 110    0200.5e10.0001    DYNAMIC     Gi1/0/1\n"
             " 110    0200.5e10.0002    DYNAMIC     GigabitEthernet1/0/2\n"
             "\x01\x02 garbage \xff\n"
             " 110    0200.5e10");  // cut off mid-line
    auto r = run_microseg({"placement", "--at", microseg::testing::kPolicyDay, kPolicy, "--inventory", kInventory, "--macs", dir.path});
    CHECK_MESSAGE(r.exit_code == 0, r.out << r.err);
    CHECK(has(r.out, "acc-icu-01: 2 device entries"));
    CHECK(has(r.out, "2 line(s) not understood"));
    CHECK(has(r.out, "line 4: "));
    CHECK(has(r.out, "line 5: "));
    CHECK(has(r.out, "VLAN 110 infusion-pump: 2 device(s), 100% where the policy says"));
}

TEST_CASE("placement: bad input exits 2 with a located message") {
    test::TempDir dir("placement");
    auto bad_class = dir.file("inv.csv", "mac,ip,class\n02:00:5e:10:00:01,10.110.1.1,infusion-pmup\n");
    auto r = run_microseg({"placement", "--at", microseg::testing::kPolicyDay, kPolicy, "--inventory", bad_class, "--macs", kMacs});
    CHECK(r.exit_code == 2);
    CHECK(has(r.err, "inv.csv:2:1: error: unknown class 'infusion-pmup'"));
    CHECK(r.out.empty());

    auto bad_mac = dir.file("inv2.csv", "02:00:5e:10:00,10.110.1.1,infusion-pump\n");
    r = run_microseg({"placement", "--at", microseg::testing::kPolicyDay, kPolicy, "--inventory", bad_mac, "--macs", kMacs});
    CHECK(r.exit_code == 2);
    CHECK(has(r.err, "inv2.csv:1:1: error: '02:00:5e:10:00' is not a MAC address"));

    r = run_microseg({"placement", "--at", microseg::testing::kPolicyDay, kPolicy, "--inventory", dir / "missing.csv", "--macs", kMacs});
    CHECK(r.exit_code == 2);
    CHECK(has(r.err, "missing.csv"));

    r = run_microseg({"placement", "--at", microseg::testing::kPolicyDay, kPolicy, "--inventory", kInventory, "--macs", dir / "nodir"});
    CHECK(r.exit_code == 2);
    CHECK(has(r.err, "not a directory"));

    r = run_microseg({"placement", "--at", microseg::testing::kPolicyDay, kPolicy, "--inventory", kInventory, "--macs", kMacs, "--switch", "no-such"});
    CHECK(r.exit_code == 2);
    CHECK(has(r.err, "no switch 'no-such'"));

    r = run_microseg({"placement", "--at", microseg::testing::kPolicyDay, kPolicy, "--inventory", kInventory, "--macs", dir.path});
    CHECK(r.exit_code == 2);
    CHECK(has(r.err, "no MAC table for any switch"));

    // A named switch without its table is a failure, not "not checked".
    r = run_microseg({"placement", "--at", microseg::testing::kPolicyDay, kPolicy, "--inventory", kInventory, "--macs", kMacs, "--switch", "acc-icu-01",
                      "--switch", "acc-rad-01"});
    CHECK(r.exit_code == 2);
    CHECK(has(r.out, "acc-rad-01: not read: no MAC table"));
}

namespace {

// acc-icu-01 (IOS) and acc-blockb-01 (Junos ELS) tables as the switches print them, with
// `unknown_port` holding a MAC the inventory does not list.
void write_tables(test::TempDir& dir, const std::string& unknown_port, const std::string& blockb_port = "ge-0/0/2.0") {
    dir.file("acc-icu-01.txt",
             "Vlan    Mac Address       Type        Ports\n"
             "----    -----------       --------    -----\n"
             " 110    0200.5e10.0001    DYNAMIC     Gi1/0/1\n"
             " 110    0200.5eff.0042    DYNAMIC     " + unknown_port + "\n"
             "Total Mac Addresses for this criterion: 2\n");
    dir.file("acc-blockb-01.txt",
             "Ethernet switching table : 1 entries, 1 learned\n"
             "Routing instance : default-switch\n"
             "   Vlan                MAC                 MAC         Age    Logical                NH        RTR\n"
             "   name                address             flags              interface              Index     ID\n"
             "   infusion-pump       02:00:5e:ff:00:42   D             -   " + blockb_port + "             0         0\n");
}

}  // namespace

TEST_CASE("placement: an unknown MAC on a life-critical pump port exits 1, with where else it was seen") {
    test::TempDir dir("placement");
    write_tables(dir, "Gi1/0/9");  // Gi1/0/1-24: infusion-pump, criticality life
    auto r = run_microseg({"placement", "--at", microseg::testing::kPolicyDay, kPolicy, "--inventory", kInventory, "--macs", dir.path});
    CHECK_MESSAGE(r.exit_code == 1, r.out << r.err);
    CHECK(has(r.out, "unknown: 02:00:5e:ff:00:42 on acc-icu-01 Gi1/0/9: a port for infusion-pump (life or phi); "
                     "also seen on acc-blockb-01 ge-0/0/2.0 (VLAN 110)\n"));
    CHECK(has(r.out, "1 unknown (1 on a life or phi port)"));
    auto json = run_microseg({"placement", "--at", microseg::testing::kPolicyDay, kPolicy, "--inventory", kInventory, "--macs", dir.path, "--format", "json"});
    CHECK(json.exit_code == 1);
    CHECK(has(json.out, "\"critical_unknown\": 1"));
    CHECK(has(json.out, "\"critical_port\": true"));
    CHECK(has(json.out, "\"port\": \"ge-0/0/2.0\""));
}

TEST_CASE("placement: an unknown MAC on a low-criticality port is counted, not failed") {
    test::TempDir dir("placement");
    write_tables(dir, "Gi1/0/45", "ge-0/0/40.0");  // ip-phone ports on both, criticality low
    auto r = run_microseg({"placement", "--at", microseg::testing::kPolicyDay, kPolicy, "--inventory", kInventory, "--macs", dir.path});
    CHECK_MESSAGE(r.exit_code == 0, r.out << r.err);
    CHECK(has(r.out, "unknown: 02:00:5e:ff:00:42 on acc-icu-01 Gi1/0/45; also seen on acc-blockb-01"));
    CHECK(!has(r.out, "life or phi"));
    // Seen on a phone port first and on a pump port of the same VLAN: judged on the pump port
    // (by its first sighting it passed).
    write_tables(dir, "Gi1/0/45");
    r = run_microseg({"placement", "--at", microseg::testing::kPolicyDay, kPolicy, "--inventory", kInventory, "--macs", dir.path});
    CHECK_MESSAGE(r.exit_code == 1, r.out << r.err);
    CHECK(has(r.out, "unknown: 02:00:5e:ff:00:42 on acc-blockb-01 ge-0/0/2.0: a port for infusion-pump (life or phi); "
                     "also seen on acc-icu-01 Gi1/0/45 (VLAN 110)"));
}

TEST_CASE("placement: inventory devices in no MAC table are listed, text and JSON") {
    test::TempDir dir("placement");
    write_tables(dir, "Gi1/0/45");
    auto r = run_microseg({"placement", "--at", microseg::testing::kPolicyDay, kPolicy, "--inventory", kInventory, "--macs", dir.path});
    CHECK(has(r.out, "not in any MAC table: "));
    CHECK(has(r.out, "  never seen: 02:00:5e:10:00:02 10.110.1.2 pump-icu-02 (infusion-pump), inventory line 5\n"));
    CHECK(!has(r.out, "never seen: 02:00:5e:10:00:01 "));  // on Gi1/0/1
    auto json = run_microseg({"placement", "--at", microseg::testing::kPolicyDay, kPolicy, "--inventory", kInventory, "--macs", dir.path, "--format", "json"});
    CHECK(has(json.out, "\"never_seen\": ["));
    CHECK(has(json.out, "\"name\": \"pump-icu-02\""));
    // The full example: every device the inventory lists that its four tables lack.
    auto full = run_microseg({"placement", "--at", microseg::testing::kPolicyDay, kPolicy, "--inventory", kInventory, "--macs", kMacs});
    CHECK(full.exit_code == 1);
}

// NAC exports read through --columns (tests/fixtures/nac): the same 57 devices as the native
// inventory, written the way each product's export lays them out, plus three rows that cannot
// map (their MACs are in no table).
namespace {

const std::string kNac = std::string(MICROSEG_SOURCE_DIR) + "/tests/fixtures/nac";

struct NacExport {
    std::string file, columns, class_map;
};

const NacExport kNacExports[] = {
    {"ise-endpoints.csv", "mac=MACAddress,class=EndPointPolicy,ip=IPAddress,name=Description", "ise-class-map.yaml"},
    {"forescout-hosts.csv", "mac=MAC Address,class=Device Classification,ip=IP Address,name=Host Name", "class-map.yaml"},
    {"claroty-assets.csv", "mac=mac,class=type,ip= ip ,name=NAME", "class-map.yaml"},  // case and blanks ignored
    {"paloalto-iot-devices.csv", "mac=mac,class=profile,ip=ip,name=hostname", "class-map.yaml"},
};

std::vector<std::string> placement_args(const std::string& inventory, std::vector<std::string> extra) {
    std::vector<std::string> args{"placement", "--at", microseg::testing::kPolicyDay, kPolicy, "--inventory", inventory, "--macs", kMacs};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
}

// The verdicts of a text report: every line but the title, the switches' sources (they name
// the inventory's path nowhere, but keep the comparison about devices) and the unmapped section.
std::string verdicts(const std::string& report) {
    std::string out;
    std::size_t start = report.find('\n') + 1;  // the title names the inventory file
    while (start < report.size()) {
        auto nl = report.find('\n', start);
        std::string line = report.substr(start, nl - start);
        start = nl == std::string::npos ? report.size() : nl + 1;
        if (line.find("unmapped") == std::string::npos) out += line + "\n";
    }
    return out;
}

}  // namespace

TEST_CASE("placement --columns: ISE, Forescout, Claroty and Palo Alto IoT exports give the native inventory's verdicts") {
    auto native = run_microseg(placement_args(kInventory, {}));
    REQUIRE(native.exit_code == 1);
    for (const auto& nac : kNacExports) {
        CAPTURE(nac.file);
        std::string path = kNac + "/" + nac.file;
        auto r = run_microseg(placement_args(path, {"--columns", nac.columns, "--class-map", kNac + "/" + nac.class_map}));
        CHECK_MESSAGE(r.exit_code == 1, r.err);
        CHECK(r.err.empty());
        CHECK(has(r.out, "(57 devices in the inventory, 57 seen)"));
        CHECK(verdicts(r.out) == verdicts(native.out));
        CHECK(has(r.out, "unmapped inventory rows: 3 (57 mapped)"));
        CHECK(has(r.out, "unmapped: " + path + ":59: MAC '"));
        CHECK(has(r.out, "a profile that is neither a class of the policy nor in the class map"));
        CHECK(has(r.out, "unmapped: " + path + ":60: MAC '', profile '"));
        CHECK(has(r.out, "unmapped: " + path + ":61: MAC 'n/a', profile '"));
    }
}

TEST_CASE("placement --columns: JSON lists the unmapped rows; the native inventory's JSON has no such key") {
    std::string path = kNac + "/ise-endpoints.csv";
    auto r = run_microseg(placement_args(path, {"--columns", kNacExports[0].columns, "--class-map", kNac + "/ise-class-map.yaml",
                                                "--format", "json"}));
    CHECK(r.exit_code == 1);
    CHECK(has(r.out, "\"unmapped_count\": 3"));
    CHECK(has(r.out, "\"line\": 59"));
    CHECK(has(r.out, "\"mac\": \"02:00:5E:20:00:01\""));
    CHECK(has(r.out, "\"profile\": \"Unknown\""));
    CHECK(has(r.out, "\"reason\": \"not a MAC address\""));
    auto native = run_microseg(placement_args(kInventory, {"--format", "json"}));
    CHECK(!has(native.out, "unmapped"));
}

TEST_CASE("placement --columns: without a class map, profiles that are no class are unmapped, not errors") {
    auto r = run_microseg(placement_args(kNac + "/ise-endpoints.csv", {"--columns", kNacExports[0].columns}));
    CHECK_MESSAGE(r.exit_code == 1, r.err);  // unknown MACs on life or phi ports
    CHECK(has(r.out, "unmapped inventory rows: 53 (7 mapped)"));  // only infra-server, pacs and ris are class names
    CHECK(has(r.out, "profile 'Baxter-Infusion-Pump': a profile that is neither"));
}

TEST_CASE("placement --columns: usage errors exit 2 and name what is wrong") {
    std::string ise = kNac + "/ise-endpoints.csv";
    auto r = run_microseg(placement_args(ise, {"--columns", "mac=MACAddress,class=Profile"}));
    CHECK(r.exit_code == 2);
    CHECK(has(r.err, "ise-endpoints.csv:1:1: error: the header has no column \"Profile\" (class= in --columns); its columns "
                     "are: \"MACAddress\", \"EndPointPolicy\", \"IdentityGroup\", \"IPAddress\", \"Description\""));
    CHECK(r.out.empty());

    r = run_microseg(placement_args(ise, {"--columns", "mac=MACAddress"}));
    CHECK(r.exit_code == 2);
    CHECK(has(r.err, "--columns: mac= and class= are required"));

    r = run_microseg(placement_args(ise, {"--class-map", kNac + "/ise-class-map.yaml"}));
    CHECK(r.exit_code == 2);
    CHECK(has(r.err, "--class-map requires --columns"));

    test::TempDir dir("placement");
    auto bad_class = dir.file("map.yaml", "# profiles\n\"Baxter-Infusion-Pump\": infusion-pumps\n");
    r = run_microseg(placement_args(ise, {"--columns", kNacExports[0].columns, "--class-map", bad_class}));
    CHECK(r.exit_code == 2);
    CHECK(has(r.err, "map.yaml:2:25: error: 'infusion-pumps' is not a class of the policy"));
    auto not_map = dir.file("list.yaml", "- a\n- b\n");
    r = run_microseg(placement_args(ise, {"--columns", kNacExports[0].columns, "--class-map", not_map}));
    CHECK(r.exit_code == 2);
    CHECK(has(r.err, "list.yaml:1:1: error: a class map is a mapping"));
    auto broken = dir.file("broken.yaml", "\"a\": [\n");
    r = run_microseg(placement_args(ise, {"--columns", kNacExports[0].columns, "--class-map", broken}));
    CHECK(r.exit_code == 2);
    CHECK(has(r.err, "broken.yaml:2:1: error: "));
    CHECK(r.out.empty());
}
