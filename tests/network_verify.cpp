// Issue 20: `verify` proves the files that ship, for the whole network. Each test edits one
// compiled file of the hospital as an engineer might before a change (or reintroduces a hole
// an earlier round shipped), runs the whole-network lab, and checks that verify catches it
// and names the device and the line of the edited file that decided (label "dataplane";
// root; fails instead of skipping when CI=true).
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <functional>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include <fmt/format.h>

#include "compiler/compiler.hpp"
#include "tests/dataplane_ready.hpp"
#include "verify/process.hpp"
#include "verify/network_verify.hpp"

using namespace microseg;
using namespace microseg::verify;

namespace {

Policy load(const char* name) {
    CompileOptions options;  // a fixed day, before the examples' expires dates
    options.today = std::chrono::year_month_day{std::chrono::year{2026}, std::chrono::month{11}, std::chrono::day{1}};
    auto r = compile_policy_file(fmt::format("{}/examples/{}/policy.yaml", MICROSEG_SOURCE_DIR, name), options);
    REQUIRE_MESSAGE(r.ok(), "example " << name << " does not compile");
    return std::move(*r.policy);
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);) out.push_back(l);
    return out;
}

std::string joined(const std::vector<std::string>& lines) {
    std::string out;
    for (const auto& l : lines) out += l + "\n";
    return out;
}

std::size_t index_of(const std::vector<std::string>& lines, const std::string& needle, std::size_t from = 0) {
    for (std::size_t i = from; i < lines.size(); ++i)
        if (lines[i].find(needle) != std::string::npos) return i;
    FAIL("no line with " << needle);
    return 0;
}

// One edit of one switch's file; `edited` keeps the result so a test can look up a line.
struct Edit {
    std::string switch_name;
    std::function<std::vector<std::string>(std::vector<std::string>)> change;
    std::vector<std::string> edited;
};

NetworkVerifyResult run(const Policy& policy, Edit* edit = nullptr) {
    NetworkVerifyOptions options;
    if (edit)
        options.edit_file = [edit](const Switch& sw, const std::string& text) {
            if (sw.name != edit->switch_name) return text;
            edit->edited = edit->change(lines_of(text));
            return joined(edit->edited);
        };
    auto r = verify_network(policy, options);
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
    // Nothing of the lab is left: every interface and nft table lived in its namespaces.
    auto left = run_process({"ip", "netns", "list"}).output;
    CHECK_MESSAGE(left.find(r->lab_prefix + "-") == std::string::npos, left);
    if (r->files_dir_kept) std::filesystem::remove_all(r->files_dir);  // kept for the reader of a failure
    for (const auto& m : r->mismatches) MESSAGE(m.text);
    for (const auto& f : r->static_findings) MESSAGE(fmt::format("{}:{}: {}", f.switch_name, f.line, f.message));
    return std::move(r.value());
}

// The edited file's line `n` (1-based), or "" when out of range.
std::string line_text(const Edit& e, int n) {
    return n >= 1 && static_cast<std::size_t>(n) <= e.edited.size() ? e.edited[static_cast<std::size_t>(n - 1)] : "";
}

// A mismatch with the given verdict, decided at a line of `e`'s switch that contains `needle`.
bool caught_at(const NetworkVerifyResult& r, const Edit& e, bool passed, const std::string& needle) {
    return std::any_of(r.mismatches.begin(), r.mismatches.end(), [&](const NetworkMismatch& m) {
        return m.passed == passed && std::any_of(m.decided.begin(), m.decided.end(), [&](const Decision& d) {
                   return d.device == e.switch_name && line_text(e, d.line).find(needle) != std::string::npos;
               });
    });
}

bool static_at(const NetworkVerifyResult& r, const Edit& e, const std::string& needle) {
    return std::any_of(r.static_findings.begin(), r.static_findings.end(), [&](const StaticFinding& f) {
        return f.switch_name == e.switch_name && line_text(e, f.line).find(needle) != std::string::npos;
    });
}

const Policy& hospital() {
    static const Policy p = load("hospital");
    return p;
}

}  // namespace

TEST_CASE("verify, whole network: every example's compiled files agree with the policy") {
    if (!microseg::testing::dataplane_ready()) return;
    for (const char* name : {"clinic", "hospital", "health-system"}) {
        auto r = run(load(name));
        MESSAGE(fmt::format("{}: {} switches, {} hosts, {} probes ({} passed), build {} ms, probes {} ms", name,
                            r.switches, r.hosts, r.probes, r.passed, r.build_time.count(), r.probe_time.count()));
        CHECK(r.clean());
        CHECK(r.passed > 0);
        CHECK(r.passed < r.probes);
        CHECK(r.probes_per_device.size() == r.switches);
    }
}

TEST_CASE("verify catches an extra permit in an IOS SVI ACL, at its line") {
    if (!microseg::testing::dataplane_ready()) return;
    Edit e{"acc-icu-01",
           [](auto l) {
               auto at = index_of(l, "ip access-list extended MS_IN_PATIENT-MONITOR");
               l.insert(l.begin() + static_cast<std::ptrdiff_t>(at) + 1, " permit ip 10.140.0.0 0.0.3.255 10.130.0.0 0.0.0.31");
               return l;
           }, {}};
    auto r = run(hospital(), &e);
    CHECK_FALSE(r.clean());
    CHECK(caught_at(r, e, true, "permit ip 10.140.0.0 0.0.3.255 10.130.0.0"));
}

TEST_CASE("verify catches a deleted reply entry on EOS: the flow is blocked at the ACL's deny") {
    if (!microseg::testing::dataplane_ready()) return;
    Edit e{"dist-dc-01",
           [](auto l) {
               l.erase(l.begin() + static_cast<std::ptrdiff_t>(index_of(l, "permit tcp 10.130.0.0/27 eq 443 10.200.0.0/21 established")));
               return l;
           }, {}};
    auto r = run(hospital(), &e);
    CHECK(caught_at(r, e, false, "deny ip any any"));
    CHECK(std::any_of(r.mismatches.begin(), r.mismatches.end(), [](const NetworkMismatch& m) {
        return m.from.rfind("clinical-workstation#", 0) == 0 && m.to.rfind("pacs#", 0) == 0 && !m.passed &&
               m.expected.because == Because::flow;
    }));
}

TEST_CASE("verify catches a Junos term moved above a deny: isolation across switches breaks at that term") {
    if (!microseg::testing::dataplane_ready()) return;
    Edit e{"acc-blockb-01",
           [](auto l) {
               auto accept = index_of(l, "term accept-rest then accept");
               std::string moved = l[accept];
               l.erase(l.begin() + static_cast<std::ptrdiff_t>(accept));
               l.insert(l.begin() + static_cast<std::ptrdiff_t>(index_of(l, "term t0020 from ip-source-address")), moved);
               return l;
           }, {}};
    auto r = run(hospital(), &e);
    CHECK(caught_at(r, e, true, "term accept-rest then accept"));
}

TEST_CASE("verify catches an added nft accept, at its line") {
    if (!microseg::testing::dataplane_ready()) return;
    Edit e{"core-fw-01",
           [](auto l) {
               l.insert(l.begin() + static_cast<std::ptrdiff_t>(index_of(l, "chain from_guest-wifi {")) + 1,
                        "\t\tip daddr 10.0.0.0/24 accept");
               return l;
           }, {}};
    auto r = run(hospital(), &e);
    CHECK(caught_at(r, e, true, "ip daddr 10.0.0.0/24 accept"));
}

TEST_CASE("verify catches a trunk carrying one VLAN more, at the trunk's line") {
    if (!microseg::testing::dataplane_ready()) return;
    Edit e{"acc-rad-01",
           [](auto l) {
               auto at = index_of(l, "switchport trunk allowed vlan");
               l[at] = " switchport trunk allowed vlan 99,110,200,210";
               return l;
           }, {}};
    auto r = run(hospital(), &e);
    CHECK_FALSE(r.clean());
    CHECK(static_at(r, e, "interface TenGigabitEthernet1/1/1"));
}

TEST_CASE("verify catches a port moved to another VLAN: statically and by its blocked flows") {
    if (!microseg::testing::dataplane_ready()) return;
    Edit e{"acc-icu-01",
           [](auto l) {
               auto range = index_of(l, "interface range Gi1/0/37 - 44");
               l[index_of(l, "switchport access vlan 200", range)] = " switchport access vlan 150";
               return l;
           }, {}};
    auto r = run(hospital(), &e);
    CHECK(static_at(r, e, "interface range Gi1/0/37 - 44"));
    CHECK(caught_at(r, e, false, "interface range Gi1/0/37 - 44"));
}

TEST_CASE("verify catches `switchport protected` removed, at the port's line") {
    if (!microseg::testing::dataplane_ready()) return;
    Edit e{"acc-icu-01",
           [](auto l) {
               l.erase(l.begin() + static_cast<std::ptrdiff_t>(index_of(l, "switchport protected")));
               return l;
           }, {}};
    auto r = run(hospital(), &e);
    CHECK_FALSE(r.clean());
    CHECK(static_at(r, e, "interface range Gi1/0/1 - 24"));
    // And by packets: ARP between the two pumps on that switch now gets through.
    CHECK(caught_at(r, e, true, "interface range Gi1/0/1 - 24"));
    CHECK(std::any_of(r.mismatches.begin(), r.mismatches.end(), [](const NetworkMismatch& m) {
        return m.kind == ProbeKind::l2_protected && m.passed && m.from.rfind("infusion-pump#", 0) == 0;
    }));
}

// The holes of the first round, reintroduced into the files that ship.
TEST_CASE("verify fails on the first round's holes: transit drop at the edge firewall") {
    if (!microseg::testing::dataplane_ready()) return;
    Edit e{"core-fw-01",
           [](auto l) {
               l.erase(l.begin() + static_cast<std::ptrdiff_t>(index_of(l, "jump from_clinical-workstation")));
               return l;
           }, {}};
    auto r = run(hospital(), &e);
    CHECK(caught_at(r, e, false, "ip saddr 10.0.0.0/8 drop"));
    CHECK(std::any_of(r.mismatches.begin(), r.mismatches.end(), [](const NetworkMismatch& m) {
        return m.from.rfind("clinical-workstation#", 0) == 0 && m.to.rfind("internet#", 0) == 0 && !m.passed;
    }));
}

TEST_CASE("verify fails on the first round's holes: internet to management, hosts and the router itself") {
    if (!microseg::testing::dataplane_ready()) return;
    Edit e{"core-fw-01",
           [](auto l) {
               l.insert(l.begin() + static_cast<std::ptrdiff_t>(index_of(l, "chain from_internet {")) + 1,
                        "\t\tip daddr 10.0.0.0/24 accept");
               l.erase(l.begin() + static_cast<std::ptrdiff_t>(index_of(l, "tcp dport 22 drop")));
               return l;
           }, {}};
    auto r = run(hospital(), &e);
    CHECK(caught_at(r, e, true, "ip daddr 10.0.0.0/24 accept"));
    CHECK(std::any_of(r.mismatches.begin(), r.mismatches.end(), [](const NetworkMismatch& m) {
        return m.from.rfind("internet#", 0) == 0 && m.to == "switch core-fw-01 10.0.0.1" && m.passed;
    }));
}

TEST_CASE("verify fails on the first round's holes: a UDP \"reply\" from a service port to a low port") {
    if (!microseg::testing::dataplane_ready()) return;
    Edit e{"acc-icu-01",
           [](auto l) {
               auto at = index_of(l, "permit udp 10.141.0.0 0.0.0.63 range 24005 24010 10.140.0.0 0.0.3.255 range 1024 65535");
               l[at] = " permit udp 10.141.0.0 0.0.0.63 range 24005 24010 10.140.0.0 0.0.3.255";
               return l;
           }, {}};
    auto r = run(hospital(), &e);
    CHECK(caught_at(r, e, true, "range 24005 24010 10.140.0.0 0.0.3.255"));
    CHECK(std::any_of(r.mismatches.begin(), r.mismatches.end(), [](const NetworkMismatch& m) {
        return m.kind == ProbeKind::udp_source_port && m.passed && m.port.port == 9;
    }));
}

TEST_CASE("verify fails on the first round's holes: pump to pump across switches") {
    if (!microseg::testing::dataplane_ready()) return;
    Edit e{"acc-icu-01",
           [](auto l) {
               l.erase(l.begin() + static_cast<std::ptrdiff_t>(index_of(l, "ip access-group MS_ISO_INFUSION-PUMP in")));
               return l;
           }, {}};
    auto r = run(hospital(), &e);
    CHECK(caught_at(r, e, true, "interface range Gi1/0/1 - 24"));
    CHECK(std::any_of(r.mismatches.begin(), r.mismatches.end(), [](const NetworkMismatch& m) {
        return m.kind == ProbeKind::cross_switch && m.from.rfind("infusion-pump#", 0) == 0 &&
               m.to.rfind("infusion-pump#", 0) == 0 && m.passed;
    }));
}

TEST_CASE("verify: a DHCP DISCOVER from 0.0.0.0 reaches each relay; without its ACL entry it is blocked there") {
    if (!microseg::testing::dataplane_ready()) return;
    Edit e{"acc-icu-01",
           [](auto l) {
               auto acl = index_of(l, "ip access-list extended MS_IN_PATIENT-MONITOR");
               l.erase(l.begin() + static_cast<std::ptrdiff_t>(index_of(l, "permit udp host 0.0.0.0 host 255.255.255.255 eq 67", acl)));
               return l;
           }, {}};
    auto r = run(hospital(), &e);
    CHECK(caught_at(r, e, false, "deny ip any any"));
    CHECK(std::any_of(r.mismatches.begin(), r.mismatches.end(), [](const NetworkMismatch& m) {
        return m.kind == ProbeKind::dhcp_relay && m.from.rfind("patient-monitor#", 0) == 0 && !m.passed &&
               m.expected.because == Because::dhcp_relay;
    }));
    // Every other class's DISCOVER still reaches its relay.
    CHECK(std::count_if(r.mismatches.begin(), r.mismatches.end(),
                        [](const NetworkMismatch& m) { return m.kind == ProbeKind::dhcp_relay; }) == 1);
}

TEST_CASE("verify: a file the lab cannot load is an error, and the lab is gone afterwards") {
    if (!microseg::testing::dataplane_ready()) return;
    NetworkVerifyOptions options;
    options.edit_file = [](const Switch& sw, const std::string& text) {
        return sw.name == "core-fw-01" ? text + "table inet broken {\n\tchain c {\n\t\tnot a rule\n\t}\n}\n" : text;
    };
    auto r = verify_network(hospital(), options);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message.find("loading core-fw-01") != std::string::npos);
    // The namespaces of every lab this process made are gone: "ms<pid % 10000><letter>-".
    auto left = run_process({"ip", "netns", "list"}).output;
    CHECK_MESSAGE(!std::regex_search(left, std::regex(fmt::format("(^|\\n)ms{}[a-z]-", ::getpid() % 10000))), left);
}
