#include "audit/placement/placement.hpp"

#include <algorithm>
#include <cctype>
#include <set>
#include <unordered_map>

#include "audit/parse/mac/mac_table_text.hpp"
#include "model/interface_name.hpp"
#include "model/naming.hpp"

namespace microseg {

using namespace mac_text;

std::string_view to_string(Placement p) {
    switch (p) {
        case Placement::placed: return "placed";
        case Placement::misplaced: return "misplaced";
        case Placement::unknown: return "unknown";
    }
    return "unknown";
}

std::string VlanPlacement::name() const {
    if (!in_policy) return "not in the policy";
    return fmt::format("{}", fmt::join(classes, "+"));
}

std::size_t PlacementReport::devices() const {
    std::size_t n = 0;
    for (const auto& v : vlans) n += v.devices.size();
    return n;
}

std::size_t PlacementReport::misplaced() const {
    std::size_t n = 0;
    for (const auto& v : vlans) n += v.misplaced;
    return n;
}

std::size_t PlacementReport::unknown() const {
    std::size_t n = 0;
    for (const auto& v : vlans) n += v.unknown;
    return n;
}

std::size_t PlacementReport::critical_unknown() const {
    std::size_t n = 0;
    for (const auto& v : vlans) n += v.critical_unknown;
    return n;
}

int PlacementReport::exit_code() const {
    if (std::any_of(switches.begin(), switches.end(), [](const SwitchPlacement& s) { return !s.read && s.required; })) return 2;
    return misplaced() > 0 || critical_unknown() > 0 ? 1 : 0;
}

namespace {

// A Junos MAC table names a VLAN as the Junos emitter wrote it (model/naming.hpp), or by one
// of its classes.
bool names_vlan(std::string_view name, const Vlan& vlan) {
    if (std::find(vlan.classes.begin(), vlan.classes.end(), name) != vlan.classes.end()) return true;
    return name == vlan.name() || name == platform_vlan_name(PlatformId::junos, vlan.id, vlan.name());
}

}  // namespace

std::optional<int> resolve_vlan_name(const Policy& policy, std::string_view name) {
    for (const auto& v : policy.vlans())
        if (names_vlan(name, v)) return v.id;
    if (lower(name) == "default") return 1;
    auto end = name.size();
    auto start = end;
    while (start > 0 && std::isdigit(static_cast<unsigned char>(name[start - 1]))) --start;
    if (start == end || start == 0) return std::nullopt;
    return vlan_id(name.substr(start));
}

namespace {

struct PortRole {
    const AccessPort* access = nullptr;
    bool trunk = false;
};

// Resolves MAC-table port names against one switch's access ports and trunks.
class PortLookup {
public:
    explicit PortLookup(const Switch& sw) : sw_(sw) {}
    const PortRole& role(const std::string& seen) {
        auto [it, inserted] = cache_.try_emplace(seen);
        if (!inserted) return it->second;
        for (const auto& t : sw_.trunks)
            if (same_interface(seen, t.interface)) return it->second = PortRole{nullptr, true};
        for (const auto& p : sw_.ports)
            if (same_interface(seen, p.interface)) return it->second = PortRole{&p, false};
        return it->second;
    }

private:
    const Switch& sw_;
    std::unordered_map<std::string, PortRole> cache_;
};

struct VlanKey {
    int vlan;
    MacAddress mac;
    auto operator<=>(const VlanKey&) const = default;
};

class PlacementBuilder {
public:
    PlacementBuilder(const Policy& policy, const Inventory& inventory) : policy_(policy), inventory_(inventory) {
        for (const auto& v : policy.vlans()) policy_vlans_[v.id] = v.classes;
    }

    void add_switch(const Switch& sw, const SwitchMacTable& t, SwitchPlacement& out) {
        PortLookup ports(sw);
        for (const auto& e : t.table->entries) {
            seen_macs_.insert(e.mac);
            const PortRole& role = ports.role(e.port);
            if (role.trunk) {
                ++out.trunk_entries;
                continue;
            }
            auto vlan = vlan_of(e, role);
            if (!vlan) {
                out.warnings.push_back(ParseWarning{e.line, e.vlan_name, "VLAN name not found in the policy; entry ignored"});
                continue;
            }
            ++out.entries;
            add_sighting(sw, t, e, role, *vlan);
        }
    }

    std::vector<VlanPlacement> finish() {
        std::map<int, VlanPlacement> vlans;
        for (auto& [key, d] : devices_) {
            auto [slot, fresh] = vlans.try_emplace(key.vlan);
            VlanPlacement& v = slot->second;
            if (fresh) {
                v.id = key.vlan;
                auto it = policy_vlans_.find(key.vlan);
                v.in_policy = it != policy_vlans_.end();
                if (v.in_policy) v.classes = it->second;
            }
            count(v, d);
            if (d.placement != Placement::placed) d.seen_elsewhere = elsewhere(d);
            v.devices.push_back(std::move(d));
        }
        std::vector<VlanPlacement> out;
        for (auto& [id, v] : vlans) out.push_back(std::move(v));
        return out;
    }

    // Inventory devices no table holds at all (trunk entries count: the device is on the network).
    std::vector<InventoryDevice> never_seen() const {
        std::vector<InventoryDevice> out;
        for (const auto& d : inventory_.devices)
            if (!seen_macs_.contains(d.mac)) out.push_back(d);
        return out;
    }

    std::size_t inventory_seen() const {
        std::set<MacAddress> seen;
        for (const auto& [key, d] : devices_)
            if (d.device) seen.insert(key.mac);
        return seen.size();
    }

private:
    std::optional<int> vlan_of(const MacEntry& e, const PortRole& role) const {
        if (e.vlan) return e.vlan;
        if (!e.vlan_name.empty())
            if (auto id = resolve_vlan_name(policy_, e.vlan_name)) return id;
        // No VLAN printed (a Linux bridge without VLAN filtering): the access port's VLAN.
        if (e.vlan_name.empty() && role.access)
            if (const auto* c = policy_.find_class(role.access->device_class); c && c->vlan) return *c->vlan;
        return std::nullopt;
    }

    void add_sighting(const Switch& sw, const SwitchMacTable& t, const MacEntry& e, const PortRole& role, int vlan) {
        PlacedDevice d;
        d.mac = e.mac;
        d.vlan = vlan;
        d.switch_name = sw.name;
        d.port = e.port;
        d.source = t.source;
        d.line = e.line;
        if (role.access) d.port_class = role.access->device_class;
        sightings_[e.mac].push_back(Sighting{sw.name, e.port, vlan});
        auto [it, inserted] = devices_.try_emplace(VlanKey{vlan, e.mac}, d);
        if (inserted) return;
        PlacedDevice& kept = it->second;
        ++kept.other_sightings;
        if (weight(d) > weight(kept)) {
            d.other_sightings = kept.other_sightings;
            kept = std::move(d);
        }
    }

    // Which sighting of a device in one VLAN it is judged by: an access port says more than a
    // port the policy does not list, and a wrong port more than a right one (a device seen on a
    // pump port and on a workstation port of a shared VLAN is misplaced on the second, whichever
    // the table printed first). An unknown MAC is judged where it matters most: a life or phi port.
    int weight(const PlacedDevice& d) const {
        if (d.port_class.empty()) return 0;
        const auto* known = inventory_.find(d.mac);
        bool wrong = known ? known->device_class != d.port_class : critical(d.port_class);
        return wrong ? 2 : 1;
    }

    bool critical(const std::string& class_name) const {
        const DeviceClass* c = policy_.find_class(class_name);
        return c && (c->criticality == Criticality::life || c->phi);
    }

    void count(VlanPlacement& v, PlacedDevice& d) const {
        if (const auto* known = inventory_.find(d.mac)) d.device = *known;
        if (!d.port_class.empty()) d.expected = {d.port_class};
        else d.expected = v.classes;
        if (!d.device) d.placement = Placement::unknown;
        else if (std::find(d.expected.begin(), d.expected.end(), d.device->device_class) != d.expected.end())
            d.placement = Placement::placed;
        else d.placement = Placement::misplaced;
        ++v.by_class[d.device ? d.device->device_class : std::string("unknown")];
        (d.placement == Placement::placed ? v.placed : d.placement == Placement::misplaced ? v.misplaced : v.unknown)++;
        if (d.placement == Placement::unknown && !d.port_class.empty()) {
            d.critical_port = critical(d.port_class);
            if (d.critical_port) ++v.critical_unknown;
        }
    }

    // The sightings of d's MAC other than its own port, each (switch, port, VLAN) once.
    std::vector<Sighting> elsewhere(const PlacedDevice& d) const {
        std::vector<Sighting> out;
        auto it = sightings_.find(d.mac);
        if (it == sightings_.end()) return out;
        for (const auto& s : it->second) {
            bool own = s.switch_name == d.switch_name && s.port == d.port && s.vlan == d.vlan;
            bool repeated = std::any_of(out.begin(), out.end(), [&](const Sighting& o) {
                return o.switch_name == s.switch_name && o.port == s.port && o.vlan == s.vlan;
            });
            if (!own && !repeated) out.push_back(s);
        }
        return out;
    }

    const Policy& policy_;
    const Inventory& inventory_;
    std::map<int, std::vector<std::string>> policy_vlans_;
    std::map<VlanKey, PlacedDevice> devices_;
    std::map<MacAddress, std::vector<Sighting>> sightings_;  // edge ports, table order
    std::set<MacAddress> seen_macs_;                         // every entry, trunks included
};

SwitchPlacement describe(const SwitchMacTable& t) {
    SwitchPlacement s;
    s.name = t.switch_name;
    s.source = t.source;
    s.read = t.table.has_value();
    s.not_read_reason = t.not_read_reason;
    s.required = t.required;
    s.notes = t.notes;
    if (t.table) {
        s.skipped_lines = t.table->skipped_lines;
        s.warnings = t.table->warnings;
    }
    return s;
}

}  // namespace

PlacementReport analyse_placement(const Policy& policy, const Inventory& inventory,
                                  const std::vector<SwitchMacTable>& tables) {
    PlacementReport report;
    report.policy_name = policy.name();
    report.inventory_file = inventory.file;
    report.inventory_devices = inventory.devices.size();
    report.column_mapped = inventory.column_mapped;
    report.unmapped = inventory.unmapped;
    PlacementBuilder builder(policy, inventory);
    for (const auto& t : tables) {
        SwitchPlacement s = describe(t);
        const Switch* sw = policy.find_switch(t.switch_name);
        if (t.table && sw) builder.add_switch(*sw, t, s);
        else if (t.table) s.warnings.push_back(ParseWarning{0, t.switch_name, "switch not in the policy; table ignored"});
        report.switches.push_back(std::move(s));
    }
    report.vlans = builder.finish();
    report.inventory_seen = builder.inventory_seen();
    report.never_seen = builder.never_seen();
    return report;
}

}  // namespace microseg
