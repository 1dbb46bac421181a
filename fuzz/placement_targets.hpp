#pragma once
// Harness targets for the placement audit's readers (fuzz/placement_targets.cpp): the MAC-table
// parsers (audit/parse/mac/mac_table.hpp) and the inventory CSV reader (audit/parse/mac/inventory.hpp). Registered
// in the table of fuzz/harness.cpp.

#include <string>
#include <string_view>

namespace microseg::fuzz {

// Parses the input as each MAC-table format (IOS/EOS, Junos, bridge fdb) and checks what every
// table must satisfy: entries are devices (unicast, non-zero MAC, VLAN 1-4094, a real port),
// come from the line they name, and print back in the same format to the same entries.
std::string run_mac_tables(std::string_view input);

// Reads the input as an inventory CSV against a fixed policy and checks the devices: unique
// MACs, known classes, located diagnostics, and that writing them back as CSV reads the same.
std::string run_inventory(std::string_view input);

}  // namespace microseg::fuzz
