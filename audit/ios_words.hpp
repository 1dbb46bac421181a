#pragma once
// Word tests for the IOS-style readers (audit/ios_style_parser.cpp, audit/ios_acl_entry.cpp).

#include <cstddef>
#include <cstring>
#include <string_view>

namespace microseg {

// `word == literal`. In the parsers' big functions GCC calls string_view::compare (and memcmp)
// for every `==`, and those calls were a tenth of reading a small config; a fixed-length memcmp
// compiles to a load and a compare.
template <std::size_t N>
inline bool is(std::string_view word, const char (&literal)[N]) {
    return word.size() == N - 1 && std::memcmp(word.data(), literal, N - 1) == 0;
}

}  // namespace microseg
