#include "cli/commands.hpp"

#include <CLI/CLI.hpp>

namespace microseg::cli {

// One line per command; each attach_* lives in cli/cmd_<name>.cpp.

const std::vector<Command>& commands() {
    static const std::vector<Command> table = {
    };
    return table;
}

}  // namespace microseg::cli
