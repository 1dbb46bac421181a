#include "traffic/observed.hpp"

#include <algorithm>

namespace microseg::traffic {

namespace {

// Classes fit in 20 bits each (a policy has far fewer than a million).
std::uint64_t judged_key(std::size_t from, std::size_t to, std::uint8_t iana_protocol, std::uint16_t port) {
    return (static_cast<std::uint64_t>(from) << 44) | (static_cast<std::uint64_t>(to) << 24) |
           (static_cast<std::uint64_t>(iana_protocol) << 16) | port;
}

std::size_t port_slot(std::uint8_t protocol, std::uint16_t port) {
    return (protocol == kUdp ? 65536u : 0u) + port;
}

// Traffic that stays in its L2 segment (DHCP discovery, mDNS, ARP-adjacent chatter): no
// gateway filters it, so no flow is about it.
bool is_not_routed(const IpAddress& a) {
    if (a.family == IpFamily::v4) {
        const auto v = static_cast<std::uint32_t>(a.value);
        return (v >> 28) == 0xe || v == 0xffffffffu || (v >> 16) == 0xa9fe || v == 0;
    }
    const auto top = static_cast<std::uint16_t>(a.value >> 112);
    return (top >> 8) == 0xff || (top & 0xffc0) == 0xfe80 || a.value == 0;
}

}  // namespace

void Evidence::add(const Session& s, bool allowed, std::uint64_t initiator_hash, std::uint64_t responder_hash) {
    if (sessions == 0) example = s;
    if (!allowed && denied_sessions == 0) denied_example = s;
    if (!allowed) denied_sessions += s.count;
    sessions += s.count;
    bytes += s.bytes;
    initiators.add_hash(initiator_hash);
    responders.add_hash(responder_hash);
    if (s.first_ms && (!first_ms || s.first_ms < first_ms)) first_ms = s.first_ms;
    last_ms = std::max(last_ms, std::max(s.last_ms, s.first_ms));
}

ObservedTraffic::ObservedTraffic(const Policy& policy, const std::vector<InventoryEntry>& inventory)
    : policy_(&policy),
      graph_(ReachabilityGraph::build(policy)),
      rules_(graph_),
      addresses_(policy, inventory),
      services_(policy),
      service_ports_(2 * 65536, false) {
    for (const auto& f : policy.flows()) used_.emplace_back(f.services.size(), false);
    for (const auto& s : policy.services())
        for (const auto& p : s.ports) {
            if (!p.has_ports() || p.ports.is_all()) continue;
            const std::uint8_t iana = p.protocol == Protocol::udp ? kUdp : kTcp;
            for (std::uint32_t port = p.ports.first; port <= p.ports.last; ++port)
                service_ports_[port_slot(iana, static_cast<std::uint16_t>(port))] = true;
        }
}

bool ObservedTraffic::is_service_port(std::uint8_t protocol, std::uint16_t port) const {
    return (protocol == kTcp || protocol == kUdp) && service_ports_[port_slot(protocol, port)];
}

const ObservedTraffic::Judged& ObservedTraffic::judge(std::size_t from, std::size_t to, Protocol protocol,
                                                      std::uint16_t port, std::uint8_t iana_protocol) {
    const std::uint64_t key = judged_key(from, to, iana_protocol, port);
    if (const Judged* known = judged_.find(key)) return *known;
    Judged j{services_.service_of(from, to, protocol, port), rules_.judge(from, to, protocol, port), nullptr};
    if (j.verdict.allowed) mark_used(j.verdict, protocol, port);
    const std::uint8_t other = j.service == kNoService ? iana_protocol : 0;
    j.evidence = &keys_[{static_cast<std::uint32_t>(from), static_cast<std::uint32_t>(to), j.service, other}];
    return judged_.insert(key, j);
}

// A flow's services that cover the port were used; others of the same flow were not.
void ObservedTraffic::mark_used(const InitiationVerdict& verdict, Protocol protocol, std::uint16_t port) {
    if (verdict.reason.kind != EdgeKind::explicit_flow) return;
    const auto& names = policy_->flows()[verdict.reason.flow].services;
    for (std::size_t i = 0; i < names.size(); ++i)
        if (const Service* s = policy_->find_service(names[i]); s && service_covers(*s, protocol, port))
            used_[verdict.reason.flow][i] = true;
}

void ObservedTraffic::add_unowned(const IpAddress& address, const Session& s) {
    auto it = unowned_.find(address);
    if (it == unowned_.end()) {
        if (unowned_.size() >= kMaxUnownedListed) {
            ++unowned_not_listed_;
            return;
        }
        it = unowned_.emplace(address, UnownedAddress{addresses_.is_internal(address), 0, s}).first;
    }
    it->second.sessions += s.count;
}

void ObservedTraffic::add(const Session& s) {
    totals_.sessions += s.count;
    if (is_not_routed(s.initiator) || is_not_routed(s.responder)) {
        totals_.not_routed += s.count;
        return;
    }
    const std::uint64_t initiator_hash = address_hash(s.initiator), responder_hash = address_hash(s.responder);
    auto from = addresses_.class_of(s.initiator, initiator_hash, s.initiator_mac);
    auto to = addresses_.class_of(s.responder, responder_hash, s.responder_mac);
    if (!from || !to) {
        totals_.unowned += s.count;
        if (!from) add_unowned(s.initiator, s);
        if (!to) add_unowned(s.responder, s);
        return;
    }
    if (*from == *to && policy_->classes()[*from].external) {  // both ends outside: no gateway sees it
        totals_.not_routed += s.count;
        return;
    }
    const Protocol protocol = policy_protocol(s.protocol);
    const std::uint16_t port = protocol == Protocol::tcp || protocol == Protocol::udp ? s.responder_port : 0;
    const Judged& j = judge(*from, *to, protocol, port, s.protocol);
    if (j.service == kNoService) totals_.unexpressible += s.count;
    if (j.verdict.allowed) totals_.allowed += s.count;
    j.evidence->add(s, j.verdict.allowed, initiator_hash, responder_hash);
}

}  // namespace microseg::traffic
