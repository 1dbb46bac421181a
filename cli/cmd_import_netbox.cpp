// microseg import netbox --devices F --prefixes F --vlans F --interfaces F [--map MAP.yaml]
// [-o POLICY.yaml] [--name NAME] [--format text|json]: a policy skeleton from NetBox's REST
// API JSON (importers/netbox.hpp). Without -o the policy goes to stdout (text) or into the
// JSON summary. Exit 0 when written (unplaced items are warnings), 2 for bad input; the
// output file is written atomically and never on an error.
#include <memory>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/cli_common.hpp"
#include "cli/commands.hpp"
#include "importers/netbox.hpp"
#include "model/file_io.hpp"

namespace microseg::cli {
namespace {

struct NetboxOptions {
    importers::NetboxFiles files;
    std::string map;
    std::string output;
    std::string name = "netbox-import";
    std::string format;
};

void print_unplaced(const importers::NetboxImport& imported) {
    for (const auto& u : imported.unplaced)
        fmt::print(stderr, "microseg: warning: not placed: NetBox {} {} '{}': {}\n", u.object, u.id, u.name, u.reason);
    for (const auto& note : imported.notes) fmt::print(stderr, "microseg: warning: {}\n", note);
}

int run_import_netbox(const NetboxOptions& o) {
    importers::NetboxMap map;
    if (!o.map.empty()) {
        auto read = importers::read_netbox_map(o.map);
        if (!read) {
            print_error(format_diagnostic(read.error()));
            return kExitUsage;
        }
        map = std::move(*read);
    }
    auto imported = importers::import_netbox(o.files, map);
    if (!imported) {
        print_error(format_diagnostic(imported.error()));
        return kExitUsage;
    }
    std::string policy = importers::netbox_policy_text(*imported, o.name);
    if (!o.output.empty()) {
        if (auto done = write_file_atomically(o.output, policy); !done) {
            print_error(format_diagnostic(done.error()));
            return kExitUsage;
        }
    }
    print_unplaced(*imported);
    if (o.format == "json") {
        std::string summary = importers::netbox_summary_json(*imported);
        if (o.output.empty()) {  // the policy travels inside the summary
            auto doc = nlohmann::ordered_json::parse(summary);
            doc["policy"] = policy;
            summary = doc.dump(2) + "\n";
        }
        fmt::print("{}", summary);
    } else if (o.output.empty()) {
        fmt::print("{}", policy);
    } else {
        fmt::print("wrote {}: {} classes, {} switches, {} not placed\n", o.output, imported->classes.size(),
                   imported->switches.size(), imported->unplaced.size());
    }
    return kExitClean;
}

}  // namespace

void attach_import_netbox(CLI::App& import_cmd, int& exit_code) {
    auto o = std::make_shared<NetboxOptions>();
    CLI::App* cmd = import_cmd.add_subcommand("netbox", "a policy skeleton from NetBox REST API JSON");
    cmd->add_option("--devices", o->files.devices, "JSON of /api/dcim/devices/")->required();
    cmd->add_option("--prefixes", o->files.prefixes, "JSON of /api/ipam/prefixes/")->required();
    cmd->add_option("--vlans", o->files.vlans, "JSON of /api/ipam/vlans/")->required();
    cmd->add_option("--interfaces", o->files.interfaces, "JSON of /api/dcim/interfaces/")->required();
    cmd->add_option("--map", o->map, "YAML: roles, tags, switch_roles, platforms, gateways");
    cmd->add_option("-o,--output", o->output, "write the policy to FILE (atomically)");
    cmd->add_option("--name", o->name, "the policy's name (default netbox-import)");
    add_format_option(cmd, o->format, {"text", "json"}, "text");
    cmd->callback([o, &exit_code] { exit_code = run_import_netbox(*o); });
}

}  // namespace microseg::cli
