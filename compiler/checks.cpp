// Whole-policy rules that need every class built: VLAN ownership, address ownership, gateways.
#include <algorithm>
#include <map>

#include "compiler/build.hpp"
#include "compiler/diagnostic_kinds.hpp"

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

}  // namespace

void run_checks(const Build& build, Diagnostics& diags) {
    check_vlans(build, diags);
    check_overlaps(build, diags);
    check_gateways(build, diags);
}

}  // namespace microseg::compiler
