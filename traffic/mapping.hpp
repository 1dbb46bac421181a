#pragma once
// A session's ends onto the policy's classes, and its responder port onto a service.
//
// Classes: an inventory entry (by MAC, then by IP) names a class where the subnets are too
// coarse to tell; otherwise the most specific subnet wins (Policy::class_of). An address no
// class owns is "unowned": inside internal_space it is an address the plan forgot.
//
// Services: the catalogue in use (policy services over the built-ins) covering the port. When
// several do, in order: one a flow of the same class pair already names; the narrowest (fewest
// ports); the one named by most flows; a policy's own over a built-in; the first by name. No
// match: a new service "tcp-N"/"udp-N" (its name made unique against the catalogue). A protocol
// the policy language cannot write (not tcp, udp or icmp) and no `ip` service covers: none.

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "model/policy.hpp"
#include "traffic/flat_hash_map.hpp"
#include "traffic/host_counter.hpp"

namespace microseg::traffic {

struct InventoryEntry {
    std::uint64_t mac = 0;            // 0: none
    std::optional<IpAddress> ip;
    std::size_t class_index = 0;
};

class AddressBook {
public:
    AddressBook(const Policy& policy, const std::vector<InventoryEntry>& inventory);
    // `hash` is address_hash(address): the caller computes it once for every use.
    std::optional<std::size_t> class_of(const IpAddress& address, std::uint64_t hash, std::uint64_t mac);
    bool is_internal(const IpAddress& address) const;

private:
    const Policy* policy_;
    std::unordered_map<std::uint64_t, std::size_t> by_mac_;
    std::unordered_map<IpAddress, std::size_t, AddressHash> by_ip_;
    FlatHashMap<IpAddress, std::optional<std::size_t>, AddressHash> cache_;  // bounded
};

inline constexpr std::uint32_t kNoService = 0xffffffff;

// One service as traffic names it: a catalogue service, or a new one for one port.
struct ObservedService {
    std::string name;
    const Service* catalogue = nullptr;  // null for a new service
    Protocol protocol = Protocol::tcp;   // a new service's one port
    std::uint16_t port = 0;
};

class ServiceNamer {
public:
    explicit ServiceNamer(const Policy& policy);
    // The id of the service a session from -> to on protocol/port uses; kNoService for a
    // protocol nothing in the policy language covers.
    std::uint32_t service_of(std::size_t from, std::size_t to, Protocol protocol, std::uint16_t port);
    const ObservedService& service(std::uint32_t id) const { return services_[id]; }
    std::size_t size() const { return services_.size(); }

private:
    std::uint32_t new_service(Protocol protocol, std::uint16_t port);
    const std::vector<std::uint32_t>& candidates(Protocol protocol, std::uint16_t port);

    const Policy* policy_;
    std::vector<ObservedService> services_;      // the catalogue first, in Policy::services order
    std::vector<int> flow_mentions_;             // per catalogue service: flows naming it
    std::unordered_map<std::uint32_t, std::vector<std::uint32_t>> candidates_;  // by protocol/port
    std::unordered_map<std::uint32_t, std::uint32_t> new_services_;             // by protocol/port
};

// The protocol a record's IANA number stands for in the policy language; ip for any other.
Protocol policy_protocol(std::uint8_t iana);

}  // namespace microseg::traffic
