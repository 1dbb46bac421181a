#pragma once
// The device inventory for the placement audit: a CSV of `mac,ip,class[,name]`, as an asset
// inventory or NAC exports it. Every class must be a class of the policy; errors are located
// at file:line.
//
// Format: comma separated, fields may be double-quoted ("" inside quotes is one quote);
// blank lines and lines starting with '#' are ignored; an optional header row names the
// columns (`mac`, `ip`, `class`, `name`, in any order; other columns are ignored); without a
// header the columns are mac, ip, class, name. The ip may be empty. MAC notations: see
// parse_mac_address (audit/parse/mac/mac_table.hpp).

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "audit/parse/mac/mac_table.hpp"
#include "model/diagnostic.hpp"
#include "model/ip.hpp"
#include "model/policy.hpp"

namespace microseg {

struct InventoryDevice {
    MacAddress mac;
    std::optional<IpAddress> ip;
    std::string device_class;
    std::string name;
    int line = 0;
};

struct Inventory {
    std::string file;
    std::vector<InventoryDevice> devices;            // in file order
    std::map<MacAddress, std::size_t> by_mac;        // index into devices
    const InventoryDevice* find(const MacAddress& mac) const;
};

// Parses the inventory; every problem goes to `diagnostics` as an error located at
// file:line (it stops after kMaxInventoryErrors). Also warns when a device's ip lies in
// another class's subnet: the inventory and the addressing plan disagree.
inline constexpr std::size_t kMaxInventoryErrors = 20;
Inventory parse_inventory(std::string_view text, const std::string& file, const Policy& policy, Diagnostics& diagnostics);

// One CSV record's fields, or an error message ("unterminated quote").
std::variant<std::vector<std::string>, std::string> split_csv_record(std::string_view line);

}  // namespace microseg
