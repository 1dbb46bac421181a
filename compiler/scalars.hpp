#pragma once
// Reading values out of scalar text ourselves, because yaml-cpp's conversions are traps:
// "010" is octal to it, "yes" a boolean, "1e3" a number. Here numbers are decimal digits only,
// booleans are exactly true/false, and names are safe to paste into device configs.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/spelling.hpp"

namespace microseg::compiler {

// Decimal digits only, no sign, no leading zero, within [min, max].
std::optional<std::int64_t> parse_decimal(std::string_view text, std::int64_t min, std::int64_t max);
std::optional<bool> parse_bool(std::string_view text);
// YYYY-MM-DD, a real calendar date.
std::optional<std::chrono::year_month_day> parse_date(std::string_view text);

// [A-Za-z0-9][A-Za-z0-9_.-]{0,62}: names end up in device configs as VLAN, ACL and chain names.
bool is_valid_name(std::string_view text);
inline constexpr std::string_view kNameRule = "names are 1-63 letters, digits, '_', '.', '-' and "
                                              "start with a letter or digit";

// "; did you mean 'x'?" or empty.
std::string did_you_mean(std::string_view name, const std::vector<std::string_view>& candidates);

}  // namespace microseg::compiler
