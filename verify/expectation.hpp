#pragma once
// What the model says must pass: for each (source class, destination class, probed port) of a
// lab, allow or deny, and why, read off the model's reachability graph (model/reachability.hpp).
// Pure; the dataplane compares what it observes against this. In order:
//   1. an explicit flow from -> to whose services cover the port allows it;
//   2. an implicit edge (same class not isolate; shared VLAN, not both isolate) allows all;
//   3. everything else is denied.

#include <compare>
#include <cstdint>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "model/policy.hpp"
#include "model/reachability.hpp"

namespace microseg::verify {

// One probed packet shape: a TCP connect or a UDP request/response to one port.
struct ProbePort {
    Protocol protocol = Protocol::tcp;  // tcp or udp
    std::uint16_t port = 0;
    auto operator<=>(const ProbePort&) const = default;
};

enum class Because : std::uint8_t { flow, same_class, same_vlan, management, dhcp_relay, protected_ports, nothing };

struct Expectation {
    std::string from;
    std::string to;
    ProbePort port;
    bool allow = false;
    Because because = Because::nothing;
    SourceLocation flow;  // of the allowing flow, when because == flow
};

// The ports to probe: of every service named by a flow, each TCP/UDP range's first port and
// its last when it is a range (port 0 becomes 1); plus tcp/9 and udp/9, which the built-in
// catalogue never allows. Sorted, unique. icmp and ip entries add no port.
std::vector<ProbePort> sample_ports(const Policy& policy);

// The expectation for one (from, to, port); an unknown class is denied everything.
Expectation expect(const ReachabilityGraph& graph, const std::string& from, const std::string& to,
                   ProbePort port);
Expectation expect(const Policy& policy, const std::string& from, const std::string& to, ProbePort port);

// Every ordered pair of `classes` (a class with itself too, unless it is external: an external
// class has one lab host) times every port, in order.
std::vector<Expectation> expected_matrix(const Policy& policy, const std::vector<std::string>& classes,
                                         const std::vector<ProbePort>& ports);

// "flow", "same class", "same VLAN", "management access", "DHCP relay", "protected ports",
// "no flow".
std::string_view to_string(Because b);

}  // namespace microseg::verify

template <>
struct fmt::formatter<microseg::verify::ProbePort> : fmt::formatter<std::string_view> {
    auto format(const microseg::verify::ProbePort& p, format_context& ctx) const {
        return fmt::format_to(ctx.out(), "{}/{}", p.protocol, p.port);
    }
};
