#pragma once
// Junos firewall filters as the parser reads them (terms with their `from` conditions and
// `then` actions), and what one term matches in model terms. audit/parse/junos/parse_junos.cpp fills the
// filters from `firewall family inet filter` statements and turns each term into ACL entries.
//
// Words and names view the config text (or junos_statements' unescaped words), which outlives
// the parse: terms hold no strings of their own, so reading a filter allocates little.

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "audit/parse/junos/statements.hpp"
#include "model/acl.hpp"

namespace microseg {

// One value of a `from` condition; `has_value` is false for a condition without values
// (`from tcp-established`).
struct JunosCondition {
    std::string_view key;
    std::string_view value;
    bool has_value = true;
};

struct JunosTerm {
    std::string_view name;
    int line = 0;
    // In the order read: one vector instead of a map of vectors per term, which allocated for
    // every condition. read_term groups them by condition.
    std::vector<JunosCondition> from;
    std::vector<std::string_view> then;
};

struct JunosFilter {
    int line = 0;
    std::vector<JunosTerm> terms;                        // in order of first appearance
    std::map<std::string_view, std::size_t, JunosWordLess> term_index;  // name -> index in terms
};

using JunosPrefixLists = std::map<std::string_view, std::vector<Cidr>, JunosWordLess>;

// What one term's `from` says, as alternatives per dimension; the term is their product.
// Reused from term to term (reset keeps the vectors' storage).
struct TermMatch {
    std::vector<Cidr> sources, destinations;
    std::vector<Protocol> protocols;
    std::vector<PortRange> source_ports, destination_ports;
    bool established = false;
    std::vector<std::string_view> values;  // read_term's buffer for one condition's values
    void reset();  // matches everything
};

// An address or prefix as a filter or prefix-list writes it: "10.1.2.0/24", or a host without
// a length ("10.1.2.3", which Junos stores as /32; /128 for IPv6).
std::optional<Cidr> junos_prefix(std::string_view text);

// Fills `m` from the term's conditions, or returns why they cannot be modelled. Sorts
// `t.from` by condition (stable: values keep their order).
std::string read_term(JunosTerm& t, const JunosPrefixLists& lists, TermMatch& m);

}  // namespace microseg
