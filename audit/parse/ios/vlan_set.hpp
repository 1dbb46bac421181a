#pragma once
// The VLAN sets of the IOS-style reader (audit/parse/ios/ios_style_parser.cpp).

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "model/vlan_id_set.hpp"

namespace microseg {

// VLAN ids 1-4094 as bits, 64 to a word: set operations, ranges and listing cost a few dozen
// word operations, so a config of a million "1-4094" lists stays linear (a std::set<int> per
// trunk took minutes; a std::bitset had to test 4,094 bits to list its ids).
class VlanSet {
public:
    static const VlanSet& all() {
        static const VlanSet every = [] {
            VlanSet s;
            s.add(1, 4094);
            return s;
        }();
        return every;
    }
    void add(int id) { words_[static_cast<std::size_t>(id / 64)] |= std::uint64_t{1} << (id % 64); }
    void add(int first, int last) {
        for (int v = first; v <= last;) {
            int bit = v % 64, take = std::min(64 - bit, last - v + 1);
            std::uint64_t ones = take == 64 ? ~std::uint64_t{0} : ((std::uint64_t{1} << take) - 1);
            words_[static_cast<std::size_t>(v / 64)] |= ones << bit;
            v += take;
        }
    }
    VlanSet& operator|=(const VlanSet& o) {
        for (std::size_t i = 0; i < kWords; ++i) words_[i] |= o.words_[i];
        return *this;
    }
    VlanSet without(const VlanSet& o) const {
        VlanSet out;
        for (std::size_t i = 0; i < kWords; ++i) out.words_[i] = words_[i] & ~o.words_[i];
        return out;
    }
    bool contains(int id) const { return (words_[static_cast<std::size_t>(id / 64)] >> (id % 64)) & 1; }
    // The id when the set holds exactly one.
    std::optional<int> only_id() const {
        std::optional<int> id;
        for (std::size_t i = 0; i < kWords; ++i) {
            if (words_[i] == 0) continue;
            if (id || (words_[i] & (words_[i] - 1)) != 0) return std::nullopt;
            id = static_cast<int>(i * 64) + std::countr_zero(words_[i]);
        }
        return id;
    }
    // Sized once (a trunk with every VLAN grew its vector a dozen times, copying it), then
    // written through a pointer, a full word as 64 consecutive ids (vectorised; an insert of an
    // iota range went an element at a time), popcount only for partial words (without -mpopcnt
    // it is a libgcc call): the listing of every trunk's VLANs was a fifth of reading a config
    // whose trunks carry all of them.
    std::vector<int> ids() const {
        std::size_t count = 0;
        for (auto w : words_)
            count += w == ~std::uint64_t{0} ? 64 : w == 0 ? 0 : static_cast<std::size_t>(std::popcount(w));
        std::vector<int> out(count);
        int* at = out.data();
        for (std::size_t i = 0; i < kWords; ++i) {
            int base = static_cast<int>(i * 64);
            if (words_[i] == ~std::uint64_t{0}) {
                for (int b = 0; b < 64; ++b) at[b] = base + b;
                at += 64;
                continue;
            }
            for (std::uint64_t w = words_[i]; w != 0; w &= w - 1) *at++ = base + std::countr_zero(w);
        }
        return out;
    }

    // The same ids as the model keeps a trunk's (runs of set bits found a word at a time).
    VlanIdSet id_set() const {
        VlanIdSet out;
        for (int at = next_bit(true, 0); at < kBits;) {
            int end = next_bit(false, at);
            out.append(at, end - 1);
            at = next_bit(true, end);
        }
        return out;
    }

private:
    static constexpr std::size_t kWords = 4096 / 64;
    static constexpr int kBits = 4096;
    // The first bit at or after `from` that is set (`set`) or clear; kBits when none.
    int next_bit(bool set, int from) const {
        for (auto i = static_cast<std::size_t>(from / 64); i < kWords; ++i) {
            std::uint64_t w = set ? words_[i] : ~words_[i];
            if (i == static_cast<std::size_t>(from / 64)) w &= ~std::uint64_t{0} << (from % 64);
            if (w != 0) return static_cast<int>(i * 64) + std::countr_zero(w);
        }
        return kBits;
    }
    std::array<std::uint64_t, kWords> words_{};
};

// "110,120-125" as a set; nullopt unless every comma-separated item is a VLAN id (1-4094,
// decimal digits only, leading zeros allowed) or a range of two with the first not above the
// second. One pass over the bytes: the item-by-item reading (find the comma, find the dash,
// read each side) was a tenth of reading a config with long trunk lists. vlan_set_test.cpp
// checks it against that reading.
inline std::optional<VlanSet> parse_vlan_list(std::string_view s) {
    VlanSet out;
    std::size_t i = 0;
    auto number = [&]() -> int {  // 0: no VLAN id here
        std::size_t start = i;
        unsigned v = 0;
        for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
            v = v * 10 + static_cast<unsigned>(s[i] - '0');
            if (v > 4094) return 0;
        }
        return i == start ? 0 : static_cast<int>(v);
    };
    while (true) {
        int first = number();
        if (first == 0) return std::nullopt;
        int last = first;
        if (i < s.size() && s[i] == '-') {
            ++i;
            last = number();
            if (last == 0 || first > last) return std::nullopt;
        }
        if (first == last) out.add(first);
        else out.add(first, last);
        if (i == s.size()) return out;
        if (s[i] != ',') return std::nullopt;
        ++i;
    }
}

}  // namespace microseg
