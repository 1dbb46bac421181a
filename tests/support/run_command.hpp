#pragma once
// Runs the microseg executable (or any program) for end-to-end tests: argv without a shell,
// stdout and stderr captured separately, the exit code returned.

#include <string>
#include <vector>

namespace microseg::testing {

struct CommandResult {
    int exit_code = -1;
    std::string out;
    std::string err;
    long max_rss_kb = 0;  // the child's peak resident set size (wait4), for memory bounds
};

// `env` holds extra "NAME=value" entries added to the inherited environment.
CommandResult run_command(const std::vector<std::string>& argv, const std::vector<std::string>& env = {});

// The day every test reads a policy as of (`--at`): before every example's expires date, so
// that no test changes with the calendar. tests/golden_test.cpp and `make golden` use the same.
inline constexpr const char* kPolicyDay = "2026-11-01";

// run_command with MICROSEG_EXE as argv[0].
CommandResult run_microseg(const std::vector<std::string>& args, const std::vector<std::string>& env = {});

}  // namespace microseg::testing
