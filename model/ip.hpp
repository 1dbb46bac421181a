#pragma once
// IPv4/IPv6 addresses, CIDR prefixes and normalised address sets (merge, overlap, contain).

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

namespace microseg {

__extension__ using Uint128 = unsigned __int128;

enum class IpFamily : std::uint8_t { v4, v6 };

struct IpAddress {
    IpFamily family = IpFamily::v4;
    Uint128 value = 0;  // host order; IPv4 uses the low 32 bits

    static std::optional<IpAddress> parse(std::string_view text);
    static IpAddress v4(std::uint32_t v) { return {IpFamily::v4, v}; }
    int bits() const { return family == IpFamily::v4 ? 32 : 128; }
    std::string str() const;
    auto operator<=>(const IpAddress&) const = default;
};

struct Cidr {
    IpAddress network;  // host bits are always zero
    int prefix_len = 0;

    // Strict: "10.0.0.1/24" (host bits set) is rejected, with the reason in *why.
    // A bare address is a host prefix (/32 or /128).
    static std::optional<Cidr> parse(std::string_view text, std::string* why = nullptr);
    // Lenient: host bits are cleared; for device configs ("ip address 10.1.1.1/24").
    static std::optional<Cidr> parse_interface(std::string_view text, IpAddress* host = nullptr);
    static Cidr from_mask(IpAddress address, IpAddress mask, bool* contiguous = nullptr);

    IpAddress first() const { return network; }
    IpAddress last() const;
    IpAddress mask() const;
    IpAddress wildcard() const;  // inverse mask, as IOS writes it
    // First usable host (network + 1 unless the prefix is /31, /32, /127, /128).
    IpAddress first_host() const;
    bool contains(const IpAddress& a) const;
    bool contains(const Cidr& c) const;
    bool overlaps(const Cidr& c) const;
    bool is_host() const { return prefix_len == network.bits(); }
    bool is_any() const { return prefix_len == 0; }
    std::string str() const;
    auto operator<=>(const Cidr&) const = default;
};

// A set of addresses kept as the smallest sorted list of CIDRs that covers exactly it:
// adjacent and overlapping prefixes merge (10.0.0.0/25 + 10.0.0.128/25 = 10.0.0.0/24).
class AddressSet {
public:
    AddressSet() = default;
    explicit AddressSet(const std::vector<Cidr>& cidrs);

    void add(const Cidr& c);
    void add(const AddressSet& other);
    bool empty() const { return cidrs_.empty(); }
    bool contains(const IpAddress& a) const;
    bool contains(const Cidr& c) const;
    bool overlaps(const Cidr& c) const;
    bool overlaps(const AddressSet& other) const;
    const std::vector<Cidr>& cidrs() const { return cidrs_; }
    auto operator<=>(const AddressSet&) const = default;

private:
    void normalise();
    std::vector<Cidr> cidrs_;
};

// Inclusive interval [first, last] of one family; the currency of set arithmetic.
struct AddressRange {
    IpAddress first;
    IpAddress last;
};
// The minimal list of CIDRs covering exactly [first, last].
std::vector<Cidr> cidrs_of_range(const AddressRange& r);

}  // namespace microseg

template <>
struct fmt::formatter<microseg::IpAddress> : fmt::formatter<std::string_view> {
    auto format(const microseg::IpAddress& a, format_context& ctx) const {
        return fmt::format_to(ctx.out(), "{}", a.str());
    }
};

template <>
struct fmt::formatter<microseg::Cidr> : fmt::formatter<std::string_view> {
    auto format(const microseg::Cidr& c, format_context& ctx) const {
        return fmt::format_to(ctx.out(), "{}", c.str());
    }
};
