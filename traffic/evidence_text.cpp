#include "traffic/evidence_text.hpp"

#include <chrono>

#include <fmt/chrono.h>
#include <fmt/format.h>

namespace microseg::traffic {

std::string iso_time(std::int64_t unix_ms) {
    if (unix_ms == 0) return "unknown";
    const auto t = std::chrono::sys_seconds{std::chrono::seconds{unix_ms / 1000}};
    return fmt::format("{:%Y-%m-%dT%H:%M:%S}Z", t);
}

std::string byte_count(std::uint64_t bytes) {
    if (bytes < 1000) return fmt::format("{} B", bytes);
    const char* units[] = {"kB", "MB", "GB", "TB", "PB"};
    double v = static_cast<double>(bytes) / 1000;
    std::size_t u = 0;
    while (v >= 1000 && u + 1 < std::size(units)) {
        v /= 1000;
        ++u;
    }
    return fmt::format("{:.1f} {}", v, units[u]);
}

std::string protocol_name(std::uint8_t iana) {
    switch (iana) {
        case kTcp: return "tcp";
        case kUdp: return "udp";
        case kIcmp: return "icmp";
        case kIcmpV6: return "icmpv6";
        default: return fmt::format("protocol {}", iana);
    }
}

std::string five_tuple(const Session& s) {
    if (s.protocol != kTcp && s.protocol != kUdp)
        return fmt::format("{} -> {} {}", s.initiator, s.responder, protocol_name(s.protocol));
    return fmt::format("{}:{} -> {}:{} {}", s.initiator, s.initiator_port, s.responder, s.responder_port,
                       protocol_name(s.protocol));
}

std::string service_label(const ObservedTraffic& traffic, std::uint32_t service, std::uint8_t protocol) {
    return service == kNoService ? protocol_name(protocol) : traffic.service(service).name;
}

std::string evidence_line(const Evidence& e) {
    return fmt::format("{} session{}, {}, {} -> {} hosts{}, {} .. {}", e.sessions, e.sessions == 1 ? "" : "s",
                       byte_count(e.bytes), e.initiators.count(), e.responders.count(),
                       e.initiators.exact() && e.responders.exact() ? "" : " (estimated)", iso_time(e.first_ms),
                       iso_time(e.last_ms));
}

std::string record_location(const Observation& seen, const Session& s) {
    if (s.file >= seen.inputs.size()) return "?";
    const std::string& f = seen.inputs[s.file].file;
    return fmt::format("{}:{}", f == "-" ? "<stdin>" : f, s.line);
}

void write_example(JsonWriter& json, const Observation& seen, const Session& s) {
    json.begin_object()
        .field("initiator", s.initiator.str())
        .field("responder", s.responder.str())
        .field("protocol", protocol_name(s.protocol))
        .field("initiator_port", static_cast<int>(s.initiator_port))
        .field("responder_port", static_cast<int>(s.responder_port))
        .field("record", record_location(seen, s))
        .end_object();
}

void write_input_summary(JsonWriter& json, const Observation& seen) {
    json.field("records", static_cast<std::int64_t>(seen.records))
        .field("bad_lines", static_cast<std::int64_t>(seen.bad_lines))
        .field("sessions", static_cast<std::int64_t>(seen.traffic->totals().sessions));
    json.key("inputs").begin_array();
    for (const auto& in : seen.inputs)
        json.begin_object()
            .field("file", in.file)
            .field("format", to_string(in.read.format))
            .field("records", static_cast<std::int64_t>(in.read.records))
            .field("bad_lines", static_cast<std::int64_t>(in.read.bad_lines))
            .end_object();
    json.end_array();
}

std::string input_summary_text(const Observation& seen) {
    std::string files;
    for (const auto& in : seen.inputs)
        files += fmt::format("{}{} ({})", files.empty() ? "" : ", ", in.file == "-" ? "<stdin>" : in.file,
                             to_string(in.read.format));
    return fmt::format("{} records, {} sessions from {}; {} bad line{} skipped", seen.records,
                       seen.traffic->totals().sessions, files, seen.bad_lines, seen.bad_lines == 1 ? "" : "s");
}

std::string unowned_text(const ObservedTraffic& traffic) {
    std::string out;
    for (const auto& [address, u] : traffic.unowned())
        out += fmt::format("#   {} ({}): {} sessions, e.g. {}\n", address,
                           u.internal ? "internal, owned by no class" : "outside every class", u.sessions,
                           five_tuple(u.example));
    if (traffic.unowned_not_listed())
        out += fmt::format("#   ... and {} more sessions with addresses not listed\n", traffic.unowned_not_listed());
    if (!out.empty()) out = "# Addresses no class owns (not proposed):\n" + out;
    return out;
}

void write_unowned(JsonWriter& json, const Observation& seen) {
    json.key("unowned").begin_array();
    for (const auto& [address, u] : seen.traffic->unowned()) {
        json.begin_object()
            .field("address", address.str())
            .field("internal", u.internal)
            .field("sessions", static_cast<std::int64_t>(u.sessions))
            .key("example");
        write_example(json, seen, u.example);
        json.end_object();
    }
    json.end_array();
    json.field("unowned_not_listed", static_cast<std::int64_t>(seen.traffic->unowned_not_listed()));
}

}  // namespace microseg::traffic
