#pragma once
// The meaning of one nftables rule: the packets it matches, as a union of boxes ("cubes":
// family, protocol, source/destination prefix, port ranges), and its verdict. Anonymous and
// named sets expand into several cubes; `!=` becomes the complement (prefixes or port ranges).
// Anything this cannot express exactly (interfaces, marks, limits, tcp flags, icmp types other
// than echo-reply) makes the rule not understood: the caller warns and reports "unknown".

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "audit/parse/nftables/reader.hpp"
#include "model/acl.hpp"

namespace microseg::nft {

inline constexpr std::uint8_t kV4 = 1;
inline constexpr std::uint8_t kV6 = 2;

// An optional prefix in 19 bytes: std::optional<Cidr> takes 64 (its address is a 16-byte
// aligned __int128), and cubes are copied for every rule and every flattened entry, whose
// first touch is a page fault per 4 KB. Packed (x86 reads unaligned words at full speed): a
// cube is 50 bytes, not 64.
struct [[gnu::packed]] Prefix {
    std::uint64_t high = 0;  // the network, host order; IPv4 in the low 32 bits of `low`
    std::uint64_t low = 0;
    std::uint8_t len = 0;
    IpFamily family = IpFamily::v4;
    bool set = false;  // false: any address (no match on it)

    static Prefix of(const Cidr& c) {
        return {static_cast<std::uint64_t>(c.network.value >> 64), static_cast<std::uint64_t>(c.network.value),
                static_cast<std::uint8_t>(c.prefix_len), c.network.family, true};
    }
    Uint128 value() const { return Uint128{high} << 64 | low; }
    Cidr cidr() const { return Cidr{IpAddress{family, value()}, len}; }
    // Cidr::contains: same family, at least as long, the same network bits.
    bool contains(const Prefix& o) const {
        if (o.family != family || o.len < len) return false;
        int host_bits = (family == IpFamily::v4 ? 32 : 128) - len;
        Uint128 net_mask = host_bits >= 128 ? Uint128{0} : ~((Uint128{1} << host_bits) - 1);
        return (o.value() & net_mask) == value();
    }
};

struct Cube {
    std::uint8_t families = kV4 | kV6;
    Protocol protocol = Protocol::ip;
    bool echo_reply = false;  // icmp echo-reply only (the model's "established" icmp)
    PortRange source_ports;
    PortRange destination_ports;
    Prefix source;
    Prefix destination;

    bool is_everything() const;
};

// The intersection of `into` and `b`, in place; false (and `into` unspecified) when empty.
// Inline: it runs for every match of every rule and every inlined rule.
inline bool meet(Cube& into, const Cube& b);
// Every pairwise intersection, `a`-major, appended to `out`.
void append_product(const Cube* a, std::size_t a_size, const Cube* b, std::size_t b_size, std::vector<Cube>& out);
// The cube as model entries, one per family it spans, appended to `out`.
void append_entries(const Cube& c, AclAction action, bool log, std::vector<AclEntry>& out);

// Sets multiply (`ip saddr {..} ip daddr {..} tcp dport {..}`: three sets of 200 are 8 million
// cubes); a rule that would match more cubes than this is not understood, so memory stays bounded.
inline constexpr std::size_t kMaxRuleCubes = 1'000'000;

enum class Verdict : std::uint8_t { none, accept, drop, jump, go_to, return_, continue_ };

struct Rule {
    int line = 0;
    // The union of what it matches: cubes [first_cube, first_cube + cube_count) of the vector
    // given to parse_rule (one vector for all rules: a vector per rule was an allocation each).
    std::uint32_t first_cube = 0;
    std::uint32_t cube_count = 0;
    // The jump/goto chain: 1 + its index in the targets given to parse_rule; 0: none. (A
    // string_view here made a rule 40 bytes, not 24: every byte is page faults.)
    std::uint32_t target = 0;
    Verdict verdict = Verdict::none;
    bool log = false;
    bool conntrack_replies = false;  // `ct state established[,related] accept` alone
    bool no_effect = false;          // `ct state invalid drop`: no packet of the model is invalid
    bool understood = true;          // false: it could not be read exactly (the parser warned why)
};

// A named set's elements, one string per element.
using NamedSets = std::map<std::string, std::vector<std::string>, std::less<>>;

// Reads the rule of `tokens` into `rule` (in place: moving a Rule into its vector was a tenth of
// a rule), and why it is not understood into `why` (empty when it is). `families`: what the
// table's family lets through (ip: v4, ip6: v6, inet/bridge: both). The rule's cubes are
// appended to `cubes`; when it is not understood, those read before the part it could not
// read (the caller counts them against its limit, then drops them). A jump's chain name is
// appended to `targets` (it views the tokens' text).
void parse_rule(const std::vector<Token>& tokens, std::uint8_t families, const NamedSets& sets, std::vector<Cube>& cubes,
                std::vector<std::string_view>& targets, Rule& rule, std::string& why);

// ---- implementation of meet ----
namespace detail {
inline std::uint8_t family_bit(IpFamily f) { return f == IpFamily::v4 ? kV4 : kV6; }

inline bool meet_address(Prefix& into, const Prefix& other) {
    if (!other.set) return true;
    if (!into.set) {
        into = other;
        return true;
    }
    if (into.family != other.family) return false;
    if (into.contains(other)) into = other;
    else if (!other.contains(into)) return false;
    return true;
}

inline bool meet_ports(PortRange& into, const PortRange& other) {
    into.first = std::max(into.first, other.first);
    into.last = std::min(into.last, other.last);
    return into.first <= into.last;
}
}  // namespace detail

inline bool meet(Cube& r, const Cube& b) {
    r.families &= b.families;
    if (!detail::meet_address(r.source, b.source) || !detail::meet_address(r.destination, b.destination)) return false;
    if (r.source.set) r.families &= detail::family_bit(r.source.family);
    if (r.destination.set) r.families &= detail::family_bit(r.destination.family);
    if (r.families == 0) return false;
    if (r.protocol == Protocol::ip) r.protocol = b.protocol;
    else if (b.protocol != Protocol::ip && b.protocol != r.protocol) return false;
    if (!detail::meet_ports(r.source_ports, b.source_ports) || !detail::meet_ports(r.destination_ports, b.destination_ports))
        return false;
    r.echo_reply = r.echo_reply || b.echo_reply;
    return true;
}

}  // namespace microseg::nft
