#pragma once
// What the nftables parser keeps of a ruleset's tables: per table its sets and chains, each
// chain as the ranges of the parser's rule vector its blocks hold (audit/parse_nftables.cpp
// reads them, then flattens the forward base chains).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "audit/nft_rules.hpp"

namespace microseg::nft {

// Rules [first, end) of the parser's rule vector: one chain block's rules are read in a row.
struct RuleRange {
    std::uint32_t first = 0;
    std::uint32_t end = 0;
};

// A chain; a block of the same name again adds its rules, and its type, hook and policy
// statements change the same chain, as they do in nft.
struct Chain {
    std::string_view name;  // views the text (or the reader's unescaped copy)
    int line = 0;           // of its last block
    bool base = false;
    std::string_view hook;
    AclAction policy = AclAction::permit;  // nft's default policy is accept
    RuleRange rules;
    std::vector<RuleRange> more_rules;  // of later blocks of the same name (rare: no allocation)
};

// Chains by name, as indices into a vector of chains: an open-addressing hash table. A map of
// chains was a node, a string and a vector per chain; a sorted vector compared names eleven
// times per jump.
class ChainIndex {
public:
    // The index of the chain named `name`, or -1.
    std::int64_t find(const std::vector<Chain>& chains, std::string_view name) const;
    // `chains.back()` is new: indexes it.
    void add(const std::vector<Chain>& chains);

private:
    void place(std::string_view name, std::uint32_t index);
    std::vector<std::uint32_t> slots_;  // index + 1; 0: empty
};

struct Table {
    std::string family;
    int line = 0;
    std::vector<Chain> chains;  // in the order first read
    ChainIndex index;
    NamedSets sets;

    // The chain named `name`, created (with no rules) when there is none.
    Chain& chain(std::string_view name);
    const Chain* find(std::string_view name) const;
    // The base chains on `hook`, by name: the order a map of chains gave them, in which two of
    // them are combined.
    std::vector<const Chain*> base_chains(std::string_view hook) const;
};

}  // namespace microseg::nft
