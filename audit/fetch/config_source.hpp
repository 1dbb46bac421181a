#pragma once
// audit/fetch/: getting the text a device prints, and keeping it. The only room that talks to
// devices and the only target that links libssh; it reads nothing (audit/parse/) and judges
// nothing (audit/drift/). Saved copies are redacted (audit/parse/redact.hpp) and named as
// `compile` names its files (model/config_file.hpp).
//
// Where the auditor gets a device's running configuration from. The SSH implementation
// (audit/fetch/ssh_source.hpp) is the only code that talks to devices; the file implementation
// (audit/fetch/file_source.hpp) reads saved copies for offline diff and tests. Callers see one
// answer per device: the config text, or the reason it was not audited. A device that
// cannot be read is never "clean" and never "drift".

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include <fmt/format.h>

#include "model/platform.hpp"

namespace microseg {

// What a fetch reads from the device: the running configuration (the audit), or the MAC
// address table (the placement audit; Platform::mac_table_command, no end marker).
enum class FetchContent { config, mac_table };

struct FetchTarget {
    std::string name;     // the switch name in the policy; also names saved copies
    std::string address;  // management address
    int port = 22;
    std::string user;     // empty: the SshOptions default user
    PlatformId platform = PlatformId::cisco_ios;
    FetchContent content = FetchContent::config;
};

struct FetchedConfig {
    std::string text;                // the configuration as the device printed it, '\n' line ends
    std::vector<std::string> notes;  // things the report should say, e.g. a newly recorded host key
};

enum class NotAuditedKind {
    unknown_host_key,  // no entry in known_hosts and no --accept-new
    changed_host_key,  // the key differs from the recorded one: possible interception
    auth_failed,
    connect_failed,    // DNS, TCP, SSH handshake
    timeout,           // a deadline passed before the output was complete: "incomplete"
    truncated,         // the channel closed before the end marker
    command_failed,    // the device rejected the command or exited non-zero
    missing,           // file source: no saved copy
    io_error,
    too_large,         // the device sent more than the per-device cap (--max-bytes)
};

struct NotAudited {
    NotAuditedKind kind = NotAuditedKind::connect_failed;
    std::string reason;  // one line for a human; never contains a secret
};

// The outcome of one fetch: exactly one of the config or the reason.
class FetchResult {
public:
    FetchResult(FetchedConfig c) : v_(std::move(c)) {}
    FetchResult(NotAudited n) : v_(std::move(n)) {}

    bool ok() const { return v_.index() == 0; }
    const FetchedConfig& config() const { return std::get<0>(v_); }
    FetchedConfig& config() { return std::get<0>(v_); }
    const NotAudited& not_audited() const { return std::get<1>(v_); }

private:
    std::variant<FetchedConfig, NotAudited> v_;
};

class ConfigSource {
public:
    virtual ~ConfigSource() = default;
    // Must be safe to call from several threads at once (the fetch pool does).
    virtual FetchResult fetch(const FetchTarget& target) = 0;
};

// The word the report prints after "not audited: ".
std::string_view to_string(NotAuditedKind kind);

// True when `text` holds a whole configuration for `p`: its last non-blank line is the
// platform's end marker. Platforms without an end marker (Junos, nftables) are judged by the
// transport (prompt returned, exit status 0), so this is true for them.
bool has_end_marker(const Platform& p, std::string_view text);

// The platform's error answer in a command's reply ("% Invalid input detected at '^' marker.",
// "syntax error.", "unknown command.", "error: ..."), its first line; nothing when the reply is
// not an error. The caret line a CLI prints under the bad word is skipped.
std::optional<std::string> error_answer(std::string_view reply);

// Why `text` is not a whole configuration of `p` (nothing when it is): IOS/EOS end with `end`;
// Junos is a balanced hierarchy with a top-level statement, or `set` lines of which at least
// one sets a top-level statement; nftables holds at least one `table`, or nothing at all (an
// empty ruleset: nothing is filtered, a state to audit, not a fault). A reply that is not a
// configuration (a command's echo, a message) must never be audited or saved as one.
std::optional<std::string> config_problem(const Platform& p, std::string_view text);

// Saved copies are named by model/config_file.hpp, as `compile` names its files.

}  // namespace microseg

template <>
struct fmt::formatter<microseg::NotAuditedKind> : fmt::formatter<std::string_view> {
    auto format(microseg::NotAuditedKind k, format_context& ctx) const {
        return fmt::formatter<std::string_view>::format(microseg::to_string(k), ctx);
    }
};
