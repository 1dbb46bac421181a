// The flow-file driver: format detection, the error for a file of no known format, bad lines
// (warned at their file:line, counted, never aborting), CRLF, hostile bytes, lines across and
// beyond the 1 MiB blocks, standard input.
#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <unistd.h>

#include <fmt/format.h>

#include "traffic/flow_test_fixture.hpp"

using namespace microseg;
using namespace microseg::traffic;
using namespace microseg::traffic::test;

namespace {

std::string temp_file(const std::string& name, std::string_view content) {
    auto path = std::filesystem::temp_directory_path() / fmt::format("microseg-flows-{}-{}", ::getpid(), name);
    std::ofstream(path, std::ios::binary) << content;
    return path.string();
}

constexpr std::string_view kTried = "not a flow file: tried Zeek conn.log (TSV), Zeek conn.log (JSON), nfdump CSV, plain CSV";

}  // namespace

TEST_CASE("detection: each format from its first lines") {
    CHECK(read_text("#separator \\x09\n").summary().format == FlowFormat::zeek_tsv);
    CHECK(read_text("#fields\tts\n").summary().format == FlowFormat::zeek_tsv);
    CHECK(read_text("{\"id.orig_h\":\"10.0.0.1\"}\n").summary().format == FlowFormat::zeek_json);
    CHECK(read_text("ts,te,td,sa,da,sp,dp,pr\n").summary().format == FlowFormat::nfdump_csv);
    CHECK(read_text("pr,sa,sp,da,dp\n").summary().format == FlowFormat::nfdump_csv);
    CHECK(read_text("src,dst,proto,dport\n").summary().format == FlowFormat::plain_csv);
    CHECK(read_text("\n\n# a comment\n10.0.0.1,10.0.0.2,tcp,80\n").summary().format == FlowFormat::plain_csv);
    CHECK(read_text("2001:db8::1,2001:db8::2,udp,53\n").summary().format == FlowFormat::plain_csv);
    // A byte order mark, as spreadsheet exports write, is not part of the header.
    auto bom = read_text("\xEF\xBB\xBFsrc,dst,proto,dport\n10.0.0.1,10.0.0.2,tcp,80\n");
    REQUIRE(bom.ok());
    CHECK(bom.records.size() == 1);
    CHECK(bom.summary().bad_lines == 0);
}

TEST_CASE("detection: a file of no known format is an error naming the formats tried") {
    for (std::string_view text : {"hello world\n", "{\"ts\":1}\n", "{not json\n", "10.0.0.1;10.0.0.2;tcp;80\n",
                                  "\x7f" "ELF\x02\x01\x01\0\0\0", "ts,te\n1,2\n"}) {
        CAPTURE(text);
        auto r = read_text(text, "capture.bin");
        REQUIRE_FALSE(r.ok());
        const auto& e = r.result->error();
        CHECK(e.message == kTried);
        CHECK(e.kind == "unknown-flow-format");
        CHECK(e.location.file == "capture.bin");
        CHECK(e.location.line == 1);
        CHECK(r.records.empty());
    }
}

TEST_CASE("detection: an empty input is no error, and no record") {
    for (std::string_view text : {"", "\n\n", "\r\n  \n", "# nothing observed yet\n"}) {
        auto r = read_text(text);
        REQUIRE(r.ok());
        CHECK(r.summary().records == 0);
        CHECK(r.summary().bad_lines == 0);
    }
}

TEST_CASE("bad lines: warned at file:line with the reason, counted, the good lines still read") {
    std::string text =
        "src,dst,proto,dport,sport,count,bytes,first,last\n"  // 1
        "10.0.0.1,10.0.0.2,tcp,80\n"                            // 2
        "10.0.0.300,10.0.0.2,tcp,80\n"                          // 3: bad address
        "10.0.0.1,10.0.0.2,tcp,80\n"                            // 4
        "10.0.0.1,10.0.0.2,tcp,70000\n"                         // 5: bad port
        "10.0.0.1,10.0.0.2\n"                                   // 6: too few fields
        "10.0.0.1,10.0.0.2,tcp,80,1,2,3,4,5,6\n"                // 7: too many
        "10.0.0.1,10.0.0.2,bogus,80\n"                          // 8: bad protocol
        "10.0.0.1,10.0.0.2,tcp,80,1,x\n"                        // 9: bad count
        "10.0.0.1,10.0.0.2,tcp,80,1,1,1,yesterday\n"            // 10: bad time
        "10.0.0.1,10.0.0.2,udp,53\n";                           // 11
    auto r = read_text(text, "lab.csv");
    REQUIRE(r.ok());
    REQUIRE(r.records.size() == 3);
    CHECK(r.records[0].line == 2);
    CHECK(r.records[1].line == 4);
    CHECK(r.records[2].line == 11);
    CHECK(r.summary().bad_lines == 7);
    const auto& w = r.summary().warnings;
    REQUIRE(w.size() == 7);
    std::vector<int> lines;
    for (const auto& d : w) {
        CHECK(d.severity == Severity::warning);
        CHECK(d.kind == "bad-flow-line");
        CHECK(d.location.file == "lab.csv");
        lines.push_back(d.location.line);
    }
    CHECK(lines == std::vector<int>{3, 5, 6, 7, 8, 9, 10});
    CHECK(w[0].message == "bad address (src) '10.0.0.300'");
    CHECK(w[1].message == "bad port (dport) '70000'");
    CHECK(w[2].message.find("2 fields") != std::string::npos);
    CHECK(format_diagnostic(w[0]).starts_with("lab.csv:3:1: warning: bad address"));
}

TEST_CASE("bad lines: Zeek TSV field count, a record before #fields, bad values") {
    std::string text =
        "#separator \\x09\n"                                                     // 1
        "1717236000\tC1\t10.0.0.1\t1\t10.0.0.2\t80\ttcp\n"                       // 2: before #fields
        "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\n"  // 3
        "1717236000\tC1\t10.0.0.1\t1\t10.0.0.2\t80\n"                            // 4: 6 fields
        "1717236000\tC1\t10.0.0.1\t1\t10.0.0.2\t80\ttcp\n"                       // 5
        "1717236000\tC1\tfe80::zz\t1\t10.0.0.2\t80\ttcp\n"                       // 6: address
        "1717236000\tC1\t10.0.0.1\t-1\t10.0.0.2\t80\ttcp\n"                      // 7: port
        "17172x6000\tC1\t10.0.0.1\t1\t10.0.0.2\t80\ttcp\n"                       // 8: ts
        "1717236000\tC1\t10.0.0.1\t1\t10.0.0.2\t80\tunknown_transport\n";        // 9: skipped
    auto r = read_text(text, "conn.log");
    REQUIRE(r.ok());
    REQUIRE(r.records.size() == 1);
    CHECK(r.records[0].line == 5);
    std::vector<int> lines;
    for (const auto& d : r.summary().warnings) lines.push_back(d.location.line);
    CHECK(lines == std::vector<int>{2, 4, 6, 7, 8});
    CHECK(r.summary().warnings[1].message == "6 fields where the #fields header names 7");
    CHECK(r.summary().skipped == 3);
}

TEST_CASE("bad lines: Zeek JSON lines that are no object, or no conn.log record") {
    std::string text =
        "{\"ts\":1717236000,\"id.orig_h\":\"10.0.0.1\",\"id.orig_p\":1,\"id.resp_h\":\"10.0.0.2\",\"id.resp_p\":80,\"proto\":\"tcp\"}\n"
        "{\"ts\":1717236000,\"id.orig_h\":\"10.0.0.1\"\n"
        "[1,2]\n"
        "{\"ts\":1717236000,\"id.orig_h\":\"10.0.0.1\",\"id.orig_p\":\"1\",\"id.resp_h\":\"10.0.0.2\",\"id.resp_p\":80,\"proto\":\"tcp\"}\n"
        "{\"ts\":\"soon\",\"id.orig_h\":\"10.0.0.1\",\"id.orig_p\":1,\"id.resp_h\":\"10.0.0.2\",\"id.resp_p\":80,\"proto\":\"tcp\"}\n";
    auto r = read_text(text, "conn.json");
    REQUIRE(r.ok());
    CHECK(r.records.size() == 1);
    CHECK(r.summary().bad_lines == 4);
    std::vector<int> lines;
    for (const auto& d : r.summary().warnings) lines.push_back(d.location.line);
    CHECK(lines == std::vector<int>{2, 3, 4, 5});
}

TEST_CASE("bad lines: nfdump records with bad fields, between good ones") {
    std::string text =
        "ts,te,td,sa,da,sp,dp,pr,ibyt\n"
        "2024-06-01 10:00:00,2024-06-01 10:00:01,1.000,10.0.0.1,10.0.0.2,1000,80,TCP,10\n"
        "2024-06-01 10:00:00,2024-06-01 10:00:01,1.000,10.0.0.1,10.0.0.2,1000,80,XTP9,10\n"
        "2024-06-01 10:00:00,2024-06-01 10:00:01,1.000,10.0.0.1,10.0.0.2,1000,80,TCP,1.2 M\n"
        "2024-13-01 10:00:00,2024-06-01 10:00:01,1.000,10.0.0.1,10.0.0.2,1000,80,TCP,10\n"
        "2024-06-01 10:00:00,2024-06-01 10:00:01,1.000,10.0.0.1,10.0.0.2,1000,80\n"
        "2024-06-01 10:00:02,2024-06-01 10:00:03,1.000,10.0.0.2,10.0.0.1,80,1000,TCP,20\n";
    auto r = read_text(text, "nf.csv");
    REQUIRE(r.ok());
    REQUIRE(r.records.size() == 2);
    CHECK(r.records[1].line == 7);
    std::vector<int> lines;
    for (const auto& d : r.summary().warnings) lines.push_back(d.location.line);
    CHECK(lines == std::vector<int>{3, 4, 5, 6});
}

TEST_CASE("bad lines: at most kMaxWarnings kept, every one counted") {
    std::string text = "10.0.0.1,10.0.0.2,tcp,80\n";
    for (int i = 0; i < 50; ++i) text += "10.0.0.1,nowhere,tcp,80\n";
    text += "10.0.0.1,10.0.0.2,tcp,81\n";
    auto r = read_text(text);
    REQUIRE(r.ok());
    CHECK(r.records.size() == 2);
    CHECK(r.summary().bad_lines == 50);
    CHECK(r.summary().warnings.size() == kMaxWarnings);
    CHECK(r.summary().warnings.back().location.line == 21);
}

TEST_CASE("CRLF line ends read as LF ones, in every format") {
    for (const char* name : {"zeek_conn.log", "zeek_conn.json", "nfdump_real.csv", "plain_header.csv"}) {
        CAPTURE(name);
        auto lf = read_fixture(name);
        std::ifstream in(kFixtures + name, std::ios::binary);
        std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        std::string crlf;
        for (char c : text) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
        auto r = read_text(crlf);
        REQUIRE(r.ok());
        CHECK(r.summary().bad_lines == 0);
        REQUIRE(r.records.size() == lf.records.size());
        for (std::size_t i = 0; i < r.records.size(); ++i) {
            CHECK(r.records[i].src == lf.records[i].src);
            CHECK(r.records[i].bytes == lf.records[i].bytes);
            CHECK(r.records[i].last_ms == lf.records[i].last_ms);
            CHECK(r.records[i].exporter == lf.records[i].exporter);
        }
    }
}

TEST_CASE("hostile bytes: NUL, control bytes and garbage never crash and are bad lines") {
    std::string text = "10.0.0.1,10.0.0.2,tcp,80\n";
    text += std::string("10.0.0.1\0,10.0.0.2,tcp,80\n", 26);
    text += std::string("::1\0zz,10.0.0.2,tcp,80\n", 23);
    text += "10.0.0.1,10.0.0.2,tcp,80\x1b[2K\n";
    auto r = read_text(text);
    REQUIRE(r.ok());
    CHECK(r.records.size() == 1);
    CHECK(r.summary().bad_lines == 3);
    // The reason quotes the field with its control bytes escaped.
    CHECK(r.summary().warnings[2].message.find("\\x1b") != std::string::npos);

    std::mt19937 rng(22);
    for (int round = 0; round < 300; ++round) {
        static const std::string_view kPrefixes[] = {"", "#separator \\x09\n#fields\tts\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\n",
                                                     "ts,te,td,sa,da,sp,dp,pr,ibyt\n", "src,dst,proto,dport\n",
                                                     "{\"id.orig_h\":\"1.2.3.4\"}\n"};
        std::string input(kPrefixes[round % 5]);
        std::size_t n = rng() % 2000;
        for (std::size_t i = 0; i < n; ++i) {
            unsigned v = rng() % 20;
            input += v < 2 ? '\n' : v < 4 ? '\t' : v < 6 ? ',' : v < 12 ? static_cast<char>('0' + rng() % 10) : static_cast<char>(rng());
        }
        auto g = read_text(input);
        if (g.ok()) CHECK(g.summary().records + g.summary().bad_lines + g.summary().skipped <= 3 + n);
    }
}

TEST_CASE("blocks: lines across 1 MiB block boundaries, and a line longer than a block") {
    std::string text;
    const int kLines = 60'000;  // ~1.7 MB: the file is read in two blocks
    for (int i = 0; i < kLines; ++i) text += fmt::format("10.0.{}.{},10.1.0.1,tcp,{}\n", i / 256 % 256, i % 256, i % 60000 + 1);
    text += std::string(3u << 20, 'x') + "\n";  // line kLines + 1: 3 MiB
    text += "10.9.9.9,10.1.0.1,udp,53";         // no final newline
    auto path = temp_file("blocks.csv", text);
    auto r = read_file(path);
    std::filesystem::remove(path);
    REQUIRE(r.ok());
    REQUIRE(r.records.size() == kLines + 1);
    for (int i = 0; i < kLines; i += 997) {
        CHECK(r.records[static_cast<std::size_t>(i)].line == i + 1);
        CHECK(r.records[static_cast<std::size_t>(i)].dst_port == i % 60000 + 1);
    }
    CHECK(r.records.back().line == kLines + 2);
    CHECK(r.records.back().protocol == kUdp);
    CHECK(r.summary().bad_lines == 1);
    REQUIRE(r.summary().warnings.size() == 1);
    CHECK(r.summary().warnings[0].location.line == kLines + 1);
    CHECK(r.summary().warnings[0].message.find("longer than") != std::string::npos);
}

TEST_CASE("files: a missing file is an io error; \"-\" is standard input, named <stdin>") {
    auto missing = read_file("/nonexistent/flows.csv");
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.result->error().kind == "io");
    CHECK(missing.result->error().location.file == "/nonexistent/flows.csv");
    auto directory = read_file(std::filesystem::temp_directory_path().string());
    REQUIRE_FALSE(directory.ok());
    CHECK(directory.result->error().kind == "io");

    auto path = temp_file("stdin.csv", "10.0.0.1,10.0.0.2,tcp,80\nbad\n");
    // A file is named by its path, whatever it is called.
    auto named = read_file(path);
    REQUIRE(named.ok());
    REQUIRE(named.summary().warnings.size() == 1);
    CHECK(named.summary().warnings[0].location.file == path);

    REQUIRE(std::freopen(path.c_str(), "rb", stdin));
    auto r = read_file("-");
    std::filesystem::remove(path);
    REQUIRE(r.ok());
    CHECK(r.records.size() == 1);
    REQUIRE(r.summary().warnings.size() == 1);
    CHECK(r.summary().warnings[0].location.file == "<stdin>");
    CHECK(r.summary().warnings[0].location.line == 2);
}
