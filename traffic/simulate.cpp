#include "traffic/simulate.hpp"

#include <algorithm>
#include <tuple>

#include <fmt/format.h>

#include "traffic/evidence_text.hpp"

namespace microseg::traffic {

namespace {

std::string location_text(const SourceLocation& l) {
    return l.known() ? fmt::format("{}:{}:{}", l.file, l.line, l.column) : l.file;
}

}  // namespace

Simulation simulate(const ObservedTraffic& traffic) {
    const Policy& policy = traffic.policy();
    const TrafficTotals& t = traffic.totals();
    Simulation sim;
    sim.judged = t.sessions - t.not_routed;
    sim.allowed = t.allowed;
    sim.denied_sessions = t.unowned;
    for (const auto& [key, evidence] : traffic.keys()) {
        if (!evidence.denied_sessions) continue;
        sim.denied.push_back({key, &evidence});
        sim.denied_sessions += evidence.denied_sessions;
    }
    auto names = [&](const DeniedTraffic& d) {
        return std::make_tuple(std::string_view(policy.classes()[d.key.from].name),
                               std::string_view(policy.classes()[d.key.to].name),
                               service_label(traffic, d.key.service, d.key.protocol));
    };
    std::sort(sim.denied.begin(), sim.denied.end(), [&](const auto& a, const auto& b) { return names(a) < names(b); });
    const auto& used = traffic.flow_services_used();
    for (std::size_t f = 0; f < policy.flows().size(); ++f)
        for (std::size_t i = 0; i < policy.flows()[f].services.size(); ++i)
            if (!used[f][i]) sim.unused.push_back({f, policy.flows()[f].services[i]});
    return sim;
}

std::string simulation_text(const Observation& seen, const Simulation& sim) {
    const ObservedTraffic& traffic = *seen.traffic;
    const Policy& policy = traffic.policy();
    std::string out = fmt::format("simulate {}: {}\n", policy.name(), input_summary_text(seen));
    out += fmt::format("allowed: {} of {} sessions ({:.1f}%)", sim.allowed, sim.judged, 100.0 * sim.allowed_share());
    if (traffic.totals().not_routed)
        out += fmt::format("; {} sessions that cross no gateway left out (multicast, broadcast, link-local, outside to outside)",
                           traffic.totals().not_routed);
    out += "\n";
    out += sim.denied.empty() ? "\nNothing observed between classes would be denied.\n"
                              : "\nWould be denied (observed, not allowed by the policy):\n";
    for (const auto& d : sim.denied)
        out += fmt::format("  {} -> {}  {}  {} session{}  e.g. {} ({})\n", policy.classes()[d.key.from].name,
                           policy.classes()[d.key.to].name, service_label(traffic, d.key.service, d.key.protocol),
                           d.evidence->denied_sessions, d.evidence->denied_sessions == 1 ? "" : "s",
                           five_tuple(d.evidence->denied_example), record_location(seen, d.evidence->denied_example));
    if (const std::string unowned = unowned_text(traffic, "  "); !unowned.empty())
        out += "\nDenied everywhere (no class owns the address):\n" + unowned;
    out += sim.unused.empty() ? "\nEvery allowance was used.\n" : "\nAllowed but never observed (remove or expire?):\n";
    for (const auto& u : sim.unused) {
        const FlowRule& f = policy.flows()[u.flow];
        out += fmt::format("  {} -> {}  {}  ({})\n", f.from, f.to, u.service, location_text(f.location));
    }
    return out;
}

std::string simulation_json(const Observation& seen, const Simulation& sim) {
    const ObservedTraffic& traffic = *seen.traffic;
    const Policy& policy = traffic.policy();
    JsonWriter json;
    json.begin_object();
    write_input_summary(json, seen);
    json.field("judged_sessions", static_cast<std::int64_t>(sim.judged))
        .field("allowed_sessions", static_cast<std::int64_t>(sim.allowed))
        .field("denied_sessions", static_cast<std::int64_t>(sim.denied_sessions))
        .field("not_routed_sessions", static_cast<std::int64_t>(traffic.totals().not_routed))
        .field("allowed_share", sim.allowed_share());
    json.key("denied").begin_array();
    for (const auto& d : sim.denied) {
        json.begin_object()
            .field("from", policy.classes()[d.key.from].name)
            .field("to", policy.classes()[d.key.to].name)
            .field("service", service_label(traffic, d.key.service, d.key.protocol))
            .field("sessions", static_cast<std::int64_t>(d.evidence->denied_sessions))
            .key("example");
        write_example(json, seen, d.evidence->denied_example);
        json.end_object();
    }
    json.end_array().key("unused_flows").begin_array();
    for (const auto& u : sim.unused) {
        const FlowRule& f = policy.flows()[u.flow];
        json.begin_object()
            .field("from", f.from)
            .field("to", f.to)
            .field("service", u.service)
            .field("location", location_text(f.location))
            .end_object();
    }
    json.end_array();
    write_unowned(json, seen);
    json.end_object();
    return json.str() + "\n";
}

}  // namespace microseg::traffic
