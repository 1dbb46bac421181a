#pragma once
// The vendor-neutral filter intent: what the inbound ACL of a class's SVI must contain.
// Every emitter renders these entries in its own syntax, and the audit (later) parses a live
// ACL back into the same shape to diff it semantically. Entries are compacted and ordered
// deterministically; the ACL ends with one "deny ip any any log".
//
// Why only inter-VLAN flows: traffic between two hosts of one VLAN is switched at L2 and never
// reaches the SVI, so flows from a class to itself or to a class sharing its VLAN need no
// entry (isolation inside a VLAN is the port-isolation feature's job, not the ACL's).
//
// Why the ACL is inbound on the initiating side: a packet enters the routed network through
// the SVI of its source class, so that SVI's inbound ACL sees the initiation (permit class ->
// destination, service port) and, for flows initiated *towards* the class, the replies
// (TCP established / UDP from the service port to high ports / ICMP echo-reply). Stateless devices need
// those reply entries; nftables uses conntrack instead and takes only the initiations.

#include <map>
#include <string>
#include <vector>

#include "model/ip.hpp"
#include "model/policy.hpp"
#include "model/service.hpp"

namespace microseg {

enum class AclAction : std::uint8_t { permit, deny };

struct AclEntry {
    AclAction action = AclAction::permit;
    Protocol protocol = Protocol::ip;
    Cidr source;                 // prefix length 0 means any
    Cidr destination;            // prefix length 0 means any
    PortRange source_ports;      // tcp/udp only; all ports unless a reply entry
    PortRange destination_ports; // tcp/udp only
    // tcp: match only packets of an established session (ACK or RST set): a reply.
    // icmp: match only echo-reply. Meaningless for udp and ip.
    bool established = false;
    bool log = false;
    std::string remark;          // policy words (class names): emitters must sanitise it
    // Where the entry must stand: 0 for destinations a class owns outright; 1 for the denies of
    // more specific classes inside a broad destination (0.0.0.0/0 holds every internal class);
    // 2 for entries towards such a broad destination, which only mean "the rest of it" once
    // the denies before them have taken out the classes it contains. Parsed entries are 0.
    std::uint8_t tier = 0;

    bool is_reply() const {
        return established || !source_ports.is_all();
    }
    auto operator<=>(const AclEntry&) const = default;
};

struct Acl {
    std::string name;  // neutral: "in-<vlan name>"; emitters map it to a platform-safe name
    std::vector<AclEntry> entries;
};

// Permit entries for the initiations from `from` to every class `to` with to_accepts(to),
// skipping same-VLAN (L2) destinations. Compacted: ports merged per destination, destinations
// merged per port, duplicates removed; sorted.
template <class Pred>
std::vector<AclEntry> initiation_entries(const Policy& policy, const DeviceClass& from, Pred to_accepts);
std::vector<AclEntry> initiation_entries(const Policy& policy, const DeviceClass& from);

// Stateless reply entries leaving `to` for every flow initiated towards it from another VLAN:
// tcp `established` from the service port; udp from the service port to the initiator's ports
// 1024-65535, plus the catalogue's reply port (ntp 123 -> 123) as an entry of its own; icmp
// echo-reply; for `ip`, everything back. Only stateless platforms render them (nftables has
// conntrack), and the reachability graph counts the udp and ip ones as edges.
std::vector<AclEntry> reply_entries(const Policy& policy, const DeviceClass& to);

// The inbound ACL of the SVI of `cls`: initiations, replies, then deny ip any any log.
Acl intended_acl(const Policy& policy, const DeviceClass& cls);
// The same for an SVI that serves several classes (shared VLAN): their permits, one deny.
Acl intended_acl(const Policy& policy, const std::vector<const DeviceClass*>& classes,
                 std::string name);

// True when a and b never need an SVI between them: same class, or same VLAN id.
bool same_l2_domain(const DeviceClass& a, const DeviceClass& b);

// The final entry of every intended ACL.
AclEntry deny_all_log();

// Sorts (stable policy order: initiations, then replies, then denies) and drops duplicates.
void normalise_entries(std::vector<AclEntry>& entries);

// ---- implementation of the template ----
namespace acl_detail {
// One service port and everything an ACL permits on it.
struct PortTarget {
    ServicePort port;
    AddressSet destinations;
    std::vector<std::string> classes;  // for the remark
    bool broad = false;                // the destinations contain other classes' subnets
    AddressSet excluded;               // those subnets: denied before the broad entries
    // Reply targets of udp ports only: the initiator's ports the replies may reach.
    PortRange reply_ports = kUdpReplyPorts;
};
// The flows from `from` grouped by destination class index (in class order), each group in
// policy order: destinations without a flow are never visited.
std::map<std::size_t, std::vector<std::size_t>> flows_by_destination(const Policy& policy, const DeviceClass& from);
// Adds the ports of `flows` (all from one class to `to`) to `targets`.
void add_flow_targets(const Policy& policy, const std::vector<std::size_t>& flows, const DeviceClass& to,
                      std::vector<PortTarget>& targets);
std::vector<AclEntry> expand_targets(const DeviceClass& from, std::vector<PortTarget>& targets);
}  // namespace acl_detail

template <class Pred>
std::vector<AclEntry> initiation_entries(const Policy& policy, const DeviceClass& from, Pred to_accepts) {
    std::vector<acl_detail::PortTarget> targets;
    for (const auto& [to_index, flows] : acl_detail::flows_by_destination(policy, from)) {
        const DeviceClass& to = policy.classes()[to_index];
        if (same_l2_domain(from, to) || !to_accepts(to)) continue;
        acl_detail::add_flow_targets(policy, flows, to, targets);
    }
    return acl_detail::expand_targets(from, targets);
}

}  // namespace microseg

template <>
struct fmt::formatter<microseg::AclEntry> : fmt::formatter<std::string_view> {
    // A neutral one-line rendering for test failures and debug output.
    auto format(const microseg::AclEntry& e, format_context& ctx) const {
        return fmt::format_to(ctx.out(), "{} {} {} sport {} -> {} dport {}{}{}",
                              e.action == microseg::AclAction::permit ? "permit" : "deny",
                              e.protocol, e.source, e.source_ports, e.destination,
                              e.destination_ports, e.established ? " established" : "",
                              e.log ? " log" : "");
    }
};
