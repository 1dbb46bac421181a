#pragma once
// Sessions out of records. Zeek and plain-CSV records name their initiator and pass through.
// NetFlow records (nfdump) are one direction each (DESIGN.md, "learn/simulate"): two records
// with swapped ends that start within the same minute are one session; the responder is the
// end on a catalogue service port, or failing that the lower port (the earlier record's source
// initiates when that cannot decide); the same directed 5-tuple from two exporters at
// overlapping times counts once, and an exporter's next report of the same direction (active
// timeout) continues its session. A record waits for its other direction until the stream has
// reached two minutes past its last packet (exporters report flows as they end), so memory
// follows the flows active in a few minutes, not the file.

#include <cstdint>
#include <deque>
#include <functional>
#include <unordered_map>

#include "traffic/flow_record.hpp"

namespace microseg::traffic {

struct Session {
    IpAddress initiator;
    IpAddress responder;
    std::uint8_t protocol = 0;
    std::uint16_t initiator_port = 0;
    std::uint16_t responder_port = 0;  // the service port
    std::uint64_t count = 1;           // sessions this stands for (the plain CSV's count)
    std::uint64_t bytes = 0;
    std::int64_t first_ms = 0;
    std::int64_t last_ms = 0;
    std::uint64_t initiator_mac = 0;
    std::uint64_t responder_mac = 0;
    std::uint32_t file = 0;            // index of the input file, for evidence
    int line = 0;
};

using SessionSink = std::function<void(const Session&)>;
// Whether a port of a protocol (IANA number) is a service of the catalogue in use.
using IsServicePort = std::function<bool(std::uint8_t protocol, std::uint16_t port)>;

class SessionFolder {
public:
    SessionFolder(IsServicePort is_service_port, SessionSink sink);
    void add(const FlowRecord& record, std::uint32_t file);
    void finish();  // flushes what is still waiting for its other direction
    std::uint64_t duplicates() const { return duplicates_; }  // records another exporter also sent
    std::uint64_t paired() const { return paired_; }          // sessions made of two directions

    static constexpr std::int64_t kPairWindowMs = 60'000;

private:
    struct Key {
        IpAddress low, high;  // the two ends, ordered
        std::uint16_t low_port = 0, high_port = 0;
        std::uint8_t protocol = 0;
        bool operator==(const Key&) const = default;
    };
    struct KeyHash {
        std::size_t operator()(const Key& k) const;
    };
    struct Pending {
        FlowRecord record;
        std::uint32_t file = 0;
        bool paired = false;  // kept until the window passes, to absorb other exporters' copies
        std::uint64_t serial = 0;
    };
    void emit(const FlowRecord& first, const FlowRecord* reply, std::uint32_t file);
    void expire(std::int64_t now_ms);
    bool absorb(const Key& key, std::deque<Pending>& waiting, const FlowRecord& record, std::uint32_t file);

    IsServicePort is_service_port_;
    SessionSink sink_;
    std::unordered_map<Key, std::deque<Pending>, KeyHash> pending_;
    std::deque<std::pair<Key, std::uint64_t>> order_;  // insertion order, for expiry
    std::uint64_t serial_ = 0;
    std::int64_t watermark_ms_ = 0;
    std::uint64_t duplicates_ = 0;
    std::uint64_t paired_ = 0;
};

}  // namespace microseg::traffic
