#pragma once
// FNV-1a 64: the one identity hash of microseg (the policy text's version, a switch's content
// hash, versioned ACL and session names). Tiny and stable across runs and platforms, which
// std::hash is not guaranteed to be; an identity, never a secret (audit/parse/keyed_hash is).

#include <cstdint>
#include <string_view>

namespace microseg {

inline constexpr std::uint64_t kFnvOffset = 14695981039346656037ull;

// Continues `hash` over `bytes` (start from kFnvOffset).
inline std::uint64_t fnv1a(std::uint64_t hash, std::string_view bytes) {
    for (unsigned char c : bytes) {
        hash ^= c;
        hash *= 1099511628211ull;
    }
    return hash;
}

}  // namespace microseg
