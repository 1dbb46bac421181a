// Issue 22, the real pipeline: sessions between the classes of a verify lab (no filter in the
// way) are observed by softflowd on the router's bridges, exported as NetFlow v9 to nfcapd on
// the router's loopback and read back with `nfdump -o csv`; the same sessions are written as a
// Zeek conn.log (TSV and JSON). `learn` must propose exactly the class pairs and services that
// were made, from each of the three files; `simulate` must pass a policy that has every flow
// made and name exactly the one flow a copy lacks.
// Needs root and network namespaces, softflowd and nfdump (test suite "dataplane"); fails
// instead of skipping when CI=true.
#include <doctest/doctest.h>

#include <algorithm>
#include <climits>
#include <cstdio>
#include <ctime>
#include <cstdlib>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "compiler/compiler.hpp"
#include "tests/dataplane_ready.hpp"
#include "tests/support/run_command.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/traffic_lab.hpp"
#include "verify/process.hpp"

using namespace microseg;
using namespace microseg::testing;
using json = nlohmann::json;

namespace {

const std::string kPolicy = std::string(MICROSEG_SOURCE_DIR) + "/tests/fixtures/traffic/pipeline_policy.yaml";

bool pipeline_ready() {
    if (!dataplane_ready()) return false;
    for (const char* tool : {"softflowd", "softflowctl", "nfcapd", "nfdump"}) {
        if (!verify::find_program(tool).empty()) continue;
        std::string why = fmt::format("`{}` is not installed (scripts/install-deps.sh: softflowd nfdump)", tool);
        const char* ci = std::getenv("CI");
        if (ci && std::string(ci) == "true") FAIL("the traffic pipeline test must run in CI: " << why);
        MESSAGE("skipping the traffic pipeline test: " << why);
        return false;
    }
    return true;
}

// A session to make: from host `from_index` of one class to host `to_index` of another, and the
// service `learn` must name it (the catalogue's, or "tcp-N" for a port no service covers).
struct Planned {
    const char* from;
    int from_index;
    const char* to;
    int to_index;
    bool tcp;
    std::uint16_t port;
    const char* service;
};

const std::vector<Planned> kPlanned = {
    {"modality", 0, "pacs", 0, true, 104, "dicom"},
    {"modality", 1, "pacs", 0, true, 104, "dicom"},
    {"workstation", 0, "pacs", 1, true, 443, "https"},
    {"workstation", 1, "pacs", 1, true, 8080, "tcp-8080"},
    {"pacs", 0, "time-server", 0, false, 123, "ntp"},
    {"modality", 0, "time-server", 1, false, 123, "ntp"},
};

using Key = std::tuple<std::string, std::string, std::string>;  // from, to, service

std::set<Key> planned_keys() {
    std::set<Key> out;
    for (const auto& p : kPlanned) out.emplace(p.from, p.to, p.service);
    return out;
}

// What one run of the lab left: the sessions made and the three flow files written from them.
struct PipelineRun {
    microseg::test::TempDir dir{"pipeline"};
    std::vector<MadeSession> sessions;
    std::string nfdump_text;
    std::vector<NfdumpRow> nfdump_rows;
    std::string nfdump_csv, zeek_tsv, zeek_json;  // paths
};

Policy lab_policy() {
    auto r = compile_policy_file(kPolicy, {});
    for (const auto& d : r.diagnostics.items())
        if (d.severity == Severity::error) MESSAGE(format_diagnostic(d));
    REQUIRE(r.ok());
    return std::move(*r.policy);
}

void make_sessions(const verify::LabPlan& plan, PipelineRun& run) {
    for (const auto& p : kPlanned) {
        const auto* from = plan.host(p.from, p.from_index);
        const auto* to = plan.host(p.to, p.to_index);
        REQUIRE(from);
        REQUIRE(to);
        auto s = make_session(*from, *to, p.tcp, p.port, p.tcp ? 30 : 20);
        REQUIRE_MESSAGE(s.ok(), (s.ok() ? "" : s.error().message));
        run.sessions.push_back(*s);
    }
}

// Builds the lab, makes the sessions under softflowd's eyes and writes the flow files; once per
// process (the test cases below share it; after a failed run they fail at once, not rebuild).
const PipelineRun& pipeline() {
    static std::unique_ptr<PipelineRun> done;
    static bool tried = false;
    if (done) return *done;
    if (tried) FAIL("the lab run failed in an earlier test case");
    tried = true;
    auto run = std::make_unique<PipelineRun>();
    auto policy = lab_policy();
    auto plan = verify::plan_lab(policy, verify::lab_classes(policy), verify::make_lab_prefix());
    REQUIRE_MESSAGE(plan.ok(), (plan.ok() ? "" : plan.error().message));
    verify::Lab lab(std::move(*plan));
    auto built = lab.build();
    REQUIRE_MESSAGE(built.ok(), (built.ok() ? "" : built.error().message));
    // A fresh namespace: nothing listens in it yet, so NetFlow's usual port is free.
    FlowCapture capture(lab.plan(), run->dir.path, 2055);
    auto started = capture.start();
    REQUIRE_MESSAGE(started.ok(), (started.ok() ? "" : started.error().message));
    make_sessions(lab.plan(), *run);
    auto finished = capture.finish();
    REQUIRE_MESSAGE(finished.ok(), (finished.ok() ? "" : finished.error().message));
    auto csv = capture.nfdump_csv();
    REQUIRE_MESSAGE(csv.ok(), (csv.ok() ? "" : csv.error().message));
    run->nfdump_text = *csv;
    auto rows = parse_nfdump_csv(*csv);
    REQUIRE_MESSAGE(rows.ok(), (rows.ok() ? "" : rows.error().message));
    run->nfdump_rows = *rows;
    run->nfdump_csv = run->dir.file("flows.csv", *csv);
    run->zeek_tsv = run->dir.file("conn.log", zeek_conn_tsv(run->sessions));
    run->zeek_json = run->dir.file("conn.json.log", zeek_conn_json(run->sessions));
    done = std::move(run);
    return *done;
}

json microseg_json(const std::vector<std::string>& args, int expected_exit) {
    auto r = run_microseg(args);
    INFO("microseg " << fmt::format("{}", fmt::join(args, " ")) << "\nstderr: " << r.err << "\nstdout: " << r.out);
    REQUIRE(r.exit_code == expected_exit);
    auto parsed = json::parse(r.out, nullptr, false);
    REQUIRE_MESSAGE(!parsed.is_discarded(), r.out);
    return parsed;
}

json learn(const std::string& flows) {
    return microseg_json({"learn", kPolicy, "--flows", flows, "--at", kPolicyDay, "--format", "json"}, 0);
}

json simulate(const std::string& policy, const std::string& flows, int expected_exit) {
    return microseg_json({"simulate", policy, "--flows", flows, "--at", kPolicyDay, "--format", "json"}, expected_exit);
}

std::set<Key> proposed_keys(const json& learned) {
    std::set<Key> out;
    for (const auto& f : learned.at("flows"))
        for (const auto& s : f.at("services")) out.emplace(f.at("from"), f.at("to"), s);
    return out;
}

const json* evidence_of(const json& learned, const Key& key) {
    for (const auto& f : learned.at("flows"))
        if (f.at("from") == std::get<0>(key) && f.at("to") == std::get<1>(key))
            for (const auto& e : f.at("evidence"))
                if (e.at("service") == std::get<2>(key)) return &e;
    return nullptr;
}

// The sessions of `key` as made: their count, bytes (the sockets' payload, and the IP bytes
// nfdump counted in both directions), time span and the distinct hosts that opened and answered.
struct Made {
    std::uint64_t sessions = 0, payload = 0, ip_bytes = 0;
    std::int64_t first_us = INT64_MAX, last_us = 0;
    std::set<IpAddress> initiators, responders;
};

std::uint64_t nfdump_bytes(const PipelineRun& run, const MadeSession& s) {
    auto from = [](const NfdumpRow& r, const IpAddress& a, std::uint16_t p) { return r.src == a && r.src_port == p; };
    auto to = [](const NfdumpRow& r, const IpAddress& a, std::uint16_t p) { return r.dst == a && r.dst_port == p; };
    std::uint64_t sum = 0;
    for (const auto& r : run.nfdump_rows)
        if ((from(r, s.initiator, s.initiator_port) && to(r, s.responder, s.responder_port)) ||
            (from(r, s.responder, s.responder_port) && to(r, s.initiator, s.initiator_port)))
            sum += r.bytes;
    return sum;
}

Made made_for(const PipelineRun& run, const Key& key) {
    Made m;
    for (std::size_t i = 0; i < kPlanned.size(); ++i) {
        if (Key{kPlanned[i].from, kPlanned[i].to, kPlanned[i].service} != key) continue;
        const auto& s = run.sessions[i];
        ++m.sessions;
        m.payload += s.orig_bytes + s.resp_bytes;
        m.ip_bytes += nfdump_bytes(run, s);
        m.first_us = std::min(m.first_us, s.start_us);
        m.last_us = std::max(m.last_us, s.end_us);
        m.initiators.insert(s.initiator);
        m.responders.insert(s.responder);
    }
    return m;
}

// Unix seconds of an ISO-8601 UTC time ("2026-12-06T00:25:58Z", fractions allowed); -1 if not one.
std::int64_t iso_seconds(const std::string& text) {
    std::tm tm{};
    int n = 0;
    if (std::sscanf(text.c_str(), "%d-%d-%dT%d:%d:%d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min,
                    &tm.tm_sec, &n) != 6 || text.back() != 'Z')
        return -1;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return ::timegm(&tm);
}

enum class Source : std::uint8_t { nfdump, zeek };

// The evidence of one (class pair, service): the sessions and hosts made, the bytes the source
// counted (Zeek: the payload it reports; nfdump: IP bytes, both directions), and first/last
// seen within the sessions' span (nfdump's times are whole seconds, shifted by up to a second or
// two between two softflowd exporters).
void check_evidence(const PipelineRun& run, const json& e, const Key& key, Source source) {
    Made m = made_for(run, key);
    CHECK(e.at("sessions") == m.sessions);
    CHECK(e.at("initiators") == m.initiators.size());
    CHECK(e.at("responders") == m.responders.size());
    CHECK(e.at("hosts_exact") == true);
    CHECK(e.at("bytes") == (source == Source::zeek ? m.payload : m.ip_bytes));
    std::int64_t slack = source == Source::zeek ? 1 : 5;
    auto first = iso_seconds(e.at("first").get<std::string>()), last = iso_seconds(e.at("last").get<std::string>());
    CHECK(first >= m.first_us / 1'000'000 - slack);
    CHECK(first <= last);
    CHECK(last <= m.last_us / 1'000'000 + slack);
    auto responder = IpAddress::parse(e.at("example").at("responder").get<std::string>());
    REQUIRE(responder);
    CHECK(m.responders.count(*responder) == 1);
    CHECK(e.at("example").at("protocol") == (std::get<2>(key) == "ntp" ? "udp" : "tcp"));
}

// learn's answer on one flow file: exactly the made pairs and services, each with the evidence
// of the sessions made; tcp/8080 a new service; no address outside the classes.
void check_learned(const PipelineRun& run, const json& learned, Source source) {
    CHECK(learned.at("bad_lines") == 0);
    CHECK(learned.at("records") == (source == Source::zeek ? 1 : 2) * kPlanned.size());
    CHECK(learned.at("sessions") == kPlanned.size());
    CHECK(proposed_keys(learned) == planned_keys());
    CHECK(learned.at("unowned").empty());
    REQUIRE(learned.at("new_services").size() == 1);
    CHECK(learned.at("new_services")[0].at("name") == "tcp-8080");
    CHECK(learned.at("new_services")[0].at("ports") == json::array({"tcp/8080"}));
    for (const auto& key : planned_keys()) {
        CAPTURE(std::get<0>(key) + " -> " + std::get<1>(key) + " " + std::get<2>(key));
        const json* e = evidence_of(learned, key);
        REQUIRE(e);
        check_evidence(run, *e, key, source);
    }
    // pacs holds patient data (phi: true in the fixture); dicom is clear text with a TLS twin.
    for (const auto& f : learned.at("flows")) {
        std::string flags = f.at("flags").dump();
        CAPTURE(flags);
        CHECK((flags.find("phi") != std::string::npos) == (f.at("to") == "pacs"));
        CHECK((flags.find("dicom-tls") != std::string::npos) == (f.at("from") == "modality" && f.at("to") == "pacs"));
    }
}

}  // namespace

TEST_CASE("traffic pipeline: softflowd -> nfcapd -> nfdump CSV holds both directions of every session made" *
          doctest::test_suite("dataplane")) {
    if (!pipeline_ready()) return;
    const auto& run = pipeline();
    const auto* rows = &run.nfdump_rows;
    using Tuple = std::tuple<IpAddress, std::uint16_t, IpAddress, std::uint16_t, std::string>;
    std::set<Tuple> seen, made;
    for (const auto& r : *rows) seen.emplace(r.src, r.src_port, r.dst, r.dst_port, r.protocol);
    for (const auto& s : run.sessions) {
        std::string proto = s.tcp ? "TCP" : "UDP";
        made.emplace(s.initiator, s.initiator_port, s.responder, s.responder_port, proto);
        made.emplace(s.responder, s.responder_port, s.initiator, s.initiator_port, proto);
    }
    MESSAGE(fmt::format("{} sessions made, {} nfdump rows", run.sessions.size(), rows->size()));
    CHECK(seen == made);
    for (const auto& r : *rows) CHECK(r.packets > 0);
}

TEST_CASE("traffic pipeline: learn proposes exactly the class pairs and services made, from nfdump and Zeek" *
          doctest::test_suite("dataplane")) {
    if (!pipeline_ready()) return;
    const auto& run = pipeline();
    SUBCASE("nfdump CSV") { check_learned(run, learn(run.nfdump_csv), Source::nfdump); }
    SUBCASE("Zeek conn.log, TSV") { check_learned(run, learn(run.zeek_tsv), Source::zeek); }
    SUBCASE("Zeek conn.log, JSON") { check_learned(run, learn(run.zeek_json), Source::zeek); }
    SUBCASE("the proposal pasted into the policy: check accepts it, simulate then denies nothing") {
        auto learned = learn(run.nfdump_csv);
        std::string pasted = run.dir.file("learned.yaml", microseg::test::read_file(kPolicy) + "\n" +
                                                             learned.at("yaml").get<std::string>());
        auto checked = run_microseg({"check", pasted, "--at", kPolicyDay});
        CHECK_MESSAGE(checked.exit_code == 0, checked.out << checked.err);
        auto simulated = simulate(pasted, run.zeek_tsv, 0);
        CHECK(simulated.at("denied").empty());
        CHECK(simulated.at("unused_flows").empty());
        CHECK(simulated.at("allowed_sessions") == kPlanned.size());
    }
}

namespace {

// The lab's policy with a flows: section appended: every flow made, one line each (the PACS web
// viewer on tcp/8080 named as a service of its own), less `drop` and plus `extra` lines.
std::string policy_with_flows(const std::string& drop, const std::string& extra = {}) {
    std::vector<std::string> flows = {
        "  - {from: modality, to: pacs, services: [dicom]}",
        "  - {from: workstation, to: pacs, services: [https, pacs-viewer]}",
        "  - {from: pacs, to: time-server, services: [ntp]}",
        "  - {from: modality, to: time-server, services: [ntp]}",
    };
    std::string text = microseg::test::read_file(kPolicy) + "\nservices:\n  pacs-viewer: [tcp/8080]\nflows:\n";
    for (const auto& f : flows)
        if (f != drop) text += f + "\n";
    if (!extra.empty()) text += extra + "\n";
    return text;
}

// The 1-based line of `needle` in `text` (0: absent).
int line_of(const std::string& text, const std::string& needle) {
    auto at = text.find(needle);
    return at == std::string::npos ? 0 : 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n'));
}

// simulate denies exactly one (class pair, service), with the sessions made of it (`made`: the
// same flow under the name learn gives it, when the policy names its port otherwise).
void check_denied_only(const PipelineRun& run, const json& simulated, const Key& key, const Key& made) {
    Made m = made_for(run, made);
    REQUIRE(simulated.at("denied").size() == 1);
    const auto& d = simulated.at("denied")[0];
    CHECK(d.at("from") == std::get<0>(key));
    CHECK(d.at("to") == std::get<1>(key));
    CHECK(d.at("service") == std::get<2>(key));
    CHECK(d.at("sessions") == m.sessions);
    auto responder = IpAddress::parse(d.at("example").at("responder").get<std::string>());
    REQUIRE(responder);
    CHECK(m.responders.count(*responder) == 1);
    CHECK(simulated.at("sessions") == kPlanned.size());
    CHECK(simulated.at("allowed_sessions") == kPlanned.size() - m.sessions);
    CHECK(simulated.at("unused_flows").empty());
}

}  // namespace

TEST_CASE("traffic pipeline: simulate passes a policy with every flow made and names the one a copy lacks" *
          doctest::test_suite("dataplane")) {
    if (!pipeline_ready()) return;
    const auto& run = pipeline();
    const std::string ntp_line = "  - {from: pacs, to: time-server, services: [ntp]}";
    SUBCASE("every flow made: nothing denied, nothing unused") {
        auto simulated = simulate(run.dir.file("all.yaml", policy_with_flows("")), run.nfdump_csv, 0);
        CHECK(simulated.at("denied").empty());
        CHECK(simulated.at("unused_flows").empty());
        CHECK(simulated.at("unowned").empty());
        CHECK(simulated.at("sessions") == kPlanned.size());
        CHECK(simulated.at("allowed_sessions") == kPlanned.size());
        CHECK(simulated.at("allowed_share").get<double>() == doctest::Approx(1.0));
    }
    SUBCASE("a flow nobody used is listed, at its line, and blocks nothing") {
        const std::string unused = "  - {from: workstation, to: time-server, services: [ntp]}";
        std::string text = policy_with_flows("", unused);
        auto simulated = simulate(run.dir.file("extra.yaml", text), run.nfdump_csv, 0);
        CHECK(simulated.at("denied").empty());
        REQUIRE(simulated.at("unused_flows").size() == 1);
        const auto& u = simulated.at("unused_flows")[0];
        CHECK(u.at("from") == "workstation");
        CHECK(u.at("to") == "time-server");
        CHECK(u.at("service") == "ntp");
        CHECK(u.at("location").get<std::string>().find(fmt::format("extra.yaml:{}:", line_of(text, unused))) !=
              std::string::npos);
    }
    SUBCASE("without pacs -> time-server ntp: exit 1, exactly that denied (nfdump, Zeek TSV, Zeek JSON)") {
        std::string policy = run.dir.file("no-ntp.yaml", policy_with_flows(ntp_line));
        for (const auto& flows : {run.nfdump_csv, run.zeek_tsv, run.zeek_json}) {
            CAPTURE(flows);
            const Key ntp{"pacs", "time-server", "ntp"};
            check_denied_only(run, simulate(policy, flows, 1), ntp, ntp);
        }
    }
    SUBCASE("without one service of a pair (the PACS viewer on tcp/8080): exactly that service denied") {
        std::string text = policy_with_flows("  - {from: workstation, to: pacs, services: [https, pacs-viewer]}",
                                             "  - {from: workstation, to: pacs, services: [https]}");
        check_denied_only(run, simulate(run.dir.file("no-viewer.yaml", text), run.nfdump_csv, 1),
                          {"workstation", "pacs", "pacs-viewer"}, {"workstation", "pacs", "tcp-8080"});
    }
}
