// Arista EOS: the IOS-style renderer with EOS's notation (prefix lengths, numbered ACL lines,
// "interface Ethernet1-24" ranges, three-space indent as `show running-config` prints it).
// Only what differs from IOS lives here, as in Aerleon's Arista generator.
#include <algorithm>

#include "emitters/ios_style.hpp"

namespace microseg {
namespace {

std::string eos_range_header(const InterfaceRun& run) {
    return fmt::format("interface {}{}-{}", run.prefix, run.first, run.last);
}

// Port isolation: EOS's private VLANs ("private-vlan isolated primary vlan N" under a second
// VLAN) need a secondary VLAN id the policy does not have, and EOS has no IOS-style protected
// ports. What an EOS access switch does offer is an ingress IPv4 ACL on a switchport
// ("ip access-group NAME in" on Ethernet interfaces, EOS manual, Access Control Lists): it
// drops a member's packets to the other members of its VLAN's isolated classes, while the
// gateway address stays reachable. It filters IP only (not ARP), which is what isolation
// must stop: lateral movement at L3 and above.
std::vector<std::string> eos_isolation(const AccessPortIntent& port) {
    return {fmt::format("ip access-group {} in", ios_acl_name("iso-" + port.device_class))};
}

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

std::vector<Acl> eos_isolation_acls(const Policy& policy, const SwitchIntent& intent) {
    std::vector<std::string> classes;
    for (const auto& p : intent.access_ports)
        if (p.isolated) classes.push_back(p.device_class);
    std::sort(classes.begin(), classes.end());
    classes.erase(std::unique(classes.begin(), classes.end()), classes.end());
    std::vector<Acl> out;
    for (const auto& name : classes)
        if (const auto* c = policy.find_class(name))
            out.push_back({"iso-" + name, isolation_entries(policy, *c)});
    return out;
}

const IosDialect kEos{"   ", true, true, "ip access-list", eos_range_header, eos_isolation,
                      eos_isolation_acls};

class AristaEosEmitter final : public Emitter {
public:
    Result<EmittedConfig> emit(const Policy& policy, const Switch& sw) const override {
        return render_ios_style(policy, sw, kEos);
    }
};

}  // namespace

const Emitter& arista_eos_emitter() {
    static const AristaEosEmitter e;
    return e;
}

}  // namespace microseg
