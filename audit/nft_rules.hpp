#pragma once
// The meaning of one nftables rule: the packets it matches, as a union of boxes ("cubes":
// family, protocol, source/destination prefix, port ranges), and its verdict. Anonymous and
// named sets expand into several cubes; `!=` becomes the complement (prefixes or port ranges).
// Anything this cannot express exactly (interfaces, marks, limits, tcp flags, icmp types other
// than echo-reply) makes the rule not understood: the caller warns and reports "unknown".

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "audit/nft_reader.hpp"
#include "model/acl.hpp"

namespace microseg::nft {

inline constexpr std::uint8_t kV4 = 1;
inline constexpr std::uint8_t kV6 = 2;

struct Cube {
    std::uint8_t families = kV4 | kV6;
    std::optional<Cidr> source;
    std::optional<Cidr> destination;
    Protocol protocol = Protocol::ip;
    PortRange source_ports;
    PortRange destination_ports;
    bool echo_reply = false;  // icmp echo-reply only (the model's "established" icmp)

    bool is_everything() const;
};

std::optional<Cube> intersect(const Cube& a, const Cube& b);
// Every pairwise intersection.
std::vector<Cube> product(const std::vector<Cube>& a, const std::vector<Cube>& b);
// The cube as model entries, one per family it spans, appended to `out`.
void append_entries(const Cube& c, AclAction action, bool log, std::vector<AclEntry>& out);

// Sets multiply (`ip saddr {..} ip daddr {..} tcp dport {..}`: three sets of 200 are 8 million
// cubes); a rule that would match more cubes than this is not understood, so memory stays bounded.
inline constexpr std::size_t kMaxRuleCubes = 1'000'000;

enum class Verdict : std::uint8_t { none, accept, drop, jump, go_to, return_, continue_ };

struct Rule {
    int line = 0;
    std::vector<Cube> cubes;   // the union of what it matches
    Verdict verdict = Verdict::none;
    std::string target;        // jump/goto chain
    bool log = false;
    bool conntrack_replies = false;  // `ct state established[,related] accept` alone
    bool no_effect = false;          // `ct state invalid drop`: no packet of the model is invalid
    std::string not_understood;      // why, when it could not be read exactly
};

// A named set's elements, one string per element.
using NamedSets = std::map<std::string, std::vector<std::string>, std::less<>>;

// `families`: what the table's family lets through (ip: v4, ip6: v6, inet/bridge: both).
Rule parse_rule(const std::vector<Token>& tokens, std::uint8_t families, const NamedSets& sets);

}  // namespace microseg::nft
