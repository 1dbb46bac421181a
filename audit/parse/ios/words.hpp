#pragma once
// Word tests for the IOS-style readers (audit/parse/ios/ios_style_parser.cpp, audit/parse/ios/acl_entry.cpp).

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string_view>

namespace microseg {

// `word == literal`. In the parsers' big functions GCC calls string_view::compare (and memcmp)
// for every `==`, and those calls were a tenth of reading a small config; a fixed-length memcmp
// compiles to a load and a compare.
template <std::size_t N>
inline bool is(std::string_view word, const char (&literal)[N]) {
    return word.size() == N - 1 && std::memcmp(word.data(), literal, N - 1) == 0;
}

// s.find(c, from), searched inline, for what is mostly a few bytes (a "!" line, a VLAN list):
// there the call to memchr that string_view::find makes is most of the search (perf: 5% of the
// samples of reading access switches were in memchr, most of them from such lines).
inline std::size_t find_in(std::string_view s, char c, std::size_t from = 0) {
    for (std::size_t i = from; i < s.size(); ++i)
        if (s[i] == c) return i;
    return std::string_view::npos;
}

// A word of decimal digits only (leading zeros allowed) worth at most `max`; what std::from_chars
// reads when it must read the whole word, without its generic overflow checks (ports and VLAN
// ids are read for every ACL entry and port).
inline std::optional<unsigned> decimal(std::string_view word, unsigned max) {
    if (word.empty()) return std::nullopt;
    std::uint64_t v = 0;
    for (char c : word) {
        auto d = static_cast<unsigned>(static_cast<unsigned char>(c)) - '0';
        if (d > 9) return std::nullopt;
        v = v * 10 + d;
        if (v > max) return std::nullopt;
    }
    return static_cast<unsigned>(v);
}

// One interface name, as devices print every block ("GigabitEthernet1/0/5"): letters, digits
// and / . : _ only, no '-' (a range or "ge-0/0/1"), ',' or space. split_interface_range reads
// such a name as the one span {name}; this test is a table lookup a byte, where that reading
// trims, searches for ',' and '-' and checks the bytes (7% of reading a printed config).
// words_test.cpp checks the two agree.
inline bool plain_interface_name(std::string_view name) {
    static constexpr auto kPlain = [] {
        std::array<bool, 256> ok{};
        for (int c = 0; c < 256; ++c)
            ok[static_cast<std::size_t>(c)] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                                              (c >= '0' && c <= '9') || c == '/' || c == '.' || c == ':' || c == '_';
        return ok;
    }();
    if (name.empty()) return false;
    for (char c : name)
        if (!kPlain[static_cast<unsigned char>(c)]) return false;
    return true;
}

}  // namespace microseg
