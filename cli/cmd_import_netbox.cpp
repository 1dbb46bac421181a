// Placeholder until `microseg import netbox` lands (issue 23).
#include <CLI/CLI.hpp>

namespace microseg::cli {

void attach_import_netbox(CLI::App&, int&) {}

}  // namespace microseg::cli
