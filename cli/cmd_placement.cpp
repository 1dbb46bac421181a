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
#include <yaml-cpp/yaml.h>

#include "audit/fetch/fetch_pool.hpp"
#include "audit/fetch/file_source.hpp"
#include "audit/fetch/ssh_source.hpp"
#include "audit/placement/placement.hpp"
#include "cli/cli_common.hpp"
#include "cli/commands.hpp"
#include "cli/ssh_flags.hpp"
#include "model/file_io.hpp"

namespace microseg::cli {
namespace {

namespace fs = std::filesystem;

struct PlacementArgs {
    std::string policy;
    CompileOptions at;  // --at
    std::string inventory;
    std::string columns;    // --columns: the inventory is a NAC export
    std::string class_map;  // --class-map: NAC profile -> class
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

// Prints the inventory's diagnostics with the offending line; true when it has errors.
bool report_inventory(const Diagnostics& diags, std::string_view text) {
    std::vector<std::string_view> lines;
    for (std::size_t start = 0; start <= text.size();) {
        auto nl = text.find('\n', start);
        lines.push_back(text.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start));
        if (nl == std::string_view::npos) break;
        start = nl + 1;
    }
    for (const auto& d : diags.items()) {
        auto n = static_cast<std::size_t>(d.location.line);
        fmt::print(stderr, "{}\n", format_diagnostic(d, n >= 1 && n <= lines.size() ? lines[n - 1] : std::string_view()));
    }
    return diags.has_errors();
}

void class_map_error(const std::string& file, const YAML::Mark& mark, std::string_view message) {
    if (mark.line < 0) fmt::print(stderr, "{}: error: {}\n", file, message);  // e.g. an empty file
    else fmt::print(stderr, "{}:{}:{}: error: {}\n", file, mark.line + 1, mark.column + 1, message);
}

// --class-map: a YAML mapping of NAC profile -> policy class; every class must be the policy's.
bool load_class_map(const std::string& file, const Policy& policy, std::map<std::string, std::string>& out) {
    auto text = read_text_file(file);
    if (!text) {
        print_error(format_diagnostic(text.error()));
        return false;
    }
    YAML::Node root;
    try {
        root = YAML::Load(*text);
    } catch (const YAML::Exception& e) {
        class_map_error(file, e.mark, e.msg);
        return false;
    }
    if (!root.IsMap()) {
        class_map_error(file, root.Mark(), "a class map is a mapping of NAC profile: class");
        return false;
    }
    for (const auto& item : root) {
        if (!item.first.IsScalar() || !item.second.IsScalar()) {
            class_map_error(file, item.first.Mark(), "each entry is \"NAC profile\": class");
            return false;
        }
        auto cls = item.second.as<std::string>();
        if (!policy.find_class(cls)) {
            class_map_error(file, item.second.Mark(), fmt::format("'{}' is not a class of the policy", cls));
            return false;
        }
        out[item.first.as<std::string>()] = cls;
    }
    return true;
}

// The inventory, plain or (with --columns) a NAC export read through its column map; nothing
// on a usage error, already reported.
std::optional<Inventory> read_inventory(const PlacementArgs& a, const Policy& policy) {
    auto text = read_text_file(a.inventory);
    if (!text) {
        print_error(format_diagnostic(text.error()));
        return std::nullopt;
    }
    Diagnostics diags;
    Inventory inventory;
    if (a.columns.empty()) {
        inventory = parse_inventory(*text, a.inventory, policy, diags);
    } else {
        auto map = parse_column_map(a.columns);
        if (auto* why = std::get_if<std::string>(&map)) {
            print_error(fmt::format("--columns: {}", *why));
            return std::nullopt;
        }
        auto& columns = std::get<InventoryColumnMap>(map);
        if (!a.class_map.empty() && !load_class_map(a.class_map, policy, columns.class_map)) return std::nullopt;
        inventory = parse_mapped_inventory(*text, a.inventory, policy, columns, diags);
    }
    if (report_inventory(diags, *text)) return std::nullopt;
    return inventory;
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
    auto inventory = read_inventory(a, *policy);
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
    cmd->add_option("--inventory", a->inventory, "CSV of mac,ip,class[,name], or a NAC export with --columns")->required();
    auto* columns = cmd->add_option("--columns", a->columns,
                                    "the inventory is a NAC export: its header's columns, mac=COL,class=COL[,ip=COL][,name=COL]");
    cmd->add_option("--class-map", a->class_map, "YAML mapping of NAC profile -> class (with --columns)")->needs(columns);
    cmd->add_option("--macs", a->macs_dir, "directory of saved MAC tables, <switch>.txt; without it, fetch them over SSH");
    cmd->add_option("--switch", a->switches, "only these switches (repeatable)");
    add_format_option(cmd, a->format, {"text", "json"}, "text");
    add_ssh_flags(cmd, a->ssh);
    cmd->callback([a, &exit_code] { exit_code = run_placement(*a); });
}

}  // namespace microseg::cli
