#pragma once
// Port isolation, one mechanism on every platform (DESIGN "Isolation"): each access port of an
// isolated class carries an ingress port ACL (IOS and EOS `ip access-group` on the switchport,
// Junos an ethernet-switching filter) that lets the class reach its gateway address, drops
// its subnets -> the subnets of every isolated class of its L2 domain (itself included), and
// permits the rest, which the SVI's inbound ACL filters. A switch's own protected ports or
// no-local-switching act on that switch only; the port ACL holds wherever the VLAN goes.
// IP only: ARP and non-IP frames are not filtered (a documented limit).
//
// The emitters render these entries and the audit's parsers recognise them by name, so both
// read this one definition.

#include <string>
#include <vector>

#include "model/acl.hpp"
#include "model/policy.hpp"
#include "model/switch_intent.hpp"

namespace microseg {

// The neutral name of a class's isolation ACL: "iso-<class>" (IOS/EOS MS_ISO_<CLASS>, Junos
// ms-iso-<class>).
std::string isolation_acl_name(const std::string& class_name);

// Gateway permits first, then the isolated peers denied (logged), then permit the rest.
std::vector<AclEntry> isolation_entries(const Policy& policy, const DeviceClass& cls);

// One isolation ACL per isolated class with an access port on the switch, sorted by class.
std::vector<Acl> isolation_acls(const Policy& policy, const SwitchIntent& intent);

// Whether a live port ACL has the shape isolation_entries() gives, which is what the audit's
// parsers can check without the policy: permits to single hosts (the gateways), at least one
// deny, and a final permit of everything. A permit of more before the denies (an inserted
// `permit tcp any any eq 3389`) would let members reach each other: not isolation.
bool has_isolation_shape(const std::vector<AclEntry>& entries);

}  // namespace microseg
