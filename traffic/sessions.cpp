#include "traffic/sessions.hpp"

#include <algorithm>
#include <limits>
#include <tuple>
#include <utility>

namespace microseg::traffic {

namespace {

bool has_ports(std::uint8_t protocol) { return protocol == kTcp || protocol == kUdp; }

// Whether `r`'s source is the initiator, for a record seen in one direction only (or both
// directions: `r` is the earlier). DESIGN.md: the responder is the end on a catalogue service
// port, else the lower port; when that cannot decide, the earlier record's source initiates.
bool source_initiates(const FlowRecord& r, const IsServicePort& is_service_port) {
    if (!has_ports(r.protocol)) return true;
    const bool src_service = is_service_port(r.protocol, r.src_port);
    const bool dst_service = is_service_port(r.protocol, r.dst_port);
    if (src_service != dst_service) return dst_service;
    if (r.src_port != r.dst_port) return r.dst_port < r.src_port;
    return true;
}

bool overlaps(const FlowRecord& a, const FlowRecord& b) {
    return a.first_ms <= b.last_ms && b.first_ms <= a.last_ms;
}

bool same_direction(const FlowRecord& a, const FlowRecord& b) {
    return a.src == b.src && a.src_port == b.src_port;
}

std::int64_t distance_ms(std::int64_t a, std::int64_t b) { return a > b ? a - b : b - a; }

}  // namespace

std::size_t SessionFolder::KeyHash::operator()(const Key& k) const {
    auto mix = [](std::size_t h, std::uint64_t v) { return (h ^ v) * 0x100000001b3ULL; };
    std::size_t h = 0xcbf29ce484222325ULL;
    h = mix(h, static_cast<std::uint64_t>(k.low.value));
    h = mix(h, static_cast<std::uint64_t>(k.low.value >> 64));
    h = mix(h, static_cast<std::uint64_t>(k.high.value));
    h = mix(h, static_cast<std::uint64_t>(k.high.value >> 64));
    h = mix(h, (std::uint64_t{k.low_port} << 24) | (std::uint64_t{k.high_port} << 8) | k.protocol);
    return h;
}

SessionFolder::SessionFolder(IsServicePort is_service_port, SessionSink sink)
    : is_service_port_(std::move(is_service_port)), sink_(std::move(sink)) {}

void SessionFolder::emit(const FlowRecord& first, const FlowRecord* reply, std::uint32_t file) {
    const bool forward = first.initiator_known || source_initiates(first, is_service_port_);
    Session s;
    s.initiator = forward ? first.src : first.dst;
    s.responder = forward ? first.dst : first.src;
    s.initiator_port = forward ? first.src_port : first.dst_port;
    s.responder_port = forward ? first.dst_port : first.src_port;
    s.initiator_mac = forward ? first.src_mac : first.dst_mac;
    s.responder_mac = forward ? first.dst_mac : first.src_mac;
    s.protocol = first.protocol;
    s.count = first.sessions;
    s.bytes = first.bytes + (reply ? reply->bytes : 0);
    s.first_ms = reply ? std::min(first.first_ms, reply->first_ms) : first.first_ms;
    s.last_ms = reply ? std::max(first.last_ms, reply->last_ms) : first.last_ms;
    s.file = file;
    s.line = first.line;
    sink_(s);
}

// Drops `record` as another exporter's copy (or the same exporter's next report) of a record
// waiting under its key, or pairs it with the other direction; false when it must wait itself.
bool SessionFolder::absorb(const Key& key, std::deque<Pending>& waiting, const FlowRecord& record, std::uint32_t file) {
    for (auto& p : waiting) {
        if (!same_direction(p.record, record)) continue;
        if (!overlaps(p.record, record) && distance_ms(p.record.last_ms, record.first_ms) > kPairWindowMs) continue;
        if (p.record.exporter != record.exporter) {
            ++duplicates_;
        } else if (!p.paired) {  // the exporter's next report of the same flow (active timeout)
            p.record.bytes += record.bytes;
            p.record.last_ms = std::max(p.record.last_ms, record.last_ms);
        }
        return true;
    }
    for (auto& p : waiting) {
        if (p.paired || distance_ms(p.record.first_ms, record.first_ms) > kPairWindowMs) continue;
        const bool record_first = record.first_ms < p.record.first_ms;
        emit(record_first ? record : p.record, record_first ? &p.record : &record, record_first ? file : p.file);
        p.paired = true;
        ++paired_;
        // The reply waits too, paired, so that another exporter's copy of it counts once.
        waiting.push_back({record, file, true, ++serial_});
        order_.emplace_back(key, serial_);
        return true;
    }
    return false;
}

void SessionFolder::add(const FlowRecord& record, std::uint32_t file) {
    if (record.initiator_known) {
        emit(record, nullptr, file);
        return;
    }
    // Exporters report a flow when it ends: the stream runs in order of last packets, and a long
    // session's two directions arrive together long after they started.
    watermark_ms_ = std::max(watermark_ms_, record.last_ms);
    const bool src_low = std::tie(record.src, record.src_port) < std::tie(record.dst, record.dst_port);
    Key key{src_low ? record.src : record.dst, src_low ? record.dst : record.src,
            src_low ? record.src_port : record.dst_port, src_low ? record.dst_port : record.src_port,
            record.protocol};
    auto& waiting = pending_[key];
    if (!absorb(key, waiting, record, file)) {
        waiting.push_back({record, file, false, ++serial_});
        order_.emplace_back(key, serial_);
    }
    expire(watermark_ms_ - 2 * kPairWindowMs);
}

// Emits the unpaired records that ended before `before_ms` on their own and forgets the paired ones.
// Records arrive roughly in time order; one far out of order simply waits until finish().
void SessionFolder::expire(std::int64_t before_ms) {
    while (!order_.empty()) {
        auto it = pending_.find(order_.front().first);
        if (it == pending_.end()) {
            order_.pop_front();
            continue;
        }
        auto& waiting = it->second;
        auto p = std::find_if(waiting.begin(), waiting.end(),
                              [&](const Pending& w) { return w.serial == order_.front().second; });
        if (p != waiting.end()) {
            if (p->record.last_ms >= before_ms) return;
            if (!p->paired) emit(p->record, nullptr, p->file);
            waiting.erase(p);
        }
        if (waiting.empty()) pending_.erase(it);
        order_.pop_front();
    }
}

void SessionFolder::finish() {
    expire(std::numeric_limits<std::int64_t>::max());
}

}  // namespace microseg::traffic
