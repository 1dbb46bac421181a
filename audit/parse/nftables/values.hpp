#pragma once
// The values of nftables matches (audit/parse/nftables/rules.cpp): port numbers and ranges, IPv4 and IPv6
// addresses, prefixes and ranges, protocol names, and the complements `!=` asks for.

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "model/ip.hpp"
#include "model/service.hpp"

namespace microseg::nft {

// Decimal digits only (leading zeros allowed, as std::from_chars reads them), at most `max`
// (65535 at most: no overflow). Inline: from_chars and its optional were a tenth of a port.
inline std::optional<std::uint32_t> number(std::string_view s, std::uint32_t max) {
    if (s.empty()) return std::nullopt;
    std::uint32_t v = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return std::nullopt;
        v = v * 10 + static_cast<std::uint32_t>(c - '0');
        if (v > max) return std::nullopt;
    }
    return v;
}

// "a.b.c.d" or "a.b.c.d/n", read in place exactly as Cidr::parse reads it (octets without a
// leading zero, a prefix length without one, no host bits); false for anything else (IPv6,
// ranges, anything odd), which the caller leaves to Cidr::parse. The model's parser, through
// std::optional and 128-bit masks, was a third of reading a rule.
inline bool ipv4_prefix(std::string_view v, std::uint32_t& network, int& prefix_len) {
    const char* p = v.data();
    const char* end = p + v.size();
    auto digit = [&](unsigned& d) { return p != end && (d = static_cast<unsigned char>(*p) - unsigned{'0'}) <= 9; };
    std::uint32_t value = 0;
    for (int octet = 0; octet < 4; ++octet) {
        if (octet > 0 && (p == end || *p++ != '.')) return false;
        // One to three digits, unrolled (a loop per digit was most of the time here).
        unsigned d = 0, n = 0;
        if (!digit(n)) return false;
        ++p;
        if (digit(d)) {
            if (n == 0) return false;  // a leading zero
            n = n * 10 + d, ++p;
            if (digit(d)) {
                n = n * 10 + d, ++p;
                if (n > 255 || digit(d)) return false;
            }
        }
        value = value << 8 | n;
    }
    int len = 32;
    if (p != end) {
        unsigned d = 0, tens = 0;
        if (*p++ != '/' || !digit(tens)) return false;
        ++p;
        len = static_cast<int>(tens);
        if (digit(d)) {
            if (tens == 0) return false;  // a leading zero
            len = len * 10 + static_cast<int>(d), ++p;
        }
        if (p != end || len > 32) return false;
    }
    // Host bits set (64-bit: a 32-bit shift by 32, for /0, is undefined and shifted by 0 here).
    if ((value & ((std::uint64_t{1} << (32 - len)) - 1)) != 0) return false;
    network = value;
    prefix_len = len;
    return true;
}

// Appends the prefixes of `v` (a prefix, an address or a range) to `out`; false if it is none.
bool address_value(std::string_view v, std::vector<Cidr>& out);
// Prefixes of `family` that none of `cidrs` covers.
std::vector<Cidr> complement(std::vector<Cidr> cidrs, IpFamily family);

// A port, a range `a-b` or a service name of `proto` (tcp, udp; th reads as tcp).
std::optional<PortRange> port_value(std::string_view v, std::string_view proto);
// The ports none of `r` covers.
std::vector<PortRange> complement_ports(std::vector<PortRange> r);

struct ProtocolValue {
    Protocol protocol;
    std::uint8_t families;  // kV4, kV6 (audit/parse/nftables/rules.hpp)
};
std::optional<ProtocolValue> protocol_value(std::string_view v);

}  // namespace microseg::nft
