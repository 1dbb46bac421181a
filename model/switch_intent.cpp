#include "model/switch_intent.hpp"

#include <algorithm>
#include <map>

#include "model/interface_range.hpp"
#include "model/isolation_acl.hpp"

namespace microseg {
namespace {

Diagnostic switch_error(const Switch& sw, std::string what) {
    return make_error(fmt::format("switch '{}': {}", sw.name, what), sw.location, "emit");
}

bool vlan_isolated(const Policy& policy, const Vlan& v) {
    return std::all_of(v.classes.begin(), v.classes.end(), [&](const std::string& n) {
        const auto* c = policy.find_class(n);
        return c && c->isolate;
    });
}

std::vector<VlanIntent> vlan_intents(const Policy& policy, const Switch& sw) {
    std::vector<VlanIntent> out;
    for (int id : vlans_on_switch(policy, sw)) {
        if (auto v = policy.vlan(id)) out.push_back({id, v->name(), v->classes, vlan_isolated(policy, *v)});
        else out.push_back({id, "", {}, false});
    }
    return out;
}

Result<std::vector<AccessPortIntent>> port_intents(const Policy& policy, const Switch& sw) {
    std::vector<AccessPortIntent> out;
    for (const auto& p : sw.ports) {
        const auto* c = policy.find_class(p.device_class);
        if (!c || c->external || !c->vlan)
            return switch_error(sw, fmt::format("port {} is assigned to '{}', which is not an internal "
                                                "class with a VLAN", p.interface, p.device_class));
        out.push_back({p.interface, *c->vlan, c->name, c->isolate});
    }
    std::sort(out.begin(), out.end(), [](const AccessPortIntent& a, const AccessPortIntent& b) {
        return interface_less(a.interface, b.interface);
    });
    return out;
}

std::vector<TrunkIntent> trunk_intents(const Switch& sw) {
    std::vector<TrunkIntent> out;
    for (const auto& t : sw.trunks) {
        auto vlans = t.vlans;
        // In-band management rides every trunk, whatever the trunk's list says.
        if (sw.management_vlan) vlans.push_back(*sw.management_vlan);
        std::sort(vlans.begin(), vlans.end());
        vlans.erase(std::unique(vlans.begin(), vlans.end()), vlans.end());
        out.push_back({t.interface, vlans});
    }
    std::sort(out.begin(), out.end(), [](const TrunkIntent& a, const TrunkIntent& b) {
        return interface_less(a.interface, b.interface);
    });
    return out;
}

Result<std::vector<SviIntent>> svi_intents(const Policy& policy, const Switch& sw) {
    std::map<int, std::vector<const DeviceClass*>> by_vlan;
    for (const auto& name : sw.gateway_for) {
        const auto* c = policy.find_class(name);
        if (!c || c->external || !c->vlan)
            return switch_error(sw, fmt::format("gateway for '{}', which is not an internal class "
                                                "with a VLAN", name));
        if (c->gateway_address && !c->addresses.contains(*c->gateway_address))
            return switch_error(sw, fmt::format("gateway_address {} of '{}' is outside its subnets",
                                                c->gateway_address->str(), c->name));
        by_vlan[*c->vlan].push_back(c);
    }
    std::vector<SviIntent> out;
    for (auto& [id, classes] : by_vlan) {
        std::sort(classes.begin(), classes.end(),
                  [](const DeviceClass* a, const DeviceClass* b) { return a->name < b->name; });
        SviIntent svi{id, {}, {}, {}};
        std::string vlan_name;
        for (const auto* c : classes) {
            svi.classes.push_back(c->name);
            vlan_name += (vlan_name.empty() ? "" : "+") + c->name;
            auto addrs = svi_addresses(*c);
            svi.addresses.insert(svi.addresses.end(), addrs.begin(), addrs.end());
        }
        svi.acl = intended_acl(policy, classes, "in-" + vlan_name);
        out.push_back(std::move(svi));
    }
    return out;
}

}  // namespace

std::vector<SviAddress> svi_addresses(const DeviceClass& cls) {
    std::vector<SviAddress> out;
    for (const auto& s : cls.subnets) {
        bool own = cls.gateway_address && s.contains(*cls.gateway_address);
        out.push_back({own ? *cls.gateway_address : s.first_host(), s});
    }
    return out;
}

std::size_t SwitchIntent::ace_count() const {
    std::size_t n = 0;
    for (const auto& s : svis) n += s.acl.entries.size();
    return n;
}

std::optional<Cidr> SwitchIntent::first_ipv6() const {
    for (const auto& svi : svis) {
        for (const auto& a : svi.addresses)
            if (a.subnet.network.family == IpFamily::v6) return a.subnet;
        for (const auto& e : svi.acl.entries)
            if (e.source.network.family == IpFamily::v6) return e.source;
    }
    return std::nullopt;
}

Result<SwitchIntent> switch_intent(const Policy& policy, const Switch& sw) {
    SwitchIntent intent;
    intent.switch_name = sw.name;
    intent.platform = sw.platform;
    intent.vlans = vlan_intents(policy, sw);
    auto ports = port_intents(policy, sw);
    if (!ports) return ports.error();
    intent.access_ports = std::move(*ports);
    intent.trunks = trunk_intents(sw);
    auto svis = svi_intents(policy, sw);
    if (!svis) return svis.error();
    intent.svis = std::move(*svis);
    intent.isolation_acls = isolation_acls(policy, intent);
    return intent;
}

}  // namespace microseg
