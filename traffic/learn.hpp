#pragma once
// `learn`: the flows: section that would allow what was seen, one entry per class pair, each
// service with its evidence. It proposes; a person decides: flows into life-critical or
// patient-data classes and clear-text services with an encrypted twin are flagged, traffic
// with an unowned end and traffic inside one class are listed apart, never proposed.

#include <cstdint>
#include <string>
#include <vector>

#include "traffic/observe.hpp"

namespace microseg::traffic {

struct LearnedService {
    std::uint32_t service = 0;  // ServiceNamer id
    const Evidence* evidence = nullptr;
};

struct LearnedFlow {
    std::size_t from = 0;
    std::size_t to = 0;
    std::vector<LearnedService> services;  // sorted by name
    std::vector<std::string> flags;        // why a person should look twice
};

// Traffic that no flow can express: inside one class, a protocol the language cannot name, or
// a class `check` would not accept in a flow (no subnets; external without via).
struct NotProposed {
    std::size_t from = 0;
    std::size_t to = 0;
    std::string what;                      // "inside the class", "protocol 47", why not
    std::uint64_t sessions = 0;
};

struct Learned {
    std::vector<LearnedFlow> flows;            // by from name, then to name
    std::vector<std::uint32_t> new_services;   // ids of services the output must define, by name
    std::vector<NotProposed> not_proposed;
    std::uint64_t below_min_sessions = 0;      // (pair, service) keys dropped by --min-sessions
};

Learned learn(const ObservedTraffic& traffic, std::uint64_t min_sessions);

// The proposed `services:` (only when new ones are needed) and `flows:` sections, commented.
std::string learned_yaml(const ObservedTraffic& traffic, const Learned& learned);
std::string learned_text(const Observation& seen, const Learned& learned);  // yaml + a summary
std::string learned_json(const Observation& seen, const Learned& learned);

}  // namespace microseg::traffic
