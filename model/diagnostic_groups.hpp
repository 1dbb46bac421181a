#pragma once
// Diagnostics grouped for a person to read: a long run of one warning about many places is
// shown a few times and counted (cli/ prints compile diagnostics through it).

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "model/diagnostic.hpp"

namespace microseg {

// For output a person reads: warnings of one kind whose messages differ only in quoted names and
// numbers (their "shape") are one group. A group of more than kGroupAbove warnings shows its
// first kRepeatsShown and counts the rest, so that a policy with 17,000 clear-text flows does not
// print 17,000 warnings, while a hand-written policy's dozen is still read in full. Errors and
// notes are never grouped; JSON output keeps every item.
inline constexpr std::size_t kGroupAbove = 20;
inline constexpr std::size_t kRepeatsShown = 5;

struct ShownDiagnostic {
    const Diagnostic* diagnostic;
    std::size_t more_like_it = 0;  // on the last shown warning of a group: how many were left out
};

// `items` in their order, less the repeats left out.
std::vector<ShownDiagnostic> group_repeated_warnings(const std::vector<Diagnostic>& items);
// The message with every '...' quoted part and every run of digits replaced by '#'.
std::string message_shape(std::string_view message);
// "    ... and N more like this [kind]".
std::string format_more_like_it(const Diagnostic& shown, std::size_t more);

}  // namespace microseg
