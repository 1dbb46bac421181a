#pragma once
// How learn and simulate print evidence: times, byte counts, 5-tuples, in text and JSON.

#include <cstdint>
#include <string>

#include "model/json.hpp"
#include "traffic/observe.hpp"

namespace microseg::traffic {

std::string iso_time(std::int64_t unix_ms);          // "2026-11-01T08:00:00Z"; "unknown" for 0
std::string byte_count(std::uint64_t bytes);         // "812 B", "3.4 MB"
std::string protocol_name(std::uint8_t iana);        // "tcp", "udp", "icmp", "protocol 47"
std::string five_tuple(const Session& s);            // "10.1.1.2:50000 -> 10.2.2.3:104 tcp"
std::string service_label(const ObservedTraffic& traffic, std::uint32_t service, std::uint8_t protocol);
// "sessions 120, 45.1 MB, 12 -> 2 hosts (estimated), 2026-11-01T08:00:00Z .. 2026-11-02T17:03:11Z"
std::string evidence_line(const Evidence& e);
// "file:line" of the session's record.
std::string record_location(const Observation& seen, const Session& s);

void write_example(JsonWriter& json, const Observation& seen, const Session& s);
void write_input_summary(JsonWriter& json, const Observation& seen);  // records, bad_lines, inputs
std::string input_summary_text(const Observation& seen);              // one line
// Addresses no class owns, as "#" comment lines (empty when none), and as JSON "unowned".
std::string unowned_text(const ObservedTraffic& traffic);
void write_unowned(JsonWriter& json, const Observation& seen);

}  // namespace microseg::traffic
