// `microseg import netbox` end to end on tests/fixtures/netbox/: the written policy passes
// `check` and `compile`; unplaced objects are warnings (exit 0); bad input (malformed JSON, a
// missing field, a file over the size limit, a missing file, a bad map) exits 2 and leaves no
// output file, not even a partial one.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "tests/support/run_command.hpp"
#include "tests/support/temp_dir.hpp"

using microseg::testing::run_microseg;
namespace fs = std::filesystem;

namespace {

const std::string kDir = std::string(MICROSEG_SOURCE_DIR) + "/tests/fixtures/netbox/";

bool has(const std::string& text, std::string_view what) { return text.find(what) != std::string::npos; }

std::vector<std::string> import_args(const std::string& devices = kDir + "devices.json",
                                     const std::string& interfaces = kDir + "interfaces.json") {
    return {"import", "netbox", "--devices", devices, "--prefixes", kDir + "prefixes.json",
            "--vlans", kDir + "vlans.json", "--interfaces", interfaces, "--map", kDir + "map.yaml"};
}

std::vector<std::string> with(std::vector<std::string> args, std::initializer_list<std::string> more) {
    args.insert(args.end(), more);
    return args;
}

}  // namespace

TEST_CASE("import netbox: the written policy passes check and compile") {
    microseg::test::TempDir tmp("netbox-cli");
    std::string policy = tmp / "policy.yaml";
    auto r = run_microseg(with(import_args(), {"-o", policy, "--name", "clinic-east"}));
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    CHECK(has(r.out, "3 classes, 2 switches, 8 not placed"));
    CHECK(has(r.err, "warning: not placed: NetBox device 40 'printer-01'"));
    CHECK(has(r.err, "NetBox interface 104 'acc-sw-01 GigabitEthernet1/0/4': access port in VLAN 300"));
    std::string text = microseg::test::read_file(policy);
    CHECK(has(text, "name: clinic-east"));
    CHECK(has(text, "      GigabitEthernet1/0/1: infusion-pump\n"));
    CHECK(has(text, "#   device 3 acc-sw-03: switch with platform procurve"));

    auto check = run_microseg({"check", policy});
    CHECK_MESSAGE(check.exit_code == 0, (check.out + check.err));
    CHECK(has(check.out, "ok: 0 error(s)"));
    auto compile = run_microseg({"compile", policy, "-o", tmp / "configs"});
    CHECK_MESSAGE(compile.exit_code == 0, (compile.out + compile.err));
    CHECK(fs::exists(tmp / "configs/acc-sw-01.ios"));
    CHECK(fs::exists(tmp / "configs/acc-sw-02.eos"));
}

TEST_CASE("import netbox: the 3.x API's device_role, without -o, to stdout; and --format json") {
    auto r = run_microseg(import_args(kDir + "devices_v3.json"));
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    CHECK(has(r.out, "version: 1\n"));
    CHECK(has(r.out, "  - name: acc-sw-02\n    platform: arista-eos\n    gateway: [ehr-server]\n"));

    // Without a map: every role a class, roles named *switch* switches; check still accepts it.
    microseg::test::TempDir tmp("netbox-nomap");
    auto args = import_args();
    args.resize(args.size() - 2);
    auto plain = run_microseg(with(args, {"-o", tmp / "policy.yaml"}));
    REQUIRE_MESSAGE(plain.exit_code == 0, plain.err);
    auto check = run_microseg({"check", tmp / "policy.yaml"});
    CHECK_MESSAGE(check.exit_code == 0, (check.out + check.err));

    auto json = run_microseg(with(import_args(), {"--format", "json"}));
    REQUIRE_MESSAGE(json.exit_code == 0, json.err);
    auto doc = nlohmann::json::parse(json.out);
    CHECK(doc["classes"].size() == 3);
    CHECK(doc["unplaced"].size() == 8);
    CHECK(has(doc["policy"].get<std::string>(), "version: 1"));
}

TEST_CASE("import netbox: bad input exits 2, located, and writes no file") {
    microseg::test::TempDir tmp("netbox-bad");
    std::string out = tmp / "policy.yaml";

    // nlohmann reports where it stopped: the last character of the unexpected token ("name").
    std::string malformed = tmp.file("devices.json", "{\"count\": 1,\n \"results\": [\n  {\"id\": 1 \"name\": \"x\"}]}\n");
    auto r = run_microseg(with(import_args(malformed), {"-o", out}));
    CHECK(r.exit_code == 2);
    CHECK_MESSAGE(has(r.err, malformed + ":3:17: error: syntax error"), r.err);
    CHECK_FALSE(fs::exists(out));

    std::ifstream in(kDir + "interfaces.json");
    auto doc = nlohmann::json::parse(in);
    doc["results"][0]["untagged_vlan"].erase("vid");
    std::string missing = tmp.file("interfaces.json", doc.dump());
    r = run_microseg(with(import_args(kDir + "devices.json", missing), {"-o", out}));
    CHECK(r.exit_code == 2);
    CHECK_MESSAGE(has(r.err, missing + ": error: results[0].untagged_vlan.vid: missing field"), r.err);
    CHECK_FALSE(fs::exists(out));

    // Over the 64 MiB limit: a sparse file, so the test writes nothing of that size.
    std::string huge = tmp.file("huge.json", "{");
    fs::resize_file(huge, 65u * 1024 * 1024);
    r = run_microseg(with(import_args(huge), {"-o", out}));
    CHECK(r.exit_code == 2);
    CHECK_MESSAGE(has(r.err, "limit"), r.err);
    CHECK_FALSE(fs::exists(out));

    r = run_microseg(with(import_args(tmp / "absent.json"), {"-o", out}));
    CHECK(r.exit_code == 2);
    CHECK(has(r.err, tmp / "absent.json"));
    CHECK_FALSE(fs::exists(out));
}

TEST_CASE("import netbox: a bad map exits 2; an existing output is kept on failure") {
    microseg::test::TempDir tmp("netbox-map");
    std::string out = tmp.file("policy.yaml", "version: 1\n");
    std::string map = tmp.file("map.yaml", "roles: {a: b}\nplatfroms: {ios: cisco-ios}\n");
    auto args = import_args();
    args.back() = map;
    auto r = run_microseg(with(args, {"-o", out}));
    CHECK(r.exit_code == 2);
    CHECK_MESSAGE(has(r.err, map + ":2:"), r.err);
    CHECK(has(r.err, "unknown key 'platfroms'"));
    CHECK(microseg::test::read_file(out) == "version: 1\n");
}
