// SessionFolder: NetFlow's one-direction records become the sessions DESIGN.md describes.
#include <doctest/doctest.h>

#include <vector>

#include "traffic/sessions.hpp"

using namespace microseg;
using namespace microseg::traffic;

namespace {

FlowRecord one_way(const char* src, std::uint16_t sport, const char* dst, std::uint16_t dport, std::int64_t first_ms,
                   std::uint64_t bytes = 100, std::uint8_t protocol = kTcp, std::string exporter = "192.0.2.1") {
    FlowRecord r;
    r.src = *IpAddress::parse(src);
    r.dst = *IpAddress::parse(dst);
    r.src_port = sport;
    r.dst_port = dport;
    r.protocol = protocol;
    r.first_ms = first_ms;
    r.last_ms = first_ms + 500;
    r.bytes = bytes;
    r.exporter = std::move(exporter);
    return r;
}

struct Folded {
    std::vector<Session> sessions;
    SessionFolder folder{[](std::uint8_t protocol, std::uint16_t port) {
                             return (protocol == kTcp && (port == 443 || port == 104)) || (protocol == kUdp && port == 123);
                         },
                         [this](const Session& s) { sessions.push_back(s); }};
};

}  // namespace

TEST_CASE("a record and its reply within a minute are one session; the service port's end responds") {
    Folded f;
    const std::int64_t t = 1'700'000'000'000;
    // The reply is exported first: roles come from the ports, not the order.
    f.folder.add(one_way("10.2.0.5", 443, "10.1.0.7", 51000, t, 9000), 0);
    f.folder.add(one_way("10.1.0.7", 51000, "10.2.0.5", 443, t + 20, 700), 0);
    f.folder.finish();
    REQUIRE(f.sessions.size() == 1);
    CHECK(f.sessions[0].initiator.str() == "10.1.0.7");
    CHECK(f.sessions[0].responder.str() == "10.2.0.5");
    CHECK(f.sessions[0].responder_port == 443);
    CHECK(f.sessions[0].bytes == 9700);
    CHECK(f.folder.paired() == 1);
}

TEST_CASE("without a service port the lower port responds; equal ports: the earlier record's source initiates") {
    Folded f;
    const std::int64_t t = 1'700'000'000'000;
    f.folder.add(one_way("10.1.0.7", 40000, "10.2.0.5", 8080, t), 0);
    f.folder.add(one_way("10.3.0.1", 5000, "10.3.0.2", 5000, t + 1, 10, kUdp), 0);
    f.folder.add(one_way("10.3.0.2", 5000, "10.3.0.1", 5000, t + 3, 10, kUdp), 0);
    f.folder.finish();
    REQUIRE(f.sessions.size() == 2);
    CHECK(f.sessions[0].responder.str() == "10.3.0.2");  // the pair is emitted when its reply comes
    CHECK(f.sessions[1].responder_port == 8080);
    CHECK(f.sessions[1].initiator.str() == "10.1.0.7");
}

TEST_CASE("the same direction from two exporters at overlapping times counts once") {
    Folded f;
    const std::int64_t t = 1'700'000'000'000;
    f.folder.add(one_way("10.1.0.7", 51000, "10.2.0.5", 104, t, 100, kTcp, "192.0.2.1"), 0);
    f.folder.add(one_way("10.1.0.7", 51000, "10.2.0.5", 104, t + 100, 100, kTcp, "192.0.2.2"), 1);
    f.folder.add(one_way("10.2.0.5", 104, "10.1.0.7", 51000, t + 50, 40, kTcp, "192.0.2.2"), 1);
    f.folder.add(one_way("10.2.0.5", 104, "10.1.0.7", 51000, t + 60, 40, kTcp, "192.0.2.1"), 0);
    f.folder.finish();
    REQUIRE(f.sessions.size() == 1);
    CHECK(f.folder.duplicates() == 2);
    CHECK(f.sessions[0].bytes == 140);
}

TEST_CASE("records of the same ends more than a minute apart are two sessions, each emitted once time moves on") {
    Folded f;
    const std::int64_t t = 1'700'000'000'000;
    f.folder.add(one_way("10.1.0.7", 51000, "10.2.0.5", 104, t), 0);
    f.folder.add(one_way("10.2.0.5", 104, "10.1.0.7", 51000, t + 90'000), 0);
    // Later traffic elsewhere: the first two wait no longer than two minutes of record time.
    f.folder.add(one_way("10.9.0.1", 50000, "10.9.0.2", 443, t + 400'000), 0);
    CHECK(f.sessions.size() == 2);
    f.folder.finish();
    REQUIRE(f.sessions.size() == 3);
    CHECK(f.folder.paired() == 0);
    CHECK(f.sessions[0].responder_port == 104);
    CHECK(f.sessions[1].responder_port == 104);  // the lone reply still names the service end
    CHECK(f.sessions[1].initiator.str() == "10.1.0.7");
}

TEST_CASE("records that name their initiator pass through untouched") {
    Folded f;
    auto r = one_way("10.2.0.5", 443, "10.1.0.7", 51000, 1);  // an odd but explicit direction
    r.initiator_known = true;
    r.sessions = 7;
    f.folder.add(r, 3);
    REQUIRE(f.sessions.size() == 1);
    CHECK(f.sessions[0].initiator.str() == "10.2.0.5");
    CHECK(f.sessions[0].count == 7);
    CHECK(f.sessions[0].file == 3);
}

TEST_CASE("a long session's two directions, exported together when it ends, are one session") {
    Folded f;
    const std::int64_t t = 1'700'000'000'000;
    // Short flows that started later are exported first; then the 10-minute session ends.
    for (int i = 0; i < 5; ++i)
        f.folder.add(one_way("10.9.0.1", static_cast<std::uint16_t>(50000 + i), "10.9.0.2", 443, t + 590'000 + i), 0);
    auto forward = one_way("10.1.0.7", 51000, "10.2.0.5", 104, t, 5'000'000);
    auto reply = one_way("10.2.0.5", 104, "10.1.0.7", 51000, t + 10, 90'000);
    forward.last_ms = reply.last_ms = t + 600'000;
    f.folder.add(forward, 0);
    f.folder.add(reply, 0);
    f.folder.finish();
    REQUIRE(f.sessions.size() == 6);
    CHECK(f.folder.paired() == 1);
    std::size_t dicom = 0;
    for (const auto& s : f.sessions) dicom += s.responder_port == 104;
    CHECK(dicom == 1);
}
