// `microseg plan` end to end, from the real-looking running configs of each platform
// (tests/fixtures/<platform>/, written from vendor documentation in the form devices print):
// the files it writes, diff and plan on the config after, the parts microseg does not own left
// byte for byte, JSON output, exit codes and bad input.
#include <doctest/doctest.h>

#include <filesystem>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "tests/support/run_command.hpp"
#include "tests/support/temp_dir.hpp"

using namespace microseg::testing;
namespace fs = std::filesystem;

namespace {

const std::vector<std::string> kEnv = {"MICROSEG_REDACT_KEY=plan-test-key"};

std::string fixture(const std::string& relative) { return std::string(MICROSEG_SOURCE_DIR) + "/tests/fixtures/" + relative; }

struct FixtureCase {
    std::string platform, switch_name, running, ext;
    std::vector<std::string> untouched;  // lines microseg does not own: in the config after, as they were
};

const std::vector<FixtureCase> kFixtures = {
    {"cisco-ios", "acc-ios-01", "acc-ios-01.cfg", "ios",
     {"ip access-list extended MGMT-SSH", " 10 permit tcp object-group MGMT-HOSTS any eq 22",
      "access-list 10 permit 10.99.0.5", " vrf forwarding Mgmt-vrf", " ip address 10.99.0.11 255.255.255.0",
      "route-map NO-EXPORT permit 10"}},
    {"arista-eos", "leaf-eos-01", "leaf-eos-01.cfg", "eos", {}},
    {"junos", "ex3400-ward", "ex3400-els.conf", "junos", {}},
    {"nftables", "debian-gw", "debian-router.nft", "nft", {}},
};

bool contains_line(const std::string& text, const std::string& line) {
    return ("\n" + text + "\n").find("\n" + line + "\n") != std::string::npos;
}

}  // namespace

TEST_CASE("plan from each platform's real-looking running config: the config after is clean and plans to nothing") {
    for (const auto& c : kFixtures) {
        INFO(c.platform);
        microseg::test::TempDir out("plan-cli");
        const auto policy = fixture(c.platform + "/policy.yaml");
        const auto running = fixture(c.platform + "/" + c.running);
        auto r = run_microseg({"plan", policy, "--at", kPolicyDay, "--switch", c.switch_name, running, "-o", out.path}, kEnv);
        INFO(r.out, r.err);
        REQUIRE((r.exit_code == 0 || r.exit_code == 1));
        if (r.exit_code == 0) {
            CHECK(r.out.find("already holds the intent") != std::string::npos);
            CHECK_FALSE(fs::exists(out / (c.switch_name + ".plan")));
            continue;
        }
        const auto after = out / fmt::format("{}.after.{}", c.switch_name, c.ext);
        REQUIRE(fs::exists(after));
        REQUIRE(fs::exists(out / (c.switch_name + ".plan")));
        REQUIRE(fs::exists(out / (c.switch_name + ".rollback")));
        CHECK(r.out.find("make-before-break holds") != std::string::npos);
        CHECK(r.out.find("restores the running segmentation") != std::string::npos);
        auto diff = run_microseg({"diff", policy, "--at", kPolicyDay, "--switch", c.switch_name, after}, kEnv);
        INFO("diff after: ", diff.out, diff.err);
        CHECK(diff.exit_code == 0);
        auto again = run_microseg({"plan", policy, "--at", kPolicyDay, "--switch", c.switch_name, after}, kEnv);
        INFO("plan after: ", again.out, again.err);
        CHECK(again.exit_code == 0);
        const auto after_text = microseg::test::read_file(after);
        for (const auto& line : c.untouched) CHECK_MESSAGE(contains_line(after_text, line), line);
    }
}

TEST_CASE("plan --format json says what the text says") {
    const auto& c = kFixtures.front();
    auto r = run_microseg({"plan", fixture(c.platform + "/policy.yaml"), "--at", kPolicyDay, "--switch", c.switch_name,
                           fixture(c.platform + "/" + c.running), "--format", "json"}, kEnv);
    REQUIRE(r.exit_code == 1);
    auto j = nlohmann::json::parse(r.out);
    const auto& sw = j.at("switches").at(0);
    CHECK(sw.at("switch") == c.switch_name);
    CHECK(sw.at("proof").at("holds") == true);
    CHECK(sw.at("rollback_restores") == true);
    CHECK_FALSE(sw.at("plan").at("steps").empty());
    CHECK(sw.at("after_findings").empty());
}

TEST_CASE("plan on compiled configs that already hold the intent: nothing to do, exit 0, no files") {
    microseg::test::TempDir dir("plan-compiled");
    const auto policy = std::string(MICROSEG_SOURCE_DIR) + "/examples/hospital/policy.yaml";
    REQUIRE(run_microseg({"compile", policy, "--at", kPolicyDay, "-o", dir.path}, kEnv).exit_code == 0);
    auto r = run_microseg({"plan", policy, "--at", kPolicyDay, "--dir", dir.path, "-o", dir / "plans"}, kEnv);
    INFO(r.out, r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("with a plan") != std::string::npos);
    CHECK(r.out.find(" 0 with a plan") != std::string::npos);
}

TEST_CASE("plan: bad input is a located error, exit 2, nothing written") {
    microseg::test::TempDir out("plan-bad");
    const auto policy = fixture("cisco-ios/policy.yaml");
    auto no_switch = run_microseg({"plan", policy, fixture("cisco-ios/acc-ios-01.cfg")}, kEnv);
    CHECK(no_switch.exit_code == 2);
    CHECK(no_switch.err.find("--switch") != std::string::npos);
    auto missing = run_microseg({"plan", policy, "--switch", "acc-ios-01", out / "nope.cfg", "-o", out / "o"}, kEnv);
    CHECK(missing.exit_code == 2);
    CHECK(missing.out.find("nope.cfg") != std::string::npos);
    CHECK_FALSE(fs::exists(out / "o/acc-ios-01.plan"));
    microseg::test::write_file(out / "cut.cfg", "hostname acc-ios-01\n!\ninterface Vlan110\n");
    auto cut = run_microseg({"plan", policy, "--switch", "acc-ios-01", out / "cut.cfg"}, kEnv);
    CHECK(cut.exit_code == 2);
    CHECK(cut.out.find("incomplete") != std::string::npos);
    auto unknown = run_microseg({"plan", policy, "--switch", "no-such", fixture("cisco-ios/acc-ios-01.cfg")}, kEnv);
    CHECK(unknown.exit_code == 2);
}
