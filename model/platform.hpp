#pragma once
// The one table of platforms. Emitters and audit parsers key their own tables on PlatformId;
// adding a platform starts here.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

namespace microseg {

enum class PlatformId : std::uint8_t { cisco_ios, arista_eos, junos, nftables };

// How the auditor reads a device's configuration.
enum class FetchMode : std::uint8_t {
    interactive_shell,  // PTY shell: wait for the prompt, send commands, read to the prompt
    exec,               // one exec channel per command, read to end of file
};

struct Platform {
    PlatformId id;
    std::string_view name;       // as written in a policy: "cisco-ios"
    std::string_view display;    // "Cisco IOS-XE"
    std::string_view extension;  // of emitted and saved configs: "ios"
    int default_ace_budget;      // TCAM entries an access switch of this kind can hold
    FetchMode fetch_mode;
    std::vector<std::string_view> setup_commands;  // sent first, e.g. "terminal length 0"
    std::string_view config_command;               // prints the running configuration
    std::string_view config_end_marker;            // last line of a complete config ("end"), or empty
    std::string_view comment_prefix;               // how the platform writes a comment line
    std::string_view mac_table_command;            // prints the MAC address table (placement audit)
    // The name its configs give a policy VLAN (model/naming.hpp), written and expected alike.
    std::string (*vlan_name)(int vlan_id, std::string_view intent_name);
    // Replies pass by connection tracking; otherwise the gateway's ACL must permit them
    // statelessly, and a UDP server class can then reach its clients' high ports.
    bool conntrack;
};

const std::vector<Platform>& platforms();
const Platform& platform(PlatformId id);
const Platform* find_platform(std::string_view name);
// "cisco-ios, arista-eos, junos, nftables": for error messages and help texts.
std::string platform_names();

// The registries of the other folders (emitters, config parsers, MAC-table parsers, redaction
// rules) are tables of these, one row per platform. Every platform has a row in each; a missing
// one is a programming error: platform_entry throws std::logic_error naming the piece and the
// platform, and tests/platform_table_test.cpp walks the platform table so none ships missing.
template <class T>
struct PlatformEntry {
    PlatformId platform;
    T value;
};

[[noreturn]] void throw_missing_platform_entry(PlatformId id, std::string_view piece);

template <class T, std::size_t N>
const T& platform_entry(const PlatformEntry<T> (&table)[N], PlatformId id, std::string_view piece) {
    for (const auto& row : table)
        if (row.platform == id) return row.value;
    throw_missing_platform_entry(id, piece);
}

}  // namespace microseg

template <>
struct fmt::formatter<microseg::PlatformId> : fmt::formatter<std::string_view> {
    auto format(microseg::PlatformId id, format_context& ctx) const {
        return fmt::formatter<std::string_view>::format(microseg::platform(id).name, ctx);
    }
};
