#pragma once
// cli/: the thin microseg executable. Each command lives in cli/cmd_<name>.cpp, declares its
// flags with CLI11, calls the libraries and prints; no logic of its own. Adding a command is
// one file and one line in the table in commands.cpp.

#include <functional>
#include <string_view>
#include <vector>

namespace CLI {
class App;
}

namespace microseg::cli {

inline constexpr int kExitClean = 0;     // nothing found
inline constexpr int kExitFindings = 1;  // policy errors, drift, new paths
inline constexpr int kExitUsage = 2;     // usage or runtime failure

struct Command {
    std::string_view name;
    // Adds the subcommand to `app`; its callback stores the exit code in `exit_code`.
    std::function<void(CLI::App& app, int& exit_code)> attach;
};

const std::vector<Command>& commands();

}  // namespace microseg::cli
