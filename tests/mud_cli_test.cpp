// `microseg import mud` and `microseg export mud` end to end on tests/fixtures/mud: the written
// policy passes `microseg check`, the exported MUD file imports back to the same rules, bad
// input exits 2 with a located error and leaves no output file behind.
#include <doctest/doctest.h>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "tests/support/run_command.hpp"
#include "tests/support/temp_dir.hpp"

using microseg::testing::run_microseg;
namespace fs = std::filesystem;

namespace {

const std::string kMud = std::string(MICROSEG_SOURCE_DIR) + "/tests/fixtures/mud/";

bool has(const std::string& text, std::string_view what) { return text.find(what) != std::string::npos; }

}  // namespace

TEST_CASE("import mud -o: the policy is written, warnings located, and check accepts it") {
    microseg::test::TempDir dir("mud");
    auto out = dir / "policy.yaml";
    auto r = run_microseg({"import", "mud", kMud + "pump3000.json", kMud + "lightbulb2000.json", "--map",
                           kMud + "map.yaml", "-o", out});
    CHECK_MESSAGE(r.exit_code == 0, r.err);
    CHECK(has(r.out, "10 class(es) from 2 MUD file(s)"));
    CHECK(has(r.err, "pump3000.json: warning: /ietf-access-control-list:acls/acl/0/aces/ace/6/actions/forwarding"));
    CHECK(has(r.err, "[mud-placeholder]"));
    auto text = microseg::test::read_file(out);
    CHECK(has(text, "example-medical-pump-3000: {vlan: 3001, subnets: [203.0.113.1/32]}"));
    auto check = run_microseg({"check", "--at", microseg::testing::kPolicyDay, out});
    CHECK_MESSAGE(check.exit_code == 0, check.err);
    CHECK(!has(check.err, "error"));
}

TEST_CASE("import mud --format json: devices, peers and warnings for scripts, the policy inline") {
    auto r = run_microseg({"import", "mud", kMud + "lightbulb2000.json", "--format", "json"});
    CHECK_MESSAGE(r.exit_code == 0, r.err);
    auto doc = nlohmann::json::parse(r.out);
    CHECK(doc["devices"][0]["class"] == "the-bms-example-light-bulb");
    CHECK(doc["peers"][0]["class"] == "test-example-com");
    CHECK(doc["rules"] == 1);
    CHECK(has(doc["policy"].get<std::string>(), "flows:"));
    CHECK(doc["warnings"].size() == 2);
}

TEST_CASE("export mud: the class as a MUD file that imports back to the same flows") {
    microseg::test::TempDir dir("mud");
    auto policy = dir / "policy.yaml";
    REQUIRE(run_microseg({"import", "mud", kMud + "lightbulb2000.json", "-o", policy}).exit_code == 0);
    auto mud = dir / "bulb.json";
    auto r = run_microseg({"export", "mud", policy, "--class", "the-bms-example-light-bulb", "-o", mud, "--mud-url",
                           "https://lighting.example.com/lightbulb2000", "--last-update", "2026-11-01T00:00:00Z"});
    CHECK_MESSAGE(r.exit_code == 0, r.err);
    auto doc = nlohmann::json::parse(microseg::test::read_file(mud));
    CHECK(doc["ietf-mud:mud"]["mud-version"] == 1);
    CHECK(doc["ietf-mud:mud"]["last-update"] == "2026-11-01T00:00:00Z");
    const auto& ace = doc["ietf-access-control-list:acls"]["acl"][0]["aces"]["ace"][0];
    CHECK(ace["matches"]["ipv4"]["destination-ipv4-network"] == "192.0.2.1/32");
    CHECK(ace["matches"]["tcp"]["destination-port"]["port"] == 443);
    auto map = dir.file("map.yaml", "network: {\"192.0.2.1/32\": test-example-com}\n");
    auto back = run_microseg({"import", "mud", mud, "--map", map});
    CHECK_MESSAGE(back.exit_code == 0, back.err);
    CHECK(has(back.out, "to: test-example-com, services: [https]"));
    auto unknown = run_microseg({"export", "mud", policy, "--class", "no-such-class"});
    CHECK(unknown.exit_code == 2);
    CHECK(has(unknown.err, "no class 'no-such-class'"));
}

TEST_CASE("import mud: malformed JSON, a missing mud-url and a huge file exit 2 and write nothing") {
    microseg::test::TempDir dir("mud");
    auto out = dir / "policy.yaml";
    auto bad = run_microseg({"import", "mud", kMud + "lightbulb2000.json", kMud + "malformed.json", "-o", out});
    CHECK(bad.exit_code == 2);
    CHECK(has(bad.err, "malformed.json:5:16: error: malformed JSON"));
    auto missing = run_microseg({"import", "mud", kMud + "missing-url.json", "-o", out});
    CHECK(missing.exit_code == 2);
    CHECK(has(missing.err, "/ietf-mud:mud/mud-url: missing"));
    auto huge = dir.file("huge.json", std::string(17u * 1024 * 1024, ' '));
    auto big = run_microseg({"import", "mud", huge, "-o", out});
    CHECK(big.exit_code == 2);
    CHECK(has(big.err, "huge.json"));
    CHECK(!fs::exists(out));
    CHECK(fs::directory_iterator(dir.path) != fs::directory_iterator());  // only huge.json: no temp files left
    int files = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir.path)) ++files;
    CHECK(files == 1);
}
