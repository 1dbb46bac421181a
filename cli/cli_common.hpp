#pragma once
// Helpers every command shares: --format, loading a policy and printing its diagnostics,
// colour only on a terminal and never with NO_COLOR, writing output files atomically.

#include <optional>
#include <string>

#include "model/policy.hpp"

namespace CLI {
class App;
}

namespace microseg::cli {

enum class OutputFormat { text, json };

// Adds `--format text|json` to a subcommand.
void add_format_option(CLI::App* command, OutputFormat& format);

// Compiles the policy at `path`; prints diagnostics (with source line and caret) to stderr.
// Returns the policy, or nothing when it has errors. `quiet_warnings` hides lint warnings.
std::optional<Policy> load_policy(const std::string& path, bool quiet_warnings = false);

// ANSI colour for stream `fd` (1 or 2): a terminal and NO_COLOR unset.
bool colour_enabled(int fd);
std::string paint(int fd, std::string_view ansi_code, std::string_view text);

// Prints to stderr "microseg: error: <message>".
void print_error(std::string_view message);

}  // namespace microseg::cli
