#include "audit/parse/nftables/values.hpp"

#include <netdb.h>

#include <algorithm>
#include <string>

#include "audit/parse/nftables/rules.hpp"

namespace microseg::nft {
namespace {
std::optional<IpAddress> address(std::string_view s) { return IpAddress::parse(s); }
}  // namespace

bool address_value(std::string_view v, std::vector<Cidr>& out) {
    std::uint32_t network = 0;
    int len = 0;
    if (ipv4_prefix(v, network, len)) return out.push_back(Cidr{IpAddress::v4(network), len}), true;
    if (auto slash = v.find('/'); slash != std::string::npos) {
        auto c = Cidr::parse(v);
        if (c) out.push_back(*c);
        return c.has_value();
    }
    if (auto a = address(v)) return out.push_back(Cidr{*a, a->bits()}), true;
    auto dash = v.find('-');
    if (dash == std::string::npos) return false;
    auto lo = address(v.substr(0, dash));
    auto hi = address(v.substr(dash + 1));
    if (!lo || !hi || lo->family != hi->family || hi->value < lo->value) return false;
    auto range = cidrs_of_range({*lo, *hi});
    out.insert(out.end(), range.begin(), range.end());
    return true;
}

std::vector<Cidr> complement(std::vector<Cidr> cidrs, IpFamily family) {
    std::sort(cidrs.begin(), cidrs.end(), [](const Cidr& a, const Cidr& b) { return a.first().value < b.first().value; });
    IpAddress top{family, family == IpFamily::v4 ? Uint128{0xffffffffu} : ~Uint128{0}};
    std::vector<Cidr> out;
    Uint128 next = 0;
    bool done = false;
    for (const auto& c : cidrs) {
        if (done) break;
        if (c.first().value > next) {
            auto part = cidrs_of_range({IpAddress{family, next}, IpAddress{family, c.first().value - 1}});
            out.insert(out.end(), part.begin(), part.end());
        }
        if (c.last().value >= next) {
            if (c.last().value == top.value) done = true;
            else next = c.last().value + 1;
        }
    }
    if (!done) {
        auto part = cidrs_of_range({IpAddress{family, next}, top});
        out.insert(out.end(), part.begin(), part.end());
    }
    return out;
}

std::optional<PortRange> port_value(std::string_view v, std::string_view proto) {
    auto dash = v.find('-');
    if (dash != std::string::npos) {
        auto a = number(v.substr(0, dash), 65535);
        auto b = number(v.substr(dash + 1), 65535);
        if (!a || !b || *b < *a) return std::nullopt;
        return PortRange{static_cast<std::uint16_t>(*a), static_cast<std::uint16_t>(*b)};
    }
    if (auto n = number(v, 65535)) return PortRange{static_cast<std::uint16_t>(*n), static_cast<std::uint16_t>(*n)};
    // nft prints service names with -S only; accept them through the services database.
    std::string p(proto == "th" ? "tcp" : proto);
    if (const servent* s = ::getservbyname(std::string(v).c_str(), p.c_str())) {
        auto port = static_cast<std::uint16_t>(ntohs(static_cast<std::uint16_t>(s->s_port)));
        return PortRange{port, port};
    }
    return std::nullopt;
}

std::vector<PortRange> complement_ports(std::vector<PortRange> r) {
    std::sort(r.begin(), r.end(), [](const PortRange& a, const PortRange& b) { return a.first < b.first; });
    std::vector<PortRange> out;
    std::uint32_t next = 0;
    for (const auto& p : r) {
        if (p.first > next) out.push_back({static_cast<std::uint16_t>(next), static_cast<std::uint16_t>(p.first - 1)});
        next = std::max<std::uint32_t>(next, std::uint32_t{p.last} + 1);
    }
    if (next <= 65535) out.push_back({static_cast<std::uint16_t>(next), 65535});
    return out;
}

std::optional<ProtocolValue> protocol_value(std::string_view v) {
    if (v == "tcp" || v == "6") return ProtocolValue{Protocol::tcp, kV4 | kV6};
    if (v == "udp" || v == "17") return ProtocolValue{Protocol::udp, kV4 | kV6};
    if (v == "icmp" || v == "1") return ProtocolValue{Protocol::icmp, kV4};
    if (v == "ipv6-icmp" || v == "icmpv6" || v == "58") return ProtocolValue{Protocol::icmp, kV6};
    return std::nullopt;
}

}  // namespace microseg::nft
