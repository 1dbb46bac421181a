// `--at YYYY-MM-DD` end to end: every command that reads a policy takes it, a flow is there
// through its expires day and gone from the next (paths, compile), and a bad day is a usage
// error. Also: `check` groups repeated warnings, so a large policy prints a bounded report.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "model/file_io.hpp"
#include "tests/support/run_command.hpp"
#include "tests/support/temp_dir.hpp"

using microseg::testing::CommandResult;
using microseg::testing::run_microseg;
namespace fs = std::filesystem;

namespace {

const std::string kExamples = std::string(MICROSEG_SOURCE_DIR) + "/examples/hospital";
const std::string kPolicy = kExamples + "/policy.yaml";
const std::string kInventory = kExamples + "/inventory.csv";
const std::string kMacs = kExamples + "/macs";
const std::string kGolden = std::string(MICROSEG_SOURCE_DIR) + "/tests/golden/hospital";

bool has(const std::string& text, std::string_view what) { return text.find(what) != std::string::npos; }

std::vector<std::string> with(std::vector<std::string> args, const std::vector<std::string>& more) {
    args.insert(args.end(), more.begin(), more.end());
    return args;
}

// Every command that reads a policy, with arguments that end quickly and touch no switch.
std::vector<std::vector<std::string>> policy_commands(const std::string& out_dir) {
    return {
        {"check", kPolicy},
        {"paths", kPolicy},
        {"review", kPolicy, kPolicy},
        {"graph", kPolicy},
        {"report", kPolicy, "-o", out_dir + "/report.html"},
        {"compile", kPolicy, "-o", out_dir},
        {"diff", kPolicy, "--dir", kGolden},
        {"audit", kPolicy, "--known-hosts", ""},  // stops at the empty path, after reading --at
        {"placement", kPolicy, "--inventory", kInventory, "--macs", kMacs},
        {"verify", kPolicy, "--switch", "no-such-switch"},
    };
}

// The text of every file compile wrote into `dir`.
std::string compiled_text(const std::string& dir) {
    std::string all;
    for (const auto& entry : fs::directory_iterator(dir)) all += microseg::test::read_file(entry.path().string());
    return all;
}

}  // namespace

// The 1-based line of the first line of file `path` holding `needle`; 0 if none.
static int line_of_text(const std::string& path, const std::string& needle) {
    std::istringstream lines(microseg::test::read_file(path));
    int n = 0;
    for (std::string line; std::getline(lines, line);)
        if (++n, line.find(needle) != std::string::npos) return n;
    return 0;
}

TEST_CASE("--at: every command that reads a policy takes it, and refuses a day that is no date") {
    microseg::test::TempDir dir("at");
    for (const auto& command : policy_commands(dir.path)) {
        CAPTURE(command[0]);
        CommandResult plain = run_microseg(command);
        CommandResult at = run_microseg(with(command, {"--at", "2026-11-01"}));
        CHECK_MESSAGE(at.exit_code == plain.exit_code, at.err);
        CHECK_MESSAGE(!has(at.err, "--at"), at.err);
        for (const char* bad : {"2027-02-30", "2027-4-1", "tomorrow"}) {
            CommandResult r = run_microseg(with(command, {"--at", bad}));
            CHECK(r.exit_code == 2);
            CHECK_MESSAGE(has(r.err, fmt::format("--at: '{}' is not a date YYYY-MM-DD", bad)), r.err);
            CHECK(r.out.empty());
        }
    }
}

TEST_CASE("--at: paths has the vendor's hop to the modalities through its expires day, not after") {
    const std::vector<std::string> paths = {"paths", kPolicy, "--from", "vendor-vpn", "--to", "imaging-modality"};
    // "policy.yaml:N:" of the vendor-remote flow, wherever the example has it.
    const auto at = fmt::format("policy.yaml:{}:", line_of_text(kPolicy, "{from: vendor-vpn, to: imaging-modality"));
    auto through = run_microseg(with(paths, {"--at", "2027-03-31"}));
    CHECK_MESSAGE(has(through.out, "vendor-vpn"), through.out);
    CHECK_MESSAGE(has(through.out, "vendor-remote"), through.out);
    CHECK_MESSAGE(has(through.out, at), through.out);  // the vendor-remote flow
    CHECK(through.err.empty());

    auto after = run_microseg(with(paths, {"--at", "2027-04-01"}));
    CHECK_MESSAGE(!has(after.out, "vendor-remote"), after.out);
    CHECK_MESSAGE(!has(after.out, at), after.out);
    CHECK_MESSAGE(has(after.err, at + "5: warning: flow from 'vendor-vpn' to 'imaging-modality' "
                                 "expired on 2027-03-31: left out [expired-flow]"),
                  after.err);
}

TEST_CASE("--at: compile writes the vendor's ACL entries through its expires day, not after") {
    microseg::test::TempDir through_dir("at-through"), after_dir("at-after");
    auto through = run_microseg({"compile", kPolicy, "-o", through_dir.path, "--at", "2027-03-31"});
    REQUIRE_MESSAGE(through.exit_code == 0, through.err);
    CHECK(has(compiled_text(through_dir.path), "5938"));  // vendor-remote, tcp/5938
    CHECK(through.err.empty());

    auto after = run_microseg({"compile", kPolicy, "-o", after_dir.path, "--at", "2027-04-01"});
    REQUIRE_MESSAGE(after.exit_code == 0, after.err);
    CHECK_FALSE(has(compiled_text(after_dir.path), "5938"));
    // compile hides lint, never the flows it leaves out.
    CHECK(has(after.err, "expired on 2027-03-31: left out [expired-flow]"));
    CHECK_FALSE(has(after.err, "[clear-text]"));
}

TEST_CASE("check: many repeats of one warning print five and a count, JSON keeps every one") {
    microseg::test::TempDir dir("grouped");
    std::string policy = "version: 1\nclasses:\n  a: {vlan: 10, subnets: [10.10.0.0/24]}\n  b: {vlan: 20, subnets: [10.20.0.0/24]}\nflows:\n";
    for (int i = 0; i < 200; ++i) policy += fmt::format("  - {{from: a, to: b, services: [dicom, dicom-tls], reason: \"r{}\"}}\n", i);
    auto path = dir.file("many.yaml", policy);

    auto text = run_microseg({"check", path, "--at", "2026-11-01", "--format", "text"}, {"NO_COLOR=1"});
    CHECK(text.exit_code == 0);
    CHECK_MESSAGE(has(text.err, "    ... and 195 more like this [clear-text]"), text.err);
    std::size_t lines = static_cast<std::size_t>(std::count(text.err.begin(), text.err.end(), '\n'));
    CHECK(lines == 5 * 3 + 1);  // five warnings, each with its source line and caret, and the count
    CHECK(has(text.out, "ok: 0 error(s), 200 warning(s)"));

    auto json = run_microseg({"check", path, "--at", "2026-11-01", "--format", "json"});
    std::size_t items = 0;
    for (auto at = json.out.find("\"clear-text\""); at != std::string::npos; at = json.out.find("\"clear-text\"", at + 1))
        ++items;
    CHECK(items == 200);
}
