// Each format's fields landing in the right FlowRecord member, on the fixtures of
// tests/fixtures/traffic/ (README.md there: the nfdump ones are real nfdump 1.7.1 output, the
// Zeek ones written from Zeek's log-format documentation). Expected values are worked out by
// hand from the fixture lines quoted beside them.
#include <doctest/doctest.h>

#include "traffic/flow_test_fixture.hpp"

using namespace microseg;
using namespace microseg::traffic;
using namespace microseg::traffic::test;

constexpr std::int64_t kT0 = 1717236000;  // 2024-06-01T10:00:00Z

TEST_CASE("formats: the names of the formats") {
    CHECK(to_string(FlowFormat::zeek_tsv) == "Zeek conn.log (TSV)");
    CHECK(to_string(FlowFormat::zeek_json) == "Zeek conn.log (JSON)");
    CHECK(to_string(FlowFormat::nfdump_csv) == "nfdump CSV");
    CHECK(to_string(FlowFormat::plain_csv) == "plain CSV");
}

TEST_CASE("Zeek TSV: every conn.log column in its FlowRecord member, two concatenated logs") {
    auto r = read_fixture("zeek_conn.log");
    REQUIRE(r.ok());
    CHECK(r.summary().format == FlowFormat::zeek_tsv);
    CHECK(r.summary().bad_lines == 0);
    CHECK(r.summary().records == 7);
    CHECK(r.summary().skipped == 8 + 1 + 8 + 1);  // two header blocks and two #close lines
    REQUIRE(r.records.size() == 7);

    // 1717236000.123456 ... 10.1.1.2 50000 10.2.2.3 104 tcp - 0.750000 1500 750 SF
    const auto& tcp = r.records[0];
    CHECK(tcp.src == ip("10.1.1.2"));
    CHECK(tcp.dst == ip("10.2.2.3"));
    CHECK(tcp.protocol == kTcp);
    CHECK(tcp.src_port == 50000);
    CHECK(tcp.dst_port == 104);
    CHECK(tcp.bytes == 2250);
    CHECK(tcp.sessions == 1);
    CHECK(tcp.first_ms == kT0 * 1000 + 123);
    CHECK(tcp.last_ms == kT0 * 1000 + 873);  // (ts + duration) * 1000 = ...000.873456
    CHECK(tcp.initiator_known);
    CHECK(tcp.src_mac == 0);
    CHECK(tcp.exporter.empty());
    CHECK(tcp.line == 9);

    CHECK(r.records[1].protocol == kUdp);
    CHECK(r.records[1].dst_port == 53);
    // ICMP: Zeek's orig_p/resp_p 8/0 are the echo type and code, not ports.
    CHECK(r.records[2].protocol == kIcmp);
    CHECK(r.records[2].src_port == 0);
    CHECK(r.records[2].dst_port == 0);
    CHECK(r.records[3].src == ip("2001:db8::1"));
    CHECK(r.records[3].dst_port == 443);
    // An S0 connection: duration and bytes unset ("-").
    CHECK(r.records[4].bytes == 0);
    CHECK(r.records[4].first_ms == kT0 * 1000 + 4500);
    CHECK(r.records[4].last_ms == r.records[4].first_ms);
    // Zeek says "icmp" for ICMPv6 too: over IPv6 it is protocol 58.
    CHECK(r.records[5].protocol == kIcmpV6);
    CHECK(r.records[5].dst_port == 0);

    // The second log: another column order, MAC addresses from mac-logging.
    const auto& mac = r.records[6];
    CHECK(mac.src == ip("10.1.1.5"));
    CHECK(mac.dst_port == 443);
    CHECK(mac.bytes == 3000);
    CHECK(mac.first_ms == (kT0 + 3600) * 1000);
    CHECK(mac.last_ms == (kT0 + 3602) * 1000);
    CHECK(mac.src_mac == 0x020000000001ULL);
    CHECK(mac.dst_mac == 0x020000000002ULL);
    CHECK(mac.line == 24);
}

TEST_CASE("Zeek TSV: the header's separator, unset and empty markers are honoured") {
    // A comma-separated log whose unset marker is "NA": as Zeek writes it with those redefs.
    std::string text =
        "#separator \\x2c\n#set_separator,|\n#empty_field,EMPTY\n#unset_field,NA\n"
        "#fields,ts,id.orig_h,id.orig_p,id.resp_h,id.resp_p,proto,duration,orig_bytes,resp_bytes\n"
        "1717236000,10.0.0.1,1234,10.0.0.2,80,tcp,NA,NA,5\n"
        "1717236000,10.0.0.1,1235,10.0.0.2,80,tcp,1.5,EMPTY,7\n";
    auto r = read_text(text);
    REQUIRE(r.ok());
    CHECK(r.summary().bad_lines == 0);
    REQUIRE(r.records.size() == 2);
    CHECK(r.records[0].bytes == 5);
    CHECK(r.records[0].last_ms == kT0 * 1000);
    CHECK(r.records[1].bytes == 7);
    CHECK(r.records[1].last_ms == kT0 * 1000 + 1500);
}

TEST_CASE("Zeek TSV: a log without conn.log's columns is skipped with one warning") {
    std::string text =
        "#separator \\x09\n#fields\tts\tuid\tquery\n#types\ttime\tstring\tstring\n"
        "1717236000\tCabc\texample.org\n";
    auto r = read_text(text, "dns.log");
    REQUIRE(r.ok());
    CHECK(r.records.empty());
    CHECK(r.summary().bad_lines == 1);
    REQUIRE(r.summary().warnings.size() == 1);
    CHECK(r.summary().warnings[0].location.line == 2);
    CHECK(r.summary().warnings[0].message.find("id.orig_h") != std::string::npos);
    CHECK(r.summary().skipped == 3);  // #separator, #types and the record
}

TEST_CASE("Zeek JSON: numeric and ISO-8601 ts, unset fields left out, renamed keys") {
    auto r = read_fixture("zeek_conn.json");
    REQUIRE(r.ok());
    CHECK(r.summary().format == FlowFormat::zeek_json);
    CHECK(r.summary().bad_lines == 0);
    REQUIRE(r.records.size() == 6);
    const auto& tcp = r.records[0];
    CHECK(tcp.src == ip("10.1.1.2"));
    CHECK(tcp.dst == ip("10.2.2.3"));
    CHECK(tcp.protocol == kTcp);
    CHECK(tcp.src_port == 50000);
    CHECK(tcp.dst_port == 104);
    CHECK(tcp.bytes == 2250);
    CHECK(tcp.first_ms == kT0 * 1000 + 123);
    CHECK(tcp.last_ms == kT0 * 1000 + 873);
    CHECK(tcp.initiator_known);
    // "ts":"2024-06-01T10:00:02.000000Z" (JSON::TS_ISO8601), an ICMP echo.
    CHECK(r.records[2].first_ms == (kT0 + 2) * 1000);
    CHECK(r.records[2].last_ms == (kT0 + 3) * 1000);
    CHECK(r.records[2].protocol == kIcmp);
    CHECK(r.records[2].src_port == 0);
    CHECK(r.records[3].src == ip("2001:db8::1"));
    CHECK(r.records[3].src_mac == 0x020000000001ULL);
    CHECK(r.records[3].dst_mac == 0x020000000002ULL);
    // No duration, no bytes (an S0 attempt).
    CHECK(r.records[4].bytes == 0);
    CHECK(r.records[4].last_ms == r.records[4].first_ms);
    CHECK(r.records[4].dst_port == 8080);
    // "id_orig_h" etc.
    CHECK(r.records[5].src == ip("10.1.1.7"));
    CHECK(r.records[5].dst_port == 22);
    CHECK(r.records[5].line == 6);
}

TEST_CASE("Zeek JSON: integer millisecond ts (JSON::TS_MILLIS)") {
    auto r = read_text(
        "{\"ts\":1717236000250,\"id.orig_h\":\"10.0.0.1\",\"id.orig_p\":1,\"id.resp_h\":\"10.0.0.2\","
        "\"id.resp_p\":80,\"proto\":\"tcp\",\"duration\":1.5}\n");
    REQUIRE(r.ok());
    REQUIRE(r.records.size() == 1);
    CHECK(r.records[0].first_ms == kT0 * 1000 + 250);
    CHECK(r.records[0].last_ms == kT0 * 1000 + 1750);
}

TEST_CASE("nfdump CSV: real nfdump 1.7.1 output, one direction per record") {
    auto r = read_fixture("nfdump_real.csv");
    REQUIRE(r.ok());
    CHECK(r.summary().format == FlowFormat::nfdump_csv);
    CHECK(r.summary().bad_lines == 0);
    CHECK(r.summary().records == 8);
    CHECK(r.summary().skipped == 4);  // the header, Summary, its header and its values
    REQUIRE(r.records.size() == 8);
    // 2024-06-01 10:00:00,2024-06-01 10:00:00,0.750,10.1.1.2,10.2.2.3,50000,104,TCP,...,7,1780,0,0,...,127.0.0.1,0/0,1,...
    const auto& out = r.records[0];
    CHECK(out.src == ip("10.1.1.2"));
    CHECK(out.dst == ip("10.2.2.3"));
    CHECK(out.protocol == kTcp);
    CHECK(out.src_port == 50000);
    CHECK(out.dst_port == 104);
    CHECK(out.bytes == 1780);
    CHECK(out.first_ms == kT0 * 1000);
    CHECK(out.last_ms == kT0 * 1000 + 750);  // te has whole seconds only: ts + td
    CHECK_FALSE(out.initiator_known);
    CHECK(out.exporter == "127.0.0.1");
    CHECK(out.line == 2);
    // The reply, its own record.
    CHECK(r.records[1].src == ip("10.2.2.3"));
    CHECK(r.records[1].src_port == 104);
    CHECK(r.records[1].bytes == 1030);
    CHECK(r.records[2].protocol == kUdp);
    CHECK(r.records[2].dst_port == 53);
    // ICMP echo request: nfdump's dp 2048 is type 8 * 256: not a port.
    CHECK(r.records[4].protocol == kIcmp);
    CHECK(r.records[4].dst_port == 0);
    CHECK(r.records[4].last_ms == (kT0 + 3) * 1000);
    CHECK(r.records[6].src == ip("2001:db8::1"));
    CHECK(r.records[6].dst_port == 443);
}

TEST_CASE("nfdump CSV: bidirectional IPFIX records count both directions' bytes") {
    auto r = read_fixture("nfdump_real_bidir.csv");
    REQUIRE(r.ok());
    REQUIRE(r.records.size() == 5);
    CHECK(r.records[0].bytes == 1780 + 1030);
    CHECK(r.records[1].bytes == 174 + 324);
}

TEST_CASE("nfdump CSV: nfdump -q output (no header, no summary) read with 1.7.1's columns") {
    auto quiet = read_fixture("nfdump_real_quiet.csv");
    auto full = read_fixture("nfdump_real.csv");
    REQUIRE(quiet.ok());
    CHECK(quiet.summary().format == FlowFormat::nfdump_csv);
    CHECK(quiet.summary().bad_lines == 0);
    CHECK(quiet.summary().skipped == 0);
    REQUIRE(quiet.records.size() == full.records.size());
    for (std::size_t i = 0; i < full.records.size(); ++i) {
        CHECK(quiet.records[i].src == full.records[i].src);
        CHECK(quiet.records[i].dst_port == full.records[i].dst_port);
        CHECK(quiet.records[i].bytes == full.records[i].bytes);
        CHECK(quiet.records[i].first_ms == full.records[i].first_ms);
        CHECK(quiet.records[i].exporter == full.records[i].exporter);
        CHECK(quiet.records[i].line == full.records[i].line - 1);
    }
}

TEST_CASE("nfdump CSV: 'No matching flows' and its summary are no flows and no errors") {
    auto r = read_fixture("nfdump_no_flows.csv");
    REQUIRE(r.ok());
    CHECK(r.summary().format == FlowFormat::nfdump_csv);
    CHECK(r.records.empty());
    CHECK(r.summary().bad_lines == 0);
    CHECK(r.summary().skipped == 5);
}

TEST_CASE("nfdump CSV: columns by header name; exporter from exid without ra; protocol numbers") {
    std::string text =
        "sa,da,sp,dp,pr,ts,ibyt,exid\n"
        "10.0.0.1,10.0.0.2,40000,443,6,2024-06-01 10:00:00.250,99,7\n"
        "10.0.0.2,10.0.0.1,443,40000,UDP,2024-06-01 10:00:01,5,7\n";
    auto r = read_text(text);
    REQUIRE(r.ok());
    CHECK(r.summary().format == FlowFormat::nfdump_csv);
    REQUIRE(r.records.size() == 2);
    CHECK(r.records[0].protocol == kTcp);
    CHECK(r.records[0].first_ms == kT0 * 1000 + 250);
    CHECK(r.records[0].bytes == 99);
    CHECK(r.records[0].exporter == "exporter 7");
    CHECK(r.records[1].protocol == kUdp);
}

TEST_CASE("plain CSV: a header, ISO and fractional times, counts, protocol numbers") {
    auto r = read_fixture("plain_header.csv");
    REQUIRE(r.ok());
    CHECK(r.summary().format == FlowFormat::plain_csv);
    CHECK(r.summary().bad_lines == 0);
    CHECK(r.summary().skipped == 2);  // the comment and the header
    REQUIRE(r.records.size() == 5);
    // 10.1.1.2,10.2.2.3,tcp,104,50000,3,4500,1717236000.25,1717236060
    const auto& dicom = r.records[0];
    CHECK(dicom.src == ip("10.1.1.2"));
    CHECK(dicom.dst == ip("10.2.2.3"));
    CHECK(dicom.protocol == kTcp);
    CHECK(dicom.dst_port == 104);
    CHECK(dicom.src_port == 50000);
    CHECK(dicom.sessions == 3);
    CHECK(dicom.bytes == 4500);
    CHECK(dicom.first_ms == kT0 * 1000 + 250);
    CHECK(dicom.last_ms == (kT0 + 60) * 1000);
    CHECK(dicom.initiator_known);
    CHECK(dicom.line == 3);
    CHECK(r.records[1].protocol == kUdp);
    CHECK(r.records[1].first_ms == (kT0 + 1) * 1000);
    CHECK(r.records[1].last_ms == (kT0 + 1) * 1000 + 500);
    CHECK(r.records[2].protocol == kIcmp);
    CHECK(r.records[2].dst_port == 0);
    CHECK(r.records[3].protocol == kTcp);  // "6"
    CHECK(r.records[3].first_ms == 0);     // no times given
    CHECK(r.records[4].protocol == kIcmpV6);
    CHECK(r.records[4].sessions == 1);
}

TEST_CASE("plain CSV: a header naming a subset of the optional columns") {
    auto r = read_fixture("plain_subset_header.csv");
    REQUIRE(r.ok());
    REQUIRE(r.records.size() == 1);
    CHECK(r.records[0].bytes == 4500);
    CHECK(r.records[0].src_port == 0);
    CHECK(r.records[0].last_ms == (kT0 + 60) * 1000);
    CHECK(r.records[0].first_ms == 0);
}

TEST_CASE("plain CSV: no header, trailing columns left out, quoted and padded fields") {
    auto r = read_fixture("plain_no_header.csv");
    REQUIRE(r.ok());
    CHECK(r.summary().format == FlowFormat::plain_csv);
    CHECK(r.summary().bad_lines == 0);
    REQUIRE(r.records.size() == 3);
    CHECK(r.records[0].dst_port == 104);
    CHECK(r.records[0].sessions == 1);
    CHECK(r.records[1].src_port == 40000);
    CHECK(r.records[2].src == ip("10.1.1.5"));
    CHECK(r.records[2].dst == ip("10.2.2.3"));
    CHECK(r.records[2].dst_port == 443);
    CHECK(r.records[2].sessions == 7);
    CHECK(r.records[2].bytes == 9000);
    CHECK(r.records[2].last_ms == (kT0 + 100) * 1000);
}

TEST_CASE("plain CSV: a header out of order is a bad line") {
    auto r = read_text("src,dst,proto,sport,dport\n10.0.0.1,10.0.0.2,tcp,80\n");
    REQUIRE(r.ok());
    CHECK(r.summary().bad_lines == 1);
    CHECK(r.records.size() == 1);  // positional columns stay in force
}
