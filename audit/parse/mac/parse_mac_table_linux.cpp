// Linux `bridge fdb show`:
//   aa:bb:cc:dd:ee:01 dev eth2 vlan 110 master br0
//   aa:bb:cc:dd:ee:02 dev eth2 master br0 permanent       (the port's own address: skipped)
//   33:33:00:00:00:01 dev br0 self permanent               (the device's own filter: skipped)
// Entries without `master` come from a device's own table, not the bridge's learning.

#include <algorithm>

#include "audit/parse/mac/mac_table.hpp"
#include "audit/parse/mac/mac_table_text.hpp"

namespace microseg {

using namespace mac_text;

namespace {

// Keywords of `bridge fdb show` that take a value.
bool fdb_takes_value(std::string_view word) {
    static const std::vector<std::string_view> with_value = {"dev", "vlan", "master", "dst", "port", "vni", "src_vni",
                                                             "via", "nhid", "used", "state", "flags"};
    return std::find(with_value.begin(), with_value.end(), word) != with_value.end();
}

// "eth1.110": a VLAN subinterface names its VLAN when the entry does not.
void split_subinterface(MacEntry& e) {
    auto dot = e.port.rfind('.');
    if (e.vlan || dot == std::string::npos || dot == 0) return;  // ".110" alone is no port name
    if (auto v = vlan_id(std::string_view(e.port).substr(dot + 1))) {
        e.vlan = v;
        e.port.resize(dot);
    }
}

void parse_fdb_line(MacTable& table, int number, std::string_view line) {
    auto w = words(line);
    if (w.empty()) return;
    auto mac = parse_mac_address(w[0]);
    if (!mac) return warn(table, number, line, fmt::format("'{}' is not a MAC address", clip(w[0])));
    MacEntry e{*mac, std::nullopt, {}, {}, false, number};
    bool has_master = false, permanent = false;
    for (std::size_t i = 1; i < w.size(); ++i) {
        if (fdb_takes_value(w[i]) && i + 1 >= w.size())
            return warn(table, number, line, fmt::format("'{}' without a value", w[i]));
        if (w[i] == "dev") e.port = std::string(w[++i]);
        else if (w[i] == "vlan") {
            e.vlan = vlan_id(w[++i]);
            if (!e.vlan) return warn(table, number, line, fmt::format("'{}' is not a VLAN id", clip(w[i])));
        } else if (w[i] == "master") has_master = true, ++i;
        else if (fdb_takes_value(w[i])) ++i;
        else if (w[i] == "permanent") permanent = true;
        else if (w[i] == "static") e.is_static = true;
    }
    if (e.port.empty()) return warn(table, number, line, "no 'dev'");
    if (!has_master || permanent || mac->is_multicast() || mac->is_zero()) {
        ++table.skipped_lines;
        return;
    }
    split_subinterface(e);
    table.entries.push_back(std::move(e));
}

}  // namespace

MacTable parse_bridge_fdb(std::string_view text) {
    MacTable table;
    for_each_line(text, [&](int number, std::string_view line) { parse_fdb_line(table, number, line); });
    return table;
}

}  // namespace microseg
