#pragma once
// What one switch must carry, in vendor-neutral terms: its VLANs with names, access ports,
// trunks, SVIs with addresses and inbound ACLs, and which ports are isolated. Emitters render
// it; the audit's parsers (a later issue) build the same struct from a live configuration so
// the two can be compared field by field.

#include <string>
#include <vector>

#include "model/acl.hpp"
#include "model/diagnostic.hpp"
#include "model/policy.hpp"
#include "model/vlan_id_set.hpp"

namespace microseg {

struct VlanIntent {
    int id = 0;
    std::string name;                  // the class name(s), '+'-joined; empty if no class owns it
    std::vector<std::string> classes;  // sorted
    bool isolated = false;             // every class in it says isolate: true
    auto operator<=>(const VlanIntent&) const = default;
};

struct AccessPortIntent {
    std::string interface;
    int vlan = 0;
    std::string device_class;
    bool isolated = false;  // the class says isolate: the platform's port isolation applies
    auto operator<=>(const AccessPortIntent&) const = default;
};

struct TrunkIntent {
    std::string interface;
    VlanIdSet vlans;
    auto operator<=>(const TrunkIntent&) const = default;
};

struct SviAddress {
    IpAddress address;  // the gateway's own address
    Cidr subnet;        // the subnet it serves
    auto operator<=>(const SviAddress&) const = default;
};

struct SviIntent {
    int vlan = 0;
    std::vector<std::string> classes;  // the gateway classes this SVI serves, sorted
    std::vector<SviAddress> addresses; // the primary first, then secondaries, in policy order
    Acl acl;                           // inbound
};

struct SwitchIntent {
    std::string switch_name;
    PlatformId platform = PlatformId::cisco_ios;
    std::vector<VlanIntent> vlans;            // sorted by id
    std::vector<AccessPortIntent> access_ports;  // sorted naturally by interface
    std::vector<TrunkIntent> trunks;          // sorted naturally by interface
    std::vector<SviIntent> svis;              // sorted by VLAN id
    // The port ACLs of the isolated classes with access ports here (model/isolation_acl.hpp),
    // by neutral name "iso-<class>"; as built, the isolation ACLs read back, by config name.
    std::vector<Acl> isolation_acls;

    // ACL entries on this switch, as counted against its TCAM budget.
    std::size_t ace_count() const;
    // An IPv6 prefix among the SVI addresses and ACLs, for emitters that write IPv4 only.
    std::optional<Cidr> first_ipv6() const;
};

// The intent for `sw`; an error (naming the switch) when the policy cannot be rendered:
// a port of an unknown or external class, a gateway class without a VLAN, a
// gateway_address outside the class's subnets.
Result<SwitchIntent> switch_intent(const Policy& policy, const Switch& sw);

// The SVI address of each subnet: gateway_address for the subnet that holds it, else the
// first usable host.
std::vector<SviAddress> svi_addresses(const DeviceClass& cls);

}  // namespace microseg
