// Lateral-movement analysis over the real examples, and `microseg paths|review|graph` end to end.
#include <doctest/doctest.h>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include "compiler/compiler.hpp"
#include "model/file_io.hpp"
#include "model/graph_export.hpp"
#include "model/lateral_paths.hpp"
#include "model/policy_review.hpp"
#include "tests/support/run_command.hpp"

using namespace microseg;
using microseg::testing::run_microseg;
namespace fs = std::filesystem;

namespace {

const std::string kExamples = std::string(MICROSEG_SOURCE_DIR) + "/examples";
const std::string kHospital = kExamples + "/hospital/policy.yaml";

// As of a fixed day, before the examples' expires dates, so that paths never change with the calendar.
Policy compile(const std::string& path) {
    CompileOptions options;
    options.today = std::chrono::year_month_day{std::chrono::year{2026}, std::chrono::month{11}, std::chrono::day{1}};
    auto r = compile_policy_file(path, options);
    REQUIRE_MESSAGE(r.ok(), path);
    return std::move(*r.policy);
}

// Each reason of each hop is true of the policy: an explicit flow between exactly these two
// classes carrying the hop's services, the stateless reply of a flow the other way, or a VLAN
// both classes share and not both isolated.
void check_hop_justified(const Policy& p, const Hop& hop) {
    REQUIRE_FALSE(hop.reasons.empty());
    const DeviceClass& from = p.classes()[hop.from];
    const DeviceClass& to = p.classes()[hop.to];
    CHECK(hop.from != hop.to);
    for (const HopReason& why : hop.reasons) {
        if (why.kind == EdgeKind::explicit_flow) {
            const FlowRule& f = p.flows().at(why.flow);
            CHECK(f.from == from.name);
            CHECK(f.to == to.name);
            CHECK(f.location.known());
            for (const auto& s : f.services)
                CHECK(std::find(hop.services.begin(), hop.services.end(), s) != hop.services.end());
        } else if (why.kind == EdgeKind::stateless_reply) {
            // The reverse of a flow whose server class's gateway has no conntrack.
            const FlowRule& f = p.flows().at(why.flow);
            CHECK(f.from == to.name);
            CHECK(f.to == from.name);
            const Switch* gw = p.gateway_of(from.name);
            REQUIRE(gw != nullptr);
            CHECK_FALSE(gw->platform_info().conntrack);
        } else if (why.kind == EdgeKind::dhcp) {
            // Every filter lets a class renew its lease with a DHCP server in another VLAN.
            CHECK(to.dhcp_server);
            CHECK(from.vlan != to.vlan);
            CHECK(std::find(hop.services.begin(), hop.services.end(), "dhcp") != hop.services.end());
        } else {
            REQUIRE(why.kind == EdgeKind::shared_vlan);
            CHECK(from.vlan == why.vlan);
            CHECK(to.vlan == why.vlan);
            CHECK_FALSE((from.isolate && to.isolate));
            CHECK(hop.any_service);
        }
    }
}

const char* kPolicies[] = {"/clinic/policy.yaml", "/hospital/policy.yaml", "/health-system/policy.yaml"};

}  // namespace

TEST_CASE("every reported hop over the examples is justified by a flow or an implicit edge") {
    for (const char* rel : kPolicies) {
        CAPTURE(rel);
        Policy p = compile(kExamples + rel);
        auto graph = ReachabilityGraph::build(p);
        LateralReport report = analyse_lateral_movement(graph, {{}, {}, 5});
        CHECK_FALSE(report.findings.empty());
        for (const auto& f : report.findings) {
            REQUIRE_FALSE(f.paths.empty());
            for (std::size_t i = 0; i < f.paths.size(); ++i) {
                const ClassPath& path = f.paths[i];
                CHECK(path.front() == f.from);
                CHECK(path.back() == f.to);
                if (i > 0) CHECK(path.size() >= f.paths[i - 1].size());  // shortest first
                for (const Hop& hop : hops_of(graph, path)) check_hop_justified(p, hop);
            }
            // Removing the cut flows really cuts every path of the pair.
            if (f.cut.cuttable) {
                PolicyParts cut = p.parts();
                for (auto it = f.cut.flows.rbegin(); it != f.cut.flows.rend(); ++it)
                    cut.flows.erase(cut.flows.begin() + static_cast<std::ptrdiff_t>(*it));
                Policy cut_policy(std::move(cut));
                auto cut_graph = ReachabilityGraph::build(cut_policy);
                CHECK(shortest_path(cut_graph, f.from, f.to).empty());
            }
        }
        CHECK(review_policies(graph, ReachabilityGraph::build(compile(kExamples + rel))).empty());
    }
}

TEST_CASE("the hospital: infra-server's stateless dns/ntp replies open clinical-workstation -> patient-monitor") {
    // Issue 19: the core (EOS) answers for infra-server statelessly, so the dns and ntp flows of
    // central-station and nurse-call to infra-server let infra-server reach their high UDP
    // ports. Entry classes that reach infra-server (clinical-workstation, vendor-vpn) reach them
    // and, through central-station, the patient monitors: 6 pairs that only these edges open.
    // Every internal class reaches infra-server on dhcp (it is the dhcp_server), guest-wifi
    // included: 9 more pairs from guest-wifi.
    Policy p = compile(kHospital);
    auto graph = ReachabilityGraph::build(p);
    auto id = [&](const char* name) { return *p.class_index(name); };
    Hop reply = graph.hop(id("infra-server"), id("central-station"));
    CHECK(reply.services == std::vector<std::string>{"dns reply", "ntp reply"});
    REQUIRE(reply.reasons.size() == 1);
    CHECK(reply.reasons[0].kind == EdgeKind::stateless_reply);
    CHECK(p.flows()[reply.reasons[0].flow].from == "central-station");
    CHECK(shortest_path(graph, id("clinical-workstation"), id("patient-monitor")) ==
          ClassPath{id("clinical-workstation"), id("infra-server"), id("central-station"), id("patient-monitor")});
    // Behind nftables (conntrack) the same policy opens none of them.
    PolicyParts parts = p.parts();
    for (auto& sw : parts.switches) sw.platform = PlatformId::nftables;
    Policy stateful(std::move(parts));
    auto stateful_graph = ReachabilityGraph::build(stateful);
    CHECK(graph.hop(id("guest-wifi"), id("infra-server")).services == std::vector<std::string>{"dhcp"});
    CHECK(analyse_lateral_movement(graph).findings.size() == 27);
    CHECK(analyse_lateral_movement(stateful_graph).findings.size() == 12);
    CHECK(shortest_path(stateful_graph, id("clinical-workstation"), id("patient-monitor")).empty());
}

TEST_CASE("microseg paths: exit 1 when an entry class reaches a life class, 2 on usage errors") {
    auto r = run_microseg({"paths", "--at", microseg::testing::kPolicyDay, kHospital}, {"NO_COLOR=1"});
    CHECK(r.exit_code == 1);
    CHECK(r.out.find("clinical-workstation -> infusion-pump (life)") != std::string::npos);
    CHECK(r.out.find("tighten 1 flow to cut clinical-workstation -> infusion-pump:") != std::string::npos);
    CHECK(r.out.find("blast radius") != std::string::npos);

    auto narrow = run_microseg({"paths", "--at", microseg::testing::kPolicyDay, kHospital, "--from", "vendor-vpn", "--to", "pacs", "--all", "--format", "json"});
    CHECK(narrow.exit_code == 0);  // pacs is phi, not life
    CHECK(narrow.out.find("\"reaches_life\": false") != std::string::npos);
    CHECK(narrow.out.find("\"cuttable\": true") != std::string::npos);

    auto typo = run_microseg({"paths", "--at", microseg::testing::kPolicyDay, kHospital, "--from", "clinical-workstaton"});
    CHECK(typo.exit_code == 2);
    CHECK(typo.err.find("did you mean 'clinical-workstation'?") != std::string::npos);
}

TEST_CASE("microseg review: nothing for identical policies; an added flow opening a path exits 1") {
    auto same = run_microseg({"review", "--at", microseg::testing::kPolicyDay, kHospital, kHospital}, {"NO_COLOR=1"});
    CHECK(same.exit_code == 0);
    CHECK(same.out == "no change to reachability\n");

    // A copy of the hospital with one more flow: the internet to the pump server.
    fs::path dir = fs::temp_directory_path() / fmt::format("microseg-review-{}", ::getpid());
    fs::remove_all(dir);
    fs::create_directories(dir);
    for (const auto& entry : fs::directory_iterator(kExamples + "/hospital"))
        fs::copy(entry.path(), dir / entry.path().filename(), fs::copy_options::recursive);
    auto text = read_text_file(kHospital);
    REQUIRE(text);
    std::string changed = *text;
    auto flows = changed.find("\nflows:\n");
    REQUIRE(flows != std::string::npos);
    changed.insert(flows + 8, "  - {from: internet, to: pump-server, services: [ssh], reason: \"review test\"}\n");
    REQUIRE(write_file_atomically((dir / "policy.yaml").string(), changed));

    auto opened = run_microseg({"review", "--at", microseg::testing::kPolicyDay, kHospital, (dir / "policy.yaml").string()}, {"NO_COLOR=1"});
    CHECK(opened.exit_code == 1);
    CHECK(opened.out.find("+ internet -> pump-server [ssh]") != std::string::npos);
    CHECK(opened.out.find("path opened: internet -> infusion-pump") != std::string::npos);
    auto back = run_microseg({"review", "--at", microseg::testing::kPolicyDay, (dir / "policy.yaml").string(), kHospital, "--format", "json"});
    CHECK(back.exit_code == 0);
    CHECK(back.out.find("\"opens_path\": false") != std::string::npos);
    fs::remove_all(dir);
}

TEST_CASE("microseg graph: DOT, GraphML, JSON and an SVG rendered by Graphviz") {
    auto dot = run_microseg({"graph", "--at", microseg::testing::kPolicyDay, kHospital, "--highlight-paths"});
    CHECK(dot.exit_code == 0);
    CHECK(dot.out.rfind("digraph G {", 0) == 0);
    CHECK(dot.out.find("#d7191c") != std::string::npos);
    auto xml = run_microseg({"graph", "--at", microseg::testing::kPolicyDay, kHospital, "--format", "graphml"});
    CHECK(xml.exit_code == 0);
    CHECK(xml.out.find("<graphml") != std::string::npos);
    auto bad = run_microseg({"graph", "--at", microseg::testing::kPolicyDay, kHospital, "--format", "png"});
    CHECK(bad.exit_code == 2);

    fs::path svg = fs::temp_directory_path() / fmt::format("microseg-graph-{}.svg", ::getpid());
    if (std::system("command -v dot >/dev/null 2>&1") == 0) {
        auto r = run_microseg({"graph", "--at", microseg::testing::kPolicyDay, kHospital, "--highlight-paths", "-o", svg.string()});
        CHECK(r.exit_code == 0);
        auto content = read_text_file(svg.string());
        REQUIRE(content);
        CHECK(content->find("<svg") != std::string::npos);
        CHECK(content->find("<title>pacs</title>") != std::string::npos);  // Graphviz writes - as &#45;
        // A standalone document, not the element inlined in the HTML report.
        CHECK(content->find("xmlns=\"http://www.w3.org/2000/svg\"") != std::string::npos);
        CHECK(content->find("#d7191c") != std::string::npos);
        fs::remove(svg);
    } else {
        const char* ci = std::getenv("CI");
        if (ci && std::string_view(ci) == "true") FAIL_CHECK("Graphviz 'dot' is missing under CI");
        else MESSAGE("SKIPPED: the SVG part: Graphviz 'dot' is missing");
    }
}

TEST_CASE("microseg graph -o x.svg without Graphviz: a clear error, exit 2, no file") {
    fs::path svg = fs::temp_directory_path() / fmt::format("microseg-graph-nodot-{}.svg", ::getpid());
    auto r = run_microseg({"graph", "--at", microseg::testing::kPolicyDay, kHospital, "-o", svg.string()}, {"PATH=/nonexistent"});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("cannot run Graphviz 'dot'") != std::string::npos);
    CHECK(r.err.find("install graphviz") != std::string::npos);
    CHECK_FALSE(fs::exists(svg));
    auto dot = run_microseg({"graph", "--at", microseg::testing::kPolicyDay, kHospital, "-o", svg.string() + ".dot"}, {"PATH=/nonexistent"});
    CHECK(dot.exit_code == 0);  // DOT itself needs no Graphviz
    CHECK(fs::exists(svg.string() + ".dot"));
    fs::remove(svg.string() + ".dot");
}
