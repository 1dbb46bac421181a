#pragma once
// "Did you mean" support shared by the compiler's diagnostics and the CLI's name lookups, so
// both suggest the same names for the same typo.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace microseg {

// Optimal string alignment distance: a swap of two neighbours ("vlna") is one edit, as people
// type. Returns early with a value above `give_up_above` when the lengths alone differ more.
std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t give_up_above);

// The closest candidate within 2 edits (1 for names of 4 characters or fewer), ties broken by
// name; empty when none is that close.
std::string closest_name(std::string_view name, const std::vector<std::string_view>& candidates);

}  // namespace microseg
