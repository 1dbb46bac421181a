// MAC addresses, the shared text helpers, the parser table, and the IOS-XE / EOS parser.
//
// IOS-XE `show mac address-table`:
//   Vlan    Mac Address       Type        Ports
//   ----    -----------       --------    -----
//    All    0100.0ccc.cccc    STATIC      CPU
//    110    0011.2233.4455    DYNAMIC     Gi1/0/2
//   Total Mac Addresses for this criterion: 23
// EOS adds `Moves` and `Last Move` ("1   0:00:52 ago") and a "Multicast Mac Address Table"
// section; older IOS (Catalyst 6500) prefixes flags ("*") and has "learn" and "age" columns
// before the port; Catalyst 4500/4900 a "protocols" column ("ip,ipx,assigned,other"). The port
// is therefore the first word after the type that names a port.

#include <algorithm>
#include <cctype>

#include "audit/parse/mac/mac_table.hpp"
#include "audit/parse/mac/mac_table_text.hpp"

namespace microseg {

namespace mac_text {

namespace {
// A stray '\r' inside a line (terminal output) separates words too: it must not end up in a port name.
bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }
}  // namespace

std::vector<std::string_view> words(std::string_view line) {
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && is_blank(line[i])) ++i;
        std::size_t start = i;
        while (i < line.size() && !is_blank(line[i])) ++i;
        if (i > start) out.push_back(line.substr(start, i - start));
    }
    return out;
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

bool all_digits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::optional<int> vlan_id(std::string_view s) {
    if (!all_digits(s) || s.size() > 4) return std::nullopt;
    int v = std::stoi(std::string(s));
    if (v < 1 || v > 4094) return std::nullopt;
    return v;
}

std::string clip(std::string_view line) {
    constexpr std::size_t kMax = 200;
    std::string out(line.substr(0, kMax));
    for (auto& c : out)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
    return line.size() > kMax ? out + "..." : out;
}

void warn(MacTable& table, int line, std::string_view text, std::string reason) {
    table.warnings.push_back(ParseWarning{line, clip(text), std::move(reason)});
}

namespace {
bool is_time_or_count(std::string_view w) {
    return !w.empty() && std::all_of(w.begin(), w.end(), [](char c) {
        return (c >= '0' && c <= '9') || c == ':' || c == '.' || c == ',';
    });
}
}  // namespace

namespace {
// Catalyst 4500/4900 print a "protocols" column between type and port: "ip", "other",
// "ip,ipx,assigned,other" (Catalyst 4500 Command Reference, show mac address-table).
bool is_protocol_list(std::string_view w) {
    static const std::vector<std::string_view> protocols = {"ip", "ipx", "assigned", "other"};
    std::size_t pos = 0;
    while (pos <= w.size()) {
        auto comma = w.find(',', pos);
        auto item = w.substr(pos, comma == std::string_view::npos ? w.npos : comma - pos);
        if (std::find(protocols.begin(), protocols.end(), item) == protocols.end()) return false;
        if (comma == std::string_view::npos) return true;
        pos = comma + 1;
    }
    return false;
}
}  // namespace

std::optional<std::string_view> port_after(const std::vector<std::string_view>& w, std::size_t from) {
    static const std::vector<std::string> not_ports = {"yes", "no", "-", "f", "t", "~~~", "ago", "n/a"};
    for (std::size_t i = from; i < w.size(); ++i) {
        std::string l = lower(w[i]);
        if (is_time_or_count(w[i]) || std::find(not_ports.begin(), not_ports.end(), l) != not_ports.end() ||
            is_protocol_list(l))
            continue;
        return w[i];
    }
    return std::nullopt;
}

}  // namespace mac_text

using namespace mac_text;

std::string MacAddress::str() const {
    return fmt::format("{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}", bytes[0], bytes[1], bytes[2], bytes[3], bytes[4],
                       bytes[5]);
}

namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Twelve hex digits separated only where `group` says: every 2 (':' or '-'), every 4 ('.'),
// or never.
std::optional<MacAddress> parse_grouped(std::string_view text, char separator, std::size_t group) {
    std::size_t expected = 12 + (group ? 12 / group - 1 : 0);
    if (text.size() != expected) return std::nullopt;
    MacAddress mac;
    std::size_t digit = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (group && (i + 1) % (group + 1) == 0) {
            if (text[i] != separator) return std::nullopt;
            continue;
        }
        int v = hex_value(text[i]);
        if (v < 0) return std::nullopt;
        mac.bytes[digit / 2] = static_cast<std::uint8_t>(mac.bytes[digit / 2] * 16 + v);
        ++digit;
    }
    return mac;
}

}  // namespace

std::optional<MacAddress> parse_mac_address(std::string_view text) {
    if (text.size() == 17 && text[2] == ':') return parse_grouped(text, ':', 2);
    if (text.size() == 17 && text[2] == '-') return parse_grouped(text, '-', 2);
    if (text.size() == 14) return parse_grouped(text, '.', 4);
    if (text.size() == 12) return parse_grouped(text, 0, 0);
    return std::nullopt;
}

bool is_internal_port(std::string_view port) {
    static const std::vector<std::string> internal = {"cpu", "router", "switch", "drop", "self", "all-members"};
    std::string l = lower(port);
    return std::find(internal.begin(), internal.end(), l) != internal.end() || l.starts_with("sup-eth") ||
           l.starts_with("vlan");
}

namespace {

bool is_ios_header(std::string_view line, const std::vector<std::string_view>& w) {
    std::string l = lower(line.substr(std::min(line.size(), line.find_first_not_of(" \t"))));
    bool legend = w.size() >= 2 && w[1] == "-";  // "age - seconds since last seen"
    return w.empty() || legend || line.find_first_not_of("-+= ") == std::string_view::npos || l.find("mac address table") != std::string::npos ||
           l.starts_with("vlan") || l.starts_with("total mac addresses") || l.starts_with("legend") ||
           l.find(" - primary entry") != std::string::npos || l.find("show mac") != std::string::npos ||
           l.starts_with("displaying entries") || l.starts_with("unicast entries") || l.starts_with("multicast entries");
}

void parse_ios_line(MacTable& table, int number, std::string_view line) {
    auto w = words(line);
    if (is_ios_header(line, w)) {
        ++table.skipped_lines;
        return;
    }
    std::size_t i = 0;
    while (i < w.size() && w[i].size() == 1 && !std::isalnum(static_cast<unsigned char>(w[i][0]))) ++i;  // "*", "+"
    if (w.size() < i + 3) return warn(table, number, line, "expected VLAN, MAC address, type and port");
    auto mac = parse_mac_address(w[i + 1]);
    if (!mac) return warn(table, number, line, fmt::format("'{}' is not a MAC address", clip(w[i + 1])));
    std::string vlan_word = lower(w[i]);
    auto vlan = vlan_id(w[i]);
    if (!vlan && vlan_word != "all" && vlan_word != "n/a" && vlan_word != "---")
        return warn(table, number, line, fmt::format("'{}' is not a VLAN id", clip(w[i])));
    auto port = port_after(w, i + 3);
    if (!port) return warn(table, number, line, "no port");
    if (!vlan || is_internal_port(*port) || mac->is_multicast() || mac->is_zero()) {
        ++table.skipped_lines;
        return;
    }
    std::string type = lower(w[i + 2]);
    table.entries.push_back(MacEntry{*mac, vlan, {}, std::string(*port), type.find("static") != std::string::npos, number});
}

}  // namespace

MacTable parse_ios_mac_table(std::string_view text) {
    MacTable table;
    for_each_line(text, [&](int number, std::string_view line) { parse_ios_line(table, number, line); });
    return table;
}

MacTableParser mac_table_parser_for(PlatformId platform) {
    // The registry: one row per platform of model/platform.cpp.
    static const PlatformEntry<MacTableParser> kRegistry[] = {
        {PlatformId::cisco_ios, parse_ios_mac_table},
        {PlatformId::arista_eos, parse_ios_mac_table},
        {PlatformId::junos, parse_junos_mac_table},
        {PlatformId::nftables, parse_bridge_fdb},
    };
    return platform_entry(kRegistry, platform, "MAC-table parser");
}

}  // namespace microseg
