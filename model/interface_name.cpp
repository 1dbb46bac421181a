#include "model/interface_name.hpp"

#include <fmt/format.h>

namespace microseg {
namespace {

std::string lower_ascii(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

bool all_digits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// "GigabitEthernet1/0/7" -> {"gigabitethernet", "1/0/7"}: the name before its first digit.
std::pair<std::string, std::string_view> split_interface(std::string_view name) {
    auto digit = name.find_first_of("0123456789");
    if (digit == std::string_view::npos) return {lower_ascii(name), {}};
    return {lower_ascii(name.substr(0, digit)), name.substr(digit)};
}

// "ge-0/0/3.0" -> "ge-0/0/3" when the configured name has no unit.
std::string_view without_unit(std::string_view seen, std::string_view configured) {
    auto dot = seen.rfind('.');
    if (dot == std::string_view::npos || configured.find('.') != std::string_view::npos) return seen;
    return all_digits(seen.substr(dot + 1)) ? seen.substr(0, dot) : seen;
}

// An interface kind: its full name as the running config prints it, and the abbreviation the
// device itself uses in `show` output.
struct InterfaceKind {
    std::string_view full;
    std::string_view abbreviation;
};

struct InterfaceNaming {
    std::vector<InterfaceKind> kinds;
    bool unit_zero_is_port = false;  // Junos: "ge-0/0/1.0" is the port "ge-0/0/1"
};

// The registry: one row per platform of model/platform.cpp. Names from Cisco's and Arista's
// interface command references (IOS-XE accepts any unambiguous prefix of a kind).
const InterfaceNaming& naming_of(PlatformId platform) {
    static const InterfaceNaming ios{{{"GigabitEthernet", "Gi"}, {"TenGigabitEthernet", "Te"},
                                      {"TwoGigabitEthernet", "Tw"}, {"TwentyFiveGigE", "Twe"},
                                      {"FiveGigabitEthernet", "Fi"}, {"FortyGigabitEthernet", "Fo"},
                                      {"HundredGigE", "Hu"}, {"FastEthernet", "Fa"}, {"Ethernet", "Eth"},
                                      {"AppGigabitEthernet", "Ap"}, {"Port-channel", "Po"}, {"Vlan", "Vl"},
                                      {"Loopback", "Lo"}, {"Tunnel", "Tu"}}};
    static const InterfaceNaming eos{{{"Ethernet", "Et"}, {"Port-Channel", "Po"}, {"Vlan", "Vl"},
                                      {"Management", "Ma"}, {"Loopback", "Lo"}, {"Vxlan", "Vx"}}};
    static const InterfaceNaming junos{{}, true};
    static const InterfaceNaming linux_names{};
    static const PlatformEntry<const InterfaceNaming*> kRegistry[] = {
        {PlatformId::cisco_ios, &ios},
        {PlatformId::arista_eos, &eos},
        {PlatformId::junos, &junos},
        {PlatformId::nftables, &linux_names},
    };
    return *platform_entry(kRegistry, platform, "interface naming");
}

// The kind `prefix` (lower case) names: its abbreviation or full name exactly, else the one
// kind whose full name it begins (at least two letters).
const InterfaceKind* kind_named(const InterfaceNaming& naming, const std::string& prefix) {
    for (const auto& k : naming.kinds)
        if (prefix == lower_ascii(k.abbreviation) || prefix == lower_ascii(k.full)) return &k;
    const InterfaceKind* found = nullptr;
    for (const auto& k : naming.kinds) {
        if (prefix.size() < 2 || !lower_ascii(k.full).starts_with(prefix)) continue;
        if (found) return nullptr;  // ambiguous
        found = &k;
    }
    return found;
}

}  // namespace

std::string canonical_interface(PlatformId platform, std::string_view name) {
    const auto& naming = naming_of(platform);
    if (naming.unit_zero_is_port && name.ends_with(".0")) name.remove_suffix(2);
    auto digit = name.find_first_of("0123456789");
    if (naming.kinds.empty() || digit == std::string_view::npos || digit == 0) return std::string(name);
    auto prefix = name.substr(0, digit);
    while (prefix.ends_with(' ')) prefix.remove_suffix(1);  // "GigabitEthernet 1/0/1"
    const InterfaceKind* kind = kind_named(naming, lower_ascii(prefix));
    if (!kind) return std::string(name);
    return fmt::format("{}{}", kind->full, name.substr(digit));
}

bool same_interface(PlatformId platform, std::string_view a, std::string_view b) {
    return a == b || canonical_interface(platform, a) == canonical_interface(platform, b);
}

bool same_interface(std::string_view seen, std::string_view configured) {
    seen = without_unit(seen, configured);
    if (seen == configured) return true;
    auto [seen_prefix, seen_rest] = split_interface(seen);
    auto [conf_prefix, conf_rest] = split_interface(configured);
    if (seen_prefix.empty() || conf_prefix.empty() || seen_rest.empty() || seen_rest != conf_rest) return false;
    return seen_prefix.starts_with(conf_prefix) || conf_prefix.starts_with(seen_prefix);
}

// interface_less compares runs of digits by value (a run of more than 9 digits counts as 0)
// and any other characters as (signed) chars; a digit run against a non-digit compares its
// first digit. The key: a non-digit c becomes c ^ 0x80 (signed order as unsigned bytes); a
// digit run becomes 0xB0 ('0' ^ 0x80, which orders against every non-digit as any digit
// does) and its value in 4 big-endian bytes.
void append_interface_key(std::string_view name, std::string& out) {
    auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
    std::size_t start = out.size();
    out.resize(start + 5 * name.size());  // the longest key: a digit run of 1 is 5 bytes
    char* key = out.data() + start;
    for (std::size_t i = 0; i < name.size();) {
        if (!is_digit(name[i])) {
            *key++ = static_cast<char>(static_cast<unsigned char>(name[i]) ^ 0x80u);
            ++i;
            continue;
        }
        std::size_t end = i;
        std::uint32_t value = 0;
        for (; end < name.size() && is_digit(name[end]); ++end) value = value * 10 + static_cast<std::uint32_t>(name[end] - '0');
        if (end - i > 9) value = 0;
        *key++ = static_cast<char>(0xB0);
        for (int shift = 24; shift >= 0; shift -= 8) *key++ = static_cast<char>((value >> shift) & 0xFFu);
        i = end;
    }
    out.resize(static_cast<std::size_t>(key - out.data()));
}

}  // namespace microseg
