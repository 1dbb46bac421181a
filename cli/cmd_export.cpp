// Placeholder until `microseg export mud` lands (issue 23).
#include <CLI/CLI.hpp>

namespace microseg::cli {

void attach_export(CLI::App&, int&) {}

}  // namespace microseg::cli
