// Lint: designs that compile but that a reviewer would question. Warnings only (exit 0).
#include <algorithm>
#include <map>
#include <set>

#include "compiler/build.hpp"
#include "compiler/diagnostic_kinds.hpp"
#include "model/acl.hpp"

namespace microseg::compiler {
namespace {

void lint_mixed_vlans(const Build& b, Diagnostics& diags) {
    // VLAN id -> (first critical class, first entry class); warn once per VLAN.
    std::map<int, std::pair<std::optional<std::size_t>, std::optional<std::size_t>>> by_vlan;
    for (std::size_t i = 0; i < b.policy.classes.size(); ++i) {
        const auto& c = b.policy.classes[i];
        if (!c.vlan || c.external) continue;
        auto& [critical, entry] = by_vlan[*c.vlan];
        bool is_critical = c.criticality == Criticality::life || c.criticality == Criticality::high;
        if (is_critical && !critical) critical = i;
        if (c.entry && !entry) entry = i;
    }
    for (const auto& [id, pair] : by_vlan) {
        if (!pair.first || !pair.second || *pair.first == *pair.second) continue;
        std::size_t later = std::max(*pair.first, *pair.second);
        const auto& crit = b.policy.classes[*pair.first];
        diags.warning(b.class_sites[later].vlan, kinds::mixed_vlan,
                      fmt::format("VLAN {} mixes {}-criticality class '{}' with entry class '{}': they reach "
                                  "each other on every service", id, crit.criticality, crit.name,
                                  b.policy.classes[*pair.second].name));
    }
}

// The internet (a /0 subnet) publishing a service (a patient portal in a DMZ) is a standing
// arrangement; any other external range (a vendor VPN, a partner) is access granted to
// someone, which should end: those flows want an expires date.
bool is_internet(const DeviceClass& c) {
    return std::any_of(c.subnets.begin(), c.subnets.end(), [](const Cidr& n) { return n.prefix_len == 0; });
}

std::string_view protected_label(const DeviceClass& c) { return c.phi ? "patient-data (phi)" : "life-critical"; }

// A flow from where an attacker starts straight into a life or phi class: a one-hop path.
void lint_entry_to_protected(const DeviceClass& from, const DeviceClass& to, const FlowRule& f, Diagnostics& diags) {
    if (!to.phi && to.criticality != Criticality::life) return;
    if (from.external)
        diags.warning(f.location, kinds::external_to_protected,
                      fmt::format("flow from external class '{}' to {} class '{}'", f.from, protected_label(to), f.to));
    else if (from.entry)
        diags.warning(f.location, kinds::entry_to_protected,
                      fmt::format("flow from entry class '{}' to {} class '{}'", f.from, protected_label(to), f.to));
}

// One warning per flow item and service, though the item may have expanded to many rules.
void lint_flows(const Build& b, Diagnostics& diags) {
    std::set<std::tuple<std::string, int, int, std::string>> said;
    auto once = [&](const FlowRule& f, const std::string& what) {
        return said.emplace(f.location.file, f.location.line, f.location.column, what).second;
    };
    for (const auto& f : b.policy.flows) {
        for (const auto& s : f.services) {
            const Service* svc = b.find_service(s);
            if (!svc || !svc->clear_text || svc->tls_twin.empty() || !b.service_names.count(svc->tls_twin)) continue;
            if (once(f, "clear:" + s))
                diags.warning(f.location, kinds::clear_text,
                              fmt::format("flow allows clear-text service '{}'; its encrypted twin '{}' exists", s,
                                          svc->tls_twin));
        }
        const DeviceClass* from = b.find_class(f.from);
        const DeviceClass* to = b.find_class(f.to);
        if (!from || !to) continue;
        if (once(f, "entry:" + f.from + ">" + f.to)) lint_entry_to_protected(*from, *to, f, diags);
        if (from->external && !to->external && !is_internet(*from) && !f.expires &&
            once(f, "no-expiry:" + f.from + ">" + f.to))
            diags.warning(f.location, kinds::external_without_expires,
                          fmt::format("flow from external class '{}' to '{}' has no expires: access from "
                                      "outside should end on a date", f.from, f.to));
    }
}

void lint_classes(const Build& b, Diagnostics& diags) {
    std::size_t internal = 0;
    std::set<int> vlans;
    for (const auto& c : b.policy.classes) {
        if (c.external) continue;
        ++internal;
        if (c.vlan) vlans.insert(*c.vlan);
        if (c.criticality == Criticality::life && !c.isolate)
            diags.warning(c.location, kinds::life_not_isolated,
                          fmt::format("life-critical class '{}' is not isolate: its devices reach each other on "
                                      "every service", c.name));
        if (!b.policy.switches.empty() && !b.classes_with_ports.count(c.name))
            diags.warning(c.location, kinds::no_ports, fmt::format("class '{}' has no switch port", c.name));
    }
    if (internal > vlans.size() && !b.policy.classes.empty())
        diags.warning({b.policy.source_file, 1, 1}, kinds::classes_share_vlans,
                      fmt::format("{} internal device classes share {} VLANs: classes in one VLAN reach each "
                                  "other unfiltered", internal, vlans.size()));
}

void lint_services(const Build& b, Diagnostics& diags) {
    for (const auto& s : b.policy.services)
        if (!s.builtin && find_builtin_service(s.name))
            diags.warning(s.location, kinds::shadows_builtin,
                          fmt::format("service '{}' replaces the built-in service of that name", s.name));
}

// DESIGN.md, "Return traffic": a stateless gateway passes only replies from the service port,
// so a service whose server opens traffic of its own (tftp, active ftp) breaks there. Either
// end's gateway may stand in the way (tftp's client sends to the server's new port too).
void lint_stateless_services(const Build& b, Diagnostics& diags) {
    std::map<std::string, const Switch*> stateless;  // class -> its gateway, when it has no conntrack
    for (const auto& sw : b.policy.switches)
        if (!sw.platform_info().conntrack)
            for (const auto& c : sw.gateway_for) stateless.emplace(c, &sw);
    std::set<std::tuple<std::string, int, int, std::string>> said;
    for (const auto& f : b.policy.flows) {
        const DeviceClass* from = b.find_class(f.from);
        const DeviceClass* to = b.find_class(f.to);
        if (!from || !to || same_l2_domain(*from, *to)) continue;
        auto gw = stateless.find(f.to);
        if (gw == stateless.end()) gw = stateless.find(f.from);
        if (gw == stateless.end()) continue;
        for (const auto& s : f.services) {
            const Service* svc = b.find_service(s);
            if (!svc || !svc->needs_conntrack) continue;
            if (said.emplace(f.location.file, f.location.line, f.location.column, s).second)
                diags.warning(f.location, kinds::needs_conntrack,
                              fmt::format("service '{}' cannot work through {} ({}, no conntrack): its server "
                                          "opens traffic that no reply entry permits",
                                          s, gw->second->name, gw->second->platform_info().name));
        }
    }
}

}  // namespace

void run_lint(const Build& build, Diagnostics& diags) {
    lint_mixed_vlans(build, diags);
    lint_flows(build, diags);
    lint_classes(build, diags);
    lint_services(build, diags);
    lint_stateless_services(build, diags);
}

}  // namespace microseg::compiler
