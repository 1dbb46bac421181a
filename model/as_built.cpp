#include "model/as_built.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "model/interface_name.hpp"
#include "model/interface_range.hpp"

namespace microseg {
namespace {

// The positions in `items` (access ports or trunks, in interface_less order) of the records
// named exactly `name`, and `lines` beside them. interface_less cannot tell some different names
// apart ("Gi1/0/01" and "Gi1/0/1"): those sit together, and only exact names count.
template <class Items, class Visit>
void records_named(const Items& items, const std::vector<int>& lines, std::string_view name, Visit visit) {
    auto before = [](const auto& item, std::string_view n) { return interface_less(item.interface, n); };
    auto after = [](std::string_view n, const auto& item) { return interface_less(n, item.interface); };
    auto first = std::lower_bound(items.begin(), items.end(), name, before);
    auto last = std::upper_bound(first, items.end(), name, after);
    for (auto it = first; it != last; ++it) {
        auto i = static_cast<std::size_t>(it - items.begin());
        if (i < lines.size() && it->interface == name) visit(i);
    }
}

}  // namespace

const Uncertainty* ParsedConfig::uncertainty(UncertainKind kind, std::string_view interface) const {
    if (uncertain.empty()) return nullptr;
    auto name = canonical_interface(as_built.platform, interface);
    for (const auto& u : uncertain)
        if (u.kind == kind && canonical_interface(as_built.platform, u.interface) == name) return &u;
    return nullptr;
}

const Uncertainty* ParsedConfig::outbound_acl_towards(const IpAddress& destination) const {
    for (const auto& svi : as_built.svis) {
        bool holds = std::any_of(svi.addresses.begin(), svi.addresses.end(),
                                 [&](const SviAddress& a) { return a.subnet.contains(destination); });
        if (holds)
            if (const auto* u = uncertainty(UncertainKind::svi_outbound_acl, fmt::format("Vlan{}", svi.vlan))) return u;
    }
    return nullptr;
}

int ParsedConfig::interface_line(std::string_view name) const {
    const auto& lines = interface_lines;
    auto other = lines.others.find(name);
    int line = other == lines.others.end() ? 0 : other->second;
    auto greatest = [&](const std::vector<int>& of) {
        return [&](std::size_t i) { line = std::max(line, of[i]); };
    };
    records_named(as_built.access_ports, lines.access_ports, name, greatest(lines.access_ports));
    records_named(as_built.trunks, lines.trunks, name, greatest(lines.trunks));
    return line;
}

void ParsedConfig::set_interface_line(std::string_view name, int line) {
    auto& lines = interface_lines;
    if (auto it = lines.others.find(name); it != lines.others.end()) it->second = line;
    else lines.others.emplace(std::string(name), line);
    auto assign = [&](std::vector<int>& of) {
        return [&of, line](std::size_t i) { of[i] = line; };
    };
    records_named(as_built.access_ports, lines.access_ports, name, assign(lines.access_ports));
    records_named(as_built.trunks, lines.trunks, name, assign(lines.trunks));
}

void ParsedConfig::keep_isolation_acl(const Acl& acl, std::string_view port) {
    auto& kept = as_built.isolation_acls;
    if (std::none_of(kept.begin(), kept.end(), [&](const Acl& a) { return a.name == acl.name; })) kept.push_back(acl);
    isolation_acl_of[std::string(port)] = acl.name;
}

void ParsedConfig::keep_port_acl(const Acl& acl, std::string_view port) {
    if (std::none_of(port_acls.begin(), port_acls.end(), [&](const Acl& a) { return a.name == acl.name; }))
        port_acls.push_back(acl);
    port_acl_of[std::string(port)] = acl.name;
}

void ParsedConfig::read_header(std::string_view text) {
    header = find_header(text);
    if (header) microseg_header = std::string(text.substr(0, text.find('\n')));
}

std::map<std::string, int> interface_line_map(const ParsedConfig& config) {
    const auto& lines = config.interface_lines;
    std::map<std::string, int> out(lines.others.begin(), lines.others.end());
    auto add = [&](const auto& items, const std::vector<int>& of) {
        for (std::size_t i = 0; i < items.size() && i < of.size(); ++i) {
            int& line = out[items[i].interface];
            line = std::max(line, of[i]);
        }
    };
    add(config.as_built.access_ports, lines.access_ports);
    add(config.as_built.trunks, lines.trunks);
    return out;
}

}  // namespace microseg
