#pragma once
// The security meaning of drift: which class-to-class flows the live filters allow that the
// intent does not, and which lateral-movement paths those open. The live ACL of each gateway
// class is probed with one initiating packet per (destination class, service port); every
// packet it permits and the intended ACL does not becomes an as-built flow. The as-built
// policy (intent + those flows) then goes through the same analysis as `microseg paths`.

#include <string>
#include <vector>

#include "audit/drift/policy_probes.hpp"
#include "model/as_built.hpp"
#include "model/policy.hpp"

namespace microseg {

struct LiveOnlyFlow {
    std::string switch_name;
    std::string from;
    std::string to;
    ServicePort port;          // the probed port (first of a service's range)
    std::string service;       // the catalogue/policy service it belongs to, or "tcp/N"
    int config_line = 0;       // the SVI in the live config
    std::string doubt;         // what may yet drop it (an outbound ACL); empty: it passes
};

// Flows the live config of `sw` permits beyond its intent. Extra ports to probe (e.g. from
// ACL-diff example packets) join the policy's service ports.
std::vector<LiveOnlyFlow> live_only_flows(const Policy& policy, const SwitchIntent& intent,
                                          const ParsedConfig& live,
                                          const std::vector<ServicePort>& extra_ports = {});
// The same with the per-policy work shared; for a router, the intended forward entries of
// every class may be given (drift_router.hpp's intended_forward_entries_by_class), else they
// are computed.
std::vector<LiveOnlyFlow> live_only_flows(const PolicyProbes& probes, const SwitchIntent& intent,
                                          const ParsedConfig& live, const std::vector<ServicePort>& extra_ports,
                                          const std::vector<std::vector<AclEntry>>* router_want_by_class = nullptr);

// The intent plus the live-only flows, as a policy the reachability analysis can read.
// Ports that no service names become services called like "tcp/31337".
Policy as_built_policy(const Policy& intent, const std::vector<LiveOnlyFlow>& flows);

// A lateral path the live network has and the intent does not.
struct NewLateralPath {
    std::string from;                 // entry class
    std::string to;                   // protected class
    std::vector<std::string> classes; // the shortest as-built path, start first
    std::vector<std::string> hops;    // "a -> b on tcp/22 (live config of acc-sw-01)" per hop
};

std::vector<NewLateralPath> new_lateral_paths(const Policy& intent, const Policy& as_built);

}  // namespace microseg
