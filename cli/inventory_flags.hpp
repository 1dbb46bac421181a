#pragma once
// --inventory [--columns ... [--class-map F]]: a device inventory (plain CSV, or a NAC export
// read through a column map), as placement, learn and simulate take it.

#include <optional>
#include <string>

#include "audit/parse/mac/inventory.hpp"
#include "model/policy.hpp"

namespace CLI {
class App;
}

namespace microseg::cli {

struct InventoryFlags {
    std::string inventory;
    std::string columns;    // --columns: the inventory is a NAC export
    std::string class_map;  // --class-map: NAC profile -> class
};

void add_inventory_flags(CLI::App* cmd, InventoryFlags& flags, bool required);

// The inventory; nothing when it cannot be read or has errors (already printed, with the
// offending line).
std::optional<Inventory> read_inventory(const InventoryFlags& flags, const Policy& policy);

}  // namespace microseg::cli
