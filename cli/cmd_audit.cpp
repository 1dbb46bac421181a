// microseg audit POLICY [--switch S]... [--jobs N] [--user U] [--identity KEY] [--known-hosts FILE]
//                [--accept-new] [--timeout S] [--max-bytes N] [--save DIR] [--format text|json|sarif]
// The live drift audit: log in to every switch of the policy over SSH, fetch its running
// configuration and run the same per-switch audit as `microseg diff`. A device that could not
// be read is "not audited" with its reason, never clean and never drift.
// Exit 0 all clean, 1 any drift or policy errors, 2 any device not audited (or usage).
#include <unistd.h>

#include <cstdio>
#include <memory>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "audit/drift/switch_audit.hpp"
#include "audit/fetch/config_store.hpp"
#include "audit/fetch/fetch_pool.hpp"
#include "audit/fetch/ssh_source.hpp"
#include "cli/audit_output.hpp"
#include "cli/cli_common.hpp"
#include "cli/commands.hpp"
#include "cli/ssh_flags.hpp"

namespace microseg::cli {
namespace {

struct AuditArgs {
    std::string policy;
    CompileOptions at;  // --at
    std::vector<std::string> switches;
    SshFlags ssh;
    std::string save_dir;
    std::string format;
};

FetchTarget target_of(const Switch& sw) { return FetchTarget{sw.name, sw.address, sw.ssh_port, sw.user, sw.platform}; }

std::string source_of(const FetchTarget& t) {
    bool v6 = t.address.find(':') != std::string::npos;
    return v6 ? fmt::format("ssh://[{}]:{}", t.address, t.port) : fmt::format("ssh://{}:{}", t.address, t.port);
}

// One "[ 3/20] acc-sw-03 ok" line, rewritten in place; only when stderr is a terminal.
ProgressFn progress_printer() {
    if (::isatty(2) != 1) return {};
    return [](const FetchProgress& p) {
        fmt::print(stderr, "\r\x1b[K{}", progress_line(p));
        std::fflush(stderr);
    };
}

// Keeps a complete pull under --save; a failure to write is reported on the switch (and in
// `errors`, printed once the progress line is gone) and makes the run exit 2, but never hides
// the audit itself.
void save_config(const ConfigStore& store, const FetchTarget& t, const FetchResult& r,
                 std::vector<std::string>& notes, std::vector<std::string>& errors) {
    auto saved = store.save_if_complete(t, r);
    if (saved) return;
    auto message = fmt::format("not saved: {}", format_diagnostic(saved.error()));
    errors.push_back(fmt::format("{}: {}", t.name, message));
    notes.push_back(std::move(message));
}

// One switch's result from its fetch: the diff audit of the config, or the reason it could
// not be read. Transport notes (a newly recorded host key, pager prompts) travel with it.
SwitchAuditResult audit_fetched(const Policy& policy, const Switch& sw, const FetchTarget& t, const FetchResult& r,
                                const HashKey& key, std::vector<std::string> notes) {
    SwitchAuditResult result;
    if (r.ok()) {
        result = audit_switch_config(policy, sw, r.config().text, key, source_of(t));
        notes.insert(notes.begin(), r.config().notes.begin(), r.config().notes.end());
    } else {
        result = not_audited(sw, source_of(t), fmt::format("{}: {}", r.not_audited().kind, r.not_audited().reason));
    }
    result.notes = std::move(notes);
    return result;
}

int run_audit(const AuditArgs& a) {
    auto policy = load_policy(a.policy, a.at, /*quiet_warnings=*/true);
    if (!policy) return policy.exit_code;
    auto switches = select_switches(*policy, a.switches, a.policy);
    if (!switches) return kExitUsage;
    auto options = ssh_options_or_error(a.ssh);
    if (!options) return kExitUsage;
    auto key = redaction_key_or_error();
    if (!key) return kExitUsage;

    // Switches without a management address are not fetched at all.
    std::vector<FetchTarget> targets;
    std::vector<const Switch*> switch_of;  // per target
    for (const Switch* sw : *switches)
        if (!sw->address.empty()) {
            targets.push_back(target_of(*sw));
            switch_of.push_back(sw);
        }
    SshSource source(*options);
    std::optional<ConfigStore> store;
    if (!a.save_dir.empty()) store.emplace(a.save_dir, *key);
    std::vector<std::string> save_errors;
    // Each switch is saved and audited as soon as its config arrives, while the slower devices
    // are still being read.
    std::vector<std::optional<SwitchAuditResult>> audited(targets.size());
    auto progress = progress_printer();
    fetch_each(
        source, targets, a.ssh.jobs,
        [&](std::size_t i, FetchResult&& fetched) {
            std::vector<std::string> notes;
            if (store) save_config(*store, targets[i], fetched, notes, save_errors);
            audited[i] = audit_fetched(*policy, *switch_of[i], targets[i], fetched, *key, std::move(notes));
        },
        progress);
    if (progress) fmt::print(stderr, "\r\x1b[K");
    for (const auto& e : save_errors) print_error(e);

    std::vector<SwitchAuditResult> results;
    std::size_t next = 0;
    for (const Switch* sw : *switches) {
        if (sw->address.empty())
            results.push_back(not_audited(*sw, "no address", "no management address (`address:`) in the policy"));
        else
            results.push_back(std::move(*audited[next++]));
    }
    auto report = build_audit_report(*policy, std::move(results));
    print_audit_report(report, a.format);
    return save_errors.empty() ? report.exit_code() : kExitUsage;
}

}  // namespace

void attach_audit(CLI::App& app, int& exit_code) {
    auto args = std::make_shared<AuditArgs>();
    auto* cmd = app.add_subcommand("audit", "live drift audit: fetch every switch's running config over SSH");
    cmd->add_option("POLICY", args->policy, "policy file")->required();
    add_at_option(cmd, args->at);
    cmd->add_option("--switch", args->switches, "only this switch (repeat for several)");
    add_ssh_flags(cmd, args->ssh);
    cmd->add_option("--save", args->save_dir, "keep each complete config here, redacted, mode 0600");
    add_format_option(cmd, args->format, {"text", "json", "sarif"}, "text");
    cmd->callback([args, &exit_code] { exit_code = run_audit(*args); });
}

}  // namespace microseg::cli
