#pragma once
// Helpers of the tests that feed parsers crafted inputs (parser_limits_test, nft_limits_test).

#include <ctime>
#include <string_view>

#include "model/as_built.hpp"

namespace microseg::test {

// CPU seconds of this process since `start` (std::clock): a loaded machine does not count. The
// bounds are loose (sanitizer builds are slower); the behaviour they guard against took hours.
inline double seconds_since(std::clock_t start) { return double(std::clock() - start) / CLOCKS_PER_SEC; }

inline bool has_warning(const ParsedConfig& p, std::string_view text) {
    for (const auto& w : p.warnings)
        if (w.reason.find(text) != std::string::npos) return true;
    return false;
}

}  // namespace microseg::test
