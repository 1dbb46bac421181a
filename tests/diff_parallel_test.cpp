// `microseg diff --dir` audits the switches on all cores: its report must hold, switch for
// switch and in the policy's order, what auditing each saved config alone
// (`diff --switch S FILE`) reports, on a drifted multi-platform network (an accept added to and
// one removed from an nftables router, an IOS permit widened, a file missing).
#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "compiler/compiler.hpp"
#include "emitters/emitter.hpp"
#include "model/file_io.hpp"
#include "tests/support/run_command.hpp"

using namespace microseg;
using microseg::testing::kPolicyDay;
using microseg::testing::run_microseg;
namespace fs = std::filesystem;

namespace {

const std::string kPolicy = std::string(MICROSEG_SOURCE_DIR) + "/examples/health-system/policy.yaml";
const std::vector<std::string> kEnv = {"MICROSEG_REDACT_KEY=diff-parallel-key"};

// Replaces the first line of `text` that starts with `prefix` (after indentation) by `line`.
std::string replace_line(const std::string& text, const std::string& prefix, const std::string& line) {
    std::size_t at = 0;
    while (at < text.size()) {
        const std::size_t end = text.find('\n', at);
        const std::size_t first = text.find_first_not_of(" \t", at);
        if (first < end && text.compare(first, prefix.size(), prefix) == 0)
            return text.substr(0, first) + line + text.substr(end);
        at = end == std::string::npos ? text.size() : end + 1;
    }
    FAIL("no line starts with " << prefix);
    return text;
}

}  // namespace

TEST_CASE("diff --dir reports, switch for switch, what auditing each config alone reports") {
    CompileOptions options;
    options.today = std::chrono::year_month_day{std::chrono::year{2026}, std::chrono::month{11}, std::chrono::day{1}};  // kPolicyDay
    auto compiled = compile_policy_file(kPolicy, options);
    REQUIRE(compiled.ok());
    const Policy& policy = *compiled.policy;
    const fs::path dir = fs::temp_directory_path() / fmt::format("microseg-diff-parallel-{}", ::getpid());
    fs::remove_all(dir);
    fs::create_directories(dir);
    std::map<std::string, std::string> files;
    bool drifted_router = false, drifted_ios = false, removed = false;
    for (const auto& sw : policy.switches()) {
        auto config = emitter_for(sw.platform).emit(policy, sw);
        REQUIRE(config);
        std::string text = config->text;
        if (sw.platform == PlatformId::nftables && !drifted_router) {
            text = replace_line(text, "ip daddr", "tcp dport 23 accept");
            drifted_router = true;
        } else if (sw.platform == PlatformId::cisco_ios && !drifted_ios && text.find("\n deny ip any any log") != std::string::npos) {
            text = replace_line(text, "deny ip any any log", "permit udp any any eq 161");
            drifted_ios = true;
        } else if (sw.platform == PlatformId::junos && !removed) {
            removed = true;
            continue;
        }
        auto path = (dir / fmt::format("{}.{}", sw.name, sw.platform_info().extension)).string();
        REQUIRE(write_file_atomically(path, text));
        files[sw.name] = path;
    }
    REQUIRE((drifted_router && drifted_ios && removed));

    auto all = run_microseg({"diff", kPolicy, "--at", kPolicyDay, "--dir", dir.string(), "--format", "json"}, kEnv);
    CHECK(all.exit_code == 2);  // a switch without a saved config is not audited
    auto report = nlohmann::json::parse(all.out);
    REQUIRE(report["switches"].size() == policy.switches().size());
    std::size_t with_findings = 0;
    for (std::size_t i = 0; i < policy.switches().size(); ++i) {
        const auto& sw = policy.switches()[i];
        const auto& entry = report["switches"][i];
        CHECK(entry["name"] == sw.name);
        if (!files.count(sw.name)) {
            CHECK(entry["status"] == "not audited");
            continue;
        }
        auto one = run_microseg({"diff", kPolicy, "--at", kPolicyDay, "--switch", sw.name, files.at(sw.name), "--format", "json"}, kEnv);
        auto alone = nlohmann::json::parse(one.out);
        REQUIRE(alone["switches"].size() == 1);
        CHECK_MESSAGE(alone["switches"][0] == entry, sw.name);
        if (!entry["findings"].empty()) ++with_findings;
    }
    CHECK(with_findings >= 2);
    fs::remove_all(dir);
}
