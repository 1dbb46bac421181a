// The policy text of a MUD import: what `microseg check` accepts as written. Device classes are
// internal, so check wants a VLAN and a subnet: they get placeholders (VLAN 3001 up, one
// address each of 203.0.113.0/24) that the header comment tells the user to replace.
#include <map>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "importers/mud.hpp"
#include "model/naming.hpp"

namespace microseg::mud {
namespace {

// The catalogue service that is exactly `port`, or a custom one named after it.
std::string service_name(const ServicePort& port, std::map<std::string, std::string>& custom) {
    for (const auto& s : builtin_services())
        if (s.ports.size() == 1 && s.ports.front() == port) return s.name;
    std::string spec, name;
    if (port.protocol == Protocol::ip) {
        spec = "ip";
        name = "mud-ip";
    } else {
        std::string proto{to_string(port.protocol)};
        std::string range = port.ports.is_single() ? fmt::format("{}", port.ports.first)
                                                   : fmt::format("{}-{}", port.ports.first, port.ports.last);
        spec = fmt::format("{}/{}", proto, range);
        name = port.ports.is_all() ? fmt::format("mud-{}-any", proto) : fmt::format("mud-{}-{}", proto, range);
    }
    custom[name] = spec;
    return name;
}

std::string header(const MudImport& import) {
    std::string out = "# Imported by `microseg import mud` from RFC 8520 MUD files:\n";
    for (const auto& d : import.devices)
        out += fmt::format("#   {}: {} ({})\n", safe_comment(d.file), safe_comment(d.mud_url), d.class_name);
    out += "# The device classes' VLANs (3001 up) and subnets (203.0.113.0/24) are placeholders: set the\n"
           "# real ones. External classes marked placeholder stand for peers the map did not name\n"
           "# (documentation addresses, RFC 5737); mapped ones name classes of your policy: merge them.\n";
    return out;
}

std::string classes_text(const MudImport& import) {
    std::string out = "classes:\n";
    int n = 0;
    for (const auto& d : import.devices) {
        ++n;
        out += fmt::format("  {}: {{vlan: {}, subnets: [203.0.113.{}/32]}}   # {}\n", d.class_name, 3000 + n, n,
                           safe_comment(d.description));
    }
    for (const auto& p : import.peers) {
        out += fmt::format("  {}: {{external: true, subnets: [{}]}}   # {}: {}\n", p.name, p.subnet,
                           p.mapped ? "mapped" : "placeholder", safe_comment(p.what));
    }
    return out;
}

}  // namespace

std::string write_policy_text(const MudImport& import) {
    std::map<std::string, std::string> custom;
    std::map<std::pair<std::string, std::string>, std::set<std::string>> flows;  // (from, to) -> services
    std::map<std::string, std::string> url_of;
    for (const auto& d : import.devices) url_of[d.class_name] = d.mud_url;
    for (const auto& r : import.rules) {
        auto ends = r.from_device ? std::pair{r.device_class, r.peer} : std::pair{r.peer, r.device_class};
        flows[ends].insert(service_name(r.port, custom));
    }
    std::string out = header(import) + "version: 1\nname: mud-import\n\n";
    if (!custom.empty()) {
        out += "services:\n";
        for (const auto& [name, spec] : custom) out += fmt::format("  {}: [{}]\n", name, spec);
        out += "\n";
    }
    out += classes_text(import);
    if (!flows.empty()) out += "\nflows:\n";
    for (const auto& [ends, services] : flows) {
        const std::string& device = url_of.contains(ends.first) ? ends.first : ends.second;
        out += fmt::format("  - {{from: {}, to: {}, services: [{}], reason: \"MUD {}\"}}\n", ends.first, ends.second,
                           fmt::join(services, ", "), safe_comment(url_of[device], 200));
    }
    return out;
}

}  // namespace microseg::mud
