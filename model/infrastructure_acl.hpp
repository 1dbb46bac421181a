#pragma once
// What every generated filter must let through whatever the flows say (DESIGN: "DHCP relay,
// ARP and the management class's access are never cut by a generated ACL"; issue 19's
// lockout). ARP is not IP and no ACL here sees it; the other two are entries of their own,
// placed with the flows' permits (tier 0), so they come before every deny of the ACL.
//
// Why only where they are needed: an inbound SVI ACL sees only what the hosts behind the SVI
// send, and a switch's own packets (its relay, its syslog) are not filtered by it. So:
// * every SVI ACL (when the policy has a dhcp_server class) lets its clients' DHCP reach the
//   relay (the broadcast, from 0.0.0.0 or from a bound address) and the server (renewals);
//   the server's SVI ACL lets the server answer every relay (every gateway address);
// * the management class's SVI ACL lets it reach every switch address on ssh, https and snmp,
//   and answer the switches' syslog, snmp-trap, tacacs, radius and ntp sessions;
// * the SVI ACL of the class that owns a switch address (the management class, or the class
//   a misplaced address falls in) lets that switch send those and answer the operators.

#include <vector>

#include "model/acl.hpp"
#include "model/policy.hpp"

namespace microseg {

// The entries of `cls`'s SVI ACL that keep DHCP relay and management working, tier 0,
// normalised. Stateless: they include the replies.
std::vector<AclEntry> infrastructure_entries(const Policy& policy, const DeviceClass& cls);

// What a stateful router (nftables) permits from one of its gateway classes: the class's
// initiations and the infrastructure initiations from the whole class. Conntrack carries the
// replies, and a source host entry (a switch address) would widen to the whole class once a
// jump on the source has matched, so those are left out. The emitter and the audit's drift
// check both read this, so they agree.
std::vector<AclEntry> stateful_gateway_entries(const Policy& policy, const DeviceClass& cls);

// What the forward chain of stateful router `sw` permits from class `from` (DESIGN
// "Topology"): for a local class of `sw` (a gateway class, or an external class entering
// through it) all its flows, a gateway class's with stateful_gateway_entries; for any other
// class only its flows to local classes (transit). Empty: `from` has no business here. The
// nftables emitter and the audit's router drift both read this, so they agree.
std::vector<AclEntry> router_forward_entries(const Policy& policy, const Switch& sw, const DeviceClass& from);

// The switches' addresses that are IP addresses (a host name cannot be filtered on), sorted.
std::vector<IpAddress> switch_addresses(const Policy& policy);

// What the management class reaches on every switch address: ssh, https, snmp (fixed ports).
const std::vector<ServicePort>& operator_to_switch_ports();

}  // namespace microseg
