// Placeholder until `microseg import mud` lands (issue 23).
#include <CLI/CLI.hpp>

namespace microseg::cli {

void attach_import_mud(CLI::App&, int&) {}

}  // namespace microseg::cli
