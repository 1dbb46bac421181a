#pragma once
// Whether a policy lets one class open a session to another on one protocol and port, and why
// (DESIGN.md, "Model semantics"): the policy's intent, read off its reachability graph. In order:
//   1. an explicit flow from -> to whose services cover the port;
//   2. an implicit edge (same class not isolate; shared VLAN, not both isolate): every port;
//   3. the DHCP edge to a dhcp_server class: udp/67 only;
//   4. nothing else. A stateless reply channel is a price of stateless filtering, not intent:
//      it allows no initiation here.
// verify's expectations and simulate's verdicts on observed traffic both ask this.

#include <cstddef>
#include <cstdint>
#include <unordered_map>

#include "model/reachability.hpp"

namespace microseg {

struct InitiationVerdict {
    bool allowed = false;
    HopReason reason;  // meaningful when allowed; reason.flow indexes Policy::flows for a flow
};

// True when one of `service`'s entries covers protocol/port (ports ignored for icmp and ip).
bool service_covers(const Service& service, Protocol protocol, std::uint16_t port);

class InitiationRules {
public:
    explicit InitiationRules(const ReachabilityGraph& graph) : graph_(&graph) {}
    // Hops are cached per class pair: not safe to share between threads.
    InitiationVerdict judge(std::size_t from, std::size_t to, Protocol protocol, std::uint16_t port) const;
    const ReachabilityGraph& graph() const { return *graph_; }

private:
    const Hop& hop(std::size_t from, std::size_t to) const;
    bool flow_covers(std::size_t flow, Protocol protocol, std::uint16_t port) const;

    const ReachabilityGraph* graph_;
    mutable std::unordered_map<std::uint64_t, Hop> hops_;
};

}  // namespace microseg
