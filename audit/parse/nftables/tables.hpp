#pragma once
// What the nftables parser keeps of a ruleset: its tables, and their chains as the ranges of
// the parser's rule vector their blocks hold (audit/parse/nftables/parse_nftables.cpp reads them, then
// flattens the forward base chains).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "audit/parse/nftables/rules.hpp"

namespace microseg::nft {

// Rules [first, end) of the parser's rule vector: one chain block's rules are read in a row.
struct RuleRange {
    std::uint32_t first = 0;
    std::uint32_t end = 0;
};

// A chain; a block of the same name again adds its rules, and its type, hook and policy
// statements change the same chain, as they do in nft.
struct Chain {
    std::uint32_t table = 0;  // Table::id
    std::string_view name;    // views the text (or the reader's unescaped copy)
    int line = 0;             // of its last block
    bool base = false;
    AclAction policy = AclAction::permit;  // nft's default policy is accept
    std::string_view hook;
    RuleRange rules;
    std::vector<RuleRange> more_rules;  // of later blocks of the same name (rare: no allocation)
};

struct Table {
    std::uint32_t id = 0;  // unique in the parse: a table deleted and declared again is new
    std::string family;
    int line = 0;
    NamedSets sets;
};

// The chains of every table in one vector, found by (table, name) through an open-addressing
// hash table of indices. A map of chains per table was a node, a string and a vector per chain;
// a sorted vector compared names eleven times per jump. The vectors are kept on the thread
// between parses (their first touch is page faults).
class Chains {
public:
    Chains();
    ~Chains();
    Chains(const Chains&) = delete;
    Chains& operator=(const Chains&) = delete;

    // Room for about `count` chains, so that growing does not touch twice the memory.
    void reserve(std::size_t count);
    // The chain `name` of table `table`, created (with no rules) when there is none.
    Chain& chain(std::uint32_t table, std::string_view name);
    const Chain* find(std::uint32_t table, std::string_view name) const;
    // The base chains of `table` on `hook`, by name: the order a map of chains gave them, in
    // which two of them are combined.
    std::vector<const Chain*> base_chains(std::uint32_t table, std::string_view hook) const;

private:
    std::int64_t index_of(std::uint32_t table, std::string_view name) const;
    void place(std::uint32_t index);
    std::vector<Chain> chains_;
    std::vector<std::uint32_t> slots_;  // index into chains_ + 1; 0: empty
};

}  // namespace microseg::nft
