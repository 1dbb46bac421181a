#include "traffic/learn.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include <fmt/format.h>

#include "traffic/evidence_text.hpp"

namespace microseg::traffic {

namespace {

std::vector<std::string> flags_of(const Policy& policy, const ObservedTraffic& traffic, const LearnedFlow& flow) {
    std::vector<std::string> flags;
    const DeviceClass& to = policy.classes()[flow.to];
    if (to.criticality == Criticality::life) flags.push_back(fmt::format("into '{}', criticality life", to.name));
    if (to.phi) flags.push_back(fmt::format("into '{}', which holds patient data (phi)", to.name));
    for (const auto& s : flow.services) {
        const Service* svc = traffic.service(s.service).catalogue;
        if (svc && svc->clear_text && !svc->tls_twin.empty())
            flags.push_back(fmt::format("{} is clear text: {} is its encrypted twin", svc->name, svc->tls_twin));
    }
    return flags;
}

// Why `check` would reject a flow between these classes (so learn must not propose it), if it
// would: a class known only from the inventory may have no subnets, and an external class used by
// a flow needs `via` in a policy with switches.
std::optional<std::string> unproposable(const Policy& policy, const DeviceClass& from, const DeviceClass& to) {
    for (const DeviceClass* c : {&from, &to}) {
        if (c->subnets.empty()) return fmt::format("'{}' has no subnets: no flow can name it", c->name);
        if (c->external && c->via.empty() && !policy.switches().empty())
            return fmt::format("external class '{}' has no via: no flow can name it", c->name);
    }
    return std::nullopt;
}

std::string_view name_of(const ObservedTraffic& traffic, std::uint32_t service) {
    return traffic.service(service).name;
}

}  // namespace

Learned learn(const ObservedTraffic& traffic, std::uint64_t min_sessions) {
    const Policy& policy = traffic.policy();
    Learned out;
    std::map<std::pair<std::string_view, std::string_view>, LearnedFlow> by_names;
    std::set<std::uint32_t> new_services;
    for (const auto& [key, evidence] : traffic.keys()) {
        const DeviceClass& from = policy.classes()[key.from];
        const DeviceClass& to = policy.classes()[key.to];
        if (key.from == key.to || key.service == kNoService) {
            out.not_proposed.push_back({key.from, key.to,
                                        key.from == key.to ? "inside the class" : protocol_name(key.protocol),
                                        evidence.sessions});
            continue;
        }
        if (auto why = unproposable(policy, from, to)) {
            out.not_proposed.push_back({key.from, key.to, *why, evidence.sessions});
            continue;
        }
        if (evidence.sessions < min_sessions) {
            ++out.below_min_sessions;
            continue;
        }
        auto& flow = by_names[{from.name, to.name}];
        flow.from = key.from;
        flow.to = key.to;
        flow.services.push_back({key.service, &evidence});
        if (!traffic.service(key.service).catalogue) new_services.insert(key.service);
    }
    for (auto& [names, flow] : by_names) {
        std::sort(flow.services.begin(), flow.services.end(), [&](const auto& a, const auto& b) {
            return name_of(traffic, a.service) < name_of(traffic, b.service);
        });
        flow.flags = flags_of(policy, traffic, flow);
        out.flows.push_back(std::move(flow));
    }
    out.new_services.assign(new_services.begin(), new_services.end());
    std::sort(out.new_services.begin(), out.new_services.end(),
              [&](auto a, auto b) { return name_of(traffic, a) < name_of(traffic, b); });
    return out;
}

std::string learned_yaml(const ObservedTraffic& traffic, const Learned& learned) {
    const Policy& policy = traffic.policy();
    std::string out;
    if (!learned.new_services.empty()) {
        out += "# Ports no catalogue service covers: add these under your policy's services:\n";
        out += "services:\n";
        for (auto id : learned.new_services) {
            const ObservedService& s = traffic.service(id);
            out += fmt::format("  {}: [{}/{}]\n", s.name, s.protocol, s.port);
        }
        out += "\n";
    }
    out += "flows:\n";
    if (learned.flows.empty()) out += "  []  # nothing observed between classes\n";
    for (const auto& flow : learned.flows) {
        const auto& from = policy.classes()[flow.from].name;
        const auto& to = policy.classes()[flow.to].name;
        out += fmt::format("  # {} -> {}\n", from, to);
        for (const auto& s : flow.services)
            out += fmt::format("  #   {}: {}\n", name_of(traffic, s.service), evidence_line(*s.evidence));
        for (const auto& f : flow.flags) out += fmt::format("  #   ! {}\n", f);
        std::string services;
        for (const auto& s : flow.services) services += fmt::format("{}{}", services.empty() ? "" : ", ", name_of(traffic, s.service));
        out += fmt::format("  - {{from: {}, to: {}, services: [{}], reason: \"observed traffic\"}}\n", from, to, services);
    }
    return out;
}

}  // namespace microseg::traffic
