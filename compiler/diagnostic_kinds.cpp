#include "compiler/diagnostic_kinds.hpp"

#include <algorithm>
#include <array>

namespace microseg {
namespace {

#define MICROSEG_DIAGNOSTIC_KIND_ENTRY(name, id, in, text) kinds::name,
constexpr std::array kAll = {MICROSEG_DIAGNOSTIC_KINDS(MICROSEG_DIAGNOSTIC_KIND_ENTRY)};
#undef MICROSEG_DIAGNOSTIC_KIND_ENTRY

// Lowercase letters and digits in words joined by single '-': "bad-cidr", "io".
constexpr bool well_formed(std::string_view id) {
    if (id.empty() || id.front() == '-' || id.back() == '-' || id.find("--") != id.npos) return false;
    return std::all_of(id.begin(), id.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; });
}

constexpr bool named_after(std::string_view constant, std::string_view id) {
    if (constant.size() != id.size()) return false;
    for (std::size_t i = 0; i < id.size(); ++i)
        if (constant[i] != (id[i] == '-' ? '_' : id[i])) return false;
    return true;
}

#define MICROSEG_DIAGNOSTIC_KIND_CHECK(name, id, in, text)                      \
    static_assert(well_formed(id), "malformed diagnostic kind id " id);          \
    static_assert(named_after(#name, id), "kinds::" #name " must be named after " id);
MICROSEG_DIAGNOSTIC_KINDS(MICROSEG_DIAGNOSTIC_KIND_CHECK)
#undef MICROSEG_DIAGNOSTIC_KIND_CHECK

// Sorted by id with no id twice: find_diagnostic_kind searches it by halves.
static_assert(std::adjacent_find(kAll.begin(), kAll.end(), [](const DiagnosticKind& a, const DiagnosticKind& b) {
                  return a.id >= b.id;
              }) == kAll.end(),
              "MICROSEG_DIAGNOSTIC_KINDS must be sorted by id, each id once");

}  // namespace

std::span<const DiagnosticKind> diagnostic_kinds() { return kAll; }

const DiagnosticKind* find_diagnostic_kind(std::string_view id) {
    auto it = std::lower_bound(kAll.begin(), kAll.end(), id,
                               [](const DiagnosticKind& k, std::string_view v) { return k.id < v; });
    return it != kAll.end() && it->id == id ? &*it : nullptr;
}

}  // namespace microseg
