// microseg compile POLICY -o DIR [--platform P] [--switch S]: one configuration file per
// switch, DIR/<switch>.<ext>, written atomically. Only files microseg owns are replaced: an
// existing file whose first line is not a microseg header stops the command (exit 2).
// Exit 0 all written, 1 policy errors or a switch over its ACE budget or not renderable (no
// file for it), 2 usage, unknown switch/platform, unreadable policy or unwritable output.
#include <filesystem>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/cli_common.hpp"
#include "cli/commands.hpp"
#include "emitters/emitter.hpp"
#include "model/file_io.hpp"

namespace microseg::cli {
namespace {

struct CompileCmdOptions {
    std::string policy;
    std::string out_dir;
    std::string platform;
    std::string switch_name;
};

// True when `path` is absent or holds a microseg header on its first line.
bool owned_or_absent(const std::string& path) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) return true;
    auto text = read_text_file(path);
    if (!text) return false;
    return is_microseg_header(std::string_view(*text).substr(0, text->find('\n')));
}

std::vector<const Switch*> selected_switches(const Policy& policy, const CompileCmdOptions& o, int& exit_code) {
    std::vector<const Switch*> out;
    const Platform* platform = nullptr;
    if (!o.platform.empty() && !(platform = find_platform(o.platform))) {
        print_error(fmt::format("unknown platform '{}'; known: {}", o.platform, platform_names()));
        exit_code = kExitUsage;
        return out;
    }
    if (!o.switch_name.empty() && !policy.find_switch(o.switch_name)) {
        print_error(fmt::format("no switch named '{}' in the policy", o.switch_name));
        exit_code = kExitUsage;
        return out;
    }
    for (const auto& sw : policy.switches) {
        if (platform && sw.platform != platform->id) continue;
        if (!o.switch_name.empty() && sw.name != o.switch_name) continue;
        out.push_back(&sw);
    }
    return out;
}

// Renders and writes one switch; returns the exit code it contributes.
int compile_switch(const Policy& policy, const Switch& sw, const std::string& dir) {
    auto config = emitter_for(sw.platform).emit(policy, sw);
    if (!config) {
        print_error(config.error().message);
        return kExitFindings;
    }
    auto path = fmt::format("{}/{}", dir, config_file_name(sw));
    if (!owned_or_absent(path)) {
        print_error(fmt::format("{} exists and was not written by microseg; not replacing it", path));
        return kExitUsage;
    }
    if (auto written = write_file_atomically(path, config->text); !written) {
        print_error(fmt::format("{}: {}", path, written.error().message));
        return kExitUsage;
    }
    fmt::print("{}: wrote {} ({} of {} ACL entries)\n", sw.name, path, config->ace_count, sw.ace_budget());
    return kExitClean;
}

void run_compile(const CompileCmdOptions& o, int& exit_code) {
    auto policy = load_policy(o.policy, /*quiet_warnings=*/true);
    if (!policy) {
        exit_code = policy.exit_code;
        return;
    }
    auto switches = selected_switches(*policy, o, exit_code);
    if (exit_code != kExitClean) return;
    std::error_code ec;
    std::filesystem::create_directories(o.out_dir, ec);
    if (ec) {
        print_error(fmt::format("cannot create {}: {}", o.out_dir, ec.message()));
        exit_code = kExitUsage;
        return;
    }
    for (const auto* sw : switches) exit_code = std::max(exit_code, compile_switch(*policy, *sw, o.out_dir));
}

}  // namespace

void attach_compile(CLI::App& app, int& exit_code) {
    auto options = std::make_shared<CompileCmdOptions>();
    auto* cmd = app.add_subcommand("compile", "write each switch's configuration to DIR/<switch>.<ext>");
    cmd->add_option("POLICY", options->policy, "policy file")->required();
    cmd->add_option("-o,--output", options->out_dir, "output directory")->required();
    cmd->add_option("--platform", options->platform, "only switches of this platform");
    cmd->add_option("--switch", options->switch_name, "only this switch");
    cmd->callback([options, &exit_code] { run_compile(*options, exit_code); });
}

}  // namespace microseg::cli
