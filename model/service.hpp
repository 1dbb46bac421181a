#pragma once
// Services: named lists of protocol/port ranges, and the built-in medical catalogue.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "model/diagnostic.hpp"

namespace microseg {

enum class Protocol : std::uint8_t { ip, icmp, tcp, udp };

std::string_view to_string(Protocol p);
std::optional<Protocol> parse_protocol(std::string_view text);

struct PortRange {
    std::uint16_t first = 0;
    std::uint16_t last = 65535;

    bool is_all() const { return first == 0 && last == 65535; }
    bool is_single() const { return first == last; }
    bool contains(std::uint16_t p) const { return first <= p && p <= last; }
    bool overlaps(const PortRange& o) const { return first <= o.last && o.first <= last; }
    auto operator<=>(const PortRange&) const = default;
};

// One protocol with one port range: "tcp/443", "udp/16384-32767", "icmp", "ip".
struct ServicePort {
    Protocol protocol = Protocol::ip;
    PortRange ports;  // meaningful for tcp/udp only; full range otherwise

    // Decimal ports only; "tcp/010" is an error, not 8.
    static Result<ServicePort> parse(std::string_view text);
    bool has_ports() const { return protocol == Protocol::tcp || protocol == Protocol::udp; }
    // true when every packet of `other` is also a packet of this one.
    bool covers(const ServicePort& other) const;
    auto operator<=>(const ServicePort&) const = default;
};

struct Service {
    std::string name;
    std::vector<ServicePort> ports;
    bool clear_text = false;  // credentials or patient data cross the wire unencrypted
    std::string tls_twin;     // for a clear-text service: the encrypted equivalent, if any
    bool builtin = false;
    SourceLocation location;  // where a policy defined it; empty for built-ins
    // What the protocol needs of a stateless filter (DESIGN.md, "Return traffic"). Replies from
    // its UDP ports reach the initiator's ports 1024-65535, and also this port when the
    // protocol answers to a well-known one below them (ntp: 123 -> 123); 0 when it does not.
    std::uint16_t reply_port = 0;
    // The server opens traffic of its own that no reply entry can foresee (tftp answers from a
    // new port, active ftp connects back from port 20): only conntrack lets it through.
    bool needs_conntrack = false;
};

// The initiator's ports that stateless UDP reply entries let a server reach: the ephemeral
// range of every common stack, never the well-known ports where services listen.
inline constexpr PortRange kUdpReplyPorts{1024, 65535};

// The built-in catalogue, sorted by name. Policy services are merged over it.
const std::vector<Service>& builtin_services();
const Service* find_builtin_service(std::string_view name);

// Sorts, merges overlapping or adjacent ranges of the same protocol, and drops entries covered
// by an `ip` entry; the list describes the same packets with the fewest entries.
std::vector<ServicePort> compact_service_ports(std::vector<ServicePort> ports);

}  // namespace microseg

template <>
struct fmt::formatter<microseg::Protocol> : fmt::formatter<std::string_view> {
    auto format(microseg::Protocol p, format_context& ctx) const {
        return fmt::formatter<std::string_view>::format(microseg::to_string(p), ctx);
    }
};

template <>
struct fmt::formatter<microseg::PortRange> : fmt::formatter<std::string_view> {
    auto format(const microseg::PortRange& r, format_context& ctx) const {
        if (r.is_single()) return fmt::format_to(ctx.out(), "{}", r.first);
        return fmt::format_to(ctx.out(), "{}-{}", r.first, r.last);
    }
};

template <>
struct fmt::formatter<microseg::ServicePort> : fmt::formatter<std::string_view> {
    auto format(const microseg::ServicePort& s, format_context& ctx) const {
        if (!s.has_ports()) return fmt::format_to(ctx.out(), "{}", s.protocol);
        return fmt::format_to(ctx.out(), "{}/{}", s.protocol, s.ports);
    }
};
