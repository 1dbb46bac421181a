#pragma once
// Router mode of the drift diff, for a platform that is a Linux router (nftables) rather than a
// switch: no VLANs, access ports or trunks to compare. The live forward filter decides by
// source address, so it is compared per class of the policy, on that class's source space
// (its subnets minus the more specific subnets of other classes, as the emitter dispatches):
// the intended initiations from that class through this router against the live list
// restricted to those sources, as packet sets (model/acl_diff). Replies are conntrack's job:
// the intent's stateless reply entries need `ct state established,related accept`, nothing
// more. The bridge table's isolation drops are compared likewise.

#include <vector>

#include "audit/drift/drift.hpp"
#include "audit/drift/policy_probes.hpp"
#include "model/policy.hpp"

namespace microseg {

std::vector<DriftFinding> diff_router(const Policy& policy, const SwitchIntent& intent, const ParsedConfig& live);
// The same with the per-policy work shared (a `diff --dir` of many routers) and the intended
// forward entries of every class given (intended_forward_entries_by_class: live_only_flows
// reads them too).
std::vector<DriftFinding> diff_router(const PolicyProbes& probes, const SwitchIntent& intent, const ParsedConfig& live,
                                      const std::vector<std::vector<AclEntry>>& want_by_class);

// What this router must let `from` initiate: all of its flows when it is the gateway of
// `from`, else only its flows towards the router's gateway classes. Ends without a deny
// (first-match lists end in an implicit deny).
std::vector<AclEntry> intended_forward_entries(const Policy& policy, const SwitchIntent& intent,
                                               const DeviceClass& from);
// intended_forward_entries of every class, indexed like policy.classes().
std::vector<std::vector<AclEntry>> intended_forward_entries_by_class(const Policy& policy, const SwitchIntent& intent);

}  // namespace microseg
