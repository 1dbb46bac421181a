#pragma once
// Small text helpers shared by the MAC table parsers (audit/parse/mac/parse_mac_table*.cpp, bridge fdb).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/parse/mac/mac_table.hpp"

namespace microseg::mac_text {

// Splits on blanks: spaces, tabs, and a stray \r, \v or \f.
std::vector<std::string_view> words(std::string_view line);
std::string lower(std::string_view s);
bool all_digits(std::string_view s);
// A VLAN id 1-4094 written in decimal, or nothing.
std::optional<int> vlan_id(std::string_view s);

// Calls `each(line_number, line)` for every line, without '\r' and trailing blanks.
template <class F>
void for_each_line(std::string_view text, F&& each) {
    int number = 0;
    while (!text.empty()) {
        auto nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t'))
            line.remove_suffix(1);
        each(++number, line);
    }
}

// Longest line text kept in a warning: a garbled line must not flood the report.
std::string clip(std::string_view line);

void warn(MacTable& table, int line, std::string_view text, std::string reason);

// The first word after the type column that names a port: not a yes/no flag, an age, a move
// count or a time ("Yes 0 Gi1/1", "1 0:00:52 ago").
std::optional<std::string_view> port_after(const std::vector<std::string_view>& w, std::size_t from);

}  // namespace microseg::mac_text
