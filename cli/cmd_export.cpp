// microseg export mud POLICY --class C [-o FILE] [--mud-url URL] [--last-update T]: one class
// of the policy as an RFC 8520 MUD file (importers/mud.hpp). Exit 0 written, 1 policy errors,
// 2 usage (an unknown class, an unwritable file).
#include <memory>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/cli_common.hpp"
#include "cli/commands.hpp"
#include "importers/mud.hpp"
#include "model/file_io.hpp"

namespace microseg::cli {
namespace {

struct ExportMudOptions {
    std::string policy;
    CompileOptions at;
    std::string class_name;
    std::string output;
    std::string mud_url;
    std::string last_update;
};

int run_export_mud(const ExportMudOptions& o) {
    auto policy = load_policy(o.policy, o.at, /*quiet_warnings=*/true);
    if (!policy) return policy.exit_code;
    auto text = mud::export_mud(*policy, o.class_name, {o.mud_url, o.last_update});
    if (!text) {
        print_error(text.error().message);
        return kExitUsage;
    }
    if (o.output.empty()) {
        fmt::print("{}", *text);
        return kExitClean;
    }
    if (auto done = write_file_atomically(o.output, *text); !done) {
        print_error(format_diagnostic(done.error()));
        return kExitUsage;
    }
    return kExitClean;
}

}  // namespace

void attach_export(CLI::App& app, int& exit_code) {
    CLI::App* cmd = app.add_subcommand("export", "a class of the policy in another system's format");
    cmd->require_subcommand(1);
    auto options = std::make_shared<ExportMudOptions>();
    CLI::App* mud_cmd = cmd->add_subcommand("mud", "one class as an RFC 8520 MUD file");
    mud_cmd->add_option("POLICY", options->policy, "the policy file")->required();
    mud_cmd->add_option("--class", options->class_name, "the device class to describe")->required();
    mud_cmd->add_option("-o,--output", options->output, "write to FILE (atomically)");
    mud_cmd->add_option("--mud-url", options->mud_url, "the MUD URL (default: https://mud.example.com/POLICY/CLASS.json)");
    mud_cmd->add_option("--last-update", options->last_update,
                        "the last-update timestamp (RFC 3339; default: now), for reproducible files");
    add_at_option(mud_cmd, options->at);
    mud_cmd->callback([options, &exit_code] { exit_code = run_export_mud(*options); });
}

}  // namespace microseg::cli
