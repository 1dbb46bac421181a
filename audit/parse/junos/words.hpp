#pragma once
// Words of a Junos configuration compared and looked up without libstdc++'s out-of-line
// string_view::compare (a memcmp call through the PLT per word).

#include <bit>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <utility>

namespace microseg {

// The sign of std::string_view::compare, inline: libstdc++'s calls memcmp through the PLT for
// every word, and the parser's maps and the group expansion's sorted statements compare words
// of a few bytes (memcmp was a tenth to a half of a parse). Bytes compare as unsigned char, as
// memcmp does, so every order is std::less<std::string_view>'s.
inline int junos_compare_words(std::string_view a, std::string_view b) {
    // Statements of one `{ }` section view the same text for the section's words.
    if (a.data() == b.data() && a.size() == b.size()) return 0;
    std::size_t n = a.size() < b.size() ? a.size() : b.size();
    const auto* x = reinterpret_cast<const unsigned char*>(a.data());
    const auto* y = reinterpret_cast<const unsigned char*>(b.data());
    std::size_t i = 0;
    // 8 bytes at a time (interface names share their first 6 or 7): big-endian, the first
    // byte that differs decides, as one byte at a time.
    for (; i + 8 <= n; i += 8) {
        std::uint64_t u, v;
        std::memcpy(&u, x + i, 8);
        std::memcpy(&v, y + i, 8);
        if (u == v) continue;
        if constexpr (std::endian::native == std::endian::little) u = __builtin_bswap64(u), v = __builtin_bswap64(v);
        return u < v ? -1 : 1;
    }
    for (; i < n; ++i)
        if (x[i] != y[i]) return x[i] < y[i] ? -1 : 1;
    return a.size() == b.size() ? 0 : a.size() < b.size() ? -1 : 1;
}

// std::less<std::string_view>'s order with junos_compare_words, for maps and sets of words.
struct JunosWordLess {
    using is_transparent = void;
    bool operator()(std::string_view a, std::string_view b) const { return junos_compare_words(a, b) < 0; }
};

// map[name], remembered in `last`: an element's statements come together, so most lookups are
// of the element the last statement named (a lookup in a map of thousands of ports per
// statement was a fifth of a parse). Map nodes do not move, so the pointer stays valid.
template <class Map>
typename Map::mapped_type& junos_remembered(Map& map, std::pair<std::string_view, typename Map::mapped_type*>& last,
                                            std::string_view name) {
    if (!last.second || last.first.size() != name.size() || junos_compare_words(last.first, name) != 0)
        last = {name, &map[name]};
    return *last.second;
}

}  // namespace microseg
