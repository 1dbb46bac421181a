// Writing a NetBox import: the policy skeleton as YAML text that `microseg check` accepts
// (names already sanitised, interface names checked, free text through safe_comment), and the
// JSON summary for scripts. What could not be placed ends the policy as a comment block, so it
// travels with the file into review.
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "importers/netbox.hpp"
#include "model/naming.hpp"

namespace microseg::importers {
namespace {

void write_classes(std::string& out, const NetboxImport& imported) {
    out += "classes:\n";
    if (imported.classes.empty()) out += "  {}\n";
    for (const auto& c : imported.classes) {
        out += fmt::format("  {}:\n    vlan: {}\n", c.name, c.vlan);
        if (!c.subnets.empty()) out += fmt::format("    subnets: [{}]\n", fmt::join(c.subnets, ", "));
        out += fmt::format("    devices: {}\n", c.devices);
        if (c.shared_vlan) out += "    shared_vlan: true  # NetBox puts another role in this VLAN too\n";
        if (!c.gateway_note.empty()) out += fmt::format("    # {}\n", safe_comment(c.gateway_note));
    }
}

void write_switch(std::string& out, const ImportedSwitch& s) {
    out += fmt::format("  - name: {}\n    platform: {}\n", s.name, s.platform);
    if (!s.gateway.empty()) out += fmt::format("    gateway: [{}]\n", fmt::join(s.gateway, ", "));
    if (!s.ports.empty()) {
        out += "    ports:\n";
        for (const auto& [port, cls] : s.ports) out += fmt::format("      {}: {}\n", port, cls);
    }
    if (!s.trunks.empty()) {
        out += "    trunks:\n";
        for (const auto& [port, vids] : s.trunks) out += fmt::format("      {}: [{}]\n", port, fmt::join(vids, ", "));
    }
}

}  // namespace

std::string netbox_policy_text(const NetboxImport& imported, const std::string& policy_name) {
    std::string out =
        "# A policy skeleton imported from NetBox (microseg import netbox). Review it: add flows,\n"
        "# criticality, isolate and entry, switch addresses and users, and check each gateway.\n"
        "version: 1\n";
    out += fmt::format("name: {}\n\n", sanitise_name(policy_name).empty() ? "netbox-import" : sanitise_name(policy_name));
    write_classes(out, imported);
    out += "\nflows: []\n";
    if (!imported.switches.empty()) {
        out += "\nswitches:\n";
        for (const auto& s : imported.switches) write_switch(out, s);
    }
    if (!imported.unplaced.empty() || !imported.notes.empty()) {
        out += fmt::format("\n# Not placed ({}): NetBox object, id, name and why.\n", imported.unplaced.size());
        for (const auto& u : imported.unplaced)
            out += fmt::format("#   {} {} {}: {}\n", u.object, u.id, safe_comment(u.name, 60), safe_comment(u.reason, 200));
        for (const auto& note : imported.notes) out += fmt::format("#   {}\n", safe_comment(note, 200));
    }
    return out;
}

std::string netbox_summary_json(const NetboxImport& imported) {
    nlohmann::ordered_json doc;
    doc["classes"] = nlohmann::ordered_json::array();
    for (const auto& c : imported.classes)
        doc["classes"].push_back({{"name", c.name}, {"vlan", c.vlan}, {"subnets", c.subnets}, {"devices", c.devices},
                                  {"shared_vlan", c.shared_vlan}, {"gateway_note", c.gateway_note}});
    doc["switches"] = nlohmann::ordered_json::array();
    for (const auto& s : imported.switches) {
        nlohmann::ordered_json ports = nlohmann::ordered_json::object(), trunks = nlohmann::ordered_json::object();
        for (const auto& [port, cls] : s.ports) ports[port] = cls;
        for (const auto& [port, vids] : s.trunks) trunks[port] = vids;
        doc["switches"].push_back(
            {{"name", s.name}, {"platform", s.platform}, {"gateway", s.gateway}, {"ports", ports}, {"trunks", trunks}});
    }
    doc["unplaced"] = nlohmann::ordered_json::array();
    for (const auto& u : imported.unplaced)
        doc["unplaced"].push_back({{"object", u.object}, {"id", u.id}, {"name", u.name}, {"reason", u.reason}});
    doc["notes"] = imported.notes;
    return doc.dump(2) + "\n";
}

}  // namespace microseg::importers
