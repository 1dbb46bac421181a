// `microseg report` end to end: the HTML's structure (every class in the matrix, every lateral
// path listed, no external URL), escaping of hostile text, the audit section from a real
// `microseg diff --format json` of a drifted config, and the errors (exit codes, no file left).
#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <regex>

#include "compiler/compiler.hpp"
#include "emitters/emitter.hpp"
#include "model/file_io.hpp"
#include "report/html_writer.hpp"
#include "report/report.hpp"
#include "report/sections.hpp"
#include "tests/support/run_command.hpp"
#include "tests/support/temp_dir.hpp"

using namespace microseg;
using microseg::report::escape_html;
using microseg::testing::run_microseg;
namespace fs = std::filesystem;

namespace {

const std::string kHospital = std::string(MICROSEG_SOURCE_DIR) + "/examples/hospital/policy.yaml";

Policy compiled(const std::string& file) {
    auto r = compile_policy_file(file);
    REQUIRE(r.ok());
    return std::move(*r.policy);
}

std::string read(const std::string& path) {
    auto text = read_text_file(path);
    REQUIRE_MESSAGE(text, path);
    return *text;
}

// The markup between `start` and the next `end` after it.
std::string between(const std::string& html, const std::string& start, const std::string& end) {
    auto a = html.find(start);
    REQUIRE_MESSAGE(a != std::string::npos, start);
    auto b = html.find(end, a);
    REQUIRE(b != std::string::npos);
    return html.substr(a, b - a);
}

std::size_t count(const std::string& text, const std::string& needle) {
    std::size_t n = 0;
    for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
    return n;
}

// Nothing in the file makes a browser fetch anything or run anything.
void check_self_contained(const std::string& html) {
    CHECK_FALSE(std::regex_search(html, std::regex("https?://", std::regex::icase)));
    for (const char* active : {"<script", "<link", "<img", "<iframe", "<object", "url(", "@import", "javascript:"})
        CHECK_MESSAGE(html.find(active) == std::string::npos, active);
}

}  // namespace

TEST_CASE("report of the hospital: every class in the matrix, every path listed, self-contained") {
    test::TempDir dir("report");
    auto r = run_microseg({"report", "--at", microseg::testing::kPolicyDay, kHospital, "--max-paths", "3", "-o", dir / "report.html"});
    REQUIRE_MESSAGE(r.exit_code == 0, r.out, r.err);
    CHECK(r.out.find("wrote " + dir / "report.html") != std::string::npos);
    std::string html = read(dir / "report.html");
    check_self_contained(html);
    CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
    CHECK(html.find("@media print") != std::string::npos);

    Policy policy = compiled(kHospital);
    CHECK(html.find(policy.version_hash()) != std::string::npos);
    std::string matrix = between(html, "id=\"flow-matrix\"", "</table>");
    for (const auto& c : policy.classes()) {
        CHECK_MESSAGE(count(matrix, "scope=\"row\" data-class=\"" + c.name + "\"") == 1, c.name);
        CHECK_MESSAGE(count(matrix, "scope=\"col\" data-class=\"" + c.name + "\"") == 1, c.name);
    }
    CHECK(count(matrix, "<td ") == policy.classes().size() * policy.classes().size());
    CHECK(count(matrix, "class=\"l2\"") + count(matrix, "class=\"allow l2\"") > 0);  // the shared VLAN 210
    CHECK(count(matrix, "class=\"allow\"") > 0);
    CHECK(matrix.find("marker-protected") != std::string::npos);

    auto graph = ReachabilityGraph::build(policy);
    auto lateral = analyse_lateral_movement(graph, {{}, {}, 3});
    std::size_t paths = 0;
    for (const auto& f : lateral.findings)
        for (const auto& p : f.paths) {
            ++paths;
            CHECK_MESSAGE(html.find("data-path=\"" + escape_html(report::path_text(graph, p)) + "\"") != std::string::npos,
                          report::path_text(graph, p));
        }
    REQUIRE(paths > 0);
    CHECK(count(html, "<table class=\"path\"") == paths);
    std::string radius = between(html, "id=\"blast-radius\"", "</section>");
    for (std::size_t e : graph.entry_classes())
        CHECK(radius.find("data-entry=\"" + policy.classes()[e].name + "\"") != std::string::npos);
    std::string figure = between(html, "<figure class=\"graph\">", "</figure>");
    CHECK(figure.rfind("<figure class=\"graph\"><svg", 0) == 0);
    CHECK(figure.find("viewBox=") != std::string::npos);
    for (const auto& c : policy.classes())  // Graphviz writes '-' as &#45;
        CHECK(figure.find("<title>" + std::regex_replace(c.name, std::regex("-"), "&#45;") + "</title>") !=
              std::string::npos);
    CHECK(between(html, "id=\"lint\"", "</section>").find("clear-text") != std::string::npos);
    CHECK(html.find("id=\"audit\"") == std::string::npos);
}

TEST_CASE("report escapes user text: flow reasons through the CLI, class names through the library") {
    test::TempDir dir("report");
    const std::string policy_text = R"(version: 1
name: hostile
classes:
  kiosk: {vlan: 10, subnets: [10.0.10.0/24], devices: 2, entry: true}
  pump: {vlan: 20, subnets: [10.0.20.0/24], devices: 5, criticality: life}
flows:
  - from: kiosk
    to: pump
    services: [https]
    reason: "<script>alert(1)</script> & <img src=x onerror=alert(2)>"
)";
    REQUIRE(write_file_atomically(dir / "p.yaml", policy_text));
    auto r = run_microseg({"report", "--at", microseg::testing::kPolicyDay, dir / "p.yaml", "-o", dir / "r.html"});
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    std::string html = read(dir / "r.html");
    check_self_contained(html);
    CHECK(html.find("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(2)&gt;") !=
          std::string::npos);

    // An audit file is text from elsewhere too.
    REQUIRE(write_file_atomically(dir / "audit.json", R"({"policy": "hostile", "version": "<i>v</i>",
      "switches": [{"name": "<script>sw</script>", "status": "drifted", "findings": [{"kind": "k",
      "impact": "exposure", "subject": "<svg onload=alert(4)>", "message": "</td><script>x</script>", "line": 1}]}]})"));
    auto audited = run_microseg({"report", "--at", microseg::testing::kPolicyDay, dir / "p.yaml", "--audit", dir / "audit.json", "-o", dir / "a.html"});
    REQUIRE_MESSAGE(audited.exit_code == 0, audited.err);
    std::string with_audit = read(dir / "a.html");
    check_self_contained(with_audit);
    CHECK(with_audit.find("data-switch=\"&lt;script&gt;sw&lt;/script&gt;\"") != std::string::npos);
    CHECK(with_audit.find("&lt;svg onload=alert(4)&gt;") != std::string::npos);
    CHECK(with_audit.find("<svg onload") == std::string::npos);
    CHECK(with_audit.find("Re-run the audit") != std::string::npos);  // version differs

    // Names cannot hold markup in a policy file, but the report must not rely on that.
    auto compiled_text = compile_policy_text(policy_text, "p.yaml");
    REQUIRE(compiled_text.ok());
    PolicyParts parts = std::move(*compiled_text.policy).release();
    const std::string hostile = "<script>alert(3)</script>\"'";
    parts.classes[1].name = hostile;
    for (auto& f : parts.flows) f.to = hostile;
    parts.name = "<b>bold</b>";
    Policy p(std::move(parts));
    auto built = report::build_html_report(p, {}, nullptr);
    REQUIRE_MESSAGE(built, built.error().message);
    check_self_contained(*built);
    CHECK(built->find("<b>bold") == std::string::npos);
    std::string escaped = escape_html(hostile);
    CHECK(count(*built, "data-class=\"" + escaped + "\"") == 2);
    CHECK(built->find("data-path=\"kiosk → " + escaped + "\"") != std::string::npos);
}

TEST_CASE("report --audit shows the drift of a real microseg diff of a drifted config") {
    test::TempDir dir("report");
    Policy policy = compiled(kHospital);
    const Switch* sw = nullptr;
    for (const auto& s : policy.switches())
        if (s.platform == PlatformId::cisco_ios) sw = sw ? sw : &s;
    REQUIRE(sw);
    auto config = emitter_for(sw->platform).emit(policy, *sw);
    REQUIRE(config);
    std::string text = config->text;
    std::smatch m;
    REQUIRE(std::regex_search(text, m, std::regex("ip access-list extended MS_IN_\\S+\n")));
    text.insert(static_cast<std::size_t>(m.position(0) + m.length(0)), " permit tcp any any eq 3389\n");
    std::string saved = dir / (sw->name + ".ios");
    REQUIRE(write_file_atomically(saved, text));
    auto diff = run_microseg({"diff", "--at", microseg::testing::kPolicyDay, kHospital, "--switch", sw->name, saved, "--format", "json"},
                             {"MICROSEG_REDACT_KEY=report-test-key"});
    REQUIRE_MESSAGE(diff.exit_code == 1, diff.out, diff.err);
    REQUIRE(write_file_atomically(dir / "audit.json", diff.out));

    auto r = run_microseg({"report", "--at", microseg::testing::kPolicyDay, kHospital, "--audit", dir / "audit.json", "-o", dir / "r.html"});
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    std::string html = read(dir / "r.html");
    check_self_contained(html);
    std::string audit = between(html, "<section id=\"audit\"", "</section>");
    CHECK(audit.find("data-switch=\"" + sw->name + "\"") != std::string::npos);
    CHECK(audit.find("class=\"badge drifted\"") != std::string::npos);
    CHECK(audit.find("class=\"impact-exposure\"") != std::string::npos);
    auto parsed = report::parse_audit_json(diff.out, "audit.json");
    REQUIRE(parsed);
    REQUIRE_FALSE(parsed->switches.at(0).findings.empty());
    for (const auto& f : parsed->switches.at(0).findings)
        CHECK_MESSAGE(audit.find(escape_html(f.message)) != std::string::npos, f.message);
    CHECK(html.find("href=\"#audit\"") != std::string::npos);
    CHECK(audit.find("Re-run the audit") == std::string::npos);  // same policy version
}

TEST_CASE("report errors: bad audit JSON and unreadable input exit 2, policy errors 1, no file left") {
    test::TempDir dir("report");
    const std::string out = dir / "r.html";
    REQUIRE(write_file_atomically(dir / "bad.json", "{\"policy\": \"p\",\n \"switches\": [\n"));
    auto bad = run_microseg({"report", "--at", microseg::testing::kPolicyDay, kHospital, "--audit", dir / "bad.json", "-o", out});
    CHECK(bad.exit_code == 2);
    CHECK(bad.err.find(dir / "bad.json") != std::string::npos);
    CHECK(bad.err.find("not valid JSON") != std::string::npos);
    REQUIRE(write_file_atomically(dir / "other.json", "{\"exit_code\": 0}"));
    auto other = run_microseg({"report", "--at", microseg::testing::kPolicyDay, kHospital, "--audit", dir / "other.json", "-o", out});
    CHECK(other.exit_code == 2);
    CHECK(other.err.find("not a microseg audit result") != std::string::npos);
    CHECK(run_microseg({"report", "--at", microseg::testing::kPolicyDay, kHospital, "--audit", dir / "missing.json", "-o", out}).exit_code == 2);
    CHECK(run_microseg({"report", "--at", microseg::testing::kPolicyDay, dir / "missing.yaml", "-o", out}).exit_code == 2);
    CHECK(run_microseg({"report", "--at", microseg::testing::kPolicyDay, kHospital}).exit_code == 2);  // -o is required
    auto broken = run_microseg({"report", "--at", microseg::testing::kPolicyDay, std::string(MICROSEG_SOURCE_DIR) + "/examples/broken/unknown-names.yaml",
                                "-o", out});
    CHECK(broken.exit_code == 1);
    CHECK(broken.err.find("unknown-names.yaml:") != std::string::npos);  // the located errors, no more
    CHECK_FALSE(fs::exists(out));
}

TEST_CASE("report without Graphviz: a clear error, exit 2, no file") {
    test::TempDir dir("report");
    auto r = run_microseg({"report", "--at", microseg::testing::kPolicyDay, kHospital, "-o", dir / "r.html"}, {"PATH=/nonexistent"});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("Graphviz 'dot'") != std::string::npos);
    CHECK(r.err.find("install graphviz") != std::string::npos);
    CHECK_FALSE(fs::exists(dir / "r.html"));
}
