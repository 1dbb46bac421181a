#pragma once
// What an SSH test does when sshd (or root, or a namespace) is not to be had: a visible SKIPPED
// message, or a failure when CI=true. Header-only because it needs doctest, and
// tests/support/sshd_harness.cpp is also built into bench_suite, which has none.

#include <doctest/doctest.h>

#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "tests/support/sshd_harness.hpp"

namespace microseg::test {

// Fails the current test when CI=true, else prints a visible SKIPPED message; returns false.
inline bool report_unavailable(const std::string& what, const std::string& why) {
    const char* ci = std::getenv("CI");
    if (ci && std::string_view(ci) == "true") FAIL_CHECK(what << " under CI: " << why);
    else MESSAGE("SKIPPED: " << what << ": " << why);
    return false;
}

// Starts sshd whose ForceCommand is the fake switch with `args`; when it cannot start, reports
// it (skip, or fail under CI) and returns nullptr.
inline std::unique_ptr<SshdHarness> start_fake_switch(const std::string& args, SshdConfig config = {}) {
    config.force_command = reachable_fake_switch() + " " + args;
    std::string why;
    auto h = SshdHarness::start(config, why);
    if (!h) report_unavailable("sshd could not start", why);
    return h;
}

}  // namespace microseg::test
