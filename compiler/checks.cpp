// Whole-policy rules that need every class built: VLAN ownership, address ownership, gateways.
#include <algorithm>
#include <map>

#include "compiler/build.hpp"
#include "compiler/diagnostic_kinds.hpp"
#include "compiler/scalars.hpp"

namespace microseg::compiler {
namespace {

void check_vlans(const Build& b, Diagnostics& diags) {
    std::unordered_map<int, std::size_t> first_owner;
    for (std::size_t i = 0; i < b.policy.classes.size(); ++i) {
        const auto& c = b.policy.classes[i];
        if (!c.vlan || c.external) continue;
        auto [it, fresh] = first_owner.emplace(*c.vlan, i);
        if (fresh) continue;
        const auto& other = b.policy.classes[it->second];
        if (c.shared_vlan && other.shared_vlan) continue;
        diags.error(b.class_sites[i].vlan, kinds::vlan_conflict,
                    fmt::format("VLAN {} is claimed by class '{}' at {} and by class '{}'; both need "
                                "'shared_vlan: true' to share it",
                                *c.vlan, other.name, where(b.class_sites[it->second].vlan), c.name));
    }
}

struct Prefix {
    Cidr cidr;
    std::size_t owner;  // class index
    std::size_t item;   // index into the class's subnets
};

// Sorted by first address (wider prefix first on a tie), each prefix overlaps an earlier one
// exactly when it starts before the furthest end seen so far: one sweep, O(n log n).
void check_overlaps(const Build& b, Diagnostics& diags) {
    std::vector<Prefix> all;
    for (std::size_t i = 0; i < b.policy.classes.size(); ++i) {
        const auto& c = b.policy.classes[i];
        if (c.external) continue;
        for (std::size_t k = 0; k < c.subnets.size(); ++k) all.push_back({c.subnets[k], i, k});
    }
    std::sort(all.begin(), all.end(), [](const Prefix& x, const Prefix& y) {
        if (x.cidr.network != y.cidr.network) return x.cidr.network < y.cidr.network;
        return std::tie(x.cidr.prefix_len, x.owner, x.item) < std::tie(y.cidr.prefix_len, y.owner, y.item);
    });
    const Prefix* reach = nullptr;  // the prefix reaching furthest so far, in this family
    for (const auto& p : all) {
        if (reach && reach->cidr.network.family == p.cidr.network.family && p.cidr.first() <= reach->cidr.last()) {
            if (reach->owner != p.owner) {
                const auto& a = b.policy.classes[reach->owner];
                const auto& c = b.policy.classes[p.owner];
                diags.error(b.class_sites[p.owner].subnets[p.item], kinds::overlapping_subnets,
                            fmt::format("subnet {} of class '{}' overlaps {} of class '{}' at {}", p.cidr.str(),
                                        c.name, reach->cidr.str(), a.name,
                                        where(b.class_sites[reach->owner].subnets[reach->item])));
            }
            if (p.cidr.last() <= reach->cidr.last()) continue;
        }
        reach = &p;
    }
}

void check_gateways(const Build& b, Diagnostics& diags) {
    if (b.policy.switches.empty()) return;  // a policy without switches is a design, not a network
    std::unordered_set<std::string> filtered;
    for (const auto& sw : b.policy.switches) filtered.insert(sw.gateway_for.begin(), sw.gateway_for.end());
    for (const auto& c : b.policy.classes)
        if (!c.external && !filtered.count(c.name))
            diags.warning(c.location, kinds::no_gateway,
                          fmt::format("class '{}' has no gateway switch: its traffic is not filtered", c.name));
}

const Switch* find_switch(const Build& b, const std::string& name) {
    for (const auto& sw : b.policy.switches)
        if (sw.name == name) return &sw;
    return nullptr;
}

// Each `via` names an nftables switch of this policy, on an external class.
void check_via_names(const Build& b, const DeviceClass& c, const ClassSites& sites, Diagnostics& diags) {
    std::vector<std::string_view> names;
    for (const auto& sw : b.policy.switches) names.push_back(sw.name);
    for (std::size_t i = 0; i < c.via.size(); ++i) {
        const auto& at = sites.via[i];
        if (!c.external) {
            diags.error(at, kinds::bad_via,
                        fmt::format("class '{}' is internal: only an external class enters through 'via' "
                                    "(an internal class is filtered by its gateway)", c.name));
            return;
        }
        const Switch* sw = find_switch(b, c.via[i]);
        if (!sw) {
            diags.error(at, kinds::unknown_switch,
                        fmt::format("via names switch '{}', which the policy does not have{}", c.via[i],
                                    did_you_mean(c.via[i], names)));
        } else if (!sw->platform_info().conntrack) {
            diags.error(at, kinds::bad_via,
                        fmt::format("via names switch '{}' ({}): in this version an external class enters "
                                    "only through an nftables switch (IOS, EOS and Junos filter only on "
                                    "class SVIs)", sw->name, sw->platform_info().name));
        }
    }
}

// DESIGN "Topology": an external end of a flow is filtered where it enters; without `via` no
// device would accept the flow and every emitted config would drop it.
void check_via_needed(const Build& b, Diagnostics& diags) {
    if (b.policy.switches.empty()) return;  // a design without switches has no entry points
    std::vector<const FlowRule*> first_use(b.policy.classes.size(), nullptr);
    for (const auto& f : b.policy.flows)
        for (const auto* name : {&f.from, &f.to}) {
            auto it = b.class_index.find(*name);
            if (it != b.class_index.end() && !first_use[it->second]) first_use[it->second] = &f;
        }
    for (std::size_t i = 0; i < b.policy.classes.size(); ++i) {
        const auto& c = b.policy.classes[i];
        if (!c.external || !c.via.empty() || !first_use[i]) continue;
        diags.error(c.location, kinds::missing_via,
                    fmt::format("external class '{}' is used by the flow at {} but has no 'via': name the "
                                "nftables switch(es) where it enters the network", c.name,
                                where(first_use[i]->location)));
    }
}

void check_via(const Build& b, Diagnostics& diags) {
    for (std::size_t i = 0; i < b.policy.classes.size(); ++i)
        check_via_names(b, b.policy.classes[i], b.class_sites[i], diags);
    check_via_needed(b, diags);
}

}  // namespace

void run_checks(const Build& build, Diagnostics& diags) {
    check_vlans(build, diags);
    check_overlaps(build, diags);
    check_gateways(build, diags);
    check_via(build, diags);
}

}  // namespace microseg::compiler
