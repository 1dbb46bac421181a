#pragma once
// MAC address tables as switches print them: Cisco IOS-XE / Arista EOS `show mac
// address-table`, Junos `show ethernet-switching table` (ELS and the older EX format) and
// Linux `bridge fdb show`. Each parser turns the text into the same list of entries (MAC,
// VLAN, port), for the placement audit (audit/placement/placement.hpp). Like the config parsers
// (model/as_built.hpp) they never fail on content: a line they cannot read becomes a
// counted warning with its line number.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "model/as_built.hpp"
#include "model/platform.hpp"

namespace microseg {

// A 48-bit MAC address.
struct MacAddress {
    std::array<std::uint8_t, 6> bytes{};
    auto operator<=>(const MacAddress&) const = default;
    // The group bit: multicast and broadcast addresses are never a device.
    bool is_multicast() const { return (bytes[0] & 0x01) != 0; }
    bool is_zero() const { return bytes == std::array<std::uint8_t, 6>{}; }
    std::string str() const;  // "aa:bb:cc:dd:ee:ff"
};

// aa:bb:cc:dd:ee:ff, aa-bb-cc-dd-ee-ff, aabb.ccdd.eeff, aabbccddeeff, in either case.
std::optional<MacAddress> parse_mac_address(std::string_view text);

// One learned or configured address.
struct MacEntry {
    MacAddress mac;
    std::optional<int> vlan;  // the VLAN id, when the table prints one
    std::string vlan_name;    // Junos prints VLAN names; resolved against the policy later
    std::string port;         // as printed: "Gi1/0/7", "Et12", "ge-0/0/3.0", "eth2"
    bool is_static = false;
    int line = 0;
};

struct MacTable {
    std::vector<MacEntry> entries;
    std::vector<ParseWarning> warnings;  // lines that were not understood
    std::size_t skipped_lines = 0;       // understood and not needed: headers, CPU, flood entries
};

using MacTableParser = MacTable (*)(std::string_view text);

// IOS-XE and EOS share one format (EOS adds Moves / Last Move columns).
MacTable parse_ios_mac_table(std::string_view text);
MacTable parse_junos_mac_table(std::string_view text);
MacTable parse_bridge_fdb(std::string_view text);

// The parser for what `platform`'s MAC table command prints (nftables: a Linux bridge); every
// platform has one (a missing one is a programming error: std::logic_error).
MacTableParser mac_table_parser_for(PlatformId platform);

// Ports that are the switch itself, not a place where a device is plugged in: "CPU",
// "Router", "Switch", "sup-eth1", "Drop". Their entries are skipped.
bool is_internal_port(std::string_view port);

}  // namespace microseg

template <>
struct fmt::formatter<microseg::MacAddress> : fmt::formatter<std::string_view> {
    auto format(const microseg::MacAddress& m, format_context& ctx) const {
        return fmt::formatter<std::string_view>::format(m.str(), ctx);
    }
};
