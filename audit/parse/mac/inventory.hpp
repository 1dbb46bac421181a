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
//
// A NAC export (Cisco ISE, Forescout, Claroty, Palo Alto IoT) is read as it comes through a
// column map (`placement --columns mac=MAC Address,class=Profile[,ip=..][,name=..]`): its first
// record is the header, matched to the map's names exactly, then ignoring case and blanks; a
// named column it lacks is an error. A profile that is not a class of the policy is translated
// through the class map (NAC profile -> class), else the row is unmapped. Unmapped rows (no
// class, no or unreadable MAC, a MAC listed twice) are not errors there: they are listed in
// Inventory::unmapped and placement goes on with the rest. The plain format stays strict.

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

// A row of a column-mapped inventory that placement could not use, and why.
struct UnmappedInventoryRow {
    int line = 0;
    std::string mac;      // as written
    std::string profile;  // the class column's value, as written
    std::string reason;
};

struct Inventory {
    std::string file;
    bool column_mapped = false;                      // read through a column map
    std::vector<UnmappedInventoryRow> unmapped;      // in file order (column-mapped only)
    std::vector<InventoryDevice> devices;            // in file order
    std::map<MacAddress, std::size_t> by_mac;        // index into devices
    const InventoryDevice* find(const MacAddress& mac) const;
};

// Parses the inventory; every problem goes to `diagnostics` as an error located at
// file:line (it stops after kMaxInventoryErrors). Also warns when a device's ip lies in
// another class's subnet: the inventory and the addressing plan disagree.
inline constexpr std::size_t kMaxInventoryErrors = 20;
Inventory parse_inventory(std::string_view text, const std::string& file, const Policy& policy, Diagnostics& diagnostics);

// The header names of a NAC export's columns (--columns) and its profile -> class map.
struct InventoryColumnMap {
    std::string mac, device_class;  // required
    std::string ip, name;           // empty: not read
    std::map<std::string, std::string> class_map;  // NAC profile -> policy class (--class-map)
};

// Parses "mac=MAC Address,class=Profile,ip=IP Address,name=Host Name" (keys mac, class, ip,
// name; mac and class required); the error message says what is wrong.
std::variant<InventoryColumnMap, std::string> parse_column_map(std::string_view spec);

// Reads a NAC export through `columns`. Errors (diagnostics, located at file:line): a column
// the map names that the header lacks, a broken quote; every other row problem is an unmapped
// row. An unreadable IP keeps the device without it, with a warning.
Inventory parse_mapped_inventory(std::string_view text, const std::string& file, const Policy& policy,
                                 const InventoryColumnMap& columns, Diagnostics& diagnostics);

// One CSV record's fields, or an error message ("unterminated quote").
std::variant<std::vector<std::string>, std::string> split_csv_record(std::string_view line);

}  // namespace microseg
