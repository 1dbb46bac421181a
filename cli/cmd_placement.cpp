// microseg placement POLICY --inventory FILE.csv (--macs DIR | live over SSH) [--switch S]...
//                    [--format text|json] [--user U] [--identity KEY] [--known-hosts F]
//                    [--accept-new] [--jobs N] [--timeout S]
//                    [--columns mac=COL,class=COL[,ip=COL][,name=COL] [--class-map FILE.yaml]]
// Are the right devices in the right VLANs? Joins MAC address tables with the inventory and
// judges each device against the policy's ports and VLANs (audit/placement/placement.hpp).
#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "audit/fetch/fetch_pool.hpp"
#include "audit/fetch/file_source.hpp"
#include "audit/fetch/ssh_source.hpp"
#include "audit/placement/placement.hpp"
#include "cli/cli_common.hpp"
#include "cli/commands.hpp"
#include "cli/inventory_flags.hpp"
#include "cli/ssh_flags.hpp"
#include "model/file_io.hpp"

namespace microseg::cli {
namespace {

namespace fs = std::filesystem;

struct PlacementArgs {
    std::string policy;
    CompileOptions at;  // --at
    InventoryFlags inventory;
    std::string macs_dir;
    std::vector<std::string> switches;
    std::string format;
    SshFlags ssh;
};

// The saved table of `sw` in `dir`: <name>.txt, <name>.mac, <name>.macs, <name>.
std::optional<std::string> find_mac_table(SavedFileDirectory& dir, const Switch& sw) {
    return dir.find(sw.name, {"txt", "mac", "macs", ""});
}

SwitchMacTable parsed(const Switch& sw, std::string source, std::string_view text) {
    SwitchMacTable t{sw.name, std::move(source), mac_table_parser_for(sw.platform)(text), {}, {}, true};
    return t;
}

SwitchMacTable not_read(const Switch& sw, std::string source, std::string reason, bool required = true) {
    return SwitchMacTable{sw.name, std::move(source), std::nullopt, std::move(reason), {}, required};
}

std::vector<SwitchMacTable> tables_from_dir(const std::string& dir, const std::vector<const Switch*>& switches,
                                            bool named) {
    std::vector<SwitchMacTable> out;
    SavedFileDirectory saved(dir);
    for (const Switch* sw : switches) {
        auto path = find_mac_table(saved, *sw);
        if (!path) {
            out.push_back(not_read(*sw, dir, fmt::format("no MAC table for {} in {}", sw->name, dir), named));
            continue;
        }
        auto text = read_text_file(*path);
        if (!text) out.push_back(not_read(*sw, *path, text.error().message));
        else out.push_back(parsed(*sw, *path, *text));
    }
    return out;
}

std::vector<SwitchMacTable> tables_over_ssh(const PlacementArgs& a, const SshOptions& options,
                                            const std::vector<const Switch*>& switches) {
    std::vector<FetchTarget> targets;
    for (const Switch* sw : switches)
        targets.push_back(FetchTarget{sw->name, sw->address, sw->ssh_port, sw->user, sw->platform, FetchContent::mac_table});
    SshSource source(options);
    ProgressFn progress;
    if (::isatty(2)) progress = [](const FetchProgress& p) { fmt::print(stderr, "\r{}\x1b[K", progress_line(p)); };
    auto results = fetch_all(source, targets, a.ssh.jobs, progress);
    if (progress) fmt::print(stderr, "\n");
    std::vector<SwitchMacTable> out;
    for (std::size_t i = 0; i < results.size(); ++i) {
        const Switch& sw = *switches[i];
        std::string where = fmt::format("ssh {}:{}", sw.address, sw.ssh_port);
        if (sw.address.empty()) {
            out.push_back(not_read(sw, where, "no address in the policy"));
        } else if (!results[i].ok()) {
            const auto& n = results[i].not_audited();
            out.push_back(not_read(sw, where, fmt::format("{}: {}", n.kind, n.reason)));
        } else {
            out.push_back(parsed(sw, where, results[i].config().text));
            out.back().notes = results[i].config().notes;
        }
    }
    return out;
}

std::optional<std::vector<const Switch*>> selected_switches(const Policy& policy, const PlacementArgs& a) {
    std::vector<const Switch*> out;
    for (const auto& name : a.switches) {
        const Switch* sw = policy.find_switch(name);
        if (!sw) {
            print_error(fmt::format("no switch '{}' in {}", name, a.policy));
            return std::nullopt;
        }
        out.push_back(sw);
    }
    if (a.switches.empty())
        for (const auto& sw : policy.switches()) out.push_back(&sw);
    return out;
}

int run_placement(const PlacementArgs& a) {
    if (!a.macs_dir.empty() && !fs::is_directory(a.macs_dir)) {
        print_error(fmt::format("{}: not a directory", a.macs_dir));
        return kExitUsage;
    }
    auto policy = load_policy(a.policy, a.at, /*quiet_warnings=*/true);
    if (!policy) return policy.exit_code;
    auto inventory = read_inventory(a.inventory, *policy);
    if (!inventory) return kExitUsage;
    auto switches = selected_switches(*policy, a);
    if (!switches) return kExitUsage;
    std::optional<SshOptions> ssh;  // live over SSH without --macs
    if (a.macs_dir.empty()) {
        ssh = ssh_options_or_error(a.ssh);
        if (!ssh) return kExitUsage;
    }
    auto tables = ssh ? tables_over_ssh(a, *ssh, *switches) : tables_from_dir(a.macs_dir, *switches, !a.switches.empty());
    if (std::none_of(tables.begin(), tables.end(), [](const SwitchMacTable& t) { return t.table.has_value(); }) &&
        !a.macs_dir.empty()) {
        print_error(fmt::format("no MAC table for any switch of {} in {} (expected <switch>.txt)", a.policy, a.macs_dir));
        return kExitUsage;
    }
    auto report = analyse_placement(*policy, *inventory, tables);
    if (a.format == "json") fmt::print("{}", render_placement_json(report));
    else fmt::print("{}", render_placement_text(report, colour_enabled(1)));
    return report.exit_code();
}

}  // namespace

void attach_placement(CLI::App& app, int& exit_code) {
    auto a = std::make_shared<PlacementArgs>();
    auto* cmd = app.add_subcommand("placement", "are the right devices in the right VLANs (MAC tables + inventory)");
    cmd->add_option("POLICY", a->policy, "policy file")->required();
    add_at_option(cmd, a->at);
    add_inventory_flags(cmd, a->inventory, /*required=*/true);
    cmd->add_option("--macs", a->macs_dir, "directory of saved MAC tables, <switch>.txt; without it, fetch them over SSH");
    cmd->add_option("--switch", a->switches, "only these switches (repeatable)");
    add_format_option(cmd, a->format, {"text", "json"}, "text");
    add_ssh_flags(cmd, a->ssh);
    cmd->callback([a, &exit_code] { exit_code = run_placement(*a); });
}

}  // namespace microseg::cli
