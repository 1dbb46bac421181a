#include "audit/drift/drift.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "model/acl_diff.hpp"
#include "model/interface_name.hpp"
#include "model/isolation_acl.hpp"
#include "model/naming.hpp"

namespace microseg {
namespace {

class SwitchDiff {
public:
    SwitchDiff(const SwitchIntent& intent, const ParsedConfig& live) : want_(intent), have_(live) {}

    std::vector<DriftFinding> run() {
        vlans();
        ports();
        trunks();
        svis();
        outbound_acls();
        return std::move(out_);
    }

private:
    void add(DriftKind k, DriftImpact i, std::string subject, std::string message, int line = 0,
             std::optional<Packet> example = std::nullopt) {
        out_.push_back({k, i, std::move(subject), std::move(message), line, std::move(example)});
    }

    int line_of(const std::string& interface) const { return have_.interface_line(interface); }
    const Uncertainty* uncertain(UncertainKind kind, std::string_view interface) const {
        return have_.uncertainty(kind, interface);
    }
    // Adds a finding that `doubt` may make wrong: "unknown", saying why and where.
    void add_doubtful(const Uncertainty* doubt, DriftKind k, DriftImpact i, std::string subject,
                      std::string message, int line = 0, std::optional<Packet> example = std::nullopt) {
        if (doubt) {
            i = DriftImpact::unknown;
            message += fmt::format("; unknown: {} (line {})", doubt->reason, doubt->line);
        }
        add(k, i, std::move(subject), std::move(message), line, std::move(example));
    }
    void outbound_acls();

    void vlans();
    void ports();
    void isolation_acl(const AccessPortIntent& want, const AccessPortIntent& have);
    void trunks();
    void svis();
    void acl(const SviIntent& want, const SviIntent& have);

    const SwitchIntent& want_;
    const ParsedConfig& have_;
    std::vector<DriftFinding> out_;
    std::set<std::string> isolation_acls_checked_;  // by config name: one verdict per ACL
};

// A platform whose VLAN names allow fewer characters (Junos: no '+') carries the name as its
// emitter writes it (model/naming.hpp): that name is the intended one, not a rename.
bool same_vlan_name(PlatformId platform, const VlanIntent& intent, const std::string& live) {
    return live == intent.name || live == platform_vlan_name(platform, intent.id, intent.name);
}

void SwitchDiff::vlans() {
    std::map<int, const VlanIntent*> live;
    for (const auto& v : have_.as_built.vlans) live[v.id] = &v;
    for (const auto& v : want_.vlans) {
        auto it = live.find(v.id);
        if (it == live.end()) {
            add(DriftKind::vlan_missing, DriftImpact::outage, fmt::format("VLAN {}", v.id),
                fmt::format("VLAN {} ({}) is not defined", v.id, v.name));
            continue;
        }
        if (!same_vlan_name(want_.platform, v, it->second->name) && !v.name.empty())
            add(DriftKind::vlan_renamed, DriftImpact::hygiene, fmt::format("VLAN {}", v.id),
                fmt::format("VLAN {} is named '{}', intent '{}'", v.id, it->second->name, v.name));
        live.erase(it);
    }
    for (const auto& [id, v] : live)
        if (id != 1)  // the default VLAN exists on every switch
            add(DriftKind::vlan_extra, DriftImpact::hygiene, fmt::format("VLAN {}", id),
                fmt::format("VLAN {} ('{}') is not in the policy", id, v->name));
}

// The live config's items by canonical interface name (model/interface_name.hpp): the policy
// says "Gi1/0/1", the switch prints "GigabitEthernet1/0/1".
template <class Item>
std::map<std::string, const Item*> by_canonical_name(PlatformId platform, const std::vector<Item>& items) {
    std::map<std::string, const Item*> out;
    for (const auto& item : items) out[canonical_interface(platform, item.interface)] = &item;
    return out;
}

void SwitchDiff::ports() {
    auto live = by_canonical_name(want_.platform, have_.as_built.access_ports);
    std::set<int> policy_vlans;
    for (const auto& v : want_.vlans) policy_vlans.insert(v.id);
    for (const auto& p : want_.access_ports) {
        auto it = live.find(canonical_interface(want_.platform, p.interface));
        if (it == live.end()) {
            add_doubtful(uncertain(UncertainKind::interface_config, p.interface), DriftKind::port_missing,
                         DriftImpact::outage, p.interface,
                         fmt::format("{} should be an access port in VLAN {} ({}) and is not", p.interface,
                         p.vlan, p.device_class));
            continue;
        }
        const auto& l = *it->second;
        const std::string& name = l.interface;  // reports use the device's own spelling
        const auto* doubt = uncertain(UncertainKind::interface_config, name);
        if (l.vlan != p.vlan)
            add_doubtful(doubt, DriftKind::port_wrong_vlan, DriftImpact::exposure, name,
                         fmt::format("{} is in VLAN {}, intent VLAN {} ({}): its device sits in the wrong "
                         "segment", name, l.vlan, p.vlan, p.device_class),
                         line_of(name));
        else if (p.isolated && !l.isolated)
            add_doubtful(doubt ? doubt : uncertain(UncertainKind::port_isolation, name), DriftKind::port_not_isolated,
                         DriftImpact::exposure, name,
                         fmt::format("isolation removed from {} ({}): the port carries no isolation port ACL, "
                         "so members of the class reach each other through it", name, p.device_class),
                         line_of(name));
        else if (p.isolated)
            isolation_acl(p, l);
        live.erase(it);
    }
    for (const auto& [canonical, l] : live)
        if (policy_vlans.count(l->vlan))
            add_doubtful(uncertain(UncertainKind::interface_config, l->interface), DriftKind::port_unexpected,
                         DriftImpact::exposure, l->interface,
                         fmt::format("{} is an access port in VLAN {} but the policy lists no device class "
                         "on it", l->interface, l->vlan), line_of(l->interface));
}

std::string vlan_set_text(const std::vector<int>& ids) {
    if (ids.empty()) return "none";
    std::string out;
    for (std::size_t i = 0; i < ids.size();) {
        std::size_t j = i;
        while (j + 1 < ids.size() && ids[j + 1] == ids[j] + 1) ++j;
        out += fmt::format("{}{}", out.empty() ? "" : ",",
                           i == j ? fmt::format("{}", ids[i]) : fmt::format("{}-{}", ids[i], ids[j]));
        i = j + 1;
    }
    return out;
}

// The parsers accept an isolation ACL by its name and shape; an added `permit ip any host
// <member>` keeps both, so its entries are compared with the intent's, packet by packet.
void SwitchDiff::isolation_acl(const AccessPortIntent& want, const AccessPortIntent& have) {
    auto name = have_.isolation_acl_of.find(have.interface);
    if (name == have_.isolation_acl_of.end() || !isolation_acls_checked_.insert(name->second).second) return;
    auto named = [](const std::vector<Acl>& acls, const std::string& n) -> const Acl* {
        auto it = std::find_if(acls.begin(), acls.end(), [&](const Acl& a) { return a.name == n; });
        return it == acls.end() ? nullptr : &*it;
    };
    const Acl* live = named(have_.as_built.isolation_acls, name->second);
    const Acl* intended = named(want_.isolation_acls, isolation_acl_name(want.device_class));
    if (!live || !intended) return;
    auto acl_line = have_.acls.count(name->second) ? have_.acls.at(name->second).line : line_of(have.interface);
    auto comparison = compare_acls(intended->entries, live->entries);
    for (const auto& d : comparison.differences) {
        bool exposure = d.kind == AclDifferenceKind::exposure;
        add(DriftKind::port_not_isolated, !comparison.complete ? DriftImpact::unknown
                                                               : (exposure ? DriftImpact::exposure : DriftImpact::outage),
            name->second,
            fmt::format("isolation ACL {} ({}) {}: {}", name->second, want.device_class,
                        exposure ? "permits what isolation drops" : "drops what isolation permits", d.example.str()),
            acl_line, d.example);
    }
}

void SwitchDiff::trunks() {
    auto live = by_canonical_name(want_.platform, have_.as_built.trunks);
    for (const auto& t : want_.trunks) {
        auto it = live.find(canonical_interface(want_.platform, t.interface));
        if (it == live.end()) {
            add_doubtful(uncertain(UncertainKind::interface_config, t.interface), DriftKind::trunk_missing,
                         DriftImpact::outage, t.interface,
                         fmt::format("{} should be a trunk carrying {}", t.interface, vlan_set_text(t.vlans.ids())));
            continue;
        }
        std::vector<int> extra, missing;
        const auto& have = it->second->vlans;
        const std::string& name = it->second->interface;
        const auto* doubt = uncertain(UncertainKind::interface_config, name);
        std::set_difference(have.begin(), have.end(), t.vlans.begin(), t.vlans.end(), std::back_inserter(extra));
        std::set_difference(t.vlans.begin(), t.vlans.end(), have.begin(), have.end(), std::back_inserter(missing));
        if (!extra.empty())
            add_doubtful(doubt, DriftKind::trunk_vlans, DriftImpact::exposure, name,
                         fmt::format("{} also carries VLANs {}: those segments extend further than intended",
                         name, vlan_set_text(extra)), line_of(name));
        if (!missing.empty())
            add_doubtful(doubt, DriftKind::trunk_vlans, DriftImpact::outage, name,
                         fmt::format("{} does not carry VLANs {}", name, vlan_set_text(missing)), line_of(name));
    }
}

// The live SVI has the intended addresses, subnet by subnet in order; where the live one is a
// shared virtual gateway (HSRP, VRRP, VARP), the policy may name it or the switch's own address.
bool same_gateway(const std::vector<SviAddress>& want, const SviIntent& have, const ParsedSvi& parsed) {
    if (want.size() != have.addresses.size()) return false;
    for (std::size_t i = 0; i < want.size(); ++i) {
        if (want[i] == have.addresses[i]) continue;
        if (std::find(parsed.own_addresses.begin(), parsed.own_addresses.end(), want[i]) == parsed.own_addresses.end() ||
            want[i].subnet != have.addresses[i].subnet)
            return false;
    }
    return true;
}

void SwitchDiff::svis() {
    std::map<int, const SviIntent*> live;
    for (const auto& s : have_.as_built.svis) live[s.vlan] = &s;
    for (const auto& s : want_.svis) {
        auto subject = fmt::format("Vlan{}", s.vlan);
        auto it = live.find(s.vlan);
        if (it == live.end()) {
            add(DriftKind::svi_missing, DriftImpact::outage, subject,
                fmt::format("no SVI for VLAN {}: its classes have no gateway here", s.vlan));
            continue;
        }
        if (!same_gateway(s.addresses, *it->second, have_.svis.at(s.vlan)))
            add_doubtful(uncertain(UncertainKind::svi_address, subject), DriftKind::svi_address,
                         DriftImpact::outage, subject,
                         fmt::format("SVI addresses of VLAN {} differ from the intent", s.vlan), line_of(subject));
        acl(s, *it->second);
    }
}

void SwitchDiff::acl(const SviIntent& want, const SviIntent& have) {
    auto subject = fmt::format("ACL on Vlan{}", want.vlan);
    const auto& parsed_svi = have_.svis.at(have.vlan);
    int svi_line = parsed_svi.line;
    if (have.acl.name.empty()) {
        add(DriftKind::acl_not_applied, DriftImpact::exposure, subject,
            fmt::format("no inbound ACL on Vlan{}: everything from VLAN {} is routed unfiltered",
                        want.vlan, want.vlan), svi_line);
        return;
    }
    if (!parsed_svi.acl_exists) {
        add(DriftKind::acl_undefined, DriftImpact::exposure, subject,
            fmt::format("Vlan{} applies ACL '{}', which is not defined: the switch permits everything",
                        want.vlan, have.acl.name), svi_line);
        return;
    }
    const auto& parsed_acl = have_.acls.at(have.acl.name);
    auto comparison = compare_acls(want.acl.entries, have.acl.entries);
    bool unknown = !parsed_acl.fully_understood || !comparison.complete;
    for (const auto& d : comparison.differences) {
        bool exposure = d.kind == AclDifferenceKind::exposure;
        int line = d.live_entry == kImplicitDeny ? parsed_acl.line : parsed_acl.entry_lines.at(d.live_entry);
        // What an SVI routes into a VLAN whose SVI filters outbound may yet be dropped there.
        add_doubtful(exposure ? have_.outbound_acl_towards(d.example.destination) : nullptr,
                     exposure ? DriftKind::acl_exposure : DriftKind::acl_outage,
                     unknown ? DriftImpact::unknown : (exposure ? DriftImpact::exposure : DriftImpact::outage),
                     subject,
                     fmt::format("{} {} permits {}: {}", have.acl.name, exposure ? "live" : "intent",
                     exposure ? "what the intent denies" : "what the live ACL denies", d.example),
                     line, d.example);
    }
    if (unknown && comparison.differences.empty())
        add(DriftKind::acl_exposure, DriftImpact::unknown, subject,
            fmt::format("{} has entries microseg could not read; its effect is unknown", have.acl.name),
            parsed_acl.line);
}

// An outbound ACL may drop what the intent lets into its VLAN, and microseg models inbound ACLs
// only: without this finding such an outage would pass as clean.
void SwitchDiff::outbound_acls() {
    for (const auto& s : want_.svis) {
        auto subject = fmt::format("Vlan{}", s.vlan);
        if (const auto* u = uncertain(UncertainKind::svi_outbound_acl, subject))
            add(DriftKind::acl_outage, DriftImpact::unknown, fmt::format("ACL on {}", subject),
                fmt::format("{} filters what it routes into VLAN {} with {} (line {}): microseg models "
                            "inbound ACLs only, so flows the intent allows into VLAN {} may be dropped",
                            subject, s.vlan, u->reason, u->line, s.vlan),
                u->line);
    }
}

}  // namespace

std::vector<DriftFinding> diff_switch(const SwitchIntent& intent, const ParsedConfig& live) {
    return SwitchDiff(intent, live).run();
}

std::string_view to_string(DriftKind k) {
    switch (k) {
        case DriftKind::vlan_missing: return "vlan-missing";
        case DriftKind::vlan_extra: return "vlan-extra";
        case DriftKind::vlan_renamed: return "vlan-renamed";
        case DriftKind::port_missing: return "port-missing";
        case DriftKind::port_wrong_vlan: return "port-wrong-vlan";
        case DriftKind::port_not_isolated: return "port-not-isolated";
        case DriftKind::port_unexpected: return "port-unexpected";
        case DriftKind::trunk_missing: return "trunk-missing";
        case DriftKind::trunk_vlans: return "trunk-vlans";
        case DriftKind::svi_missing: return "svi-missing";
        case DriftKind::svi_address: return "svi-address";
        case DriftKind::acl_not_applied: return "acl-not-applied";
        case DriftKind::acl_undefined: return "acl-undefined";
        case DriftKind::acl_exposure: return "acl-exposure";
        case DriftKind::acl_outage: return "acl-outage";
    }
    return "unknown";
}

std::string_view to_string(DriftImpact i) {
    switch (i) {
        case DriftImpact::exposure: return "exposure";
        case DriftImpact::outage: return "outage";
        case DriftImpact::hygiene: return "hygiene";
        case DriftImpact::unknown: return "unknown";
    }
    return "unknown";
}

}  // namespace microseg
