#pragma once
// Helpers shared by the end-to-end tests that work on examples/: load an example policy and
// print drift findings readably in a failure message.

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "audit/drift/drift.hpp"
#include "compiler/compiler.hpp"

namespace microseg::testing {

// Read as of a fixed day, before every example's expires date, so that tests never change with
// the calendar (CLI tests pass the same day as --at kExampleDay).
inline constexpr const char* kExampleDay = "2026-11-01";

inline Policy load_example(const std::string& example) {
    CompileOptions options;
    options.today = std::chrono::year_month_day{std::chrono::year{2026}, std::chrono::month{11}, std::chrono::day{1}};
    auto r = compile_policy_file(std::string(MICROSEG_SOURCE_DIR) + "/examples/" + example + "/policy.yaml", options);
    REQUIRE_MESSAGE(r.ok(), example);
    return std::move(*r.policy);
}

inline std::string describe(const std::vector<DriftFinding>& findings) {
    std::string s;
    for (const auto& f : findings) s += fmt::format("\n  {} {}: {}", to_string(f.kind), f.subject, f.message);
    return s;
}

}  // namespace microseg::testing
