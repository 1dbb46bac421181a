// microseg plan POLICY (--switch S RUNNING | --dir DIR [--switch S]... | live SSH flags)
//               [-o DIR] [--format text|json] [--at DATE]
// For each switch, the commands that take its running config to the intent without a state
// that opens or cuts anything (plan/), their rollback and the config after. With -o DIR it
// writes <switch>.plan, <switch>.rollback and <switch>.after.<ext> (atomically; secrets in the
// running config are redacted first, as in every saved copy).
// Exit 0 every switch holds the intent, 1 any plan, 2 usage, a switch that cannot be planned
// or read, or only findings on config microseg could not read.
#include <filesystem>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "audit/fetch/fetch_pool.hpp"
#include "audit/fetch/file_source.hpp"
#include "audit/parse/redact.hpp"
#include "cli/audit_output.hpp"
#include "cli/cli_common.hpp"
#include "cli/commands.hpp"
#include "cli/plan_output.hpp"
#include "cli/ssh_flags.hpp"
#include "model/config_file.hpp"
#include "model/file_io.hpp"

namespace microseg::cli {
namespace {

namespace fs = std::filesystem;

struct PlanArgs {
    std::string policy;
    CompileOptions at;
    std::vector<std::string> switches;
    std::string running_file;
    std::string dir;
    bool live = false;
    SshFlags ssh;
    std::string out_dir;
    std::string format;
};

// What to plan for `sw` from a config text: redacted, or why it cannot be planned.
PlanRequest request_of(const Switch& sw, const Result<std::string>& text, std::string source, const HashKey& key) {
    PlanRequest r{&sw, {}, std::move(source), std::nullopt};
    if (!text)
        r.error = text.error().message;
    else if (!has_end_marker(sw.platform_info(), *text))
        r.error = fmt::format("incomplete: does not end with '{}'", sw.platform_info().config_end_marker);
    else
        r.running_text = redact_config(sw.platform, *text, key).text;
    return r;
}

// Every selected switch's running config over SSH, as the audit fetches it (a switch without
// an address is not fetched: its request says why).
std::vector<PlanRequest> fetch_live(const std::vector<const Switch*>& switches, const SshOptions& options, int jobs,
                                    const HashKey& key) {
    std::vector<PlanRequest> out(switches.size());
    std::vector<FetchTarget> targets;
    std::vector<std::size_t> request_of_target;
    for (std::size_t i = 0; i < switches.size(); ++i) {
        const Switch& sw = *switches[i];
        out[i] = {&sw, {}, "no address", "no management address (`address:`) in the policy"};
        if (sw.address.empty()) continue;
        targets.push_back({sw.name, sw.address, sw.ssh_port, sw.user, sw.platform});
        request_of_target.push_back(i);
    }
    SshSource source(options);
    fetch_each(source, targets, jobs, [&](std::size_t t, FetchResult&& fetched) {
        const std::size_t i = request_of_target[t];
        auto where = fmt::format("ssh://{}:{}", targets[t].address, targets[t].port);
        if (!fetched.ok())
            out[i] = {switches[i], {}, where, fmt::format("{}: {}", fetched.not_audited().kind, fetched.not_audited().reason)};
        else
            out[i] = request_of(*switches[i], fetched.config().text, where, key);
    });
    return out;
}

std::vector<PlanRequest> read_files(const std::vector<const Switch*>& switches, const PlanArgs& a, const HashKey& key) {
    std::vector<PlanRequest> out;
    SavedFileDirectory saved(a.dir);
    for (const Switch* sw : switches) {
        std::optional<std::string> path = a.running_file;
        if (a.running_file.empty())
            path = saved.find(sw->name, {std::string(sw->platform_info().extension), "", "cfg", "conf", "txt"});
        if (path)
            out.push_back(request_of(*sw, read_text_file(*path), *path, key));
        else
            out.push_back({sw, {}, a.dir, fmt::format("no saved config for {} in {}", sw->name, a.dir)});
    }
    return out;
}

// <stem>.plan, <stem>.rollback, <stem>.after.<ext> for every switch with a plan.
Result<std::vector<std::string>> write_plans(const Policy& policy, const std::vector<SwitchPlan>& plans, const std::string& dir) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) return make_error(fmt::format("cannot create {}: {}", dir, ec.message()));
    AtomicFileBatch batch;
    std::vector<std::string> written;
    for (const auto& p : plans) {
        if (p.error || p.change.steps.empty()) continue;
        const Switch& sw = *policy.find_switch(p.switch_name);
        const auto stem = fmt::format("{}/{}", dir, config_file_stem(sw.name));
        const std::pair<std::string, std::string> files[] = {
            {stem + ".plan", plan_file_text(sw, p.change, "plan")},
            {stem + ".rollback", plan_file_text(sw, p.rollback, "rollback")},
            {fmt::format("{}.after.{}", stem, sw.platform_info().extension), p.after_text},
        };
        for (const auto& [path, text] : files) {
            if (auto staged = batch.stage(path, text, 0600); !staged) return staged.error();
            written.push_back(path);
        }
    }
    if (auto committed = batch.commit(); !committed) return committed.error();
    return written;
}

int run_plan(const PlanArgs& a) {
    const int sources = !a.running_file.empty() + !a.dir.empty() + a.live;
    if (sources != 1) {
        print_error("give one of: --switch S RUNNING_FILE, --dir DIR, or --live (with the SSH flags)");
        return kExitUsage;
    }
    if (!a.running_file.empty() && a.switches.size() != 1) {
        print_error("a RUNNING_FILE needs exactly one --switch S to say which switch it is");
        return kExitUsage;
    }
    if (!a.dir.empty() && !fs::is_directory(a.dir)) {
        print_error(fmt::format("{}: not a directory", a.dir));
        return kExitUsage;
    }
    auto policy = load_policy(a.policy, a.at, /*quiet_warnings=*/true);
    if (!policy) return policy.exit_code;
    auto switches = select_switches(*policy, a.switches, a.policy);
    if (!switches) return kExitUsage;
    auto key = redaction_key_or_error();
    if (!key) return kExitUsage;
    std::vector<PlanRequest> requests;
    if (a.live) {
        auto options = ssh_options_or_error(a.ssh);
        if (!options) return kExitUsage;
        requests = fetch_live(*switches, *options, a.ssh.jobs, *key);
    } else {
        requests = read_files(*switches, a, *key);
    }
    const auto plans = plan_switches(*policy, requests);
    std::vector<std::string> written;
    if (!a.out_dir.empty()) {
        auto w = write_plans(*policy, plans, a.out_dir);
        if (!w) {
            print_error(w.error().message);
            return kExitUsage;
        }
        written = std::move(*w);
    }
    fmt::print("{}", a.format == "json" ? render_plans_json(plans) : render_plans_text(plans, written));
    return plans_exit_code(plans);
}

}  // namespace

void attach_plan(CLI::App& app, int& exit_code) {
    auto args = std::make_shared<PlanArgs>();
    auto* cmd = app.add_subcommand("plan", "the safe change from each switch's running config to the intent, "
                                           "with its proof, rollback and the config after");
    cmd->add_option("POLICY", args->policy, "policy file")->required();
    add_at_option(cmd, args->at);
    cmd->add_option("RUNNING_FILE", args->running_file, "the running config of --switch");
    cmd->add_option("--switch", args->switches, "only this switch (repeat for several)")
        ->allow_extra_args(false);  // "--switch S RUNNING_FILE": the file is the positional
    cmd->add_option("--dir", args->dir, "a directory of running configs, matched to switches by name");
    cmd->add_flag("--live", args->live, "fetch each switch's running config over SSH, as the audit does");
    add_ssh_flags(cmd, args->ssh);
    cmd->add_option("-o,--output", args->out_dir, "write <switch>.plan, .rollback and .after.<ext> here");
    add_format_option(cmd, args->format, {"text", "json"}, "text");
    cmd->callback([args, &exit_code] { exit_code = run_plan(*args); });
}

}  // namespace microseg::cli
