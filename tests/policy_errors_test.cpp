// Every command that reads a policy treats a bad one alike (cli/cli_common.hpp load_policy):
// policy errors, YAML syntax included, exit 1 with each diagnostic printed once at its
// file:line:col; a file that cannot be read exits 2; nothing goes to stdout but `check`'s
// summary, and no output file is written.
#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "model/file_io.hpp"
#include "tests/support/run_command.hpp"

using namespace microseg;
using microseg::testing::run_microseg;
namespace fs = std::filesystem;

namespace {

const std::string kSource = MICROSEG_SOURCE_DIR;
const std::string kHospital = kSource + "/examples/hospital/policy.yaml";
const std::string kBadCidr = kSource + "/examples/broken/bad-cidr.yaml";
const std::vector<std::string> kEnv = {"NO_COLOR=1", "MICROSEG_REDACT_KEY=policy-errors-test-key"};

// Where the commands may write: an output directory that must stay empty, and an empty
// directory of saved configs / MAC tables.
struct Scratch {
    fs::path dir = fs::temp_directory_path() / fmt::format("microseg-bad-policy-{}", ::getpid());
    std::string out = (dir / "out").string();
    std::string saved = (dir / "saved").string();
    std::string inventory = (dir / "inventory.csv").string();
    Scratch() {
        fs::remove_all(dir);
        fs::create_directories(out);
        fs::create_directories(saved);
        REQUIRE(write_file_atomically(inventory, "mac,ip,class\n"));
    }
    ~Scratch() { fs::remove_all(dir); }
};

// Each command reading `policy`, with the other arguments it needs to get that far.
std::vector<std::vector<std::string>> commands_reading(const std::string& policy, const Scratch& s) {
    return {
        {"check", policy},
        {"paths", policy},
        {"graph", policy},
        {"graph", policy, "-o", s.out + "/graph.svg"},
        {"review", policy, kHospital},
        {"review", kHospital, policy},
        {"compile", policy, "-o", s.out},
        {"verify", policy},
        {"diff", policy, "--dir", s.saved},
        {"audit", policy},
        {"placement", policy, "--inventory", s.inventory, "--macs", s.saved},
        {"report", policy, "-o", s.out + "/report.html"},
    };
}

std::size_t count(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
    return n;
}

struct Expected {
    int exit_code = 1;
    std::vector<std::string> once;  // each on stderr exactly once
    std::size_t error_words = 0;    // "error" on stderr in all: nothing more than the diagnostics
};

void check_every_command(const std::string& policy, const Scratch& s, const Expected& e) {
    for (const auto& args : commands_reading(policy, s)) {
        auto r = run_microseg(args, kEnv);
        CAPTURE(fmt::format("{}", fmt::join(args, " ")));
        CAPTURE(r.err);
        CHECK(r.exit_code == e.exit_code);
        for (const auto& text : e.once) CHECK(count(r.err, text) == 1);
        CHECK(count(r.err, "error") == e.error_words);
        if (args[0] == "check" && e.exit_code == 1) CHECK(r.out.starts_with("failed: "));
        else CHECK(r.out.empty());
    }
    CHECK(fs::is_empty(s.out));
}

}  // namespace

TEST_CASE("a policy with errors: every command exits 1 and prints each error once, located") {
    Scratch s;
    check_every_command(kBadCidr, s, {1,
                                      {kBadCidr + ":5:31: error: bad subnet '10.130.0.1/26'",
                                       kBadCidr + ":6:63: error: gateway_address 10.1.1.1"},
                                      2});
}

TEST_CASE("a YAML syntax error is a policy error: exit 1, once, at its line") {
    Scratch s;
    std::string policy = (s.dir / "syntax.yaml").string();
    REQUIRE(write_file_atomically(policy, "version: 1\nclasses:\n  a: {vlan: 10, subnets: [10.0.0.0/24\n  b: x\n"));
    check_every_command(policy, s, {1, {policy + ":4:4: error: YAML syntax error"}, 2});
}

TEST_CASE("a policy that cannot be read: every command exits 2 and names the file once") {
    Scratch s;
    std::string missing = (s.dir / "missing.yaml").string();
    check_every_command(missing, s, {2, {missing + ": error: cannot open"}, 1});
    check_every_command(s.saved, s, {2, {s.saved + ": error: is a directory"}, 1});
}
