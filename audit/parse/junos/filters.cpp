#include "audit/parse/junos/filters.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "audit/parse/ios/acl_entry.hpp"

namespace microseg {
namespace {

using Values = std::vector<std::string_view>;

std::optional<std::vector<PortRange>> port_list(const Values& values, const std::vector<Protocol>& protocols) {
    std::vector<PortRange> out;
    Protocol proto = protocols.size() == 1 ? protocols[0] : Protocol::tcp;
    for (const auto& v : values) {
        auto dash = v.find('-');
        auto a = ios_port_number(v.substr(0, dash), proto);
        auto b = dash == std::string_view::npos ? a : ios_port_number(v.substr(dash + 1), proto);
        if (!a || !b || *a > *b) return std::nullopt;
        out.push_back({*a, *b});
    }
    return out;
}

std::string addresses(const Values& values, std::vector<Cidr>& into) {
    into.clear();
    for (const auto& v : values) {
        auto c = junos_prefix(v);
        if (!c) return fmt::format("bad address '{}'", v);
        into.push_back(*c);
    }
    return "";
}

std::string prefixes(const Values& values, const JunosPrefixLists& lists, std::vector<Cidr>& into) {
    into.clear();
    for (const auto& v : values) {
        auto it = lists.find(v);
        if (it == lists.end()) return fmt::format("unknown prefix-list '{}'", v);
        into.insert(into.end(), it->second.begin(), it->second.end());
    }
    return "";
}

// Stable, so a condition's values keep the order they were read in. Terms have a handful of
// conditions: insertion sort needs no buffer; a crafted long term gets the O(n log n) sort.
void sort_by_condition(std::vector<JunosCondition>& from) {
    auto by_key = [](const JunosCondition& a, const JunosCondition& b) { return a.key < b.key; };
    if (from.size() > 16) return std::stable_sort(from.begin(), from.end(), by_key);
    for (std::size_t i = 1; i < from.size(); ++i) {
        auto c = from[i];
        std::size_t j = i;
        for (; j > 0 && by_key(c, from[j - 1]); --j) from[j] = from[j - 1];
        from[j] = c;
    }
}

std::string read_protocols(const std::vector<JunosCondition>& from, TermMatch& m) {
    bool cleared = false;
    for (const auto& c : from) {
        if (c.key != "protocol") continue;
        if (!cleared) m.protocols.clear(), cleared = true;
        if (!c.has_value) continue;
        const auto& v = c.value;
        auto p = v == "6" ? Protocol::tcp : v == "17" ? Protocol::udp : v == "1" ? Protocol::icmp : parse_protocol(v);
        if (!p || *p == Protocol::ip) return fmt::format("protocol '{}' not modelled", v);
        m.protocols.push_back(*p);
    }
    return "";
}

bool only(const std::vector<Protocol>& protocols, Protocol p) { return protocols.size() == 1 && protocols[0] == p; }

// One condition with all its values; the protocols are read already.
std::string read_condition(std::string_view key, const Values& values, const JunosPrefixLists& lists, TermMatch& m) {
    if (std::find(values.begin(), values.end(), "except") != values.end()) return "'except' not modelled";
    if (key == "source-address") return addresses(values, m.sources);
    if (key == "destination-address") return addresses(values, m.destinations);
    if (key == "source-prefix-list") return prefixes(values, lists, m.sources);
    if (key == "destination-prefix-list") return prefixes(values, lists, m.destinations);
    if (key == "source-port" || key == "destination-port") {
        auto ports = port_list(values, m.protocols);
        bool l4 = std::all_of(m.protocols.begin(), m.protocols.end(),
                              [](Protocol p) { return p == Protocol::tcp || p == Protocol::udp; });
        if (!ports || !l4) return fmt::format("{} needs protocol tcp or udp and port numbers", key);
        (key == "source-port" ? m.source_ports : m.destination_ports) = std::move(*ports);
    } else if (key == "tcp-established" && only(m.protocols, Protocol::tcp)) {
        m.established = true;
    } else if (key == "icmp-type" && values.size() == 1 && values[0] == "echo-reply" && only(m.protocols, Protocol::icmp)) {
        m.established = true;
    } else if (key != "protocol") {
        return fmt::format("match condition '{}' not modelled", key);
    }
    return "";
}

}  // namespace

std::optional<Cidr> junos_prefix(std::string_view text) {
    if (text.find('/') != std::string_view::npos) return Cidr::parse_interface(text);
    auto host = IpAddress::parse(text);
    if (!host) return std::nullopt;
    return Cidr{*host, host->bits()};
}

void TermMatch::reset() {
    sources.assign(1, Cidr{});
    destinations.assign(1, Cidr{});
    protocols.assign(1, Protocol::ip);
    source_ports.assign(1, PortRange{});
    destination_ports.assign(1, PortRange{});
    established = false;
}

std::string read_term(JunosTerm& t, const JunosPrefixLists& lists, TermMatch& m) {
    m.reset();
    if (auto error = read_protocols(t.from, m); !error.empty()) return error;
    sort_by_condition(t.from);  // conditions are read in the order of their names, as ever
    auto& values = m.values;
    for (auto group = t.from.begin(); group != t.from.end();) {
        auto key = group->key;
        values.clear();
        for (; group != t.from.end() && group->key == key; ++group)
            if (group->has_value) values.push_back(group->value);
        if (auto error = read_condition(key, values, lists, m); !error.empty()) return error;
    }
    return "";
}

}  // namespace microseg
