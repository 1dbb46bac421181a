// Golden files: every switch of every example is compiled and compared byte for byte with
// tests/golden/<example>/<switch>.<ext>. On a mismatch the actual output is written beside the
// reference as <file>.actual, so `diff tests/golden/x/sw.ios{,.actual}` shows the change.
// References are regenerated only by `make golden` (README, "Emitters").
// The nftables goldens are also loaded with `nft -c -f` in a private network namespace, and
// the `compile` command's contract (ownership, exit codes, determinism) is checked here.
#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <set>

#include <fmt/format.h>

#include "compiler/compiler.hpp"
#include "emitters/emitter.hpp"
#include "emitters/test_fixture.hpp"
#include "model/config_file.hpp"
#include "model/file_io.hpp"
#include "tests/support/run_command.hpp"

using namespace microseg;
namespace fs = std::filesystem;

namespace {

const char* const kExamples[] = {"clinic", "hospital", "health-system"};

// Goldens are read as of one fixed day (`make golden` passes the same --at), so that a flow's
// expiry never changes them with the calendar. Before every example's expires date.
const char* const kGoldenDay = "2026-11-01";

CompileOptions golden_day() {
    CompileOptions options;
    options.today = std::chrono::year_month_day{std::chrono::year{2026}, std::chrono::month{11}, std::chrono::day{1}};
    return options;
}

std::string source_path(std::string_view relative) { return fmt::format("{}/{}", MICROSEG_SOURCE_DIR, relative); }

Policy compile_example(std::string_view example) {
    auto r = compile_policy_file(source_path(fmt::format("examples/{}/policy.yaml", example)), golden_day());
    REQUIRE_MESSAGE(r.ok(), "example " << example << " does not compile");
    return std::move(*r.policy);
}

void check_golden(const std::string& golden, const std::string& actual) {
    auto expected = read_text_file(golden);
    bool same = expected && *expected == actual;
    if (!same) (void)write_file_atomically(golden + ".actual", actual);
    else std::remove((golden + ".actual").c_str());
    CHECK_MESSAGE(same, golden << (expected ? " differs" : " is missing") << "; see " << golden
                               << ".actual, regenerate with `make golden` if the change is intended");
}

std::string temp_dir() {
    char tmpl[] = "/tmp/microseg-compile-XXXXXX";
    REQUIRE(::mkdtemp(tmpl));
    return tmpl;
}

}  // namespace

TEST_CASE("golden: every example switch compiles to its reference file") {
    for (const char* example : kExamples) {
        CAPTURE(example);
        auto policy = compile_example(example);
        std::set<std::string> expected_files;
        for (const auto& sw : policy.switches()) {
            CAPTURE(sw.name);
            auto out = emitter_for(sw.platform).emit(policy, sw);
            REQUIRE_MESSAGE(out, (out ? "" : out.error().message));
            auto file = config_file_name(sw);
            expected_files.insert(file);
            check_golden(source_path(fmt::format("tests/golden/{}/{}", example, file)), out->text);
        }
        // No stale reference may linger for a switch that no longer exists.
        std::error_code ec;
        for (const auto& entry : fs::directory_iterator(source_path(fmt::format("tests/golden/{}", example)), ec)) {
            auto name = entry.path().filename().string();
            if (name.ends_with(".actual")) continue;
            CHECK_MESSAGE(expected_files.count(name), "stale golden file " << name);
        }
    }
}

TEST_CASE("golden: the nftables references load with nft -c") {
    std::size_t checked = 0;
    for (const char* example : kExamples) {
        auto policy = compile_example(example);
        for (const auto& sw : policy.switches()) {
            if (sw.platform != PlatformId::nftables) continue;
            auto out = emitter_for(sw.platform).emit(policy, sw);
            REQUIRE(out);
            auto check = test::nft_check(out->text);
            if (!check.ran) {
                if (test::nft_unavailable_is_failure()) FAIL("nft -c could not run (root, unshare, nft); CI=true");
                MESSAGE("SKIPPED: nft -c check needs root, unshare and nft");
                return;
            }
            INFO(example, " ", sw.name, ": ", check.output);
            CHECK(check.status == 0);
            ++checked;
        }
    }
    MESSAGE("nft -c checked ", checked, " example router(s)");
}

TEST_CASE("compile: writes one file per switch, identical on a second run") {
    auto dir = temp_dir();
    auto policy = source_path("examples/hospital/policy.yaml");
    auto first = testing::run_microseg({"compile", policy, "-o", dir, "--at", kGoldenDay});
    CHECK(first.exit_code == 0);
    auto compiled = compile_example("hospital");
    for (const auto& sw : compiled.switches()) {
        CHECK(first.out.find(sw.name + ": wrote ") != std::string::npos);
        auto a = read_text_file(dir + "/" + config_file_name(sw));
        REQUIRE(a);
        auto second = testing::run_microseg({"compile", policy, "-o", dir, "--switch", sw.name, "--at", kGoldenDay});
        CHECK(second.exit_code == 0);
        CHECK(*read_text_file(dir + "/" + config_file_name(sw)) == *a);
    }
    fs::remove_all(dir);
}

TEST_CASE("compile: a file that already holds its config is left alone, a changed one is replaced") {
    auto dir = temp_dir();
    auto policy = source_path("examples/clinic/policy.yaml");
    REQUIRE(testing::run_microseg({"compile", policy, "-o", dir, "--at", kGoldenDay}).exit_code == 0);
    auto compiled = compile_example("clinic");
    REQUIRE(compiled.switches().size() >= 2);
    const auto& kept = compiled.switches()[0];
    const auto& edited = compiled.switches()[1];
    const auto kept_path = dir + "/" + config_file_name(kept), edited_path = dir + "/" + config_file_name(edited);
    const auto original = *read_text_file(edited_path);
    const auto old_time = fs::last_write_time(kept_path) - std::chrono::hours(1);
    fs::last_write_time(kept_path, old_time);
    REQUIRE(write_file_atomically(edited_path, original + "! an edit by hand\n"));

    auto again = testing::run_microseg({"compile", policy, "-o", dir, "--at", kGoldenDay});
    CHECK(again.exit_code == 0);
    CHECK(again.out.find(kept.name + ": unchanged " + kept_path) != std::string::npos);
    CHECK(again.out.find(edited.name + ": wrote " + edited_path) != std::string::npos);
    CHECK(fs::last_write_time(kept_path) == old_time);
    CHECK(*read_text_file(edited_path) == original);
    fs::remove_all(dir);
}

// DESIGN "compile leaves a switch's file alone when nothing but its header would change": the
// header carries the switch's own content hash, so a flow that only the firewall filters
// changes the firewall's file alone, and the access switch's file, untouched, still carries
// the current intent.
TEST_CASE("compile: a policy change rewrites only the switches it changes; the others stay current") {
    auto dir = temp_dir();
    const std::string policy = source_path("examples/clinic/policy.yaml");
    const std::string changed_policy = dir + "/changed.yaml";
    const std::string guest_flow = "services: [http, https, dns], reason: \"waiting-room Wi-Fi\"";
    auto text = *read_text_file(policy);
    auto at = text.find(guest_flow);
    REQUIRE(at != std::string::npos);
    text.replace(at, guest_flow.size(), "services: [https, dns], reason: \"waiting-room Wi-Fi\"");
    REQUIRE(write_file_atomically(changed_policy, text));
    const std::string out = dir + "/out";

    REQUIRE(testing::run_microseg({"compile", policy, "-o", out, "--at", kGoldenDay}).exit_code == 0);
    const std::string sw_path = out + "/clinic-sw-01.ios", fw_path = out + "/clinic-fw-01.nft";
    const auto sw_before = *read_text_file(sw_path), fw_before = *read_text_file(fw_path);
    const auto old_time = fs::last_write_time(sw_path) - std::chrono::hours(1);
    fs::last_write_time(sw_path, old_time);
    REQUIRE(write_file_atomically(dir + "/old-fw.nft", fw_before));

    auto again = testing::run_microseg({"compile", changed_policy, "-o", out, "--at", kGoldenDay});
    CHECK(again.exit_code == 0);
    CHECK(again.out.find("clinic-sw-01: unchanged " + sw_path) != std::string::npos);
    CHECK(again.out.find("clinic-fw-01: wrote " + fw_path) != std::string::npos);
    CHECK(*read_text_file(sw_path) == sw_before);
    CHECK(fs::last_write_time(sw_path) == old_time);
    CHECK(*read_text_file(fw_path) != fw_before);
    CHECK(find_header(*read_text_file(fw_path))->version != find_header(fw_before)->version);

    // The untouched file, compiled from the old policy, is what the new policy asks of it.
    auto sw_diff = testing::run_microseg({"diff", changed_policy, "--at", kGoldenDay, "--switch", "clinic-sw-01",
                                          sw_path, "--format", "json"});
    CHECK(sw_diff.exit_code == 0);
    auto carries = [](const std::string& json, bool value) {
        return json.find(fmt::format("\"carries_current_intent\": {}", value)) != std::string::npos ||
               json.find(fmt::format("\"carries_current_intent\":{}", value)) != std::string::npos;
    };
    CHECK(carries(sw_diff.out, true));
    // The firewall's old file is not: its flows changed.
    auto fw_diff = testing::run_microseg({"diff", changed_policy, "--at", kGoldenDay, "--switch", "clinic-fw-01",
                                          dir + "/old-fw.nft", "--format", "json"});
    CHECK(fw_diff.exit_code == 1);
    CHECK(carries(fw_diff.out, false));
    fs::remove_all(dir);
}

TEST_CASE("compile: a file microseg does not own is never replaced; unknown names exit 2") {
    auto dir = temp_dir();
    auto policy_path = source_path("examples/clinic/policy.yaml");
    auto policy = compile_example("clinic");
    REQUIRE_FALSE(policy.switches().empty());
    const auto& sw = policy.switches().front();
    auto foreign = dir + "/" + config_file_name(sw);
    REQUIRE(write_file_atomically(foreign, "hostname hand-written\n"));
    auto r = testing::run_microseg({"compile", policy_path, "-o", dir, "--switch", sw.name, "--at", kGoldenDay});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("not written by microseg") != std::string::npos);
    CHECK(*read_text_file(foreign) == "hostname hand-written\n");
    CHECK(testing::run_microseg({"compile", policy_path, "-o", dir, "--switch", "no-such", "--at", kGoldenDay}).exit_code == 2);
    CHECK(testing::run_microseg({"compile", policy_path, "-o", dir, "--platform", "vyos", "--at", kGoldenDay}).exit_code == 2);
    fs::remove_all(dir);
}
