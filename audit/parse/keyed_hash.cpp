#include "audit/parse/keyed_hash.hpp"

#include <fmt/format.h>

namespace microseg {
namespace {

std::uint64_t rotl(std::uint64_t x, int b) { return (x << b) | (x >> (64 - b)); }

std::uint64_t load_le64(const std::uint8_t* p) {
    std::uint64_t v = 0;
    for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
    return v;
}

struct SipState {
    std::uint64_t v0, v1, v2, v3;
    void round() {
        v0 += v1; v1 = rotl(v1, 13); v1 ^= v0; v0 = rotl(v0, 32);
        v2 += v3; v3 = rotl(v3, 16); v3 ^= v2;
        v0 += v3; v3 = rotl(v3, 21); v3 ^= v0;
        v2 += v1; v1 = rotl(v1, 17); v1 ^= v2; v2 = rotl(v2, 32);
    }
    void absorb(std::uint64_t m) {
        v3 ^= m;
        round();
        round();
        v0 ^= m;
    }
};

}  // namespace

std::uint64_t siphash24(const HashKey& key, std::string_view data) {
    const std::uint64_t k0 = load_le64(key.data());
    const std::uint64_t k1 = load_le64(key.data() + 8);
    SipState s{k0 ^ 0x736f6d6570736575ULL, k1 ^ 0x646f72616e646f6dULL,
               k0 ^ 0x6c7967656e657261ULL, k1 ^ 0x7465646279746573ULL};
    const auto* p = reinterpret_cast<const std::uint8_t*>(data.data());
    const std::size_t n = data.size();
    std::size_t i = 0;
    for (; i + 8 <= n; i += 8) s.absorb(load_le64(p + i));
    std::uint64_t last = static_cast<std::uint64_t>(n & 0xff) << 56;
    for (std::size_t j = 0; i + j < n; ++j) last |= static_cast<std::uint64_t>(p[i + j]) << (8 * j);
    s.absorb(last);
    s.v2 ^= 0xff;
    for (int r = 0; r < 4; ++r) s.round();
    return s.v0 ^ s.v1 ^ s.v2 ^ s.v3;
}

std::string keyed_tag(const HashKey& key, std::string_view data) {
    return fmt::format("{:016x}", siphash24(key, data));
}

HashKey key_from_text(std::string_view text) {
    static const HashKey derivation{'m', 'i', 'c', 'r', 'o', 's', 'e', 'g', '-', 'r', 'e', 'd', 'a', 'c', 't', '1'};
    HashKey key{};
    std::uint64_t a = siphash24(derivation, text);
    std::uint64_t b = siphash24(derivation, fmt::format("{}#2", text));
    for (int i = 0; i < 8; ++i) {
        key[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(a >> (8 * i));
        key[static_cast<std::size_t>(8 + i)] = static_cast<std::uint8_t>(b >> (8 * i));
    }
    return key;
}

}  // namespace microseg
