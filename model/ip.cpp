#include "model/ip.hpp"

#include <algorithm>
#include <arpa/inet.h>
#include <bit>
#include <charconv>
#include <cstring>

namespace microseg {
namespace {

Uint128 all_ones(int bits) { return bits >= 128 ? ~Uint128{0} : ((Uint128{1} << bits) - 1); }

Uint128 host_mask(const IpAddress& a, int prefix_len) {
    return all_ones(a.bits() - prefix_len);
}

std::optional<int> parse_prefix_len(std::string_view s, int max) {
    if (s.empty() || s.size() > 3) return std::nullopt;
    if (s.size() > 1 && s[0] == '0') return std::nullopt;
    int v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size() || v < 0 || v > max) return std::nullopt;
    return v;
}

// inet_pton(AF_INET) read in place (config parsers read millions of addresses; the copy to a
// C string and the call were most of it): exactly four dotted octets, each 0-255 without a
// leading zero. Like a C string, the text ends at a NUL; *whole says no NUL ended it early.
std::optional<std::uint32_t> parse_dotted_quad(std::string_view text, bool* whole) {
    const char* p = text.data();
    const char* end = p + text.size();
    // The digit's value at p, or 10 and more for anything else (the end too).
    auto digit = [&] { return p == end ? 10u : static_cast<unsigned>(static_cast<unsigned char>(*p)) - '0'; };
    std::uint32_t value = 0;
    for (int octet = 0; octet < 4; ++octet) {
        if (octet > 0 && (p == end || *p++ != '.')) return std::nullopt;
        unsigned v = digit();
        if (v > 9) return std::nullopt;
        ++p;
        // At most three digits, no leading zero, up to 255 (unrolled: the parsers' hot path).
        if (unsigned d = digit(); d <= 9) {
            if (v == 0) return std::nullopt;
            v = v * 10 + d;
            ++p;
            if (d = digit(); d <= 9) {
                v = v * 10 + d;
                ++p;
                if (v > 255 || digit() <= 9) return std::nullopt;
            }
        }
        value = value << 8 | v;
    }
    *whole = p == end;
    if (p != end && *p != '\0') return std::nullopt;
    return value;
}

}  // namespace

std::optional<IpAddress> IpAddress::parse(std::string_view text) {
    if (text.empty() || text.size() > 45) return std::nullopt;
    // IPv4 first: a whole dotted quad has no ':', so it needs no search for one.
    bool whole = false;
    auto v4 = parse_dotted_quad(text, &whole);
    if (v4 && whole) return IpAddress::v4(*v4);
    bool v6 = text.find(':') != std::string_view::npos;
    if (!v6) return v4 ? std::optional(IpAddress::v4(*v4)) : std::nullopt;
    char buf[64];
    std::memcpy(buf, text.data(), text.size());
    buf[text.size()] = '\0';
    in6_addr a6{};
    if (inet_pton(AF_INET6, buf, &a6) != 1) return std::nullopt;
    Uint128 v = 0;
    for (unsigned char byte : a6.s6_addr) v = (v << 8) | byte;
    return IpAddress{IpFamily::v6, v};
}

std::string IpAddress::str() const {
    char buf[INET6_ADDRSTRLEN] = {};
    if (family == IpFamily::v4) {
        in_addr a4{};
        a4.s_addr = htonl(static_cast<std::uint32_t>(value));
        inet_ntop(AF_INET, &a4, buf, sizeof buf);
    } else {
        in6_addr a6{};
        Uint128 v = value;
        for (int i = 15; i >= 0; --i, v >>= 8) a6.s6_addr[i] = static_cast<unsigned char>(v & 0xff);
        inet_ntop(AF_INET6, &a6, buf, sizeof buf);
    }
    return buf;
}

std::optional<Cidr> Cidr::parse(std::string_view text, std::string* why) {
    auto fail = [&](std::string reason) -> std::optional<Cidr> {
        if (why) *why = std::move(reason);
        return std::nullopt;
    };
    auto slash = text.find('/');
    auto addr = IpAddress::parse(text.substr(0, slash));
    if (!addr) return fail("not an IPv4 or IPv6 address");
    int len = addr->bits();
    if (slash != std::string_view::npos) {
        auto p = parse_prefix_len(text.substr(slash + 1), addr->bits());
        if (!p) return fail(fmt::format("prefix length must be a number from 0 to {}", addr->bits()));
        len = *p;
    }
    if ((addr->value & host_mask(*addr, len)) != 0) {
        Cidr fixed{{addr->family, addr->value & ~host_mask(*addr, len)}, len};
        return fail(fmt::format("host bits set; the network is {}", fixed.str()));
    }
    return Cidr{*addr, len};
}

std::optional<Cidr> Cidr::parse_interface(std::string_view text, IpAddress* host) {
    auto slash = text.find('/');
    if (slash == std::string_view::npos) return std::nullopt;
    auto addr = IpAddress::parse(text.substr(0, slash));
    if (!addr) return std::nullopt;
    auto p = parse_prefix_len(text.substr(slash + 1), addr->bits());
    if (!p) return std::nullopt;
    if (host) *host = *addr;
    return Cidr{{addr->family, addr->value & ~host_mask(*addr, *p)}, *p};
}

Cidr Cidr::from_mask(IpAddress address, IpAddress mask, bool* contiguous) {
    // The prefix length is the run of ones at the top of the mask.
    int len = 0;
    if (address.family == IpFamily::v4) {
        len = std::countl_one(static_cast<std::uint32_t>(mask.value));
    } else {
        auto high = static_cast<std::uint64_t>(mask.value >> 64);
        len = std::countl_one(high);
        if (len == 64) len += std::countl_one(static_cast<std::uint64_t>(mask.value));
    }
    if (contiguous) *contiguous = ((mask.value & host_mask(address, len)) == 0);
    return Cidr{{address.family, address.value & ~host_mask(address, len)}, len};
}

IpAddress Cidr::last() const { return {network.family, network.value | host_mask(network, prefix_len)}; }

IpAddress Cidr::mask() const {
    return {network.family, all_ones(network.bits()) & ~host_mask(network, prefix_len)};
}

IpAddress Cidr::wildcard() const { return {network.family, host_mask(network, prefix_len)}; }

IpAddress Cidr::first_host() const {
    if (network.bits() - prefix_len <= 1) return network;
    return {network.family, network.value + 1};
}

bool Cidr::contains(const IpAddress& a) const {
    return a.family == network.family && (a.value & ~host_mask(network, prefix_len)) == network.value;
}

bool Cidr::contains(const Cidr& c) const { return c.prefix_len >= prefix_len && contains(c.network); }

bool Cidr::overlaps(const Cidr& c) const { return contains(c) || c.contains(*this); }

std::string Cidr::str() const { return fmt::format("{}/{}", network.str(), prefix_len); }

std::vector<Cidr> cidrs_of_range(const AddressRange& r) {
    std::vector<Cidr> out;
    const int bits = r.first.bits();
    Uint128 cur = r.first.value;
    const Uint128 end = r.last.value;
    while (true) {
        // Largest aligned block starting at cur that does not pass end.
        int host_bits = 0;
        while (host_bits < bits) {
            Uint128 block = all_ones(host_bits + 1);
            if ((cur & block) != 0 || (cur | block) > end) break;
            ++host_bits;
        }
        out.push_back(Cidr{{r.first.family, cur}, bits - host_bits});
        Uint128 block_last = cur | all_ones(host_bits);
        if (block_last >= end) break;
        cur = block_last + 1;
    }
    return out;
}

AddressSet::AddressSet(const std::vector<Cidr>& cidrs) : cidrs_(cidrs) { normalise(); }

void AddressSet::add(const Cidr& c) {
    cidrs_.push_back(c);
    normalise();
}

void AddressSet::add(const AddressSet& other) {
    cidrs_.insert(cidrs_.end(), other.cidrs_.begin(), other.cidrs_.end());
    normalise();
}

void AddressSet::normalise() {
    if (cidrs_.size() < 2) return;
    std::sort(cidrs_.begin(), cidrs_.end());
    std::vector<AddressRange> ranges;
    for (const auto& c : cidrs_) {
        if (!ranges.empty() && ranges.back().last.family == c.network.family) {
            auto& back = ranges.back();
            bool touches = back.last.value == ~Uint128{0} || c.first().value <= back.last.value + 1;
            if (touches) {
                back.last = std::max(back.last, c.last());
                continue;
            }
        }
        ranges.push_back({c.first(), c.last()});
    }
    std::vector<Cidr> merged;
    for (const auto& r : ranges) {
        auto part = cidrs_of_range(r);
        merged.insert(merged.end(), part.begin(), part.end());
    }
    cidrs_ = std::move(merged);
}

bool AddressSet::contains(const IpAddress& a) const {
    return std::any_of(cidrs_.begin(), cidrs_.end(), [&](const Cidr& c) { return c.contains(a); });
}

bool AddressSet::contains(const Cidr& c) const {
    return std::any_of(cidrs_.begin(), cidrs_.end(), [&](const Cidr& x) { return x.contains(c); });
}

bool AddressSet::overlaps(const Cidr& c) const {
    return std::any_of(cidrs_.begin(), cidrs_.end(), [&](const Cidr& x) { return x.overlaps(c); });
}

bool AddressSet::overlaps(const AddressSet& other) const {
    return std::any_of(other.cidrs_.begin(), other.cidrs_.end(),
                       [&](const Cidr& c) { return overlaps(c); });
}

}  // namespace microseg
