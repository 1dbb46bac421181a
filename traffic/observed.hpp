#pragma once
// What was seen, against what the policy allows: every session mapped to its class pair and
// service, judged by the policy (model/initiation.hpp), and summed per key (from, to,
// service). Memory follows the number of keys and of unowned addresses listed, not records.
// learn and simulate are two readings of one ObservedTraffic.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "model/initiation.hpp"
#include "traffic/host_counter.hpp"
#include "traffic/mapping.hpp"
#include "traffic/sessions.hpp"

namespace microseg::traffic {

struct Evidence {
    std::uint64_t sessions = 0;
    std::uint64_t bytes = 0;
    HostCounter initiators;
    HostCounter responders;
    std::int64_t first_ms = 0;  // 0: no record carried a time
    std::int64_t last_ms = 0;
    Session example;            // the first session seen
    std::uint64_t denied_sessions = 0;  // of `sessions`, those the policy does not allow
    Session denied_example;             // the first of those
    // The hashes are address_hash of the session's initiator and responder.
    void add(const Session& s, bool allowed, std::uint64_t initiator_hash, std::uint64_t responder_hash);
};

struct TrafficKey {
    std::uint32_t from = 0;     // class indices
    std::uint32_t to = 0;
    std::uint32_t service = 0;  // ServiceNamer id; kNoService: a protocol no service can name
    std::uint8_t protocol = 0;  // with kNoService: its IANA number
    auto operator<=>(const TrafficKey&) const = default;
};

// An address that no class owns, with what it exchanged.
struct UnownedAddress {
    bool internal = false;      // inside internal_space: an address the plan forgot
    std::uint64_t sessions = 0;
    Session example;
};

struct TrafficTotals {
    std::uint64_t sessions = 0;          // every session, weighted by its count
    std::uint64_t allowed = 0;           // of those between classes, the ones the policy allows
    std::uint64_t unowned = 0;           // an end no class owns: denied everywhere
    std::uint64_t not_routed = 0;        // multicast, broadcast, link-local, or both ends in one
                                         // external class: never crosses a gateway
    std::uint64_t unexpressible = 0;     // a protocol the policy language cannot name (also in keys)
};

inline constexpr std::size_t kMaxUnownedListed = 10'000;

class ObservedTraffic {
public:
    ObservedTraffic(const Policy& policy, const std::vector<InventoryEntry>& inventory);
    ObservedTraffic(const ObservedTraffic&) = delete;
    ObservedTraffic& operator=(const ObservedTraffic&) = delete;

    void add(const Session& s);

    const Policy& policy() const { return *policy_; }
    const std::map<TrafficKey, Evidence>& keys() const { return keys_; }
    const ObservedService& service(std::uint32_t id) const { return services_.service(id); }
    const std::map<IpAddress, UnownedAddress>& unowned() const { return unowned_; }
    std::uint64_t unowned_not_listed() const { return unowned_not_listed_; }
    const TrafficTotals& totals() const { return totals_; }
    // Per flow of the policy, per service it names: whether an observed session used it.
    const std::vector<std::vector<bool>>& flow_services_used() const { return used_; }
    // Whether the session's service is a port of the protocol's catalogue (for folding).
    bool is_service_port(std::uint8_t protocol, std::uint16_t port) const;

private:
    // Everything a session's (from, to, protocol, port) decides, worked out once per key.
    struct Judged {
        std::uint32_t service = kNoService;
        InitiationVerdict verdict;
        Evidence* evidence = nullptr;  // in keys_ (std::map: stable)
    };
    const Judged& judge(std::size_t from, std::size_t to, Protocol protocol, std::uint16_t port,
                        std::uint8_t iana_protocol);
    void mark_used(const InitiationVerdict& verdict, Protocol protocol, std::uint16_t port);
    void add_unowned(const IpAddress& address, const Session& s);

    const Policy* policy_;
    ReachabilityGraph graph_;
    InitiationRules rules_;
    AddressBook addresses_;
    ServiceNamer services_;
    FlatHashMap<std::uint64_t, Judged, MixedHash> judged_;  // by from, to, protocol, port
    std::map<TrafficKey, Evidence> keys_;
    std::map<IpAddress, UnownedAddress> unowned_;
    std::uint64_t unowned_not_listed_ = 0;
    std::vector<std::vector<bool>> used_;
    std::vector<bool> service_ports_;  // per protocol (tcp, udp) x 65536
    TrafficTotals totals_;
};

}  // namespace microseg::traffic
