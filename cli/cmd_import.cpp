// microseg import mud|netbox ...: a policy skeleton from what exists (importers/). Each source
// is a subcommand of its own file.
#include <CLI/CLI.hpp>

#include "cli/commands.hpp"

namespace microseg::cli {

void attach_import_mud(CLI::App& import_cmd, int& exit_code);     // cli/cmd_import_mud.cpp
void attach_import_netbox(CLI::App& import_cmd, int& exit_code);  // cli/cmd_import_netbox.cpp

void attach_import(CLI::App& app, int& exit_code) {
    auto* cmd = app.add_subcommand("import", "a policy skeleton from MUD files or NetBox");
    cmd->require_subcommand(1);
    attach_import_mud(*cmd, exit_code);
    attach_import_netbox(*cmd, exit_code);
}

}  // namespace microseg::cli
