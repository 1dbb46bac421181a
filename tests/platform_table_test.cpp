// The platform table (model/platform.cpp) is the one place a platform is declared; every other
// folder keys a registry row on it. This test walks the table and fails when a platform lacks
// any piece, so adding a platform is the table row, new files, and the rows this test names
// (README "Adding a platform").
#include <doctest/doctest.h>

#include <fmt/format.h>

#include <fstream>
#include <sstream>

#include "audit/parse/mac/mac_table.hpp"
#include "audit/parse/redact.hpp"
#include "audit/parse/registry.hpp"
#include "emitters/change_form.hpp"
#include "emitters/emitter.hpp"
#include "emitters/test_fixture.hpp"
#include "fuzz/harness.hpp"
#include "model/config_file.hpp"
#include "model/interface_name.hpp"
#include "model/naming.hpp"
#include "plan/device.hpp"
#include "tests/support/device_printer.hpp"
#include "tests/support/run_command.hpp"
#include "tests/support/temp_dir.hpp"

using namespace microseg;

namespace {

std::string source_file(const std::string& relative) {
    std::ifstream in(std::string(MICROSEG_SOURCE_DIR) + "/" + relative);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// fake_switch plays the platform's device: fed its setup and config commands on stdin (or the
// config command as SSH_ORIGINAL_COMMAND for exec platforms), it prints the config.
std::string fake_device_answer(const Platform& p, const std::string& config_path) {
    std::string script;
    std::vector<std::string> env;
    if (p.fetch_mode == FetchMode::exec) {
        env.push_back(fmt::format("SSH_ORIGINAL_COMMAND={}", p.config_command));
    } else {
        for (auto c : p.setup_commands) script += fmt::format("{}\n", c);
        script += fmt::format("{}\nexit\n", p.config_command);
    }
    auto r = testing::run_command({"/bin/sh", "-c", fmt::format("printf '%s' \"$0\" | '{}' --platform {} --config '{}'",
                                                                 FAKE_SWITCH_EXE, p.name, config_path),
                                   script},
                                  env);
    CHECK(r.exit_code == 0);
    return r.out;
}

}  // namespace

TEST_CASE("every platform of the table has every piece") {
    test::TempDir dir("platform-table");
    const std::string fuzz_cmake = source_file("fuzz/CMakeLists.txt");
    for (const auto& p : platforms()) {
        CAPTURE(p.name);
        // The row itself: names, budget and what the auditor sends.
        CHECK(find_platform(p.name) == &p);
        CHECK_FALSE(p.extension.empty());
        CHECK(p.default_ace_budget > 0);
        CHECK_FALSE(p.config_command.empty());
        CHECK_FALSE(p.mac_table_command.empty());
        CHECK_FALSE(p.comment_prefix.empty());
        REQUIRE(static_cast<bool>(p.vlan_name));
        CHECK_FALSE(platform_vlan_name(p.id, 110, "infusion-pump").empty());
        // Emitter -> config parser: the emitted file reads back as this platform, header and all.
        auto policy = test::sample_policy(p.id);
        const Switch& sw = policy.switches()[0];
        auto emitted = emitter_for(p.id).emit(policy, sw);
        REQUIRE(emitted);
        auto parsed = parser_for(p.id)(emitted->text);
        CHECK(parsed.as_built.platform == p.id);
        REQUIRE(parsed.header);
        CHECK(header_matches(*parsed.header, policy, sw));
        // MAC-table parser and redaction rules exist (they throw std::logic_error when missing).
        CHECK_NOTHROW(mac_table_parser_for(p.id)(""));
        HashKey key{};
        CHECK_NOTHROW(redact_config(p.id, emitted->text, key));
        // The fake device answers the platform's commands with the config.
        auto path = dir.file(config_file_name(sw), emitted->text);
        auto answer = fake_device_answer(p, path);
        CHECK(answer.find(emitted->text.substr(0, emitted->text.find('\n'))) != std::string::npos);
        // Interface naming and the device printer of the round-trip test have a row.
        CHECK_NOTHROW(canonical_interface(p.id, "x1"));
        CHECK_NOTHROW(test::print_as_device(p.id, sw.name, emitted->text));
        // The change writer and simulated device of `plan` exist (std::logic_error when missing).
        CHECK_NOTHROW(change_writer_for(p.id));
        CHECK_NOTHROW(simulated_device(p.id, ""));
        // A fuzz target in the harness, and its libFuzzer executable in fuzz/CMakeLists.txt.
        auto target = fuzz::config_parser_target_name(p.id);
        CHECK(fuzz::find_target(target) != nullptr);
        CHECK(fuzz_cmake.find(fmt::format("microseg_fuzz_target({} ", target)) != std::string::npos);
    }
}

TEST_CASE("a platform missing from a registry is a programming error, said the same way everywhere") {
    auto missing = static_cast<PlatformId>(platforms().size());  // no such row
    CHECK_THROWS_AS(emitter_for(missing), std::logic_error);
    CHECK_THROWS_AS(parser_for(missing), std::logic_error);
    CHECK_THROWS_AS(mac_table_parser_for(missing), std::logic_error);
    CHECK_THROWS_AS(redact_config(missing, "x", HashKey{}), std::logic_error);
    CHECK_THROWS_AS(change_writer_for(missing), std::logic_error);
    CHECK_THROWS_AS(simulated_device(missing, ""), std::logic_error);
}
