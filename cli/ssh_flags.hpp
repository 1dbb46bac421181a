#pragma once
// The SSH flags of every command that logs in to switches (`microseg audit`, `microseg
// placement`): declared once with one set of checks, and turned once into the SshOptions of the
// audit library's SshSource.

#include <cstdint>
#include <optional>
#include <string>

#include "audit/fetch/fetch_pool.hpp"
#include "audit/fetch/ssh_source.hpp"

namespace CLI {
class App;
}

namespace microseg::cli {

struct SshFlags {
    std::string user;            // --user: login user for switches whose policy entry names none
    std::string identity;        // --identity: private key file; must exist
    std::string known_hosts;     // --known-hosts: absent means ~/.ssh/known_hosts; "" is refused
    bool accept_new = false;     // --accept-new: trust and record unknown (never changed) host keys
    int jobs = kDefaultJobs;     // --jobs: parallel SSH sessions, 1 to 1024
    double timeout_seconds = 0;  // --timeout: each step's deadline, 0.001 to 3600 s; 0: SshOptions' defaults
    std::uint64_t max_bytes = kDefaultMaxBytes;  // --max-bytes: per-device output cap, 1 KiB to 16 GiB
};

// Adds --user, --identity, --known-hosts, --accept-new, --jobs, --timeout and --max-bytes to `command`. A
// missing identity file, an empty --known-hosts path, --jobs or --timeout out of range are
// usage errors of the parser (exit 2).
void add_ssh_flags(CLI::App* command, SshFlags& flags);

// The SshOptions of `flags` (the password from MICROSEG_SSH_PASSWORD), or nothing after printing
// why not (no --known-hosts and no HOME for ~/.ssh/known_hosts).
std::optional<SshOptions> ssh_options_or_error(const SshFlags& flags);

}  // namespace microseg::cli
