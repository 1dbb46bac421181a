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
#include "model/policy.hpp"

namespace microseg {

std::vector<DriftFinding> diff_router(const Policy& policy, const SwitchIntent& intent, const ParsedConfig& live);

// What this router must let `from` initiate: all of its flows when it is the gateway of
// `from`, else only its flows towards the router's gateway classes. Ends without a deny
// (first-match lists end in an implicit deny).
std::vector<AclEntry> intended_forward_entries(const Policy& policy, const SwitchIntent& intent,
                                               const DeviceClass& from);

}  // namespace microseg
