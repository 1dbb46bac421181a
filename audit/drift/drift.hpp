#pragma once
// The per-switch semantic diff: the intent the emitters render (SwitchIntent) against what a
// parser read from the live config. Findings speak about VLANs, ports and packets, never about
// lines of text; ACLs are compared as packet sets (model/acl_diff.hpp).

#include <optional>
#include <string>
#include <vector>

#include "model/acl_diff.hpp"
#include "model/as_built.hpp"

namespace microseg {

enum class DriftKind : std::uint8_t {
    vlan_missing, vlan_extra, vlan_renamed,
    port_missing, port_wrong_vlan, port_not_isolated, port_unexpected,
    trunk_missing, trunk_vlans,
    svi_missing, svi_address,
    acl_not_applied, acl_undefined, acl_exposure, acl_outage,
};

// What a finding means for the hospital: the order is the order of urgency.
enum class DriftImpact : std::uint8_t {
    exposure,  // something can be reached that the policy forbids
    outage,    // something the policy allows is blocked
    hygiene,   // a difference without a direct reachability effect
    unknown,   // depends on config the parser did not understand: neither clean nor drift
};

struct DriftFinding {
    DriftKind kind;
    DriftImpact impact;
    std::string subject;            // "VLAN 110", "GigabitEthernet1/0/7", "ACL on Vlan130"
    std::string message;
    int config_line = 0;            // in the live config; 0 when the thing is absent there
    std::optional<Packet> example;  // for ACL findings
};

// For a switch; a router's parsed config (live.router set: nftables) goes to diff_router
// (audit/drift/drift_router.hpp), which needs the policy to know every class's source space.
std::vector<DriftFinding> diff_switch(const SwitchIntent& intent, const ParsedConfig& live);

std::string_view to_string(DriftKind k);
std::string_view to_string(DriftImpact i);

}  // namespace microseg
