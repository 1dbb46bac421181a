// The lab and the probes on a real dataplane, with a hand-written nftables ruleset for the
// policy of test_policy.hpp, so they are proven independently of the nftables emitter.
// Needs root; skips with a message otherwise, and fails when CI=true.
#include <doctest/doctest.h>

#include <cctype>
#include <cstdlib>
#include <sstream>
#include <string>

#include <fmt/format.h>
#include <unistd.h>

#include "verify/process.hpp"
#include "verify/test_policy.hpp"
#include "verify/verify.hpp"

using namespace microseg;
using namespace microseg::verify;

namespace {

// Routed traffic: flows only. The internet is everything that is no other class.
const char* const kForward = R"(table inet lab {
  chain forward {
    type filter hook forward priority 0; policy drop;
    ct state established,related accept
    ip saddr 10.0.10.0/24 ip daddr 10.0.30.0/24 tcp dport 443 accept
    ip saddr 10.0.21.0/24 ip daddr 10.0.30.0/24 udp dport 5000-5002 accept
    ip saddr 10.0.30.0/24 ip daddr != { 10.0.0.0/16, 172.31.0.0/24 } tcp dport 443 accept
    ip saddr 172.31.0.0/24 ip daddr 10.0.30.0/24 accept
  }
}
)";

// Bridged traffic: isolation only (pump; monitor and alarm are both isolate on VLAN 20).
const char* const kBridge = R"(table bridge lab {
  chain forward {
    type filter hook forward priority 0; policy accept;
    ip saddr 10.0.10.0/24 ip daddr 10.0.10.0/24 drop
    ip saddr { 10.0.20.0/24, 10.0.22.0/24 } ip daddr { 10.0.20.0/24, 10.0.22.0/24 } drop
  }
}
)";

bool dataplane_ready() {
    std::string why = dataplane_unavailable_reason();
    if (why.empty()) return true;
    const char* ci = std::getenv("CI");
    if (ci && std::string(ci) == "true") FAIL("dataplane tests must run in CI: " << why);
    MESSAGE("skipping the dataplane test: " << why);
    return false;
}

VerifyResult run(const std::string& ruleset) {
    auto p = testing::test_policy();
    VerifyOptions options;
    auto result = verify_with_ruleset(p, lab_classes(p), ruleset, options);
    REQUIRE_MESSAGE(result.ok(), (result.ok() ? "" : result.error().message));
    return result.value();
}

std::string replace(std::string text, const std::string& from, const std::string& to) {
    auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    return text.replace(at, from.size(), to);
}

// This process's labs only ("ms<pid % 10000><letter>-..."): other test processes (a parallel
// ctest in another build tree) may create and remove labs of their own meanwhile.
std::string namespaces_now() {
    std::string own = fmt::format("ms{}", ::getpid() % 10000), out;
    std::istringstream lines(run_process({"ip", "netns", "list"}).output);
    for (std::string line; std::getline(lines, line);)
        if (line.rfind(own, 0) == 0 && line.size() > own.size() && std::isalpha(static_cast<unsigned char>(line[own.size()])))
            out += line + "\n";
    return out;
}

}  // namespace

TEST_CASE("a correct ruleset: every probe agrees with the model, and the lab is gone afterwards") {
    if (!dataplane_ready()) return;
    std::string before = namespaces_now();
    auto r = run(std::string(kForward) + kBridge);
    for (const auto& m : r.mismatches) MESSAGE(describe_mismatch(m));
    CHECK(r.clean());
    CHECK(r.hosts == 12);
    CHECK(r.outcomes.size() == (7 * 7 - 2) * 5);
    // 7 expected passes between the routed classes plus the L2 neighbours on VLAN 20 and
    // each non-isolated class with itself: a blind probe would not match them all.
    CHECK(r.passed > 20);
    CHECK(r.passed < r.outcomes.size() / 2);
    CHECK(namespaces_now() == before);
}

TEST_CASE("a missing accept rule is reported as exactly that flow, blocked") {
    if (!dataplane_ready()) return;
    std::string broken = replace(std::string(kForward) + kBridge,
                                 "ip saddr 10.0.10.0/24 ip daddr 10.0.30.0/24 tcp dport 443 accept\n", "");
    auto r = run(broken);
    REQUIRE(r.mismatches.size() == 1);
    CHECK(describe_mismatch(r.mismatches[0]) == "expected allow, blocked: pump -> server tcp/443 (flow at t.yaml:10:5)");
}

TEST_CASE("an extra accept and a missing isolation are reported as passes the model denies") {
    if (!dataplane_ready()) return;
    std::string leaky = replace(std::string(kForward) + kBridge, "ct state established,related accept\n",
                                "ct state established,related accept\n    ip daddr 10.0.10.0/24 udp dport 9 accept\n");
    leaky = replace(leaky, "ip saddr 10.0.10.0/24 ip daddr 10.0.10.0/24 drop\n", "");
    auto r = run(leaky);
    std::vector<std::string> seen;
    for (const auto& m : r.mismatches) seen.push_back(describe_mismatch(m));
    std::vector<std::string> expected;
    for (const char* from : {"monitor", "alarm", "station", "server"})
        expected.push_back(fmt::format("expected deny, passed: {} -> pump udp/9", from));
    for (const char* port : {"tcp/9", "tcp/443", "udp/9", "udp/5000", "udp/5002"})
        expected.push_back(fmt::format("expected deny, passed: pump -> pump {}", port));
    expected.push_back("expected deny, passed: internet -> pump udp/9");
    expected.push_back("expected deny, passed: vendor -> pump udp/9");
    std::sort(seen.begin(), seen.end());
    std::sort(expected.begin(), expected.end());
    CHECK(seen == expected);
}
