#pragma once
// A switch's own content hash (DESIGN "compile leaves a switch's file alone when nothing but
// its header would change"): the header of a switch's file carries it instead of the hash of
// the whole policy text, so a policy change rewrites only the files it changes, and the audit
// says a switch "carries the current intent" when its file was rendered from what the policy
// asks of it now, whatever else the policy changed. In model/, not emitters/: the audit
// computes it too.

#include <string>
#include <vector>

#include "model/acl.hpp"
#include "model/policy.hpp"
#include "model/switch_intent.hpp"

namespace microseg {

// 16 hex digits over everything the switch's file is rendered from: the policy name, the
// switch's name, platform, Junos style and management VLAN, its intent (VLANs, ports, trunks,
// SVIs with their ACLs, isolation ACLs) and, for a stateful router, what its nftables file
// renders beyond the intent (every class's forward entries and addresses, the internal space,
// the management input chain). Deterministic: the same inputs give the same hash on every run
// and every machine.
std::string switch_content_hash(const Policy& policy, const Switch& sw, const SwitchIntent& intent);
// On a stateful router, the forward entries of each class (policy order, router_forward_entries);
// empty on other platforms. The nftables emitter renders them too, and computes them once.
using RouterEntries = std::vector<std::vector<AclEntry>>;
RouterEntries router_entries(const Policy& policy, const Switch& sw);
std::string switch_content_hash(const Policy& policy, const Switch& sw, const SwitchIntent& intent,
                                const RouterEntries& entries);
// The same, computing the intent; empty when the policy cannot render the switch.
std::string switch_content_hash(const Policy& policy, const Switch& sw);

}  // namespace microseg
