#pragma once
// The VLAN sets of the IOS-style reader (audit/parse/ios/ios_style_parser.cpp).

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <optional>
#include <vector>

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
    std::vector<int> ids() const {
        std::vector<int> out;
        for (std::size_t i = 0; i < kWords; ++i)
            for (std::uint64_t w = words_[i]; w != 0; w &= w - 1)
                out.push_back(static_cast<int>(i * 64) + std::countr_zero(w));
        return out;
    }

private:
    static constexpr std::size_t kWords = 4096 / 64;
    std::array<std::uint64_t, kWords> words_{};
};

}  // namespace microseg
