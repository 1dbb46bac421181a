#pragma once
// What tests that drive audit/ssh_source directly need to reach their own sshd
// (tests/support/sshd_harness.hpp): client options and a known_hosts file that trusts it.

#include <chrono>
#include <string>

#include <fmt/format.h>

#include "audit/fetch/ssh_source.hpp"
#include "tests/support/sshd_harness.hpp"

namespace microseg::test {

// The harness's user and client key, never the developer's agent, short timeouts.
inline SshOptions client_options(const SshdHarness& h, const std::string& known_hosts) {
    using namespace std::chrono_literals;
    SshOptions o;
    o.known_hosts = known_hosts;
    o.use_agent = false;  // the developer's agent must not decide a test
    o.identity_file = h.client_key();
    o.default_user = h.user();
    o.connect_timeout = 5s;
    o.command_timeout = 5s;
    o.device_timeout = 20s;
    return o;
}

// A known_hosts file in `dir` that already trusts `h`; its path.
inline std::string trusting_known_hosts(const TempDir& dir, const SshdHarness& h) {
    return dir.file(fmt::format("known_hosts-{}", h.port()), h.known_hosts_line() + "\n");
}

// client_options with a known_hosts file in `dir` that trusts `h`.
inline SshOptions trusting_options(const TempDir& dir, const SshdHarness& h) {
    return client_options(h, trusting_known_hosts(dir, h));
}

}  // namespace microseg::test
