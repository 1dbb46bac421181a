#include "cli/commands.hpp"

#include <CLI/CLI.hpp>

namespace microseg::cli {

// One line per command; each attach_* lives in cli/cmd_<name>.cpp.
void attach_check(CLI::App& app, int& exit_code);
void attach_diff(CLI::App& app, int& exit_code);
void attach_paths(CLI::App& app, int& exit_code);
void attach_review(CLI::App& app, int& exit_code);
void attach_graph(CLI::App& app, int& exit_code);
void attach_verify(CLI::App& app, int& exit_code);
void attach_compile(CLI::App& app, int& exit_code);
void attach_audit(CLI::App& app, int& exit_code);
void attach_placement(CLI::App& app, int& exit_code);
void attach_report(CLI::App& app, int& exit_code);
void attach_plan(CLI::App& app, int& exit_code);
void attach_import(CLI::App& app, int& exit_code);
void attach_export(CLI::App& app, int& exit_code);
void attach_learn(CLI::App& app, int& exit_code);
void attach_simulate(CLI::App& app, int& exit_code);

const std::vector<Command>& commands() {
    static const std::vector<Command> table = {
        {"check", attach_check},
        {"diff", attach_diff},
        {"paths", attach_paths},
        {"review", attach_review},
        {"graph", attach_graph},
        {"verify", attach_verify},
        {"compile", attach_compile},
        {"plan", attach_plan},
        {"import", attach_import},
        {"export", attach_export},
        {"learn", attach_learn},
        {"simulate", attach_simulate},
        {"audit", attach_audit},
        {"placement", attach_placement},
        {"report", attach_report},
    };
    return table;
}

}  // namespace microseg::cli
