#pragma once
// Redaction of secrets in device configurations before anything is printed or saved: enable
// secrets and passwords, user secrets, SNMP communities and v3 keys, TACACS+/RADIUS keys,
// IKE pre-shared keys, NTP/OSPF/key-chain keys, Junos $9$ strings and encrypted-passwords.
// Each secret becomes "<redacted:TAG>" with TAG a keyed hash of the secret, so a changed
// secret still shows as a changed line while the secret itself never leaves the process.

#include <cstddef>
#include <string>
#include <string_view>

#include "audit/parse/keyed_hash.hpp"
#include "model/platform.hpp"

namespace microseg {

struct RedactedConfig {
    std::string text;
    std::size_t secrets = 0;  // how many were replaced
};

// A longer line is replaced whole by one marker (no real config line is this long; matching a
// secret pattern inside it could exhaust the stack).
inline constexpr std::size_t kMaxRedactedLineBytes = 4096;

RedactedConfig redact_config(PlatformId platform, std::string_view config, const HashKey& key);

// The marker that replaces `secret`: "<redacted:0123456789abcdef>".
std::string redaction_marker(const HashKey& key, std::string_view secret);

}  // namespace microseg
