// The flags commands share (cli/ssh_flags.hpp, add_format_option in cli/cli_common.hpp) behave
// alike in every command: one set of SSH flags for `audit` and `placement`, one --format. None
// of these runs reaches a switch: each stops at a usage error or reads saved MAC tables.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "tests/support/run_command.hpp"

using microseg::testing::CommandResult;
using microseg::testing::run_microseg;

namespace {

const std::string kExamples = std::string(MICROSEG_SOURCE_DIR) + "/examples/hospital";
const std::string kPolicy = kExamples + "/policy.yaml";
const std::string kInventory = kExamples + "/inventory.csv";
const std::string kMacs = kExamples + "/macs";

bool has(const std::string& text, std::string_view what) { return text.find(what) != std::string::npos; }

std::vector<std::string> with(std::vector<std::string> args, const std::vector<std::string>& more) {
    args.insert(args.end(), more.begin(), more.end());
    return args;
}

// Both commands that log in to switches, up to their SSH flags (placement live: no --macs).
const std::vector<std::vector<std::string>> kSshCommands = {
    {"audit", kPolicy},
    {"placement", kPolicy, "--inventory", kInventory},
};

}  // namespace

TEST_CASE("ssh flags: an empty --known-hosts path is a usage error in audit and placement") {
    for (const auto& command : kSshCommands) {
        CAPTURE(command[0]);
        auto r = run_microseg(with(command, {"--known-hosts", ""}));
        CHECK(r.exit_code == 2);
        CHECK_MESSAGE(has(r.err, "--known-hosts: an empty path; leave the flag out for ~/.ssh/known_hosts"), r.err);
        CHECK(r.out.empty());
    }
}

TEST_CASE("ssh flags: no --known-hosts and no HOME is a usage error in audit and placement") {
    for (const auto& command : kSshCommands) {
        CAPTURE(command[0]);
        auto r = run_microseg(command, {"HOME="});
        CHECK(r.exit_code == 2);
        CHECK_MESSAGE(has(r.err, "no --known-hosts given and no HOME for ~/.ssh/known_hosts"), r.err);
        CHECK(r.out.empty());
    }
}

TEST_CASE("ssh flags: one check of --identity, --jobs and --timeout in audit and placement") {
    for (const auto& command : kSshCommands) {
        CAPTURE(command[0]);
        auto missing_key = run_microseg(with(command, {"--identity", "/no/such/key"}));
        CHECK(missing_key.exit_code == 2);
        CHECK_MESSAGE(has(missing_key.err, "--identity"), missing_key.err);
        for (const char* jobs : {"0", "1025", "x"}) CHECK(run_microseg(with(command, {"--jobs", jobs})).exit_code == 2);
        for (const char* timeout : {"0", "-1", "3601", "x"}) {
            auto r = run_microseg(with(command, {"--timeout", timeout}));
            CHECK_MESSAGE(r.exit_code == 2, timeout);
            CHECK_MESSAGE(has(r.err, "--timeout"), r.err);
        }
    }
    // Seconds with a fraction, as audit always took them; placement reads saved tables here.
    auto r = run_microseg({"placement", "--at", microseg::testing::kPolicyDay, kPolicy, "--inventory", kInventory, "--macs", kMacs, "--timeout", "2.5"});
    CHECK_MESSAGE(r.exit_code == 1, r.err);  // the example's misplaced devices
}

TEST_CASE("--format: a name outside the command's list is a usage error naming the choices") {
    const std::vector<std::vector<std::string>> commands = {
        {"check", kPolicy},
        {"graph", kPolicy},
        {"paths", kPolicy},
        {"diff", kPolicy, "--dir", kMacs},
        {"placement", kPolicy, "--inventory", kInventory, "--macs", kMacs},
        {"audit", kPolicy},
    };
    for (const auto& command : commands) {
        CAPTURE(command[0]);
        CommandResult r = run_microseg(with(command, {"--format", "xml"}));
        CHECK(r.exit_code == 2);
        CHECK_MESSAGE(has(r.err, "--format: xml not in {"), r.err);
        CHECK(r.out.empty());
    }
    // sarif is a report format of diff and audit only; dot belongs to graph.
    CHECK(run_microseg({"check", "--at", microseg::testing::kPolicyDay, kPolicy, "--format", "sarif"}).exit_code == 2);
    CHECK(run_microseg({"placement", "--at", microseg::testing::kPolicyDay, kPolicy, "--inventory", kInventory, "--macs", kMacs, "--format", "sarif"})
              .exit_code == 2);
    CHECK(run_microseg({"paths", "--at", microseg::testing::kPolicyDay, kPolicy, "--format", "dot"}).exit_code == 2);
}

TEST_CASE("--format: any case, read as the name it matches") {
    auto check = run_microseg({"check", "--at", microseg::testing::kPolicyDay, kPolicy, "--format", "JSON"});
    CHECK_MESSAGE(check.exit_code == 0, check.err);
    CHECK(check.out.starts_with("{"));
    auto graph = run_microseg({"graph", "--at", microseg::testing::kPolicyDay, kPolicy, "--format", "GraphML"});
    CHECK_MESSAGE(graph.exit_code == 0, graph.err);
    CHECK(has(graph.out, "<graphml"));
    auto placement = run_microseg({"placement", "--at", microseg::testing::kPolicyDay, kPolicy, "--inventory", kInventory, "--macs", kMacs, "--format", "Json"});
    CHECK(placement.exit_code == 1);
    CHECK(placement.out.starts_with("{"));
}
