// microseg diff POLICY (--switch S FILE | --dir DIR [--switch S]) [--format text|json|sarif]
// Offline drift check against saved configs (a RANCID or Oxidized archive, `audit --save`).
#include <filesystem>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "audit/drift/switch_audit.hpp"
#include "audit/fetch/config_source.hpp"
#include "audit/fetch/file_source.hpp"
#include "cli/audit_output.hpp"
#include "cli/cli_common.hpp"
#include "cli/commands.hpp"
#include "model/every_core.hpp"
#include "model/file_io.hpp"

namespace microseg::cli {
namespace {

namespace fs = std::filesystem;

struct DiffArgs {
    std::string policy;
    CompileOptions at;  // --at
    std::string switch_name;
    std::string config_file;
    std::string dir;
    std::string format;
};

// The saved copy of `sw` in `dir`: <name>.<platform ext>, <name>, <name>.cfg/.conf/.txt.
std::optional<std::string> find_saved_config(SavedFileDirectory& dir, const Switch& sw) {
    return dir.find(sw.name, {std::string(sw.platform_info().extension), "", "cfg", "conf", "txt"});
}

SwitchAuditResult audit_file(const PolicyProbes& policy, const Switch& sw, const std::string& path, const HashKey& key) {
    auto text = read_text_file(path);
    if (!text) return not_audited(sw, path, text.error().message);
    // A file cut short reads as missing ports and ACLs (false outages): not audited, as --dir.
    if (!has_end_marker(sw.platform_info(), *text))
        return not_audited(sw, path, fmt::format("incomplete: does not end with '{}'", sw.platform_info().config_end_marker));
    return audit_switch_config(policy, sw, *text, key, path);
}

// One switch to audit: the file to read, or the reason it is not audited.
struct DiffJob {
    const Switch* sw = nullptr;
    std::string path;
    std::string not_audited_reason;  // set: no file to read
};

// Every job's audit, on all cores, in the jobs' order: audits only read the policy (and the
// probes shared through `probes`), and the 40 routers of a large network are most of a diff.
std::vector<SwitchAuditResult> audit_all(const PolicyProbes& probes, const std::vector<DiffJob>& jobs,
                                         const std::string& dir, const HashKey& key) {
    std::vector<SwitchAuditResult> out(jobs.size());
    on_every_core(jobs.size(), [&](std::size_t i) {
        const DiffJob& j = jobs[i];
        out[i] = j.not_audited_reason.empty() ? audit_file(probes, *j.sw, j.path, key)
                                              : not_audited(*j.sw, dir, j.not_audited_reason);
    });
    return out;
}

int run_diff(const DiffArgs& a) {
    if (a.dir.empty() == a.config_file.empty()) {
        print_error("give either --switch S CONFIG_FILE or --dir DIR");
        return kExitUsage;
    }
    if (!a.config_file.empty() && a.switch_name.empty()) {
        print_error("a CONFIG_FILE needs --switch S to say which switch it is");
        return kExitUsage;
    }
    if (!a.dir.empty() && !fs::is_directory(a.dir)) {
        print_error(fmt::format("{}: not a directory", a.dir));
        return kExitUsage;
    }
    auto policy = load_policy(a.policy, a.at, /*quiet_warnings=*/true);
    if (!policy) return policy.exit_code;
    std::vector<std::string> names;
    if (!a.switch_name.empty()) names.push_back(a.switch_name);
    auto switches = select_switches(*policy, names, a.policy);
    if (!switches) return kExitUsage;
    auto key = redaction_key_or_error();
    if (!key) return kExitUsage;
    std::vector<DiffJob> jobs;
    SavedFileDirectory saved(a.dir);
    for (const Switch* sw : *switches) {
        if (!a.config_file.empty()) {
            jobs.push_back({sw, a.config_file, ""});
        } else if (auto path = find_saved_config(saved, *sw)) {
            jobs.push_back({sw, *path, ""});
        } else {
            jobs.push_back({sw, "", fmt::format("no saved config for {} in {}", sw->name, a.dir)});
        }
    }
    PolicyProbes probes(*policy);
    auto report = build_audit_report(*policy, audit_all(probes, jobs, a.dir, *key));
    print_audit_report(report, a.format);
    return report.exit_code();
}

}  // namespace

void attach_diff(CLI::App& app, int& exit_code) {
    auto args = std::make_shared<DiffArgs>();
    auto* cmd = app.add_subcommand("diff", "offline drift check of saved configs against the policy");
    cmd->add_option("POLICY", args->policy, "policy file")->required();
    add_at_option(cmd, args->at);
    cmd->add_option("CONFIG_FILE", args->config_file, "a saved running config of --switch");
    cmd->add_option("--switch", args->switch_name, "the switch the config belongs to");
    cmd->add_option("--dir", args->dir, "a directory of saved configs, matched to switches by name");
    add_format_option(cmd, args->format, {"text", "json", "sarif"}, "text");
    cmd->callback([args, &exit_code] { exit_code = run_diff(*args); });
}

}  // namespace microseg::cli
