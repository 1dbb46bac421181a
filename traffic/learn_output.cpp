// learn's text and JSON around the proposed YAML: what was read, and what was not proposed.
#include <fmt/format.h>

#include "traffic/evidence_text.hpp"
#include "traffic/learn.hpp"

namespace microseg::traffic {

namespace {

std::string not_proposed_text(const Policy& policy, const Learned& learned) {
    std::string out;
    for (const auto& n : learned.not_proposed)
        out += fmt::format("#   {} -> {} ({}): {} sessions\n", policy.classes()[n.from].name,
                           policy.classes()[n.to].name, n.what, n.sessions);
    if (!out.empty())
        out = "# Not proposed (inside one class: allowed unless it is isolate; other protocols and the classes said: no flow can name them):\n" + out;
    return out;
}

void write_flow(JsonWriter& json, const Observation& seen, const LearnedFlow& flow) {
    const ObservedTraffic& traffic = *seen.traffic;
    const Policy& policy = traffic.policy();
    json.begin_object()
        .field("from", policy.classes()[flow.from].name)
        .field("to", policy.classes()[flow.to].name);
    json.key("services").begin_array();
    for (const auto& s : flow.services) json.value(traffic.service(s.service).name);
    json.end_array().key("evidence").begin_array();
    for (const auto& s : flow.services) {
        const Evidence& e = *s.evidence;
        json.begin_object()
            .field("service", traffic.service(s.service).name)
            .field("sessions", static_cast<std::int64_t>(e.sessions))
            .field("bytes", static_cast<std::int64_t>(e.bytes))
            .field("initiators", static_cast<std::int64_t>(e.initiators.count()))
            .field("responders", static_cast<std::int64_t>(e.responders.count()))
            .field("hosts_exact", e.initiators.exact() && e.responders.exact())
            .field("first", iso_time(e.first_ms))
            .field("last", iso_time(e.last_ms))
            .key("example");
        write_example(json, seen, e.example);
        json.end_object();
    }
    json.end_array().key("flags").begin_array();
    for (const auto& f : flow.flags) json.value(f);
    json.end_array().end_object();
}

}  // namespace

std::string learned_text(const Observation& seen, const Learned& learned) {
    std::string out = fmt::format("# microseg learn: {}\n", input_summary_text(seen));
    if (learned.below_min_sessions)
        out += fmt::format("# {} (class pair, service) below --min-sessions left out\n", learned.below_min_sessions);
    out += learned_yaml(*seen.traffic, learned);
    std::string unowned = unowned_text(*seen.traffic, "#   ");
    if (!unowned.empty()) unowned = "# Addresses no class owns (not proposed):\n" + unowned;
    const std::string apart = not_proposed_text(seen.traffic->policy(), learned) + unowned;
    if (!apart.empty()) out += "\n" + apart;
    return out;
}

std::string learned_json(const Observation& seen, const Learned& learned) {
    const ObservedTraffic& traffic = *seen.traffic;
    JsonWriter json;
    json.begin_object();
    write_input_summary(json, seen);
    json.key("flows").begin_array();
    for (const auto& flow : learned.flows) write_flow(json, seen, flow);
    json.end_array().key("new_services").begin_array();
    for (auto id : learned.new_services) {
        const ObservedService& s = traffic.service(id);
        json.begin_object().field("name", s.name).key("ports").begin_array();
        json.value(fmt::format("{}/{}", s.protocol, s.port)).end_array().end_object();
    }
    json.end_array().key("not_proposed").begin_array();
    for (const auto& n : learned.not_proposed)
        json.begin_object()
            .field("from", traffic.policy().classes()[n.from].name)
            .field("to", traffic.policy().classes()[n.to].name)
            .field("what", n.what)
            .field("sessions", static_cast<std::int64_t>(n.sessions))
            .end_object();
    json.end_array();
    write_unowned(json, seen);
    json.field("below_min_sessions", static_cast<std::int64_t>(learned.below_min_sessions));
    json.field("yaml", learned_yaml(traffic, learned));
    json.end_object();
    return json.str() + "\n";
}

}  // namespace microseg::traffic
