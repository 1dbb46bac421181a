// microseg compile POLICY -o DIR [--platform P] [--switch S]: one configuration file per
// switch, DIR/<switch>.<ext>, each replaced atomically (rendered on every core, flushed to disk
// once); a file that already holds its config is left as it is. Only files microseg owns are
// replaced: an existing file whose first line is not a microseg header stops the command
// (exit 2).
// Exit 0 all written, 1 policy errors or a switch over its ACE budget or not renderable (no
// file for it), 2 usage, unknown switch/platform, unreadable policy or unwritable output.
#include <algorithm>
#include <filesystem>
#include <optional>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/cli_common.hpp"
#include "cli/commands.hpp"
#include "emitters/emitter.hpp"
#include "model/config_file.hpp"
#include "model/every_core.hpp"
#include "model/file_io.hpp"

namespace microseg::cli {
namespace {

struct CompileCmdOptions {
    std::string policy;
    CompileOptions at;  // --at
    std::string out_dir;
    std::string platform;
    std::string switch_name;
};

// What stands at a switch's output path: nothing, a file microseg wrote (and whether it already
// holds `text`), or someone else's file.
enum class ExistingFile { absent, ours_changed, ours_same, foreign };

ExistingFile existing_file(const std::string& path, std::string_view text) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) return ExistingFile::absent;
    auto old = read_text_file(path);
    if (!old || !find_header(*old)) return ExistingFile::foreign;
    return *old == text ? ExistingFile::ours_same : ExistingFile::ours_changed;
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
    for (const auto& sw : policy.switches()) {
        if (platform && sw.platform != platform->id) continue;
        if (!o.switch_name.empty() && sw.name != o.switch_name) continue;
        out.push_back(&sw);
    }
    return out;
}

// Every switch's configuration, rendered on all cores: emitters only read the policy, and
// rendering thousands of switches is most of `compile` on a health system.
std::vector<Result<EmittedConfig>> emit_all(const Policy& policy, const std::vector<const Switch*>& switches) {
    std::vector<std::optional<Result<EmittedConfig>>> slots(switches.size());
    on_every_core(switches.size(), [&](std::size_t i) {
        slots[i].emplace(emitter_for(switches[i]->platform).emit(policy, *switches[i]));
    });
    std::vector<Result<EmittedConfig>> out;
    out.reserve(slots.size());
    for (auto& slot : slots) out.push_back(std::move(*slot));
    return out;
}

// Stages one switch's file unless it already holds the config; returns the exit code it
// contributes and the line to print.
int stage_switch(const Switch& sw, const Result<EmittedConfig>& config, const std::string& dir,
                 AtomicFileBatch& batch, std::string& wrote) {
    if (!config) {
        print_error(config.error().message);
        return kExitFindings;
    }
    auto path = fmt::format("{}/{}", dir, config_file_name(sw));
    const ExistingFile existing = existing_file(path, config->text);
    if (existing == ExistingFile::foreign) {
        print_error(fmt::format("{} exists and was not written by microseg; not replacing it", path));
        return kExitUsage;
    }
    // An unchanged config keeps its file and modification time: what a deployment picks up by
    // date is then only what changed, and a recompile of thousands of switches writes nothing.
    if (existing == ExistingFile::ours_same) {
        wrote = fmt::format("{}: unchanged {} ({} of {} ACL entries)\n", sw.name, path, config->ace_count, sw.ace_budget());
        return kExitClean;
    }
    if (auto staged = batch.stage(path, config->text); !staged) {
        print_error(fmt::format("{}: {}", path, staged.error().message));
        return kExitUsage;
    }
    wrote = fmt::format("{}: wrote {} ({} of {} ACL entries)\n", sw.name, path, config->ace_count, sw.ace_budget());
    return kExitClean;
}

void run_compile(const CompileCmdOptions& o, int& exit_code) {
    auto policy = load_policy(o.policy, o.at, /*quiet_warnings=*/true);
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
    auto configs = emit_all(*policy, switches);
    AtomicFileBatch batch;
    std::string wrote;
    for (std::size_t i = 0; i < switches.size(); ++i) {
        std::string line;
        exit_code = std::max(exit_code, stage_switch(*switches[i], configs[i], o.out_dir, batch, line));
        wrote += line;
    }
    if (auto committed = batch.commit(); !committed) {
        print_error(committed.error().message);
        exit_code = kExitUsage;
        return;
    }
    fmt::print("{}", wrote);
}

}  // namespace

void attach_compile(CLI::App& app, int& exit_code) {
    auto options = std::make_shared<CompileCmdOptions>();
    auto* cmd = app.add_subcommand("compile", "write each switch's configuration to DIR/<switch>.<ext>");
    cmd->add_option("POLICY", options->policy, "policy file")->required();
    add_at_option(cmd, options->at);
    cmd->add_option("-o,--output", options->out_dir, "output directory")->required();
    cmd->add_option("--platform", options->platform, "only switches of this platform");
    cmd->add_option("--switch", options->switch_name, "only this switch");
    cmd->callback([options, &exit_code] { run_compile(*options, exit_code); });
}

}  // namespace microseg::cli
