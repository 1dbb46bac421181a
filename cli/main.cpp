// The microseg executable: parses flags and hands each command to its cli/cmd_<name>.cpp.
#include <CLI/CLI.hpp>

#include "cli/commands.hpp"

int main(int argc, char** argv) {
    CLI::App app{"microseg: micro-segmentation policy compiler and VLAN auditor"};
    app.require_subcommand(1);
    app.set_version_flag("--version", "microseg 0.1.0");
    int exit_code = 0;
    for (const auto& command : microseg::cli::commands()) command.attach(app, exit_code);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        int rc = app.exit(e);
        return rc == 0 ? 0 : microseg::cli::kExitUsage;
    }
    return exit_code;
}
