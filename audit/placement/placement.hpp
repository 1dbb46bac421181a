#pragma once
// audit/placement/: the placement audit: are the right devices in the right VLANs? It joins the
// switches' MAC tables (audit/parse/mac/mac_table.hpp) with the device inventory
// (audit/parse/mac/inventory.hpp) and judges each device against the policy:
// - on an access port of the policy, a device belongs when its class is the port's class;
// - on a port the policy does not list, when its class is one of the VLAN's classes;
// - a MAC learned on a trunk is ignored there: it is placed on the switch whose edge port
//   learned it, not on every switch its frames cross;
// - a MAC that the inventory does not list is "unknown": not known to be where it belongs.
// A device seen on several edge ports of one VLAN is counted once, judged by its worst
// sighting: an access port of another class (or, for an unknown MAC, of a life or phi class)
// before one of its own, any access port before a port the policy does not list.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "audit/parse/mac/inventory.hpp"
#include "audit/parse/mac/mac_table.hpp"
#include "model/policy.hpp"

namespace microseg {

// One switch's MAC table, or why there is none.
struct SwitchMacTable {
    std::string switch_name;
    std::string source;             // the file it was read from, or "ssh user@host:port"
    std::optional<MacTable> table;  // none: not read
    std::string not_read_reason;
    std::vector<std::string> notes;  // from the fetch (a newly recorded host key)
    bool required = true;            // false: a table the user did not collect (--macs DIR without it)
};

enum class Placement { placed, misplaced, unknown };

// A switch port (not a trunk) whose MAC table holds a device.
struct Sighting {
    std::string switch_name;
    std::string port;  // as the switch printed it
    int vlan = 0;
};
std::string_view to_string(Placement p);

struct PlacedDevice {
    MacAddress mac;
    int vlan = 0;
    std::string switch_name;
    std::string port;
    std::string port_class;              // the access port's class; empty: a port the policy does not list
    std::vector<std::string> expected;   // classes that belong there
    std::optional<InventoryDevice> device;  // none: unknown MAC
    Placement placement = Placement::unknown;
    std::string source;                  // file or device the entry came from
    int line = 0;
    std::size_t other_sightings = 0;     // further edge ports in the same VLAN that learned it
    // Misplaced and unknown devices: every other edge port, in any VLAN, that learned the MAC,
    // so whoever goes to fix it knows where else to look.
    std::vector<Sighting> seen_elsewhere;
    // An unknown MAC on an access port of a life-critical or PHI class: nobody can say what is
    // plugged into an infusion pump's port, which is a finding, not a statistic.
    bool critical_port = false;
};

struct VlanPlacement {
    int id = 0;
    bool in_policy = false;
    std::vector<std::string> classes;  // the policy's classes in this VLAN
    std::vector<PlacedDevice> devices;  // sorted by MAC
    std::map<std::string, std::size_t> by_class;  // inventory class, or "unknown"
    std::size_t placed = 0, misplaced = 0, unknown = 0;
    std::size_t critical_unknown = 0;  // unknown devices with critical_port
    std::string name() const;  // the classes joined with '+', or "not in the policy"
    double placed_share() const { return devices.empty() ? 1.0 : static_cast<double>(placed) / static_cast<double>(devices.size()); }
};

// What the audit saw of one switch.
struct SwitchPlacement {
    std::string name;
    std::string source;
    bool read = false;
    bool required = true;  // a switch whose table is missing from --macs DIR is "not checked", not a failure
    std::string not_read_reason;
    std::vector<std::string> notes;
    std::size_t entries = 0;         // device entries in the table
    std::size_t trunk_entries = 0;   // learned on a trunk: ignored
    std::size_t skipped_lines = 0;   // CPU, flood, multicast, headers
    std::vector<ParseWarning> warnings;  // lines the parser did not understand, and unresolved VLANs
};

struct PlacementReport {
    std::string policy_name;
    std::string inventory_file;
    std::size_t inventory_devices = 0;
    std::size_t inventory_seen = 0;    // inventory devices found in some VLAN
    std::vector<InventoryDevice> never_seen;  // inventory devices in no MAC table read (file order)
    bool column_mapped = false;               // the inventory was a NAC export read through --columns
    std::vector<UnmappedInventoryRow> unmapped;  // its rows placement could not use (file order)
    std::vector<SwitchPlacement> switches;  // policy order
    std::vector<VlanPlacement> vlans;        // by VLAN id
    std::size_t devices() const;
    std::size_t misplaced() const;
    std::size_t unknown() const;
    std::size_t critical_unknown() const;
    // 2 when a required switch's table could not be read, else 1 when any device is misplaced or
    // an unknown MAC sits on a port of a life or phi class, else 0.
    int exit_code() const;
};

PlacementReport analyse_placement(const Policy& policy, const Inventory& inventory,
                                  const std::vector<SwitchMacTable>& tables);

// The VLAN id of a Junos VLAN name: the policy's name for it (class names, or the emitter's
// "<classes>_<hash>"), "default" (1), or a trailing number ("vlan110", "v-110").
std::optional<int> resolve_vlan_name(const Policy& policy, std::string_view name);

// Renderers (audit/placement/render.cpp).
std::string render_placement_text(const PlacementReport& report, bool colour);
std::string render_placement_json(const PlacementReport& report);

}  // namespace microseg
