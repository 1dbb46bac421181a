#include "tests/support/policy_changes.hpp"

#include <algorithm>
#include <set>

#include <fmt/format.h>

namespace microseg::testing {
namespace {

// Set by changed_policy: the platform whose switches the change must touch, if any.
thread_local std::optional<PlatformId> g_platform;

bool on_platform(const Switch& sw) { return !g_platform || sw.platform == *g_platform; }

bool has_gateway(const PolicyParts& parts, const std::string& cls, bool on_wanted_platform = false) {
    return std::any_of(parts.switches.begin(), parts.switches.end(), [&](const Switch& sw) {
        return (!on_wanted_platform || on_platform(sw)) &&
               std::find(sw.gateway_for.begin(), sw.gateway_for.end(), cls) != sw.gateway_for.end();
    });
}

// An internal class with a VLAN and a gateway: what a flow between VLANs needs.
bool routed_class(const PolicyParts& parts, const DeviceClass& c) {
    return !c.external && c.vlan && has_gateway(parts, c.name);
}

std::optional<std::string> add_flow(PolicyParts& parts) {
    for (const auto& a : parts.classes)
        for (const auto& b : parts.classes) {
            if (!routed_class(parts, a) || !routed_class(parts, b) || a.vlan == b.vlan) continue;
            if (!has_gateway(parts, a.name, true) && !has_gateway(parts, b.name, true)) continue;
            bool exists = std::any_of(parts.flows.begin(), parts.flows.end(),
                                      [&](const FlowRule& f) { return f.from == a.name && f.to == b.name; });
            if (exists) continue;
            FlowRule f;
            f.from = a.name;
            f.to = b.name;
            f.services = {"https"};
            f.reason = "added by the plan tests";
            parts.flows.push_back(f);
            return fmt::format("flow {} -> {} (https) added", a.name, b.name);
        }
    return std::nullopt;
}

std::optional<std::string> remove_flow(PolicyParts& parts) {
    for (auto it = parts.flows.begin(); it != parts.flows.end(); ++it) {
        auto cls = [&](const std::string& n) {
            return std::find_if(parts.classes.begin(), parts.classes.end(), [&](const DeviceClass& c) { return c.name == n; });
        };
        auto from = cls(it->from), to = cls(it->to);
        if (from == parts.classes.end() || to == parts.classes.end()) continue;
        if (!routed_class(parts, *from) || !routed_class(parts, *to) || from->vlan == to->vlan) continue;
        if (!has_gateway(parts, from->name, true) && !has_gateway(parts, to->name, true)) continue;
        auto what = fmt::format("flow {} -> {} removed", it->from, it->to);
        parts.flows.erase(it);
        return what;
    }
    return std::nullopt;
}

bool has_ports(const PolicyParts& parts, const std::string& cls) {
    for (const auto& sw : parts.switches)
        for (const auto& p : sw.ports)
            if (p.device_class == cls && on_platform(sw)) return true;
    return false;
}

std::optional<std::string> move_class(PolicyParts& parts) {
    std::set<int> used;
    for (const auto& c : parts.classes)
        if (c.vlan) used.insert(*c.vlan);
    for (const auto& sw : parts.switches) {
        for (const auto& t : sw.trunks) used.insert(t.vlans.begin(), t.vlans.end());
        if (sw.management_vlan) used.insert(*sw.management_vlan);
    }
    int fresh = 2;
    while (used.count(fresh)) ++fresh;
    for (auto& c : parts.classes) {
        if (!routed_class(parts, c) || !has_ports(parts, c.name) || c.management) continue;
        int old_vlan = *c.vlan;
        bool shared = std::count_if(parts.classes.begin(), parts.classes.end(),
                                    [&](const DeviceClass& o) { return o.vlan == c.vlan; }) > 1;
        if (shared) continue;
        c.vlan = fresh;
        for (auto& sw : parts.switches)
            for (auto& t : sw.trunks)
                if (std::find(t.vlans.begin(), t.vlans.end(), old_vlan) != t.vlans.end()) {
                    std::replace(t.vlans.begin(), t.vlans.end(), old_vlan, fresh);
                    std::sort(t.vlans.begin(), t.vlans.end());
                }
        return fmt::format("class {} moved from VLAN {} to VLAN {}", c.name, old_vlan, fresh);
    }
    return std::nullopt;
}

std::optional<std::string> move_port(PolicyParts& parts) {
    for (auto& sw : parts.switches) {
        if (sw.ports.size() < 2 || !on_platform(sw)) continue;
        for (auto& p : sw.ports)
            for (const auto& other : sw.ports)
                if (other.device_class != p.device_class) {
                    auto what = fmt::format("{} port {} moved from {} to {}", sw.name, p.interface, p.device_class,
                                            other.device_class);
                    p.device_class = other.device_class;
                    return what;
                }
    }
    return std::nullopt;
}

}  // namespace

std::string_view to_string(PolicyChange c) {
    switch (c) {
        case PolicyChange::flow_added: return "flow added";
        case PolicyChange::flow_removed: return "flow removed";
        case PolicyChange::class_moved_vlan: return "class moved to another VLAN";
        case PolicyChange::port_moved: return "port moved";
    }
    return "?";
}

std::optional<std::pair<PolicyParts, std::string>> changed_policy(const PolicyParts& original, PolicyChange change,
                                                                  std::optional<PlatformId> on) {
    PolicyParts parts = original;
    g_platform = on;
    std::optional<std::string> what;
    switch (change) {
        case PolicyChange::flow_added: what = add_flow(parts); break;
        case PolicyChange::flow_removed: what = remove_flow(parts); break;
        case PolicyChange::class_moved_vlan: what = move_class(parts); break;
        case PolicyChange::port_moved: what = move_port(parts); break;
    }
    if (!what) return std::nullopt;
    parts.version_hash += "-changed";
    return std::pair{std::move(parts), *what};
}

}  // namespace microseg::testing
