// `microseg audit` of a real Linux router. `microseg verify --keep` builds the policy as network
// namespaces and loads the emitted nftables into the router namespace; a real sshd on 127.0.0.1
// logs in as root and runs `ip netns exec <router> nft list ruleset` as its ForceCommand. The
// test audits that router, then adds one nft rule that opens a path, as an operator in a hurry
// would, and asserts that the audit reports the new lateral path.
// Needs root, ip, nft and sshd: it skips without them, and fails instead when CI=true.

#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <regex>
#include <sstream>

#include <fmt/format.h>

#include "tests/support/run_command.hpp"
#include "tests/support/ssh_fleet.hpp"
#include "tests/support/sshd_harness.hpp"
#include "tests/support/sshd_unavailable.hpp"

using namespace microseg::test;
using microseg::testing::CommandResult;
using microseg::testing::run_command;
using microseg::testing::run_microseg;
namespace fs = std::filesystem;

namespace {

const std::vector<std::string> kEnv = {"MICROSEG_REDACT_KEY=audit-nft-live-key"};

// The namespaces `verify --keep` left up; removed when the test ends, pass or fail.
struct KeptLab {
    std::string router;
    std::vector<std::string> namespaces;
    ~KeptLab() {
        for (const auto& ns : namespaces) run_command({"/usr/bin/env", "ip", "netns", "del", ns});
    }
};

// Reads the router's namespace (its line "  <ns> switch edge-fw (<file>)") and every namespace
// to remove from `verify --keep`'s text output.
bool parse_kept_lab(const std::string& out, KeptLab& lab) {
    std::smatch router, remove;
    if (!std::regex_search(out, router, std::regex("(\\S+) +switch edge-fw \\(")) ||
        !std::regex_search(out, remove, std::regex("remove: for ns in ([^;]+); do")))
        return false;
    lab.router = router[1];
    std::istringstream names(remove[1].str());
    for (std::string ns; names >> ns;) lab.namespaces.push_back(ns);
    return true;
}

std::string policy_yaml(int ssh_port) {
    return fmt::format(R"(version: 1
name: audit-nft-live
classes:
  infusion-pump: {{vlan: 10, subnets: [10.61.10.0/24], devices: 20, criticality: life, isolate: true}}
  ehr-server: {{vlan: 30, subnets: [10.61.30.0/24], devices: 3, criticality: high, phi: true}}
  workstation: {{vlan: 40, subnets: [10.61.40.0/24], devices: 50, entry: true}}
flows:
  - {{from: infusion-pump, to: ehr-server, services: [https]}}
  - {{from: workstation, to: ehr-server, services: [https]}}
switches:
  - name: edge-fw
    platform: nftables
    address: 127.0.0.1
    ssh_port: {}
    gateway: [infusion-pump, ehr-server, workstation]
    trunks:
      eth1: [10, 30, 40]
)",
                       ssh_port);
}

CommandResult nft_in(const std::string& netns, const std::vector<std::string>& args) {
    std::vector<std::string> argv = {"/usr/bin/env", "ip", "netns", "exec", netns, "nft"};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_command(argv);
}

std::string dataplane_missing() {
    if (::geteuid() != 0) return "needs root";
    for (const char* tool : {"ip", "nft", "/usr/sbin/sshd"})
        if (run_command({"/bin/sh", "-c", fmt::format("command -v {}", tool)}).exit_code != 0)
            return fmt::format("`{}` is not installed", tool);
    return {};
}

}  // namespace

TEST_CASE("audit of a live nftables router: an added rule is reported as a new lateral path") {
    if (auto why = dataplane_missing(); !why.empty()) return (void)report_unavailable("nft live audit", why);
    TempDir tmp("nft-live");
    const std::string& dir = tmp.path;

    // sshd first: the policy names its port. The router namespace is known only after verify,
    // so the ForceCommand reads it from a file at login.
    SshdConfig config;
    config.allow_user = "root";  // `ip netns exec` and nft need root
    config.force_command = fmt::format("ip netns exec $(cat {}/router) nft list ruleset", dir);
    std::string why;
    auto sshd = SshdHarness::start(config, why);
    if (!sshd) return (void)report_unavailable("sshd", why);
    std::string policy = dir + "/policy.yaml";
    write_file(policy, policy_yaml(sshd->port()));

    auto verify = run_microseg({"verify", "--at", microseg::testing::kPolicyDay, policy, "--switch", "edge-fw", "--keep"});
    KeptLab lab;
    bool kept = parse_kept_lab(verify.out, lab);
    REQUIRE_MESSAGE(verify.exit_code == 0, verify.out, verify.err);
    REQUIRE_MESSAGE(kept, verify.out);
    tmp.file("router", lab.router + "\n");  // read by the ForceCommand at login

    std::string known_hosts = dir + "/known_hosts";
    write_file(known_hosts, sshd->known_hosts_line() + "\n");
    std::vector<std::string> audit = {"audit", policy, "--user", "root", "--identity", sshd->client_key(),
                                      "--known-hosts", known_hosts, "--save", dir + "/saved", "--timeout", "10"};

    // The router as verify left it: what the audit fetched is the namespace's ruleset.
    auto before = run_microseg(audit, kEnv);
    auto live = nft_in(lab.router, {"list", "ruleset"});
    REQUIRE(live.exit_code == 0);
    std::string saved_path = dir + "/saved/edge-fw.nft";
    REQUIRE_MESSAGE(fs::exists(saved_path), before.out, before.err);
    CHECK(read_file(saved_path) == live.out);
    CHECK(live.out.find("hook forward") != std::string::npos);
    CHECK_MESSAGE(before.exit_code == 0, "needs the nftables config parser\n", before.out, before.err);

    // Open ssh from workstations to the infusion pumps at the top of the workstation chain.
    std::smatch m;
    REQUIRE(std::regex_search(live.out, m, std::regex("table (\\S+) (\\S+) \\{(?:[^}]|\\n)*?ip saddr 10\\.61\\.40\\.0/24 jump (\\S+)")));
    auto added = nft_in(lab.router, {"insert", "rule", m[1], m[2], m[3], "ip", "daddr", "10.61.10.0/24", "tcp", "dport",
                                     "22", "accept"});
    REQUIRE_MESSAGE(added.exit_code == 0, added.err);

    auto after = run_microseg(audit, kEnv);
    CHECK(read_file(saved_path).find("ip daddr 10.61.10.0/24 tcp dport 22 accept") != std::string::npos);
    CHECK_MESSAGE(after.exit_code == 1, after.out, after.err);
    CHECK_MESSAGE(after.out.find("new lateral-movement paths in the live network:\n  workstation -> infusion-pump\n") !=
                      std::string::npos,
                  after.out);
}
