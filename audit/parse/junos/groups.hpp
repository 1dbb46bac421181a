#pragma once
// Junos configuration groups, expanded on the flat statements of statements.hpp: `groups G ...`
// holds G's statements, `apply-groups G` at a level makes the configuration inherit those of
// them that lie under that level, `apply-groups-except G` stops that below a level. The
// statements a config inherits are what the device runs: a port that exists only through a
// group must not read as missing. What cannot be expanded exactly is a problem with its line
// (its findings "unknown"), never a guess.
//
// Semantics (Juniper CLI guide, "Configuration Groups", "Using Wildcards with Configuration
// Groups", "apply-groups-except"): local statements win over inherited ones; a group applied at
// a deeper level wins over one applied higher; among the groups of one `apply-groups [ ... ]`
// the first listed wins; sets (vlan members, addresses) inherit every value; a `<pattern>` name
// matches elements the configuration has, and creates none; a literal name creates it.

#include <deque>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "audit/parse/junos/statements.hpp"

namespace microseg {

struct JunosGroupProblem {
    JunosStatement statement;  // the statement it is about, with its line
    std::string reason;
};

// Move-only: inherited statements view `word_blocks`.
struct JunosExpansion {
    JunosExpansion() = default;
    JunosExpansion(JunosExpansion&&) = default;
    JunosExpansion& operator=(JunosExpansion&&) = default;
    JunosExpansion(const JunosExpansion&) = delete;
    JunosExpansion& operator=(const JunosExpansion&) = delete;

    // The local statements in their order, then the inherited ones, highest priority first;
    // without the `groups` and `apply-groups` statements. An inherited statement keeps the line
    // of the group statement it came from: a finding points to the line that says it.
    std::vector<JunosStatement> statements;
    std::deque<std::vector<std::string_view>> word_blocks;  // inherited statements' words
    std::vector<JunosGroupProblem> problems;
    // Filters whose terms come from a group and from elsewhere: in what order the device
    // evaluates them is not modelled, so the filter is not understood.
    std::vector<std::string_view> unordered_filters;
    std::size_t group_statements = 0;  // `groups ...` statements read (not configuration)
};

// `statements` (which the result's statements may view) with their groups expanded.
// `replay_repeats` false offers every statement of a group again each time the group is applied
// again at the same level: the straightforward way, for tests to compare with.
JunosExpansion expand_junos_groups(std::span<const JunosStatement> statements, bool replay_repeats = true);

}  // namespace microseg
