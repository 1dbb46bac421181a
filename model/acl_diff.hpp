#pragma once
// Semantic ACL comparison: two entry lists are compared as the sets of packets they permit
// under first-match semantics (each list ends in an implicit deny), not as text. Reordered or
// re-compacted but equivalent lists compare equal; every difference comes with one concrete
// packet, in the spirit of Batfish's compareFilters.

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "model/acl.hpp"

namespace microseg {

// One concrete packet. `established` is a TCP segment with ACK/RST set (a reply) or, for
// ICMP, an echo-reply.
struct Packet {
    Protocol protocol = Protocol::ip;  // ip: a protocol other than icmp/tcp/udp (e.g. gre)
    IpAddress source;
    IpAddress destination;
    std::uint16_t source_port = 0;
    std::uint16_t destination_port = 0;
    bool established = false;
    std::string str() const;  // "tcp 10.200.0.1:49152 -> 10.130.0.1:443 (new)"
};

enum class AclDifferenceKind : std::uint8_t {
    exposure,  // the live list permits packets the intent denies
    outage,    // the live list denies packets the intent permits
};

inline constexpr std::size_t kImplicitDeny = std::numeric_limits<std::size_t>::max();

struct AclDifference {
    AclDifferenceKind kind;
    Packet example;
    std::size_t live_entry = kImplicitDeny;    // index of the live entry that decides it
    std::size_t intent_entry = kImplicitDeny;  // index of the intended entry that decides it
};

struct AclComparison {
    // At most one exposure per deciding live entry and one outage per deciding intent entry.
    std::vector<AclDifference> differences;
    // False when the search budget ran out (pathological lists): the result is then partial,
    // and callers must report "unknown" rather than "no drift".
    bool complete = true;
    bool equivalent() const { return complete && differences.empty(); }
};

AclComparison compare_acls(const std::vector<AclEntry>& intent, const std::vector<AclEntry>& live);

// A packet on which every list decides as `permits` says, index for index (first match, each
// list ending in an implicit deny; a null list permits everything): "permitted by the state,
// denied by old and new" is {state, old, new} with {true, false, false}. nullopt when no such
// packet exists; `complete` turns false when the search budget ran out (then nullopt means
// "not known", never "none").
std::optional<Packet> packet_decided_as(const std::vector<const std::vector<AclEntry>*>& lists,
                                        const std::vector<bool>& permits, bool& complete);

// What a list does with one packet under first-match semantics (false: denied).
bool acl_permits(const std::vector<AclEntry>& entries, const Packet& packet);
// The same over some of a list's entries, in the list's order.
bool acl_permits(const std::vector<const AclEntry*>& entries, const Packet& packet);

// The entries that a packet from `source` (then: to `destination`) can match at all, in order.
// Probing one class pair with many ports, a router's flattened forward list of thousands of
// entries shrinks to the few that concern the pair; acl_permits on them gives the same answer.
std::vector<const AclEntry*> entries_from(const std::vector<AclEntry>& entries, const IpAddress& source);
void entries_to(const std::vector<const AclEntry*>& entries, const IpAddress& destination,
                std::vector<const AclEntry*>& out);

}  // namespace microseg

template <>
struct fmt::formatter<microseg::Packet> : fmt::formatter<std::string_view> {
    auto format(const microseg::Packet& p, format_context& ctx) const {
        return fmt::format_to(ctx.out(), "{}", p.str());
    }
};
