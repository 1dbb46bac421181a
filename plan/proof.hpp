#pragma once
// plan/: change planning from what a switch runs to the intent (DESIGN "Changes, proofs and
// evidence", "plan states"). plan.hpp drives one switch: the platform's change writer
// (emitters/change_form.hpp) gives the commands, a simulated device (device.hpp) types them
// step by step, the audit parser reads every state back, and this file judges each state.
//
// The proof is per switch and per state, against the config before (old) and after (new):
// no state permits a packet that neither old nor new permits, none drops a packet that both
// permit, none cuts the management class. Packets are judged per routed filter (SVI inbound
// ACL, a router's forward list) and per port filter, with model/acl_diff's packet search; the
// L2 parts (a port's VLAN, a trunk's VLANs, the VLANs that exist) by the same rule on sets.
// What the rule cannot see is said separately: a subnet that moves to another VLAN has no
// state in which both its old and its new gateway serve it ("at risk", with the flows), and
// config the parser could not read is "not proven", with its line.

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "model/acl_diff.hpp"
#include "model/as_built.hpp"
#include "model/policy.hpp"

namespace microseg {

// What a switch does with packets and frames, read from one parsed config.
struct SegmentationView {
    // A routed or port filter: nullopt permits everything (no ACL, or one bound but undefined:
    // IOS then permits all); an empty list drops everything.
    using Filter = std::optional<std::vector<AclEntry>>;
    struct Routed {
        std::vector<SviAddress> addresses;
        Filter filter;
    };
    std::set<int> vlans;
    std::map<std::string, int> port_vlan;       // by canonical interface name
    std::map<std::string, Filter> port_filter;  // ports with an inbound port ACL
    std::map<std::string, std::set<int>> trunk_vlans;
    std::map<int, Routed> routed;               // by VLAN id (a router's forward list: 0)
};

SegmentationView segmentation_view(const ParsedConfig& config);
bool same_segmentation(const SegmentationView& a, const SegmentationView& b);

enum class ProofIssueKind : std::uint8_t {
    exposure,    // a state permits what neither old nor new permits
    outage,      // a state drops what both old and new permit
    management,  // a state cuts the management class from a switch
    at_risk,     // no order keeps these flows (a subnet moving VLAN): said, with the flows
    not_proven,  // config the parser could not read: the proof does not cover it
};
std::string_view to_string(ProofIssueKind k);

struct ProofIssue {
    ProofIssueKind kind;
    std::size_t state = 0;  // the state after step `state` (1-based); 0: not tied to a step
    std::string subject;    // "Vlan120", "GigabitEthernet1/0/7", "line 212"
    std::string message;
    std::optional<Packet> example;
};

struct Proof {
    std::size_t states = 0;  // intermediate and final states checked
    std::vector<ProofIssue> issues;
    // Make-before-break holds: no exposure, outage or management issue (at-risk and
    // not-proven items are reported, and make the plan need a human's look, not fail).
    bool holds() const;
};

struct ProofInput {
    const Policy& policy;
    const Switch& sw;
    const ParsedConfig& old_config;           // the running config the plan starts from
    const ParsedConfig& new_config;           // the config after the plan
    const std::vector<ParsedConfig>& states;  // after each step, in order (the last is new)
    const ParsedConfig& as_read;              // the running config as its file says: lines not read
};

Proof prove_plan(const ProofInput& input);

}  // namespace microseg
