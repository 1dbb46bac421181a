#include "compiler/scalars.hpp"

#include <algorithm>
#include <charconv>

#include <fmt/format.h>

namespace microseg::compiler {

std::optional<std::int64_t> parse_decimal(std::string_view text, std::int64_t min, std::int64_t max) {
    if (text.empty() || text.size() > 18) return std::nullopt;
    if (text.size() > 1 && text[0] == '0') return std::nullopt;  // "010" is not 8, nor 10
    if (!std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return std::nullopt;
    std::int64_t v = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || p != text.data() + text.size() || v < min || v > max) return std::nullopt;
    return v;
}

std::optional<bool> parse_bool(std::string_view text) {
    if (text == "true") return true;
    if (text == "false") return false;
    return std::nullopt;
}

std::optional<std::chrono::year_month_day> parse_date(std::string_view text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
    auto part = [&](std::size_t at, std::size_t len) -> std::optional<int> {
        int v = 0;
        for (std::size_t i = at; i < at + len; ++i) {
            if (text[i] < '0' || text[i] > '9') return std::nullopt;
            v = v * 10 + (text[i] - '0');
        }
        return v;
    };
    auto y = part(0, 4), m = part(5, 2), d = part(8, 2);
    if (!y || !m || !d) return std::nullopt;
    std::chrono::year_month_day date{std::chrono::year{*y}, std::chrono::month{static_cast<unsigned>(*m)},
                                     std::chrono::day{static_cast<unsigned>(*d)}};
    if (!date.ok()) return std::nullopt;
    return date;
}

bool is_valid_name(std::string_view text) {
    auto alnum = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    };
    if (text.empty() || text.size() > 63 || !alnum(text[0])) return false;
    return std::all_of(text.begin(), text.end(),
                       [&](char c) { return alnum(c) || c == '_' || c == '.' || c == '-'; });
}

std::string did_you_mean(std::string_view name, const std::vector<std::string_view>& candidates) {
    auto best = closest_name(name, candidates);
    return best.empty() ? std::string() : fmt::format("; did you mean '{}'?", best);
}

}  // namespace microseg::compiler
