// The IOS-style block reader against a plain reading of the same rules, a byte at a time, on
// random text: lines and words across the 64-byte windows, '\r', comments, banners, the end.
#include <doctest/doctest.h>

#include <bit>
#include <random>
#include <string>
#include <vector>

#include "audit/parse/ios/blocks.hpp"

using namespace microseg;

namespace {

struct PlainLine {
    int number;
    std::string text;
    std::vector<std::string> words;
    bool indented;
    bool operator==(const PlainLine&) const = default;
};

std::vector<std::string> plain_words(std::string_view line) {
    std::vector<std::string> out;
    std::string word;
    for (char c : line) {
        if (c == ' ' || c == '\t') {
            if (!word.empty()) out.push_back(word);
            word.clear();
        } else {
            word += c;
        }
    }
    if (!word.empty()) out.push_back(word);
    return out;
}

// The rules: lines end at '\n', one '\r' before it is dropped; a line without words or whose
// first word starts with '!' is left out; "banner X <d>..." skips lines up to the next <d>.
std::vector<std::vector<PlainLine>> plain_blocks(std::string_view text, std::size_t& skipped) {
    std::vector<std::vector<PlainLine>> blocks;
    std::string banner_end;
    int number = 0;
    std::size_t pos = 0;
    while (pos < text.size()) {
        auto nl = text.find('\n', pos);
        std::string raw(text.substr(pos, nl == std::string_view::npos ? text.npos : nl - pos));
        pos = nl == std::string_view::npos ? text.size() : nl + 1;
        ++number;
        if (!raw.empty() && raw.back() == '\r') raw.pop_back();
        if (!banner_end.empty()) {
            ++skipped;
            if (raw.find(banner_end) != std::string::npos) banner_end.clear();
            continue;
        }
        auto w = plain_words(raw);
        if (w.empty() || w[0][0] == '!') continue;
        bool indented = raw[0] == ' ' || raw[0] == '\t';
        if (!indented && w[0] == "banner" && w.size() >= 3) {
            std::string delim = w[2].substr(0, w[2].starts_with("^C") ? 2 : 1);
            auto rest = raw.substr(raw.find(w[2], raw.find(w[1]) + w[1].size()) + delim.size());
            if (rest.find(delim) == std::string::npos) banner_end = delim;
            continue;
        }
        if (blocks.empty() || !indented) blocks.emplace_back();
        blocks.back().push_back({number, raw, w, indented});
    }
    return blocks;
}

std::vector<std::vector<PlainLine>> read_blocks(std::string_view text, std::size_t& skipped) {
    std::vector<std::vector<PlainLine>> blocks;
    IosBlockReader reader(text, skipped);
    for (auto block = reader.next(); !block.empty(); block = reader.next()) {
        auto& out = blocks.emplace_back();
        for (const auto& l : block)
            out.push_back({l.number, std::string(l.text), std::vector<std::string>(l.words.begin(), l.words.end()), l.indented});
    }
    return blocks;
}

}  // namespace

TEST_CASE("byte classes: SSE2 and 64-bit words agree with a byte-by-byte test") {
    std::mt19937 rng(7);
    const std::string alphabet = std::string(" \t\n\r\x0b\x1f!\x21\x08\x0a\x09\x80\xff\x7f aZ9") + '\0';
    for (int round = 0; round < 20000; ++round) {
        char bytes[64];
        for (char& b : bytes) b = round % 2 ? alphabet[rng() % alphabet.size()] : static_cast<char>(rng());
        ByteClasses plain;
        for (int i = 0; i < 64; ++i) {
            plain.blank |= std::uint64_t{bytes[i] == ' ' || bytes[i] == '\t'} << i;
            plain.stop |= std::uint64_t{bytes[i] == '\n'} << i;
        }
        // Up to the first line break.
        std::uint64_t looked_at = plain.stop ? ~std::uint64_t{0} >> (63 - std::countr_zero(plain.stop)) : ~std::uint64_t{0};
        for (auto got : {classify_bytes(bytes), classify_bytes_portable(bytes)}) {
            REQUIRE((got.blank & looked_at) == (plain.blank & looked_at));
            REQUIRE((got.stop & looked_at) == (plain.stop & looked_at));
        }
    }
}

TEST_CASE("the block reader reads random text as the plain rules do") {
    std::mt19937 rng(11);
    const std::vector<std::string> pieces = {" ", "  ", "\t", "\n", "\r\n", "\r", "!", "x", "permit", "10.0.0.0/24",
                                             "interface", "banner", "motd", "^C", "#", "\n banner motd ^C x ^C\n",
                                             "\nbanner motd ^C\n", "\nbanner login #\n", "\nbanner exec %x%\n",
                                             std::string(70, 'w'), std::string(63, ' '), std::string(1, '\0'), "\xff"};
    for (int round = 0; round < 3000; ++round) {
        std::string text;
        auto length = rng() % 400;
        while (text.size() < length) text += pieces[rng() % pieces.size()];
        if (round % 3 == 0) text.resize(rng() % (text.size() + 1));  // cut anywhere
        std::size_t skipped_plain = 0, skipped = 0;
        auto expected = plain_blocks(text, skipped_plain);
        REQUIRE(read_blocks(text, skipped) == expected);
        REQUIRE(skipped == skipped_plain);
    }
}
