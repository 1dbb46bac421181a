#include "cli/ssh_flags.hpp"

#include <charconv>
#include <chrono>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/cli_common.hpp"

namespace microseg::cli {
namespace {

// `--known-hosts ""` would otherwise fall back to ~/.ssh/known_hosts without a word.
const CLI::Validator kNonEmptyPath(
    [](std::string& path) {
        return path.empty() ? std::string("an empty path; leave the flag out for ~/.ssh/known_hosts") : std::string();
    },
    "FILE", "not empty");

// --timeout in seconds, fractions allowed: a step of at least 1 ms, at most an hour.
const CLI::Validator kTimeoutSeconds(
    [](std::string& text) {
        double seconds = 0;
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
        bool number = ec == std::errc() && end == text.data() + text.size();
        if (number && seconds >= 0.001 && seconds <= 3600) return std::string();
        return fmt::format("seconds from 0.001 to 3600, not '{}'", text);
    },
    "0.001 to 3600", "timeout");

// --timeout S bounds each step (connecting and logging in; each command's answer) by S and
// the whole device by 3 x S: login, setup commands and the config fit in that when each step
// keeps its own deadline, and a device that drips output just under S per step still ends.
void apply_timeout(SshOptions& o, double seconds) {
    if (seconds <= 0) return;
    auto step = std::chrono::milliseconds(static_cast<long long>(seconds * 1000));
    o.connect_timeout = step;
    o.command_timeout = step;
    o.device_timeout = 3 * step;
}

}  // namespace

void add_ssh_flags(CLI::App* command, SshFlags& flags) {
    command->add_option("--user", flags.user,
                        "login user for switches whose policy entry names none (default: the local user)");
    command->add_option("--identity", flags.identity, "private key file")->check(CLI::ExistingFile);
    command->add_option("--known-hosts", flags.known_hosts, "known_hosts file (default ~/.ssh/known_hosts)")
        ->check(kNonEmptyPath);
    command->add_flag("--accept-new", flags.accept_new, "trust and record unknown host keys (never changed ones)");
    command->add_option("--jobs", flags.jobs, "parallel SSH sessions")
        ->check(CLI::Range(1, 1024))
        ->capture_default_str();
    command->add_option("--timeout", flags.timeout_seconds,
                        "seconds for each step (connect, each command); the device gets 3x "
                        "(default 10 s connect, 60 s per command, 180 s per device)")
        ->check(kTimeoutSeconds);
    // A device that never stops talking must not exhaust memory or fill the --save directory.
    command->add_option("--max-bytes", flags.max_bytes,
                        "per-device output cap in bytes; past it the device is not audited (too large)")
        ->check(CLI::Range(std::uint64_t{1024}, std::uint64_t{16} << 30))
        ->capture_default_str();
}

std::optional<SshOptions> ssh_options_or_error(const SshFlags& flags) {
    SshOptions o;
    o.known_hosts = flags.known_hosts.empty() ? default_known_hosts_path() : flags.known_hosts;
    if (o.known_hosts.empty()) {
        print_error("no --known-hosts given and no HOME for ~/.ssh/known_hosts");
        return std::nullopt;
    }
    o.accept_new = flags.accept_new;
    o.identity_file = flags.identity;
    o.password = password_from_environment();
    o.default_user = flags.user;
    apply_timeout(o, flags.timeout_seconds);
    o.max_bytes = flags.max_bytes;
    return o;
}

}  // namespace microseg::cli
