#pragma once
// Fetching running configurations over SSH (libssh). This header does not include libssh:
// ssh_source.cpp is the only file in the project that does.
//
// Safety rules (DESIGN.md "Audit rules", PITFALLS.md "libssh"):
// - ~/.ssh/config and /etc/ssh/ssh_config are never read (SSH_OPTIONS_PROCESS_CONFIG off), so a
//   `StrictHostKeyChecking no` or `UserKnownHostsFile` there cannot weaken host key checks.
// - Only `known_hosts` is consulted. An unknown key stops the device unless `accept_new`, which
//   records it and says so; a changed key always stops the device.
// - The host key is checked before any credential is offered.
// - Every read runs against an absolute deadline; a deadline that passes before the output is
//   complete gives "incomplete", a channel that closes early gives "truncated".
// - Every answer is tied to the command that caused it: it starts after that command's echo
//   and ends at the prompt, so a late or doubled prompt can never shift answers by one.
// - A reply counts as a configuration only when it validates for its platform
//   (config_problem()); error answers are "command failed"; more than max_bytes is "too large".
// - Only the platform's read-only commands (model/platform.hpp) are ever sent.
// A target's `content` picks the command: the config command, or the MAC table command for the
// placement audit (complete when the prompt returns; a MAC table has no end marker).

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

#include "audit/fetch/config_source.hpp"

namespace microseg {

// The per-device output cap: a running config of a large chassis is a few MiB.
constexpr std::uint64_t kDefaultMaxBytes = 64ull << 20;

struct SshOptions {
    std::string known_hosts;     // path; see default_known_hosts_path()
    bool accept_new = false;     // trust and record unknown (never changed) host keys
    bool use_agent = true;       // try ssh-agent when SSH_AUTH_SOCK is set
    std::string identity_file;   // private key (unencrypted or agent-less use); empty: none
    std::string password;        // from MICROSEG_SSH_PASSWORD only; never printed
    std::string default_user;    // when a target names none
    std::chrono::milliseconds connect_timeout{10'000};  // TCP + handshake + auth
    std::chrono::milliseconds command_timeout{60'000};  // absolute deadline of one command
    std::chrono::milliseconds device_timeout{180'000};  // absolute deadline of the whole device
    std::uint64_t max_bytes = kDefaultMaxBytes;          // past it: "too large", reading stops
};

// $HOME/.ssh/known_hosts ("" when HOME is unset).
std::string default_known_hosts_path();

// MICROSEG_SSH_PASSWORD, or "" when unset. Passwords are never taken from a flag.
std::string password_from_environment();

class SshSource : public ConfigSource {
public:
    explicit SshSource(SshOptions options);
    FetchResult fetch(const FetchTarget& target) override;

    // Serialises known_hosts reads and appends across the pool's threads.
    std::mutex& known_hosts_mutex() { return known_hosts_mutex_; }
    const SshOptions& options() const { return options_; }

private:
    SshOptions options_;
    std::mutex known_hosts_mutex_;
};

}  // namespace microseg
