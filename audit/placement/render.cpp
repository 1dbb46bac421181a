// The placement report as text for people and JSON for tools. Deterministic: switches in
// policy order, VLANs by id, devices by MAC.

#include <cmath>

#include "audit/placement/placement.hpp"
#include "model/json.hpp"
#include "model/printable.hpp"

namespace microseg {
namespace {

constexpr std::size_t kWarningsShown = 10;
constexpr std::size_t kSightingsShown = 5;    // per device: enough to walk to, short enough to read
constexpr std::size_t kNeverSeenShown = 20;

int percent(std::size_t part, std::size_t whole) {
    if (whole == 0) return 0;
    return static_cast<int>(std::lround(100.0 * static_cast<double>(part) / static_cast<double>(whole)));
}

std::string paint(bool colour, std::string_view code, std::string_view text) {
    return colour ? fmt::format("\x1b[{}m{}\x1b[0m", code, text) : std::string(text);
}

std::string device_label(const PlacedDevice& d) {
    if (!d.device) return d.mac.str();
    std::string out = d.mac.str();
    if (d.device->ip) out += " " + d.device->ip->str();
    if (!d.device->name.empty()) out += " " + d.device->name;
    return out;
}

std::string where(const PlacedDevice& d) {
    std::string out = fmt::format("{} {}", d.switch_name, d.port);
    if (d.seen_elsewhere.empty() && d.other_sightings > 0) out += fmt::format(" (and {} other port(s))", d.other_sightings);
    return out;
}

// "; also seen on acc-icu-02 Gi1/0/3 (VLAN 200), ..."
std::string also_seen(const PlacedDevice& d) {
    if (d.seen_elsewhere.empty()) return "";
    std::vector<std::string> places;
    for (std::size_t i = 0; i < d.seen_elsewhere.size() && i < kSightingsShown; ++i) {
        const auto& s = d.seen_elsewhere[i];
        places.push_back(fmt::format("{} {} (VLAN {})", s.switch_name, s.port, s.vlan));
    }
    std::string out = fmt::format("; also seen on {}", fmt::join(places, ", "));
    if (d.seen_elsewhere.size() > kSightingsShown)
        out += fmt::format(" and {} more", d.seen_elsewhere.size() - kSightingsShown);
    return out;
}

// "VLAN 110 infusion-pump: 212 devices, 69% where the policy says; 31% not infusion-pump (58 misplaced, 8 unknown)"
std::string vlan_summary(const VlanPlacement& v) {
    std::size_t total = v.devices.size();
    if (!v.in_policy)
        return fmt::format("VLAN {} (not in the policy): {} device(s), {} in the inventory, {} unknown", v.id, total,
                           total - v.unknown, v.unknown);
    int placed = percent(v.placed, total);  // the two shares add up to 100 after rounding
    std::string line = fmt::format("VLAN {} {}: {} device(s), {}% where the policy says", v.id, v.name(), total, placed);
    if (v.misplaced + v.unknown > 0)
        line += fmt::format("; {}% not {} ({} misplaced, {} unknown)", 100 - placed,
                            fmt::join(v.classes, " or "), v.misplaced, v.unknown);
    return line;
}

void render_switch(std::string& out, const SwitchPlacement& s) {
    if (!s.read) {
        out += fmt::format("  {}: {}: {}\n", s.name, s.required ? "not read" : "not checked", printable(s.not_read_reason));
        return;
    }
    out += fmt::format("  {}: {} device entr{} from {}", s.name, s.entries, s.entries == 1 ? "y" : "ies", s.source);
    if (s.trunk_entries) out += fmt::format(", {} learned on trunks (ignored)", s.trunk_entries);
    if (!s.warnings.empty()) out += fmt::format(", {} line(s) not understood", s.warnings.size());
    out += "\n";
    for (const auto& n : s.notes) out += fmt::format("    note: {}\n", printable(n));
    for (std::size_t i = 0; i < s.warnings.size() && i < kWarningsShown; ++i)
        out += fmt::format("    line {}: {} ({})\n", s.warnings[i].line, printable(s.warnings[i].text), printable(s.warnings[i].reason));
    if (s.warnings.size() > kWarningsShown) out += fmt::format("    ... {} more\n", s.warnings.size() - kWarningsShown);
}

void render_vlan(std::string& out, const VlanPlacement& v, bool colour) {
    out += vlan_summary(v) + "\n";
    std::vector<std::string> classes;
    for (const auto& [c, n] : v.by_class) classes.push_back(fmt::format("{} {}", c, n));
    out += fmt::format("  by class: {}\n", fmt::join(classes, ", "));
    for (const auto& d : v.devices) {
        if (d.placement == Placement::misplaced) {
            std::string belongs = d.port_class.empty()
                                      ? (v.in_policy ? fmt::format("VLAN {} is for {}", v.id, v.name()) : "VLAN not in the policy")
                                      : fmt::format("a port for {}", d.port_class);
            out += fmt::format("  {} {} ({}) on {}: {}{}\n", paint(colour, "31", "misplaced:"), device_label(d),
                               d.device->device_class, where(d), belongs, also_seen(d));
        } else if (d.placement == Placement::unknown) {
            std::string critical = d.critical_port ? fmt::format(": a port for {} (life or phi)", d.port_class) : "";
            out += fmt::format("  {} {} on {}{}{}\n", paint(colour, d.critical_port ? "31" : "33", "unknown:"),
                               d.mac.str(), where(d), critical, also_seen(d));
        }
    }
}

// Devices the inventory lists that no table holds: gone, switched off, or behind a switch that
// was not read.
void render_never_seen(std::string& out, const PlacementReport& r) {
    if (r.never_seen.empty()) return;
    out += fmt::format("not in any MAC table: {} of {} inventory device(s)\n", r.never_seen.size(), r.inventory_devices);
    for (std::size_t i = 0; i < r.never_seen.size() && i < kNeverSeenShown; ++i) {
        const auto& d = r.never_seen[i];
        std::string label = d.mac.str();
        if (d.ip) label += " " + d.ip->str();
        if (!d.name.empty()) label += " " + d.name;
        out += fmt::format("  never seen: {} ({}), inventory line {}\n", label, d.device_class, d.line);
    }
    if (r.never_seen.size() > kNeverSeenShown) out += fmt::format("  ... {} more\n", r.never_seen.size() - kNeverSeenShown);
}

// Rows of a NAC export that named no class of the policy (or no usable MAC): their devices, if
// seen, count as unknown, so the operator needs to see which rows to map.
void render_unmapped(std::string& out, const PlacementReport& r) {
    if (!r.column_mapped) return;
    out += fmt::format("unmapped inventory rows: {} ({} mapped)\n", r.unmapped.size(), r.inventory_devices);
    for (std::size_t i = 0; i < r.unmapped.size() && i < kNeverSeenShown; ++i) {
        const auto& u = r.unmapped[i];
        out += fmt::format("  unmapped: {}:{}: MAC '{}', profile '{}': {}\n", r.inventory_file, u.line, printable(u.mac),
                           printable(u.profile), u.reason);
    }
    if (r.unmapped.size() > kNeverSeenShown) out += fmt::format("  ... {} more\n", r.unmapped.size() - kNeverSeenShown);
}

}  // namespace

std::string render_placement_text(const PlacementReport& r, bool colour) {
    std::string out = fmt::format("placement of {} against {} ({} devices in the inventory, {} seen)\n", r.policy_name,
                                  r.inventory_file, r.inventory_devices, r.inventory_seen);
    for (const auto& s : r.switches) render_switch(out, s);
    for (const auto& v : r.vlans) render_vlan(out, v, colour);
    render_never_seen(out, r);
    render_unmapped(out, r);
    std::size_t total = r.devices(), placed = total - r.misplaced() - r.unknown();
    out += fmt::format("total: {} device(s), {} where the policy says ({}%), {} misplaced, {} unknown", total, placed,
                       percent(placed, total), r.misplaced(), r.unknown());
    if (r.critical_unknown() > 0) out += fmt::format(" ({} on a life or phi port)", r.critical_unknown());
    return out + "\n";
}

namespace {

void json_switch(JsonWriter& j, const SwitchPlacement& s) {
    j.begin_object().field("name", s.name).field("source", s.source).field("read", s.read);
    if (!s.read) j.field("required", s.required).field("reason", s.not_read_reason);
    j.field("entries", s.entries).field("trunk_entries_ignored", s.trunk_entries).field("skipped_lines", s.skipped_lines);
    j.key("notes").begin_array();
    for (const auto& n : s.notes) j.value(n);
    j.end_array().key("warnings").begin_array();
    for (const auto& w : s.warnings)
        j.begin_object().field("line", w.line).field("text", w.text).field("reason", w.reason).end_object();
    j.end_array().end_object();
}

void json_device(JsonWriter& j, const PlacedDevice& d) {
    j.begin_object().field("mac", d.mac.str()).field("placement", to_string(d.placement));
    if (d.device) {
        j.field("class", d.device->device_class).field("name", d.device->name);
        if (d.device->ip) j.field("ip", d.device->ip->str());
        j.field("inventory_line", d.device->line);
    }
    j.field("switch", d.switch_name).field("port", d.port);
    if (!d.port_class.empty()) j.field("port_class", d.port_class);
    j.key("expected").begin_array();
    for (const auto& c : d.expected) j.value(c);
    j.end_array().field("source", d.source).field("line", d.line).field("other_sightings", d.other_sightings);
    if (d.placement == Placement::unknown) j.field("critical_port", d.critical_port);
    j.key("seen_elsewhere").begin_array();
    for (const auto& s : d.seen_elsewhere)
        j.begin_object().field("switch", s.switch_name).field("port", s.port).field("vlan", s.vlan).end_object();
    j.end_array().end_object();
}

void json_never_seen(JsonWriter& j, const InventoryDevice& d) {
    j.begin_object().field("mac", d.mac.str()).field("class", d.device_class).field("name", d.name);
    if (d.ip) j.field("ip", d.ip->str());
    j.field("inventory_line", d.line).end_object();
}

void json_vlan(JsonWriter& j, const VlanPlacement& v) {
    j.begin_object().field("id", v.id).field("in_policy", v.in_policy).key("classes").begin_array();
    for (const auto& c : v.classes) j.value(c);
    j.end_array().field("devices", v.devices.size()).field("placed", v.placed).field("misplaced", v.misplaced);
    j.field("unknown", v.unknown).field("placed_share", std::round(v.placed_share() * 1000.0) / 1000.0);
    j.field("summary", vlan_summary(v)).key("by_class").begin_object();
    for (const auto& [c, n] : v.by_class) j.field(c, n);
    j.end_object().key("device_list").begin_array();
    for (const auto& d : v.devices) json_device(j, d);
    j.end_array().end_object();
}

}  // namespace

std::string render_placement_json(const PlacementReport& r) {
    JsonWriter j;
    j.begin_object().field("policy", r.policy_name).field("inventory", r.inventory_file);
    j.field("inventory_devices", r.inventory_devices).field("inventory_seen", r.inventory_seen);
    j.field("devices", r.devices()).field("misplaced", r.misplaced()).field("unknown", r.unknown());
    j.field("critical_unknown", r.critical_unknown()).field("exit_code", r.exit_code()).key("never_seen").begin_array();
    for (const auto& d : r.never_seen) json_never_seen(j, d);
    j.end_array();
    if (r.column_mapped) {
        j.field("unmapped_count", r.unmapped.size()).key("unmapped").begin_array();
        for (const auto& u : r.unmapped)
            j.begin_object().field("file", r.inventory_file).field("line", u.line).field("mac", u.mac)
                .field("profile", u.profile).field("reason", u.reason).end_object();
        j.end_array();
    }
    j.key("switches").begin_array();
    for (const auto& s : r.switches) json_switch(j, s);
    j.end_array().key("vlans").begin_array();
    for (const auto& v : r.vlans) json_vlan(j, v);
    j.end_array().end_object();
    return j.str() + "\n";
}

}  // namespace microseg
