#include "model/interface_range.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>
#include <optional>

namespace microseg {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Up to 9 digits, all of the text (what std::from_chars reads there; parsers read a number or
// two per interface block).
std::optional<unsigned> to_number(std::string_view s) {
    if (s.empty() || s.size() > 9) return std::nullopt;
    unsigned v = 0;
    for (char c : s) {
        if (!is_digit(c)) return std::nullopt;
        v = v * 10 + static_cast<unsigned>(c - '0');
    }
    return v;
}

// The number a run of digits stands for in natural order; one too long for to_number counts as 0.
unsigned run_value(std::string_view digits) {
    if (digits.size() > 9) return 0;
    unsigned v = 0;
    for (char c : digits) v = v * 10 + static_cast<unsigned>(c - '0');
    return v;
}

// std::isspace in the "C" locale, without a call per character.
bool is_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

std::string_view trim(std::string_view s) {
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    return s;
}

// Letters and digits as std::isalnum reads them in the "C" locale (the only one microseg runs
// in), and / - . : _, looked up in a table: parsers check every interface name.
constexpr auto kNameChars = [] {
    std::array<bool, 256> ok{};
    for (int c = 0; c < 256; ++c)
        ok[static_cast<std::size_t>(c)] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                                          c == '/' || c == '-' || c == '.' || c == ':' || c == '_';
    return ok;
}();

bool valid_name(std::string_view s) {
    return !s.empty() &&
           std::all_of(s.begin(), s.end(), [](char c) { return kNameChars[static_cast<unsigned char>(c)]; });
}

// Splits "Gi1/0/36" into prefix "Gi1/0/", number 36, suffix "".
struct NameParts {
    std::string_view prefix;
    std::optional<unsigned> number;
    std::string_view suffix;
};

NameParts split_last_number(std::string_view name) {
    std::size_t end = name.size();
    // A subinterface suffix (".100") is not where a port range goes.
    std::size_t dot = name.rfind('.');
    if (dot != std::string_view::npos && dot + 1 < name.size() &&
        std::all_of(name.begin() + static_cast<long>(dot) + 1, name.end(), is_digit))
        end = dot;
    std::size_t start = end;
    while (start > 0 && is_digit(name[start - 1])) --start;
    if (start == end) return {name, std::nullopt, {}};
    return {name.substr(0, start), to_number(name.substr(start, end - start)), name.substr(end)};
}

// Reads one item ("Gi1/0/1-36" or a single name) into `out`; nullopt when read.
std::optional<Diagnostic> split_one(std::string_view item, InterfaceSpan& out) {
    auto bad = [&](std::string why) {
        return make_error(fmt::format("bad interface range '{}': {}", item, why), {}, "bad-interface");
    };
    if (!valid_name(item)) return bad("interface names use letters, digits and / - . : _");
    // A range is "<name ending in N>-<M>" where M is all digits; "ge-0/0/5" has a hyphen that
    // is part of the name, so only a trailing "-digits" after a digit counts.
    std::size_t dash = item.rfind('-');
    if (dash == std::string_view::npos || dash == 0 || !is_digit(item[dash - 1]) ||
        dash + 1 == item.size() ||
        !std::all_of(item.begin() + static_cast<long>(dash) + 1, item.end(), is_digit)) {
        out = {item, 0, 0, false};
        return std::nullopt;
    }
    auto head = split_last_number(item.substr(0, dash));
    auto last = to_number(item.substr(dash + 1));
    if (!head.number || !last || !head.suffix.empty()) return bad("the range end is not a number");
    if (*last < *head.number)
        return bad(fmt::format("the range runs backwards ({} > {})", *head.number, *last));
    if (*last - *head.number + 1 > kMaxInterfacesPerRange)
        return bad(fmt::format("more than {} interfaces in one range", kMaxInterfacesPerRange));
    out = {head.prefix, *head.number, *last, true};
    return std::nullopt;
}

}  // namespace

std::optional<Diagnostic> split_interface_range(std::string_view text, std::vector<InterfaceSpan>& out) {
    out.clear();
    std::size_t pos = 0, names = 0;
    while (pos <= text.size()) {
        std::size_t comma = text.find(',', pos);
        auto item = trim(text.substr(pos, comma == std::string_view::npos ? text.npos : comma - pos));
        if (item.empty()) {
            return make_error(fmt::format("bad interface range '{}': empty item", text), {},
                              "bad-interface");
        }
        if (auto error = split_one(item, out.emplace_back())) return error;
        names += out.back().size();
        if (names > kMaxInterfacesPerRange) {
            return make_error(fmt::format("bad interface range '{}': more than {} interfaces", text,
                                          kMaxInterfacesPerRange), {}, "bad-interface");
        }
        if (comma == std::string_view::npos) break;
        pos = comma + 1;
    }
    return std::nullopt;
}

std::string InterfaceSpan::name(unsigned n) const {
    if (!range) return std::string(prefix);
    char digits[16];
    auto end = std::to_chars(digits, digits + sizeof digits, n).ptr;
    std::string out(prefix);
    out.append(digits, end);
    return out;
}

Result<std::vector<std::string>> expand_interface_range(std::string_view text) {
    std::vector<InterfaceSpan> spans;
    if (auto error = split_interface_range(text, spans)) return *error;
    std::size_t names = 0;
    for (const auto& s : spans) names += s.size();
    std::vector<std::string> out;
    out.reserve(names);
    std::string buffer;
    for (const auto& s : spans) s.for_each_name(buffer, [&](std::string_view name) { out.emplace_back(name); });
    return out;
}

std::string InterfaceRun::name(unsigned n) const {
    return numbered ? fmt::format("{}{}{}", prefix, n, suffix) : prefix;
}

bool interface_less(std::string_view a, std::string_view b) {
    // Names in one config mostly share a long prefix ("GigabitEthernet1/0/"): step over it at
    // once, back to the start of the number it may end in. The walk below would have reached
    // that point in step (equal text compares equal), so the result is the same.
    std::size_t common = 0, shorter = std::min(a.size(), b.size());
    while (common + 8 <= shorter && std::memcmp(a.data() + common, b.data() + common, 8) == 0) common += 8;
    while (common < shorter && a[common] == b[common]) ++common;
    std::size_t differ = common;
    while (common > 0 && is_digit(a[common - 1])) --common;
    // The usual pair, Gi1/0/17 and Gi1/0/18: the same length, different only in the number they
    // end in. Numbers of equal length (up to 9 digits, what run_value reads) compare as text.
    auto digits_to_end = [](std::string_view s) { return std::all_of(s.begin(), s.end(), is_digit); };
    if (a.size() == b.size() && differ < a.size() && a.size() - common <= 9 &&
        digits_to_end(a.substr(differ)) && digits_to_end(b.substr(differ)))
        return a[differ] < b[differ];
    std::size_t i = common, j = common;
    while (i < a.size() && j < b.size()) {
        if (is_digit(a[i]) && is_digit(b[j])) {
            std::size_t i2 = i, j2 = j;
            while (i2 < a.size() && is_digit(a[i2])) ++i2;
            while (j2 < b.size() && is_digit(b[j2])) ++j2;
            auto x = run_value(a.substr(i, i2 - i));
            auto y = run_value(b.substr(j, j2 - j));
            if (x != y) return x < y;
            i = i2;
            j = j2;
            continue;
        }
        if (a[i] != b[j]) return a[i] < b[j];
        ++i;
        ++j;
    }
    return a.size() - i < b.size() - j;
}

std::vector<InterfaceRun> fold_interface_runs(std::vector<std::string> names) {
    std::sort(names.begin(), names.end(),
              [](const std::string& a, const std::string& b) { return interface_less(a, b); });
    names.erase(std::unique(names.begin(), names.end()), names.end());
    std::vector<InterfaceRun> runs;
    for (const auto& n : names) {
        auto parts = split_last_number(n);
        if (!parts.number) {
            runs.push_back({n, 0, 0, "", false});
            continue;
        }
        if (!runs.empty()) {
            auto& r = runs.back();
            if (r.numbered && r.prefix == parts.prefix && r.suffix == parts.suffix &&
                r.last + 1 == *parts.number) {
                r.last = *parts.number;
                continue;
            }
        }
        runs.push_back({std::string(parts.prefix), *parts.number, *parts.number,
                        std::string(parts.suffix), true});
    }
    return runs;
}

}  // namespace microseg
