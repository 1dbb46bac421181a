// Junos `show ethernet-switching table`.
//
// Junos ELS (EX2300/3400/4300, QFX):
//   MAC flags (S - static MAC, D - dynamic MAC, L - locally learned, ...
//              SE - statistics enabled, NM - non configured MAC, ...)
//   Ethernet switching table : 4 entries, 4 learned
//   Routing instance : default-switch
//      Vlan                MAC                 MAC         Age    Logical                NH   RTR
//      name                address             flags              interface              Index ID
//      infusion-pump       00:11:22:33:44:55   D             -   ge-0/0/1.0             0    0
// Junos before ELS (EX4200 and older):
//   Ethernet-switching table: 5 entries, 2 learned, 0 persistent entries
//     VLAN              MAC address       Type         Age Interfaces
//     default           *                 Flood          - All-members
//     v110              00:10:94:00:00:02 Learn          0 ge-0/0/44.0
// Both print the VLAN name, not its id: the placement audit resolves names against the policy.

#include <algorithm>

#include "audit/parse/mac/mac_table.hpp"
#include "audit/parse/mac/mac_table_text.hpp"

namespace microseg {

using namespace mac_text;

namespace {

// The flag legend and its continuation lines: "(S - static MAC, D - dynamic MAC, ...".
bool is_junos_legend(std::string_view line) {
    return line.find(" - ") != std::string_view::npos && line.find(',') != std::string_view::npos;
}

bool is_junos_header(std::string_view line, const std::vector<std::string_view>& w) {
    std::string l = lower(line.substr(std::min(line.size(), line.find_first_not_of(" \t"))));
    auto first = w.empty() ? std::string() : lower(w[0]);
    return w.empty() || l.starts_with("mac flags") || l.starts_with("ethernet switching table") ||
           l.starts_with("ethernet-switching table") || l.starts_with("routing instance") || first == "vlan" ||
           first == "name" || (l.starts_with("{") && l.ends_with("}")) || l.find("show ethernet-switching") != std::string::npos ||
           line.find_first_not_of("-= ") == std::string_view::npos;
}

void parse_junos_line(MacTable& table, int number, std::string_view line) {
    auto w = words(line);
    if (is_junos_header(line, w)) {
        ++table.skipped_lines;
        return;
    }
    if (w.size() >= 2 && w[1] == "*") {  // the flood entry of a VLAN
        ++table.skipped_lines;
        return;
    }
    auto mac = w.size() >= 2 ? parse_mac_address(w[1]) : std::nullopt;
    if (!mac) {
        if (is_junos_legend(line)) {
            ++table.skipped_lines;
            return;
        }
        return warn(table, number, line, "expected VLAN name, MAC address, flags and interface");
    }
    auto port = w.size() >= 4 ? port_after(w, 3) : std::nullopt;
    if (!port) return warn(table, number, line, "no interface");
    if (is_internal_port(*port) || mac->is_multicast() || mac->is_zero()) {
        ++table.skipped_lines;
        return;
    }
    // ELS flags: S static, P persistent static; old format: Static.
    std::string flags = lower(w[2]);
    bool is_static = flags.starts_with("s") || flags.find('p') != std::string::npos;
    table.entries.push_back(MacEntry{*mac, std::nullopt, std::string(w[0]), std::string(*port), is_static, number});
}

}  // namespace

MacTable parse_junos_mac_table(std::string_view text) {
    MacTable table;
    for_each_line(text, [&](int number, std::string_view line) { parse_junos_line(table, number, line); });
    return table;
}

}  // namespace microseg
