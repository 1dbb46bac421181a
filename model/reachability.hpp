#pragma once
// The reachability graph of a policy (DESIGN.md, "Model semantics"): a vertex per device class,
// a directed edge per (from, to, service) allowed initiation. Every edge says why it exists:
//
//   explicit     a flow of the policy (its index in Policy::flows, hence its YAML location)
//   shared_vlan  the two classes share a VLAN and are not both `isolate`: every service
//   same_class   a non-`isolate` internal class reaches its own members: every service (self loop)
//   stateless_reply  the reverse of a flow to a class whose gateway filters statelessly
//                (IOS, EOS, Junos): its reply entries let that class reach the initiator on
//                udp from the service port to ports 1024-65535 and the catalogue's reply port,
//                or on everything for an `ip` service (DESIGN.md, "Return traffic"). TCP
//                replies (`established`) and icmp echo-replies open no session and are no edge;
//                on nftables conntrack passes only real replies, so no edge either, nor
//                when the initiator sits behind an nftables router (its gateway or `via`).
//   dhcp         a class's DHCP renewals to a `dhcp_server` class (udp/67): every generated
//                filter permits them whatever the flows say (model/infrastructure_acl.hpp), so
//                no flow removal cuts it. Relay traffic and management access go to and from
//                the switches' own addresses, not to a class's hosts, and make no edge.
//
// External classes (internet, vendor VPN) have no VLAN, so they get no implicit edges. The edges
// an attacker could get from classes with no gateway (unfiltered) are not modelled.
//
// The graph keeps a pointer to the Policy it was built from: the policy must outlive it.

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include <boost/graph/adjacency_list.hpp>

#include "model/policy.hpp"

namespace microseg {

enum class EdgeKind : std::uint8_t { explicit_flow, shared_vlan, same_class, stateless_reply, dhcp };
std::string_view to_string(EdgeKind kind);

inline constexpr std::uint32_t kAnyService = std::numeric_limits<std::uint32_t>::max();
inline constexpr std::size_t kNoFlow = std::numeric_limits<std::size_t>::max();

struct ReachEdge {
    EdgeKind kind = EdgeKind::explicit_flow;
    std::uint32_t service = kAnyService;  // index into ReachabilityGraph::service_names()
    std::size_t flow = kNoFlow;           // index into Policy::flows: explicit and reply edges
    int vlan = 0;                         // the shared VLAN id, for shared_vlan edges

    // Every service, and no flow to remove: only a VLAN change cuts it.
    bool is_implicit() const { return kind == EdgeKind::shared_vlan || kind == EdgeKind::same_class; }
    bool has_flow() const { return kind == EdgeKind::explicit_flow || kind == EdgeKind::stateless_reply; }
};

// Vertex descriptor == class index in Policy::classes.
using ReachGraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS,
                                         boost::no_property, ReachEdge>;

// Why one hop (from -> to) exists: one explicit flow, or one implicit rule.
struct HopReason {
    EdgeKind kind = EdgeKind::explicit_flow;
    std::size_t flow = kNoFlow;
    int vlan = 0;
    bool has_flow() const { return kind == EdgeKind::explicit_flow || kind == EdgeKind::stateless_reply; }
    auto operator<=>(const HopReason&) const = default;
};

// Everything that lets `from` initiate to `to`, merged over services.
struct Hop {
    std::size_t from = 0;
    std::size_t to = 0;
    bool any_service = false;           // an implicit edge: every service
    std::vector<std::string> services;  // sorted names of the explicit services ("ntp reply" for a reply edge)
    std::vector<HopReason> reasons;     // sorted: explicit flows by index, then implicit
};

class ReachabilityGraph {
public:
    static ReachabilityGraph build(const Policy& policy);

    const Policy& policy() const { return *policy_; }
    const ReachGraph& graph() const { return graph_; }
    std::size_t class_count() const { return boost::num_vertices(graph_); }
    const std::vector<std::string>& service_names() const { return service_names_; }
    std::string_view service_name(std::uint32_t id) const;
    const DeviceClass& class_at(std::size_t v) const { return policy_->classes()[v]; }

    // Every edge from -> to merged into one hop; empty reasons when there is none.
    Hop hop(std::size_t from, std::size_t to) const;
    bool has_edge(std::size_t from, std::size_t to) const;
    // "flow at f.yaml:12:5 (store images)", "shared VLAN 110", "same class, not isolated",
    // "stateless reply of flow at f.yaml:12:5 (time)".
    std::string describe(const HopReason& reason) const;
    // "any" when an implicit edge allows every service, else the service names joined with ", ".
    std::string services_text(const Hop& hop) const;

    std::vector<std::size_t> entry_classes() const;
    std::vector<std::size_t> protected_classes() const;

private:
    explicit ReachabilityGraph(const Policy& policy);

    const Policy* policy_ = nullptr;
    ReachGraph graph_;
    std::vector<std::string> service_names_;
};

}  // namespace microseg
