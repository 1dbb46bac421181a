#include "audit/interface_sort.hpp"

namespace microseg {

// interface_less compares runs of digits by value (a run of more than 9 digits counts as 0)
// and any other characters as (signed) chars; a digit run against a non-digit compares its
// first digit. The key: a non-digit c becomes c ^ 0x80 (signed order as unsigned bytes); a
// digit run becomes 0xB0 ('0' ^ 0x80, which orders against every non-digit as any digit
// does) and its value in 4 big-endian bytes.
void append_interface_key(std::string_view name, std::string& out) {
    auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
    std::size_t start = out.size();
    out.resize(start + 5 * name.size());  // the longest key: a digit run of 1 is 5 bytes
    char* key = out.data() + start;
    for (std::size_t i = 0; i < name.size();) {
        if (!is_digit(name[i])) {
            *key++ = static_cast<char>(static_cast<unsigned char>(name[i]) ^ 0x80u);
            ++i;
            continue;
        }
        std::size_t end = i;
        std::uint32_t value = 0;
        for (; end < name.size() && is_digit(name[end]); ++end) value = value * 10 + static_cast<std::uint32_t>(name[end] - '0');
        if (end - i > 9) value = 0;
        *key++ = static_cast<char>(0xB0);
        for (int shift = 24; shift >= 0; shift -= 8) *key++ = static_cast<char>((value >> shift) & 0xFFu);
        i = end;
    }
    out.resize(static_cast<std::size_t>(key - out.data()));
}

}  // namespace microseg
