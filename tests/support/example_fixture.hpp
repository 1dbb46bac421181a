#pragma once
// Helpers shared by the end-to-end tests that work on examples/: load an example policy and
// print drift findings readably in a failure message.

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "audit/drift/drift.hpp"
#include "compiler/compiler.hpp"

namespace microseg::testing {

inline Policy load_example(const std::string& example) {
    auto r = compile_policy_file(std::string(MICROSEG_SOURCE_DIR) + "/examples/" + example + "/policy.yaml");
    REQUIRE_MESSAGE(r.ok(), example);
    return std::move(*r.policy);
}

inline std::string describe(const std::vector<DriftFinding>& findings) {
    std::string s;
    for (const auto& f : findings) s += fmt::format("\n  {} {}: {}", to_string(f.kind), f.subject, f.message);
    return s;
}

}  // namespace microseg::testing
