#pragma once
// A real OpenSSH sshd on 127.0.0.1 for tests: its own temp directory, host key, client key
// pair and authorized_keys, a free port, and a ForceCommand that runs the fake switch. The
// destructor stops it and removes the directory. Also what every SSH test binary shares: temp
// directories sshd's session user can read and the fake switch where that user can run it;
// tests/support/sshd_unavailable.hpp has the skip-or-fail rule for a missing sshd (doctest: this file
// also goes into bench_suite, which has no doctest).

#include <memory>
#include <string>
#include <sys/types.h>

#include "tests/support/temp_dir.hpp"

namespace microseg::test {

struct SshdConfig {
    std::string force_command;          // absolute program path and arguments
    bool password_auth = false;         // PasswordAuthentication yes
    std::string allow_user;             // AllowUsers; default: session_user()
};

class SshdHarness {
public:
    // Starts sshd, or returns nullptr with the reason in `why_not`.
    static std::unique_ptr<SshdHarness> start(const SshdConfig& config, std::string& why_not);
    ~SshdHarness();
    SshdHarness(const SshdHarness&) = delete;
    SshdHarness& operator=(const SshdHarness&) = delete;

    int port() const { return port_; }
    const std::string& user() const { return user_; }  // the account to log in as
    const std::string& dir() const { return dir_; }
    std::string client_key() const { return dir_ + "/client_ed25519"; }
    // "[127.0.0.1]:PORT ssh-ed25519 AAAA...": this server's key as known_hosts records it.
    std::string known_hosts_line() const;
    // The same host with a freshly generated key: what a changed key looks like.
    std::string other_known_hosts_line() const;

private:
    SshdHarness() = default;
    std::string dir_;
    std::string user_;
    int port_ = 0;
    pid_t pid_ = -1;
};

// The account sessions run as: the current user, or as root a system user "microseg-fake"
// with /bin/sh, created on first use ("" when none can be had).
std::string session_user();
// A TCP port on 127.0.0.1 that was free a moment ago.
int free_port();
// Generates an unencrypted ed25519 key pair at `path` and `path`.pub; false on failure.
bool generate_key(const std::string& path);
// The fake switch (FAKE_SWITCH_EXE) copied to a 0755 directory: sshd's unprivileged session
// user may not be able to reach the build tree (a checkout under a 0700 directory).
const std::string& reachable_fake_switch();

}  // namespace microseg::test
