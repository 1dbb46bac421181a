// nftables round trip and router-mode drift: every example router's emitted ruleset, and the
// same ruleset as `nft list ruleset` prints it after a real `nft -f` in a throwaway network
// namespace, parses back with zero findings; hand-made edits (an added accept, a deleted
// accept, reordered accepts, a shadowing drop, no conntrack, a bridge drop) are judged right;
// `microseg diff` audits an nft router.
#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <regex>
#include <sstream>

#include "audit/drift/drift_router.hpp"
#include "audit/drift/live_flows.hpp"
#include "audit/parse/registry.hpp"
#include "emitters/emitter.hpp"
#include "model/all_pairs.hpp"
#include "model/file_io.hpp"
#include "model/reachability.hpp"
#include "tests/support/example_fixture.hpp"
#include "tests/support/run_command.hpp"

using namespace microseg;
using microseg::testing::describe;
using microseg::testing::load_example;
namespace fs = std::filesystem;

namespace {

struct Router {
    Policy policy;
    Switch sw;
    SwitchIntent intent;
    std::string text;

    std::vector<DriftFinding> drift(const std::string& t) const {
        return diff_router(policy, intent, parse_nftables(t));
    }
    std::vector<LiveOnlyFlow> live_only(const std::string& t) const {
        return live_only_flows(policy, intent, parse_nftables(t), {ServicePort{Protocol::tcp, {22, 22}}});
    }
};

Router router(const Policy& p, const Switch& sw) {
    auto intent = switch_intent(p, sw);
    REQUIRE_MESSAGE(intent, sw.name);
    auto config = emitter_for(sw.platform).emit(p, sw);
    REQUIRE_MESSAGE(config, sw.name);
    return {p, sw, *intent, config->text};
}

Router hospital_router() {
    auto p = load_example("hospital");
    for (const auto& sw : p.switches())
        if (sw.platform == PlatformId::nftables) return router(p, sw);
    FAIL("the hospital example has no nftables router");
    throw;
}

// An entry class and a protected class the intent keeps apart (different VLANs).
std::pair<const DeviceClass*, const DeviceClass*> unreachable_pair(const Router& r) {
    auto graph = ReachabilityGraph::build(r.policy);
    AllPairsReachability reach(graph.graph());
    for (auto e : graph.entry_classes()) {
        const auto& ec = r.policy.classes()[e];
        if (ec.external || ec.subnets.empty()) continue;
        for (auto t : graph.protected_classes())
            if (!reach.reaches(e, t) && !same_l2_domain(ec, r.policy.classes()[t]) && !r.policy.classes()[t].subnets.empty())
                return {&ec, &r.policy.classes()[t]};
    }
    FAIL("no unreachable protected class in the hospital example");
    throw;
}

// `nft -f` then `nft list ruleset` in a private network namespace: the form nft prints.
std::optional<std::string> printed_by_nft(const std::string& ruleset) {
    if (::geteuid() != 0 || std::system("command -v unshare >/dev/null && command -v nft >/dev/null") != 0)
        return std::nullopt;
    auto dir = fs::temp_directory_path() / fmt::format("microseg-nft-print-{}", ::getpid());
    fs::create_directories(dir);
    auto in = (dir / "in.nft").string(), out = (dir / "out.txt").string();
    REQUIRE(write_file_atomically(in, ruleset));
    int rc = std::system(fmt::format("unshare -n sh -c \"nft -f '{}' && nft list ruleset\" >'{}' 2>&1", in, out).c_str());
    auto text = read_text_file(out);
    fs::remove_all(dir);
    if (rc != 0 || !text) {
        MESSAGE("nft could not load or print the ruleset: " << (text ? *text : ""));
        return std::nullopt;
    }
    return *text;
}

void nft_unavailable(const char* what) {
    const char* ci = std::getenv("CI");
    if (ci && std::string_view(ci) == "true") FAIL("nft in a private network namespace must run under CI: " << what);
    MESSAGE("SKIPPED (needs root, unshare and nft): " << what);
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);) out.push_back(l);
    return out;
}

std::string joined(const std::vector<std::string>& lines) {
    std::string s;
    for (const auto& l : lines) s += l + "\n";
    return s;
}

std::size_t index_of(const std::vector<std::string>& lines, const std::regex& re) {
    for (std::size_t i = 0; i < lines.size(); ++i)
        if (std::regex_search(lines[i], re)) return i;
    FAIL("no line matches");
    throw;
}

}  // namespace

TEST_CASE("nft round trip: every example router, emitted and as nft prints it, zero findings") {
    int checked = 0, printed = 0;
    for (const char* example : {"clinic", "hospital", "health-system"}) {
        auto p = load_example(example);
        for (const auto& sw : p.switches()) {
            if (sw.platform != PlatformId::nftables) continue;
            REQUIRE((parser_for(sw.platform) == &parse_nftables));
            auto r = router(p, sw);
            auto parsed = parse_nftables(r.text);
            CHECK_MESSAGE(parsed.warnings.empty(), sw.name, ": ", parsed.warnings.size(), " warnings");
            CHECK(parsed.acls.at("forward").fully_understood);
            CHECK(parsed.router->conntrack_line > 0);
            auto f = r.drift(r.text);
            CHECK_MESSAGE(f.empty(), sw.name, describe(f));
            CHECK(r.live_only(r.text).empty());
            ++checked;
            auto nft_text = printed_by_nft(r.text);
            if (!nft_text) continue;
            CHECK(nft_text->find("delete table") == std::string::npos);  // really nft's own form
            auto reparsed = parse_nftables(*nft_text);
            CHECK_MESSAGE(reparsed.warnings.empty(), sw.name, " (printed by nft)");
            auto g = r.drift(*nft_text);
            CHECK_MESSAGE(g.empty(), sw.name, " (printed by nft)", describe(g));
            CHECK(r.live_only(*nft_text).empty());
            ++printed;
        }
    }
    CHECK(checked == 4);
    if (printed == 0) nft_unavailable("the printed-form round trip");
    else CHECK(printed == checked);
}

TEST_CASE("nft drift: an added accept is an exposure with an example packet and a new lateral path") {
    auto r = hospital_router();
    const auto [from, to] = unreachable_pair(r);
    auto lines = lines_of(r.text);
    auto at = index_of(lines, std::regex("ct state invalid drop")) + 1;
    lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(at),
                 fmt::format("\t\tip saddr {} ip daddr {} tcp dport 22 counter accept", from->subnets.front(),
                             to->subnets.front()));
    auto text = joined(lines);
    auto f = r.drift(text);
    REQUIRE_FALSE(f.empty());
    for (const auto& d : f) {
        CHECK(d.kind == DriftKind::acl_exposure);
        CHECK(d.impact == DriftImpact::exposure);
        REQUIRE(d.example);
        CHECK(d.example->destination_port == 22);
        CHECK(to->subnets.front().contains(d.example->destination));
        CHECK(d.config_line == static_cast<int>(at) + 1);
    }
    auto flows = r.live_only(text);
    REQUIRE_FALSE(flows.empty());
    CHECK(std::any_of(flows.begin(), flows.end(), [&](const LiveOnlyFlow& l) {
        return l.from == from->name && l.to == to->name && l.port.ports.first == 22 && l.config_line == static_cast<int>(at) + 1;
    }));
    auto paths = new_lateral_paths(r.policy, as_built_policy(r.policy, flows));
    CHECK(std::any_of(paths.begin(), paths.end(),
                      [&](const NewLateralPath& n) { return n.from == from->name && n.to == to->name; }));
}

TEST_CASE("nft live-only flows: an all-protocol rule decides every port, whatever follows it") {
    auto r = hospital_router();
    const auto pair = unreachable_pair(r);
    const DeviceClass* from = pair.first;
    const DeviceClass* to = pair.second;
    auto lines = lines_of(r.text);
    auto at = index_of(lines, std::regex("ct state invalid drop")) + 1;
    auto with_rules = [&](std::vector<std::string> rules) {
        auto edited = lines;
        edited.insert(edited.begin() + static_cast<std::ptrdiff_t>(at), rules.begin(), rules.end());
        return r.live_only(joined(edited));
    };
    auto pair_flows = [&](const std::vector<LiveOnlyFlow>& flows) {
        return std::count_if(flows.begin(), flows.end(),
                             [&](const LiveOnlyFlow& l) { return l.from == from->name && l.to == to->name; });
    };
    const auto src = from->subnets.front(), dst = to->subnets.front();
    // A drop of everything between the pair hides the accept after it.
    CHECK(pair_flows(with_rules({fmt::format("\t\tip saddr {} ip daddr {} drop", src, dst),
                                 fmt::format("\t\tip saddr {} ip daddr {} tcp dport 22 accept", src, dst)})) == 0);
    // A drop of one port does not: the accept after it still opens port 22.
    CHECK(pair_flows(with_rules({fmt::format("\t\tip saddr {} ip daddr {} tcp dport 23 drop", src, dst),
                                 fmt::format("\t\tip saddr {} ip daddr {} tcp dport 22 accept", src, dst)})) == 1);
    // An accept of everything opens every probed port, the drop after it changes nothing.
    auto all = with_rules({fmt::format("\t\tip saddr {} ip daddr {} accept", src, dst),
                           fmt::format("\t\tip saddr {} ip daddr {} drop", src, dst)});
    CHECK(pair_flows(all) > 1);
    CHECK(std::any_of(all.begin(), all.end(), [&](const LiveOnlyFlow& l) {
        return l.from == from->name && l.to == to->name && l.port.ports.first == 22 && l.config_line == static_cast<int>(at) + 1;
    }));
}

TEST_CASE("nft drift: deleted accept, reordered accepts, shadowing drop") {
    auto r = hospital_router();
    REQUIRE(r.drift(r.text).empty());
    auto lines = lines_of(r.text);
    std::regex accept_rule(R"(^\t\tip6? daddr (\S+) (tcp|udp) dport (\d+) accept$)");

    SUBCASE("a deleted accept is an outage") {
        auto i = index_of(lines, accept_rule);
        std::smatch m;
        std::regex_search(lines[i], m, accept_rule);
        auto port = std::stoi(m[3].str());
        lines.erase(lines.begin() + static_cast<std::ptrdiff_t>(i));
        auto f = r.drift(joined(lines));
        REQUIRE_FALSE(f.empty());
        for (const auto& d : f) {
            CHECK(d.kind == DriftKind::acl_outage);
            CHECK(d.impact == DriftImpact::outage);
            REQUIRE(d.example);
            CHECK(d.example->destination_port == port);
        }
    }
    SUBCASE("reordered accepts are not drift") {
        // Reverse every run of consecutive accepts: permits next to each other commute.
        std::size_t runs = 0;
        for (std::size_t i = 0; i < lines.size();) {
            std::size_t j = i;
            while (j < lines.size() && std::regex_search(lines[j], accept_rule)) ++j;
            if (j - i >= 2) {
                std::reverse(lines.begin() + static_cast<std::ptrdiff_t>(i), lines.begin() + static_cast<std::ptrdiff_t>(j));
                ++runs;
            }
            i = j + 1;
        }
        REQUIRE(runs >= 2);
        auto text = joined(lines);
        REQUIRE(text != r.text);
        auto f = r.drift(text);
        CHECK_MESSAGE(f.empty(), describe(f));
    }
    SUBCASE("a drop before an accept shadows it: an outage at the drop's line") {
        auto i = index_of(lines, accept_rule);
        std::smatch m;
        std::regex_search(lines[i], m, accept_rule);
        std::string drop = std::regex_replace(lines[i], std::regex(" accept$"), " drop");
        lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(i), drop);
        auto f = r.drift(joined(lines));
        REQUIRE_FALSE(f.empty());
        for (const auto& d : f) {
            CHECK(d.kind == DriftKind::acl_outage);
            REQUIRE(d.example);
            CHECK(d.example->destination_port == std::stoi(m[3].str()));
            CHECK(d.config_line == static_cast<int>(i) + 1);
        }
    }
}

TEST_CASE("nft drift: conntrack, bridge filter, a rule it cannot read") {
    auto r = hospital_router();
    auto lines = lines_of(r.text);
    SUBCASE("without conntrack the replies are an outage") {
        auto i = index_of(lines, std::regex("ct state established,related accept"));
        lines.erase(lines.begin() + static_cast<std::ptrdiff_t>(i));
        auto f = r.drift(joined(lines));
        bool replies = std::any_of(f.begin(), f.end(), [](const DriftFinding& d) {
            return d.kind == DriftKind::acl_outage && d.subject == "nft forward conntrack" && d.example;
        });
        // The hospital router's classes receive flows, so their replies need conntrack.
        CHECK_MESSAGE(replies, describe(f));
    }
    SUBCASE("a bridge drop between classes that may talk is an outage") {
        // After the bridge table's forward chain header (the inet input chain is policy accept too).
        auto i = index_of(lines, std::regex("table bridge microseg \\{"));
        lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(i) + 3, "\t\tip saddr 10.0.0.0/8 ip daddr 10.0.0.0/8 drop");
        auto f = r.drift(joined(lines));
        REQUIRE_FALSE(f.empty());
        CHECK(f.front().subject == "nft bridge forward");
        CHECK(f.front().impact == DriftImpact::outage);
    }
    SUBCASE("a rule it cannot read makes the filter unknown, not clean") {
        auto i = index_of(lines, std::regex("ct state invalid drop"));
        lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(i) + 1, "\t\tiifname \"eth9\" accept");
        auto f = r.drift(joined(lines));
        REQUIRE_FALSE(f.empty());
        for (const auto& d : f) CHECK(d.impact == DriftImpact::unknown);
    }
}

TEST_CASE("microseg diff audits an nftables router") {
    auto r = hospital_router();
    auto dir = fs::temp_directory_path() / fmt::format("microseg-nft-diff-{}", ::getpid());
    fs::create_directories(dir);
    auto path = (dir / (r.sw.name + ".nft")).string();
    const std::string policy = std::string(MICROSEG_SOURCE_DIR) + "/examples/hospital/policy.yaml";
    const std::vector<std::string> env = {"MICROSEG_REDACT_KEY=nft-test-key"};
    REQUIRE(write_file_atomically(path, r.text));
    auto clean = testing::run_microseg({"diff", "--at", microseg::testing::kPolicyDay, policy, "--switch", r.sw.name, path}, env);
    CHECK_MESSAGE(clean.exit_code == 0, clean.out, clean.err);
    CHECK(clean.out.find("no config parser") == std::string::npos);
    CHECK(clean.out.find(": clean") != std::string::npos);
    auto lines = lines_of(r.text);
    auto at = index_of(lines, std::regex("ct state invalid drop")) + 1;
    lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(at), "\t\ttcp dport 3389 accept");
    REQUIRE(write_file_atomically(path, joined(lines)));
    auto drifted = testing::run_microseg({"diff", "--at", microseg::testing::kPolicyDay, policy, "--switch", r.sw.name, path}, env);
    CHECK_MESSAGE(drifted.exit_code == 1, drifted.out, drifted.err);
    CHECK(drifted.out.find("drifted") != std::string::npos);
    CHECK(drifted.out.find(":3389 (new)") != std::string::npos);
    fs::remove_all(dir);
}

TEST_CASE("nft parser: a ruleset in nft -f input syntax and as nft prints it mean the same packets") {
    // Service names, `ct state { ... }`, sets with a range nft turns into a prefix, `meta
    // l4proto` with `th`, `!=`, a jump chain that returns, reject: nft rewrites much of it.
    const std::string input = R"(table inet t {
  set hosts { type ipv4_addr; flags interval; elements = { 10.1.0.0/16, 10.2.0.1, 10.3.0.0-10.3.0.255 } }
  chain fw { type filter hook forward priority 0; policy drop;
    ct state { established, related } accept
    ct state invalid drop
    ip saddr @hosts tcp dport { ssh, http, 8000-8080 } counter accept
    ip saddr 10.9.0.0/16 meta l4proto { tcp, udp } th dport domain accept
    ip protocol icmp ip daddr 10.4.0.0/24 accept
    ip saddr != 10.0.0.0/8 tcp dport != 443 drop
    ip saddr 10.5.0.0/24 jump c1
    ip6 saddr 2001:db8::/48 tcp dport https accept
    meta nfproto ipv6 icmpv6 type echo-reply accept
    reject with icmpx type admin-prohibited
  }
  chain c1 { ip daddr 10.6.0.0/24 udp dport 5000-5100 accept; return; }
}
)";
    auto as_written = parse_nftables(input);
    CHECK(as_written.warnings.empty());
    CHECK(as_written.router->conntrack_line == 4);
    CHECK(as_written.acls.at("forward").fully_understood);
    auto printed = printed_by_nft(input);
    if (!printed) return nft_unavailable("the nft -f / nft list ruleset comparison");
    CHECK(*printed != input);
    auto as_printed = parse_nftables(*printed);
    CHECK_MESSAGE(as_printed.warnings.empty(), *printed);
    CHECK(as_printed.router->conntrack_line > 0);
    CHECK(as_printed.acls.at("forward").fully_understood);
    auto cmp = compare_acls(as_written.as_built.svis.at(0).acl.entries, as_printed.as_built.svis.at(0).acl.entries);
    CHECK_MESSAGE(cmp.equivalent(), *printed);
    // And it is not trivially equivalent: ssh from a set member passes, telnet does not.
    Packet ssh;
    ssh.protocol = Protocol::tcp;
    ssh.source = *IpAddress::parse("10.3.0.200");
    ssh.destination = *IpAddress::parse("10.200.0.1");
    ssh.destination_port = 22;
    CHECK(acl_permits(as_printed.as_built.svis.at(0).acl.entries, ssh));
    ssh.destination_port = 23;
    CHECK_FALSE(acl_permits(as_printed.as_built.svis.at(0).acl.entries, ssh));
}
