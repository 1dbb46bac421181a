// Dataplane end-to-end tests (ctest label "dataplane"): the `microseg verify` command (JSON,
// --configs, Ctrl-C) and one nftables router's shipped file (verify_shipped_router), in real
// network namespaces. Needs root: without it (or
// without namespaces) the tests skip with a message, and fail when CI=true.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <set>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "compiler/compiler.hpp"
#include "verify/process.hpp"
#include "tests/dataplane_ready.hpp"
#include "tests/support/temp_dir.hpp"
#include "verify/verify.hpp"

using namespace microseg;
using namespace microseg::verify;

namespace {

std::string example(const char* name) { return fmt::format("{}/examples/{}/policy.yaml", MICROSEG_SOURCE_DIR, name); }


Policy load(const char* name) {
    CompileOptions options;  // a fixed day, before the examples' expires dates
    options.today = std::chrono::year_month_day{std::chrono::year{2026}, std::chrono::month{11}, std::chrono::day{1}};
    auto r = compile_policy_file(example(name), options);
    REQUIRE_MESSAGE(r.ok(), "example " << name << " does not compile");
    return std::move(*r.policy);
}

VerifyResult run_router(const Policy& p, const char* router, VerifyOptions options = {}) {
    const Switch* sw = p.find_switch(router);
    REQUIRE(sw);
    auto r = verify_shipped_router(p, *sw, options);
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
    return r.value();
}

std::set<std::string> mismatches(const VerifyResult& r) {
    std::set<std::string> out;
    for (const auto& m : r.mismatches) out.insert(describe_mismatch(m));
    return out;
}

// Deletes the one line of `ruleset` that contains `needle`.
std::string without_line(const std::string& ruleset, const std::string& needle) {
    auto at = ruleset.find(needle);
    REQUIRE_MESSAGE(at != std::string::npos, "no rule with " << needle);
    REQUIRE_MESSAGE(ruleset.find(needle, at + 1) == std::string::npos, "two rules with " << needle);
    auto begin = ruleset.rfind('\n', at) + 1;
    auto end = ruleset.find('\n', at);
    return ruleset.substr(0, begin) + ruleset.substr(end + 1);
}

// The namespaces of a lab made by process `pid`: "ms<pid % 10000><letter>-...".
std::set<std::string> lab_namespaces(int pid) {
    std::set<std::string> out;
    std::string prefix = fmt::format("ms{}", pid % 10000);
    std::istringstream list(run_process({"ip", "netns", "list"}).output);
    std::string line;
    while (std::getline(list, line)) {
        std::string name = line.substr(0, line.find(' '));
        bool ours = name.rfind(prefix, 0) == 0 && name.size() > prefix.size() + 1 &&
                    name[prefix.size()] >= 'a' && name[prefix.size()] <= 'z' && name[prefix.size() + 1] == '-';
        if (ours) out.insert(name);
    }
    return out;
}

}  // namespace

TEST_CASE("microseg verify: exit code and JSON agree with the result") {
    if (!microseg::testing::dataplane_ready()) return;
    auto r = run_process({MICROSEG_EXE, "verify", example("clinic"), "--format", "json"});
    CHECK((r.exit_code == 0 || r.exit_code == 1));
    CHECK(r.output.find("\"probes\": ") != std::string::npos);
    auto per_device = r.output.find("\"probes_per_device\": {");
    CHECK(per_device != std::string::npos);
    CHECK(r.output.find("\"clinic-fw-01\": ", per_device) != std::string::npos);
    CHECK(r.output.find("\"static_findings\": [") != std::string::npos);
    CHECK(r.output.find(r.exit_code == 0 ? "\"ok\": true" : "\"ok\": false") != std::string::npos);
    auto missing = run_process({MICROSEG_EXE, "verify", example("clinic"), "--configs", "/nonexistent-dir"});
    CHECK(missing.exit_code == 2);
    auto usage = run_process({MICROSEG_EXE, "verify", example("clinic"), "--switch", "no-such-switch"});
    CHECK(usage.exit_code == 2);
    CHECK(usage.output.find("no switch named no-such-switch") != std::string::npos);
}

TEST_CASE("microseg verify: Ctrl-C in the middle leaves no namespace behind") {
    if (!microseg::testing::dataplane_ready()) return;
    pid_t pid = ::fork();
    if (pid == 0) {
        ::execl(MICROSEG_EXE, MICROSEG_EXE, "verify", example("hospital").c_str(), static_cast<char*>(nullptr));
        _exit(127);
    }
    REQUIRE(pid > 0);
    bool seen = false;  // wait until the lab exists, then interrupt
    for (int i = 0; i < 100 && !seen; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        seen = lab_namespaces(pid).size() > 5;
    }
    CHECK(seen);
    ::kill(pid, SIGINT);
    int status = 0;
    ::waitpid(pid, &status, 0);
    CHECK(WIFSIGNALED(status));
    auto left = lab_namespaces(pid);
    INFO("left behind: ", fmt::format("{}", fmt::join(left, " ")));
    CHECK(left.empty());
    for (const auto& ns : left) run_process({"ip", "netns", "del", ns});  // so one failure stays one
}

// Issue 19: verify_shipped_router proves the file that ships for one router. The hospital's edge
// firewall carries transit from classes routed by the access switches: without the
// workstation's chain, its web access is dropped there, and verify says so.
TEST_CASE("verify_shipped_router on an nftables router: its shipped file, transit included") {
    if (!microseg::testing::dataplane_ready()) return;
    Policy p = load("hospital");
    VerifyOptions options;
    auto clean = run_router(p, "core-fw-01", options);
    for (const auto& m : clean.mismatches) MESSAGE(describe_mismatch(m));
    CHECK(clean.clean());
    CHECK(clean.outcomes.size() == 2190);
    options.edit_ruleset = [](const std::string& text) { return without_line(text, "jump from_clinical-workstation"); };
    auto broken = mismatches(run_router(p, "core-fw-01", options));
    CHECK_FALSE(broken.empty());
    CHECK(std::any_of(broken.begin(), broken.end(), [](const std::string& m) {
        return m.rfind("expected allow, blocked: clinical-workstation -> internet tcp/443 (flow at ", 0) == 0;
    }));
}

// Issue 20: `verify --configs DIR` proves the files an engineer edited, not a fresh compile.
TEST_CASE("microseg verify --configs: an edited file in DIR is what the lab runs, named with its line") {
    if (!microseg::testing::dataplane_ready()) return;
    microseg::test::TempDir dir("verify-configs");
    auto compiled = run_process({MICROSEG_EXE, "compile", example("hospital"), "--at", "2026-11-01", "-o", dir.path});
    REQUIRE_MESSAGE(compiled.exit_code == 0, compiled.output);
    auto clean = run_process({MICROSEG_EXE, "verify", example("hospital"), "--at", "2026-11-01", "--configs", dir.path});
    CHECK_MESSAGE(clean.exit_code == 0, clean.output);
    std::string path = dir / "core-fw-01.nft";
    std::string text = microseg::test::read_file(path);
    auto at = text.find("\tchain from_guest-wifi {\n");
    REQUIRE(at != std::string::npos);
    text.insert(text.find('\n', at) + 1, "\t\tip daddr 10.0.0.0/24 accept\n");
    microseg::test::write_file(path, text);
    int line = 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(text.find("ip daddr 10.0.0.0/24 accept")), '\n'));
    auto broken = run_process({MICROSEG_EXE, "verify", example("hospital"), "--at", "2026-11-01", "--configs", dir.path,
                               "--format", "json"});
    CHECK(broken.exit_code == 1);
    CHECK(broken.output.find("\"ok\": false") != std::string::npos);
    CHECK_MESSAGE(broken.output.find(fmt::format("\"file\": \"{}\",\n", path)) != std::string::npos, broken.output);
    CHECK(broken.output.find(fmt::format("\"line\": {},", line)) != std::string::npos);
}

// What the emulation cannot reproduce is "unknown", with its line, never a clean proof.
TEST_CASE("microseg verify: an outbound SVI ACL it cannot emulate makes a clean run unknown, exit 2") {
    if (!microseg::testing::dataplane_ready()) return;
    microseg::test::TempDir dir("verify-unknown");
    auto compiled = run_process({MICROSEG_EXE, "compile", example("hospital"), "--at", "2026-11-01", "-o", dir.path});
    REQUIRE_MESSAGE(compiled.exit_code == 0, compiled.output);
    std::string path = dir / "acc-icu-01.ios";
    std::string text = microseg::test::read_file(path);
    auto at = text.find(" ip access-group MS_IN_NURSE-CALL in\n");
    REQUIRE(at != std::string::npos);
    text.insert(text.find('\n', at) + 1, " ip access-group OUT_ANY out\n");
    text.insert(text.rfind("end\n"), "ip access-list extended OUT_ANY\n permit ip any any\n!\n");
    microseg::test::write_file(path, text);
    int line = 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(text.find(" ip access-group OUT_ANY out")), '\n'));
    auto r = run_process({MICROSEG_EXE, "verify", example("hospital"), "--at", "2026-11-01", "--configs", dir.path});
    CHECK(r.exit_code == 2);
    CHECK(r.output.find(fmt::format("line {}: Vlan150: outbound ACL OUT_ANY; not emulated (unknown)", line)) !=
          std::string::npos);
    CHECK(r.output.find("unknown: every probe agrees with the policy, but") != std::string::npos);
}
