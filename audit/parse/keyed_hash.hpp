#pragma once
// SipHash-2-4: a keyed hash for redacting secrets. The same secret under the same key gives
// the same tag, so a changed secret still shows as a change; without the key the tag says
// nothing about the secret.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace microseg {

using HashKey = std::array<std::uint8_t, 16>;

std::uint64_t siphash24(const HashKey& key, std::string_view data);

// 16 lower-case hex digits of siphash24.
std::string keyed_tag(const HashKey& key, std::string_view data);

// A key derived from arbitrary text (for MICROSEG_REDACT_KEY), by hashing it under a fixed key.
HashKey key_from_text(std::string_view text);

}  // namespace microseg
