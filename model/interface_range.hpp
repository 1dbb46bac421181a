#pragma once
// Switch interface names and ranges: "Gi1/0/1-36" expands to 36 names; a list of names folds
// back to runs that each platform writes in its own range syntax.

#include <charconv>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/diagnostic.hpp"

namespace microseg {

// No real switch has more ports in one range; a bigger one is a typo or an attack on memory.
inline constexpr std::size_t kMaxInterfacesPerRange = 4096;

// "Gi1/0/1-36", "Ethernet1-24", "ge-0/0/0-23", a single name, or a comma list of those.
// The range is always the last number of the name: "ge-0/0/5" is one interface.
Result<std::vector<std::string>> expand_interface_range(std::string_view text);

// One item of such a list, as written: a single name, or a range prefix + [first, last]
// ("Gi1/0/1-36": "Gi1/0/", 1, 36). A view into the text that was split.
struct InterfaceSpan {
    std::string_view prefix;  // the whole name when !range
    unsigned first = 0;
    unsigned last = 0;
    bool range = false;
    std::size_t size() const { return range ? last - first + 1 : 1; }
    // The name of member n (first <= n <= last) of a range; the name itself for a single item.
    std::string name(unsigned n) const;
    // Calls f(name) with each member's name in order, a view into `buffer`: the prefix is copied
    // once and only the digits change (parsers build a name per port).
    template <class F>
    void for_each_name(std::string& buffer, F f) const {
        buffer.assign(prefix);
        if (!range) return f(std::string_view(buffer));
        buffer.resize(prefix.size() + 10);  // room for any unsigned
        char* digits = buffer.data() + prefix.size();
        for (unsigned n = first; n <= last; ++n) {
            auto end = std::to_chars(digits, buffer.data() + buffer.size(), n).ptr;
            f(std::string_view(buffer.data(), static_cast<std::size_t>(end - buffer.data())));
        }
    }
};

// The items of an interface list, checked as expand_interface_range checks it (the same errors),
// into `out` (cleared first), without building a name: a parser that expands thousands of ports
// builds each name once, where it keeps it. The names are expand_interface_range's, in order.
std::optional<Diagnostic> split_interface_range(std::string_view text, std::vector<InterfaceSpan>& out);

// A run of interfaces that differ only in their last number: prefix + [first, last].
struct InterfaceRun {
    std::string prefix;  // "GigabitEthernet1/0/"
    unsigned first = 0;
    unsigned last = 0;
    std::string suffix;  // text after the last number, usually empty (".100" for subinterfaces)
    bool numbered = true;  // false for a name with no trailing number: then prefix is the name
    bool is_single() const { return first == last; }
    std::string name(unsigned n) const;
    auto operator<=>(const InterfaceRun&) const = default;
};

// Sorts names naturally (Gi1/0/2 before Gi1/0/10) and folds consecutive ones into runs.
// Names with no trailing number become single runs of their own.
std::vector<InterfaceRun> fold_interface_runs(std::vector<std::string> names);

// Natural order: digits compare as numbers.
bool interface_less(std::string_view a, std::string_view b);

}  // namespace microseg
