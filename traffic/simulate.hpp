#pragma once
// `simulate`: what a policy would do to the traffic really seen. Sessions it would deny,
// grouped by class pair and service with a count and an example; allowances no session used
// (candidates to remove or expire); the share allowed. Sessions with an end no class owns are
// denied everywhere (DESIGN.md, internal_space) and count as denied; multicast, broadcast and
// link-local traffic never reaches a gateway and is left out of the share.

#include <cstdint>
#include <string>
#include <vector>

#include "traffic/observe.hpp"

namespace microseg::traffic {

struct DeniedTraffic {
    TrafficKey key;
    const Evidence* evidence = nullptr;  // denied_sessions and denied_example
};

struct UnusedAllowance {
    std::size_t flow = 0;   // index into Policy::flows
    std::string service;
};

struct Simulation {
    std::vector<DeniedTraffic> denied;    // by from, to, service name
    std::vector<UnusedAllowance> unused;  // in policy order
    std::uint64_t judged = 0;             // sessions the share is of (routed ones)
    std::uint64_t allowed = 0;
    std::uint64_t denied_sessions = 0;    // between classes, plus unowned
    double allowed_share() const { return judged ? static_cast<double>(allowed) / static_cast<double>(judged) : 1.0; }
    bool blocks_observed() const { return denied_sessions > 0; }
};

Simulation simulate(const ObservedTraffic& traffic);
std::string simulation_text(const Observation& seen, const Simulation& sim);
std::string simulation_json(const Observation& seen, const Simulation& sim);

}  // namespace microseg::traffic
