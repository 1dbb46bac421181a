// The inline word comparison (audit/parse/junos/words.hpp) against std::string_view::compare,
// which it replaces: the same sign on varied words, so every map and sorted list of the Junos
// parser keeps std::less's order.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "audit/parse/junos/words.hpp"

using namespace microseg;

namespace {

int sign(int v) { return (v > 0) - (v < 0); }

std::vector<std::string> varied_words() {
    std::vector<std::string> words = {"", "a", "ab", "abc", "b", "ge-0/0/1", "ge-0/0/10", "ge-0/0/2", "xe-0/2/0",
                                      "interfaces", "interface-range", "\x7f", "\x80", "\xff", "\xff\x01", "a\0b"};
    words.emplace_back("a\0b", 3);
    words.emplace_back("a\0a", 3);
    std::mt19937 rng(24);
    const std::string alphabet = std::string("ab-/0129", 8) + "\x80\xfe" + std::string(1, '\0');
    // Short words, and long ones with a common start, so that the 8-byte steps meet their
    // first difference in every byte of a step and in the bytes after the last whole step.
    for (int i = 0; i < 400; ++i) {
        std::string w = i % 2 ? "" : std::string("interface-range-0/0/").substr(0, rng() % 21);
        for (std::size_t n = rng() % 7; n > 0; --n) w += alphabet[rng() % alphabet.size()];
        words.push_back(w);
    }
    return words;
}

}  // namespace

TEST_CASE("junos_compare_words has the sign of string_view::compare") {
    auto words = varied_words();
    for (const auto& a : words)
        for (const auto& b : words) {
            std::string_view x(a), y(b);
            INFO("a=", a, " b=", b);
            CHECK(sign(junos_compare_words(x, y)) == sign(x.compare(y)));
            CHECK(JunosWordLess{}(x, y) == std::less<std::string_view>{}(x, y));
        }
}

TEST_CASE("junos_compare_words: the same text, and equal words in different places") {
    std::string text = "ge-0/0/1 ge-0/0/1";
    std::string_view first(text.data(), 8), second(text.data() + 9, 8);
    CHECK(junos_compare_words(first, first) == 0);
    CHECK(junos_compare_words(first, second) == 0);
    CHECK(junos_compare_words(first, first.substr(0, 7)) > 0);  // same start, shorter
}

TEST_CASE("a map with JunosWordLess iterates as one with std::less") {
    auto words = varied_words();
    std::map<std::string_view, int> plain;
    std::map<std::string_view, int, JunosWordLess> fast;
    for (std::size_t i = 0; i < words.size(); ++i) plain[words[i]] = fast[words[i]] = static_cast<int>(i);
    CHECK(std::equal(plain.begin(), plain.end(), fast.begin(), fast.end()));
}

TEST_CASE("junos_remembered: the element named, whatever was asked before") {
    std::map<std::string_view, int, JunosWordLess> map;
    std::pair<std::string_view, int*> last{};
    std::string a = "ge-0/0/1", b = "ge-0/0/2", a_again = "ge-0/0/1";
    junos_remembered(map, last, a) = 1;
    junos_remembered(map, last, b) = 2;
    CHECK(junos_remembered(map, last, a_again) == 1);
    CHECK(junos_remembered(map, last, a_again) == 1);
    CHECK(junos_remembered(map, last, b) == 2);
    CHECK(map.size() == 2);
}
