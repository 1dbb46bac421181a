#include "model/isolation_acl.hpp"

#include <algorithm>

namespace microseg {

std::string isolation_acl_name(const std::string& class_name) { return "iso-" + class_name; }

std::vector<AclEntry> isolation_entries(const Policy& policy, const DeviceClass& c) {
    AddressSet peers;  // isolated classes in the same VLAN, the class itself included
    for (const auto& other : policy.classes())
        if (other.isolate && same_l2_domain(c, other)) peers.add(other.addresses);
    std::vector<AclEntry> out;
    for (const auto& src : c.addresses.cidrs()) {
        for (const auto& gw : svi_addresses(c)) {
            AclEntry e;
            e.source = src;
            e.destination = Cidr{gw.address, gw.address.bits()};
            e.remark = "gateway";
            out.push_back(e);
        }
        for (const auto& dst : peers.cidrs()) {
            AclEntry e;
            e.action = AclAction::deny;
            e.source = src;
            e.destination = dst;
            e.log = true;
            e.remark = "isolated peers";
            out.push_back(e);
        }
    }
    AclEntry rest;
    rest.remark = "the rest is filtered at the SVI";
    out.push_back(rest);
    return out;
}

std::vector<Acl> isolation_acls(const Policy& policy, const SwitchIntent& intent) {
    std::vector<std::string> classes;
    for (const auto& p : intent.access_ports)
        if (p.isolated) classes.push_back(p.device_class);
    std::sort(classes.begin(), classes.end());
    classes.erase(std::unique(classes.begin(), classes.end()), classes.end());
    std::vector<Acl> out;
    for (const auto& name : classes)
        if (const auto* c = policy.find_class(name)) out.push_back({isolation_acl_name(name), isolation_entries(policy, *c)});
    return out;
}

bool has_isolation_shape(const std::vector<AclEntry>& entries) {
    if (entries.empty()) return false;
    const auto& last = entries.back();
    bool rest = last.action == AclAction::permit && last.protocol == Protocol::ip && last.source.is_any() &&
                last.destination.is_any();
    bool denies = false;
    for (std::size_t i = 0; i + 1 < entries.size(); ++i) {
        const auto& e = entries[i];
        if (e.action == AclAction::deny) denies = true;
        else if (!e.destination.is_host()) return false;
    }
    return rest && denies;
}

}  // namespace microseg
