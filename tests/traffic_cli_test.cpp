// `microseg learn`, `simulate` and `report --flows` end to end on the hospital example (issue
// 22). The traffic is generated from the policy's own flows, one session per flow on a port
// of its first service, plus sessions the policy never allowed; learn's proposal is pasted
// into the policy as a person would, and `check` (the compiler) must accept it.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "compiler/compiler.hpp"
#include "tests/support/run_command.hpp"
#include "tests/support/temp_dir.hpp"

using namespace microseg;
using microseg::testing::kPolicyDay;
using microseg::testing::run_command;
using microseg::testing::run_microseg;

namespace {

const std::string kPolicy = std::string(MICROSEG_SOURCE_DIR) + "/examples/hospital/policy.yaml";

Policy hospital() {
    CompileOptions options;
    options.today = std::chrono::year_month_day{std::chrono::year{2026}, std::chrono::month{11}, std::chrono::day{1}};
    auto r = compile_policy_file(kPolicy, options);
    REQUIRE(r.ok());
    return std::move(*r.policy);
}

// An address the policy maps back to `c` (the tenth host of its first IPv4 subnet, or a
// documentation address for a class as broad as the internet); none when there is none.
std::optional<IpAddress> host_of(const Policy& policy, const DeviceClass& c) {
    for (const auto& s : c.subnets) {
        if (s.network.family != IpFamily::v4) continue;
        auto a = s.prefix_len == 0 ? *IpAddress::parse("198.51.100.7") : IpAddress::v4(static_cast<std::uint32_t>(s.network.value) + 10);
        if (policy.class_of(a) == &c) return a;
    }
    return std::nullopt;
}

struct Traffic {
    std::string csv = "src,dst,proto,dport,sport,count,bytes,first,last\n";
    std::set<std::pair<std::string, std::string>> pairs;  // class pairs with traffic
};

void add_session(Traffic& t, const IpAddress& from, const IpAddress& to, const ServicePort& port, int n) {
    const auto p = static_cast<unsigned>(std::max<int>(port.ports.first, 1));
    t.csv += fmt::format("{},{},{},{},{},{},{},1761984000,1761984060\n", from, to, port.protocol, p, 40000 + n, 3, 4500);
}

// One session per flow on the first port of its first service.
Traffic traffic_of_flows(const Policy& policy) {
    Traffic t;
    int n = 0;
    for (const auto& f : policy.flows()) {
        const DeviceClass& from = *policy.find_class(f.from);
        const DeviceClass& to = *policy.find_class(f.to);
        const Service& s = *policy.find_service(f.services.front());
        auto a = host_of(policy, from), b = host_of(policy, to);
        if (!a || !b || f.from == f.to || !s.ports.front().has_ports()) continue;
        add_session(t, *a, *b, s.ports.front(), n++);
        t.pairs.insert({f.from, f.to});
    }
    return t;
}

// The lines of a top-level YAML section `key:` (up to the next top-level key), without it.
std::pair<std::size_t, std::size_t> section(const std::vector<std::string>& lines, const std::string& key) {
    std::size_t start = 0;
    while (start < lines.size() && lines[start].rfind(key + ":", 0) != 0) ++start;
    std::size_t end = start + 1;
    while (end < lines.size() && (lines[end].empty() || lines[end][0] == ' ' || lines[end][0] == '#')) ++end;
    return {start, end};
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

// learn's output pasted as a person would: its flows: replace the policy's, its new services
// go under the policy's services:.
std::string pasted(const std::string& policy_text, const std::string& learned) {
    auto policy = lines_of(policy_text), proposal = lines_of(learned);
    auto [fs, fe] = section(proposal, "flows");
    auto [ps, pe] = section(policy, "flows");
    REQUIRE(fs < proposal.size());
    REQUIRE(ps < policy.size());
    std::vector<std::string> out(policy.begin(), policy.begin() + static_cast<long>(ps));
    out.insert(out.end(), proposal.begin() + static_cast<long>(fs), proposal.begin() + static_cast<long>(fe));
    out.insert(out.end(), policy.begin() + static_cast<long>(pe), policy.end());
    auto [ss, se] = section(proposal, "services");
    if (ss < proposal.size()) {
        auto [ts, te] = section(out, "services");
        REQUIRE(ts < out.size());
        out.insert(out.begin() + static_cast<long>(ts) + 1, proposal.begin() + static_cast<long>(ss) + 1,
                   proposal.begin() + static_cast<long>(se));
    }
    std::string text;
    for (const auto& l : out) text += l + "\n";
    return text;
}

}  // namespace

TEST_CASE("learn proposes exactly the class pairs seen; pasted in, check accepts it and simulate allows all") {
    const Policy policy = hospital();
    Traffic t = traffic_of_flows(policy);
    // Two pairs the policy never allowed, one on a port no catalogue service covers.
    auto ws = host_of(policy, *policy.find_class("clinical-workstation"));
    auto pump = host_of(policy, *policy.find_class("infusion-pump"));
    REQUIRE(ws);
    REQUIRE(pump);
    add_session(t, *ws, *pump, *ServicePort::parse("tcp/8080"), 900);
    t.pairs.insert({"clinical-workstation", "infusion-pump"});
    REQUIRE(t.pairs.size() > 10);
    test::TempDir dir("learn");
    const auto flows = dir.file("flows.csv", t.csv);

    auto r = run_microseg({"learn", kPolicy, "--at", kPolicyDay, "--flows", flows, "--format", "json"});
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    auto doc = nlohmann::json::parse(r.out);
    std::set<std::pair<std::string, std::string>> learned;
    for (const auto& f : doc["flows"]) learned.insert({f["from"].get<std::string>(), f["to"].get<std::string>()});
    CHECK(learned == t.pairs);
    CHECK(doc["new_services"].size() == 1);
    CHECK(doc["new_services"][0]["name"] == "tcp-8080");

    auto text = run_microseg({"learn", kPolicy, "--at", kPolicyDay, "--flows", flows});
    REQUIRE(text.exit_code == 0);
    const auto candidate = dir.file("candidate.yaml", pasted(test::read_file(kPolicy), text.out));
    auto check = run_microseg({"check", candidate, "--at", kPolicyDay});
    CHECK_MESSAGE(check.exit_code == 0, check.err);
    auto sim = run_microseg({"simulate", candidate, "--at", kPolicyDay, "--flows", flows, "--format", "json"});
    CHECK_MESSAGE(sim.exit_code == 0, sim.out);
    CHECK(nlohmann::json::parse(sim.out)["denied"].empty());
}

TEST_CASE("simulate reports the observed traffic the policy would deny, and exits 1") {
    const Policy policy = hospital();
    Traffic t = traffic_of_flows(policy);
    test::TempDir dir("simulate");
    const auto allowed = dir.file("allowed.csv", t.csv);
    auto clean = run_microseg({"simulate", kPolicy, "--at", kPolicyDay, "--flows", allowed, "--format", "json"});
    CHECK_MESSAGE(clean.exit_code == 0, clean.out);
    auto clean_doc = nlohmann::json::parse(clean.out);
    CHECK(clean_doc["allowed_share"] == 1.0);
    CHECK(clean_doc["denied"].empty());

    auto ws = host_of(policy, *policy.find_class("clinical-workstation"));
    auto pump = host_of(policy, *policy.find_class("infusion-pump"));
    add_session(t, *ws, *pump, *ServicePort::parse("tcp/23"), 901);
    const auto blocked = dir.file("blocked.csv", t.csv);
    auto r = run_microseg({"simulate", kPolicy, "--at", kPolicyDay, "--flows", blocked, "--format", "json"});
    CHECK(r.exit_code == 1);
    auto doc = nlohmann::json::parse(r.out);
    REQUIRE(doc["denied"].size() == 1);
    CHECK(doc["denied"][0]["from"] == "clinical-workstation");
    CHECK(doc["denied"][0]["to"] == "infusion-pump");
    CHECK(doc["denied"][0]["service"] == "telnet");
    CHECK(doc["denied"][0]["sessions"] == 3);
    CHECK(doc["denied"][0]["example"]["responder_port"] == 23);
    const auto last_line = std::count(t.csv.begin(), t.csv.end(), '\n');  // the telnet session's line
    CHECK(doc["denied"][0]["example"]["record"] == fmt::format("{}:{}", blocked, last_line));
    auto text = run_microseg({"simulate", kPolicy, "--at", kPolicyDay, "--flows", blocked});
    CHECK(text.exit_code == 1);
    CHECK(text.out.find("clinical-workstation -> infusion-pump  telnet  3 sessions") != std::string::npos);
}

TEST_CASE("bad lines are located warnings that never abort; a file of no known format is exit 2") {
    test::TempDir dir("badflows");
    const auto flows = dir.file("flows.csv", "src,dst,proto,dport\n10.200.0.10,10.130.0.10,tcp,443\nnot,a,flow\n"
                                             "10.200.0.10,10.130.0.10,tcp,99999\n10.200.0.11,10.130.0.10,tcp,443\n");
    auto r = run_microseg({"simulate", kPolicy, "--at", kPolicyDay, "--flows", flows, "--format", "json"});
    CHECK(r.exit_code != 2);
    CHECK(r.err.find(flows + ":3:") != std::string::npos);
    CHECK(r.err.find(flows + ":4:") != std::string::npos);
    auto doc = nlohmann::json::parse(r.out);
    CHECK(doc["bad_lines"] == 2);
    CHECK(doc["records"] == 2);

    const auto junk = dir.file("notes.txt", "Meeting notes\nnothing here is a flow\n");
    auto bad = run_microseg({"learn", kPolicy, "--at", kPolicyDay, "--flows", junk});
    CHECK(bad.exit_code == 2);
    CHECK(bad.err.find("Zeek") != std::string::npos);
    CHECK(bad.err.find("nfdump") != std::string::npos);
    CHECK(bad.out.empty());
}

TEST_CASE("flows from standard input, and the report's observed-vs-allowed section") {
    const Policy policy = hospital();
    Traffic t = traffic_of_flows(policy);
    test::TempDir dir("stdin");
    const auto flows = dir.file("flows.csv", t.csv);
    auto r = run_command({"/bin/sh", "-c", fmt::format("'{}' learn '{}' --at {} --flows - --format json < '{}'",
                                                       MICROSEG_EXE, kPolicy, kPolicyDay, flows)});
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    CHECK(nlohmann::json::parse(r.out)["flows"].size() == t.pairs.size());

    auto report = run_microseg({"report", kPolicy, "--at", kPolicyDay, "--flows", flows, "-o", dir / "r.html"});
    REQUIRE_MESSAGE(report.exit_code == 0, report.err);
    const auto html = test::read_file(dir / "r.html");
    CHECK(html.find("<h2>Observed vs allowed</h2>") != std::string::npos);
    CHECK(html.find("data-verdict=\"allowed\"") != std::string::npos);
    CHECK(html.find("data-verdict=\"denied\"") == std::string::npos);
}

TEST_CASE("learn: an inventory names the class of an address the subnets do not cover") {
    test::TempDir dir("inventory");
    const auto flows = dir.file("flows.csv", "src,dst,proto,dport\n10.99.0.5,10.130.0.10,tcp,443\n"
                                             "10.99.0.6,10.130.0.10,tcp,443\n");
    const auto inventory = dir.file("inventory.csv", "mac,ip,class,name\n02:00:5e:00:99:05,10.99.0.5,clinical-workstation,ws-odd\n");
    auto r = run_microseg({"learn", kPolicy, "--at", kPolicyDay, "--flows", flows, "--inventory", inventory,
                           "--format", "json"});
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    auto doc = nlohmann::json::parse(r.out);
    REQUIRE(doc["flows"].size() == 1);
    CHECK(doc["flows"][0]["from"] == "clinical-workstation");
    CHECK(doc["flows"][0]["services"][0] == "pacs-web");
    REQUIRE(doc["unowned"].size() == 1);  // 10.99.0.6 is in no subnet and not in the inventory
    CHECK(doc["unowned"][0]["address"] == "10.99.0.6");
    CHECK(doc["unowned"][0]["internal"] == true);
}
