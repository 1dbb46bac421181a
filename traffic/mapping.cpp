#include "traffic/mapping.hpp"

#include <algorithm>
#include <tuple>

#include <fmt/format.h>

#include "model/initiation.hpp"
#include "traffic/flow_record.hpp"

namespace microseg::traffic {

namespace {

// Enough for every host of a large hospital; past it the cache starts over rather than grow
// with the input (memory follows keys, not records).
constexpr std::size_t kMaxCachedAddresses = 1'000'000;

std::uint32_t port_key(Protocol protocol, std::uint16_t port) {
    return (static_cast<std::uint32_t>(protocol) << 16) | port;
}

// How many packets' worth of ports a service spans: narrower is the more specific name.
std::uint64_t breadth(const Service& s) {
    std::uint64_t total = 0;
    for (const auto& p : s.ports) total += p.has_ports() ? p.ports.last - p.ports.first + 1u : 65536u;
    return total;
}

}  // namespace

Protocol policy_protocol(std::uint8_t iana) {
    switch (iana) {
        case kTcp: return Protocol::tcp;
        case kUdp: return Protocol::udp;
        case kIcmp:
        case kIcmpV6: return Protocol::icmp;
        default: return Protocol::ip;
    }
}

AddressBook::AddressBook(const Policy& policy, const std::vector<InventoryEntry>& inventory) : policy_(&policy) {
    for (const auto& e : inventory) {
        if (e.mac) by_mac_.emplace(e.mac, e.class_index);
        if (e.ip) by_ip_.emplace(*e.ip, e.class_index);
    }
}

std::optional<std::size_t> AddressBook::class_of(const IpAddress& address, std::uint64_t hash, std::uint64_t mac) {
    if (mac && !by_mac_.empty())
        if (auto it = by_mac_.find(mac); it != by_mac_.end()) return it->second;
    if (!by_ip_.empty())
        if (auto it = by_ip_.find(address); it != by_ip_.end()) return it->second;
    if (const auto* cached = cache_.find(address, hash)) return *cached;
    if (cache_.size() >= kMaxCachedAddresses) cache_.clear();
    std::optional<std::size_t> owner;
    if (const DeviceClass* c = policy_->class_of(address)) owner = policy_->index_of(*c);
    cache_.insert(address, owner);
    return owner;
}

bool AddressBook::is_internal(const IpAddress& address) const {
    return std::any_of(policy_->internal_space().begin(), policy_->internal_space().end(),
                       [&](const Cidr& c) { return c.contains(address); });
}

ServiceNamer::ServiceNamer(const Policy& policy) : policy_(&policy) {
    for (const auto& s : policy.services()) services_.push_back({s.name, &s, Protocol::ip, 0});
    flow_mentions_.assign(services_.size(), 0);
    for (const auto& f : policy.flows())
        for (const auto& name : f.services)
            for (std::size_t i = 0; i < services_.size(); ++i)
                if (services_[i].name == name) ++flow_mentions_[i];
}

// The catalogue services covering protocol/port, best first by the rules after the first
// (breadth, mentions, policy's own, name); the class-pair rule is applied per pair.
const std::vector<std::uint32_t>& ServiceNamer::candidates(Protocol protocol, std::uint16_t port) {
    const std::uint32_t key = port_key(protocol, port);
    if (auto it = candidates_.find(key); it != candidates_.end()) return it->second;
    std::vector<std::uint32_t> found;
    for (std::uint32_t i = 0; i < flow_mentions_.size(); ++i)
        if (service_covers(*services_[i].catalogue, protocol, port)) found.push_back(i);
    auto rank = [&](std::uint32_t i) {
        const Service& s = *services_[i].catalogue;
        return std::make_tuple(breadth(s), -flow_mentions_[i], s.builtin, std::string_view(s.name));
    };
    std::sort(found.begin(), found.end(), [&](auto a, auto b) { return rank(a) < rank(b); });
    return candidates_.emplace(key, std::move(found)).first->second;
}

std::uint32_t ServiceNamer::new_service(Protocol protocol, std::uint16_t port) {
    const std::uint32_t key = port_key(protocol, port);
    if (auto it = new_services_.find(key); it != new_services_.end()) return it->second;
    std::string name = fmt::format("{}-{}", protocol, port);
    while (policy_->find_service(name)) name = "learned-" + name;
    const auto id = static_cast<std::uint32_t>(services_.size());
    services_.push_back({std::move(name), nullptr, protocol, port});
    new_services_.emplace(key, id);
    return id;
}

std::uint32_t ServiceNamer::service_of(std::size_t from, std::size_t to, Protocol protocol, std::uint16_t port) {
    if (protocol == Protocol::ip || protocol == Protocol::icmp) port = 0;
    const auto& found = candidates(protocol, port);
    if (found.empty())
        return protocol == Protocol::tcp || protocol == Protocol::udp ? new_service(protocol, port) : kNoService;
    if (found.size() > 1) {
        for (std::size_t f : policy_->flows_from(from)) {
            if (policy_->flow_ends(f).to != to) continue;
            for (std::uint32_t id : found) {
                const auto& names = policy_->flows()[f].services;
                if (std::find(names.begin(), names.end(), services_[id].name) != names.end()) return id;
            }
        }
    }
    return found.front();
}

}  // namespace microseg::traffic
