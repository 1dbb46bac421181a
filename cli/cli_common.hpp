#pragma once
// Helpers every command shares: --format, loading a policy and printing its diagnostics,
// colour only on a terminal and never with NO_COLOR, writing output files atomically.

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "compiler/compiler.hpp"
#include "model/diagnostic.hpp"
#include "model/policy.hpp"

namespace CLI {
class App;
}

namespace microseg::cli {

// Adds `--format NAME` to a subcommand, NAME one of `allowed` in any case: `format` holds it as
// spelled in `allowed`, or `fallback` when the flag is absent. Any other NAME is a usage error
// (exit 2). Every command's --format comes from here.
void add_format_option(CLI::App* command, std::string& format, std::initializer_list<std::string_view> allowed,
                       std::string_view fallback);

// Adds `--at YYYY-MM-DD` to a command that reads a policy: the policy is read as of that day
// (UTC), so a flow whose `expires` is before it is left out (CompileOptions::today). Absent:
// today. A value that is not a real date is a usage error (exit 2). Every such command's --at
// comes from here.
void add_at_option(CLI::App* command, CompileOptions& options);

// A compiled policy, or the exit code of a command that cannot go on without it.
struct LoadedPolicy {
    std::optional<Policy> policy;  // set only when the policy has no errors
    // 2 (kExitUsage) when the file cannot be read, 1 (kExitFindings) when the policy has
    // errors (YAML syntax included, as `microseg check`), 0 with a policy.
    int exit_code = 0;
    Diagnostics diagnostics;  // errors and lint warnings, already printed

    explicit operator bool() const { return policy.has_value(); }
    Policy& operator*() { return *policy; }
    Policy* operator->() { return &*policy; }
};

// Compiles the policy at `path` and prints each diagnostic once (with source line and caret)
// to stderr. Every command that reads a policy uses it, so that all agree on exit codes and
// output. `quiet_warnings` hides lint warnings, but not expired-flow: a flow left out changes
// what the command computes.
LoadedPolicy load_policy(const std::string& path, const CompileOptions& options, bool quiet_warnings = false);

// Prints a compile's diagnostics to stderr for a person, repeated warnings grouped
// (group_repeated_warnings in model/diagnostic.hpp).
void print_diagnostics(const CompileResult& result, bool quiet_warnings = false);

// ANSI colour for stream `fd` (1 or 2): a terminal and NO_COLOR unset.
bool colour_enabled(int fd);
std::string paint(int fd, std::string_view ansi_code, std::string_view text);

// Prints to stderr "microseg: error: <message>".
void print_error(std::string_view message);

}  // namespace microseg::cli
