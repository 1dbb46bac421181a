#pragma once
// The dataplane tests' gate: true when this process can build labs; otherwise a message and
// false, or a failure when CI=true (a dataplane test must never skip silently in CI).
#include <doctest/doctest.h>

#include <cstdlib>
#include <string>

#include "verify/lab.hpp"

namespace microseg::testing {

inline bool dataplane_ready() {
    std::string why = verify::dataplane_unavailable_reason();
    if (why.empty()) return true;
    const char* ci = std::getenv("CI");
    if (ci && std::string(ci) == "true") FAIL("dataplane tests must run in CI: " << why);
    MESSAGE("skipping the dataplane test: " << why);
    return false;
}

}  // namespace microseg::testing
