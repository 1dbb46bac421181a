// `microseg audit` end to end: the executable against real OpenSSH sshd processes on 127.0.0.1
// whose ForceCommand is tests/fake_switch serving each switch's config (tests/support/ssh_fleet.hpp).
// Exit codes, findings with example packets, new lateral paths, host keys, a fleet where some
// devices fail, and --save; `plan --live` over the same fleet. When sshd cannot start the tests
// skip, and fail under CI=true.

#include <doctest/doctest.h>

#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <regex>

#include <fmt/format.h>

#include "tests/support/run_command.hpp"
#include "tests/support/ssh_fleet.hpp"
#include "tests/support/sshd_unavailable.hpp"

using namespace microseg;
using namespace microseg::test;
using microseg::testing::CommandResult;
using microseg::testing::run_microseg;
namespace fs = std::filesystem;

namespace {

const std::vector<std::string> kEnv = {"MICROSEG_REDACT_KEY=audit-cli-test-key"};

std::vector<std::string> with(std::vector<std::string> args, const std::vector<std::string>& more) {
    args.insert(args.end(), more.begin(), more.end());
    return args;
}

// The status word of switch `name` in the text report ("clean", "drifted", "not audited").
std::string status_of(const std::string& report, const std::string& name) {
    std::smatch m;
    std::regex line("(^|\n)" + name + " \\([^)]*\\): ([a-z ]+)\n");
    return std::regex_search(report, m, line) ? m[2].str() : "(absent)";
}

// The lines printed under switch `name` (its findings, notes, reason).
std::string details_of(const std::string& report, const std::string& name) {
    auto at = report.find("\n" + name + " (");
    if (at == std::string::npos) return {};
    auto from = report.find('\n', at + 1);
    auto to = report.find("\n\n", from);
    std::string block = report.substr(from, to == std::string::npos ? std::string::npos : to - from);
    std::string out;
    for (std::size_t pos = 0; pos < block.size();) {
        auto end = block.find('\n', pos + 1);
        std::string l = block.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
        if (l.starts_with("\n  ")) out += l;
        else if (!l.empty() && l != "\n") break;  // the next switch
        pos = end == std::string::npos ? block.size() : end;
    }
    return out;
}

// The gateway's config with one extra permit at the top of the ACL applied to `entry`'s SVI:
// `entry` may now open ssh to every device of `target`.
std::string with_extra_permit(const SshFleet& fleet, const std::string& gateway, const std::string& entry,
                              const std::string& target) {
    std::string text = fleet.emitted(gateway);
    int vlan = *fleet.policy().find_class(entry)->vlan;
    const Cidr& dst = fleet.policy().find_class(target)->subnets.front();
    std::smatch m;
    REQUIRE(std::regex_search(text, m, std::regex(fmt::format("interface Vlan{}\n(?:[^\n]*\n)*?\\s*ip access-group (\\S+) in", vlan))));
    std::string header = fmt::format("ip access-list extended {}\n", m[1].str());
    auto at = text.find(header);
    REQUIRE(at != std::string::npos);
    text.insert(at + header.size(), fmt::format(" permit tcp any {} {} eq 22\n", dst.network, dst.wildcard()));
    return text;
}

std::vector<FleetSwitch> core_only() { return {{"core-01", PlatformId::cisco_ios, true}}; }

}  // namespace

TEST_CASE("audit: a device running the emitted config is clean, exit 0") {
    SshFleet fleet(core_only());
    if (!fleet.ok()) return (void)report_unavailable("sshd", fleet.why_not());
    TempDir tmp("audit-cli");
    auto args = fleet.audit_args(fleet.trust_all(tmp.path + "/known_hosts"));
    auto r = run_microseg(args, kEnv);
    CHECK_MESSAGE(r.exit_code == 0, r.out, r.err);
    CHECK(status_of(r.out, "core-01") == "clean");
    CHECK(r.out.find(fmt::format("core-01 (cisco-ios, ssh://127.0.0.1:{}): clean", fleet.device("core-01").port())) !=
          std::string::npos);
    CHECK(r.out.find("1 switches: 1 clean, 0 drifted, 0 unknown, 0 not audited; 0 new lateral path(s)") !=
          std::string::npos);
    CHECK(r.err.find("[1/1]") == std::string::npos);  // stderr is not a terminal: no progress line

    auto json = run_microseg(with(args, {"--format", "json"}), kEnv);
    CHECK(json.exit_code == 0);
    CHECK(json.out.find("\"status\": \"clean\"") != std::string::npos);
    auto sarif = run_microseg(with(args, {"--format", "sarif"}), kEnv);
    CHECK(sarif.exit_code == 0);
    CHECK(sarif.out.find("\"results\": []") != std::string::npos);
}

TEST_CASE("audit: usage errors exit 2 with a clear message") {
    SshFleet fleet(core_only());
    if (!fleet.ok()) return (void)report_unavailable("sshd", fleet.why_not());
    TempDir tmp("audit-cli");
    auto args = fleet.audit_args(fleet.trust_all(tmp.path + "/known_hosts"));
    auto unknown = run_microseg(with(args, {"--switch", "core-01", "--switch", "core-99"}), kEnv);
    CHECK(unknown.exit_code == 2);
    CHECK(unknown.err.find("no switch 'core-99' in " + fleet.policy_path()) != std::string::npos);
    CHECK(unknown.out.empty());
    CHECK(run_microseg(with(args, {"--jobs", "0"}), kEnv).exit_code == 2);
    CHECK(run_microseg(with(args, {"--timeout", "-1"}), kEnv).exit_code == 2);
    CHECK(run_microseg(with(args, {"--format", "xml"}), kEnv).exit_code == 2);
    CHECK(run_microseg(with(args, {"--password", "x"}), kEnv).exit_code == 2);  // never a flag
    CHECK(run_microseg({"audit", "--at", microseg::testing::kPolicyDay, tmp.path + "/no-such-policy.yaml"}, kEnv).exit_code == 2);
}

TEST_CASE("audit: an extra permit is drift with an example packet and a new lateral path, exit 1") {
    SshFleet fleet(core_only());
    if (!fleet.ok()) return (void)report_unavailable("sshd", fleet.why_not());
    TempDir tmp("audit-cli");
    fleet.serve("core-01", with_extra_permit(fleet, "core-01", "workstation", "infusion-pump"));
    auto args = fleet.audit_args(fleet.trust_all(tmp.path + "/known_hosts"));
    auto r = run_microseg(args, kEnv);
    CHECK_MESSAGE(r.exit_code == 1, r.out, r.err);
    CHECK(status_of(r.out, "core-01") == "drifted");
    CHECK_MESSAGE(std::regex_search(details_of(r.out, "core-01"),
                                    std::regex("exposure +ACL on Vlan40: \\S+ live permits what the intent denies: "
                                               "tcp \\S+:\\d+ -> 10\\.60\\.10\\.\\d+:22 \\(new\\) \\(line \\d+\\)")),
                  r.out);
    CHECK(r.out.find("live-only flow: workstation -> infusion-pump") != std::string::npos);
    CHECK_MESSAGE(r.out.find("new lateral-movement paths in the live network:\n  workstation -> infusion-pump\n") !=
                      std::string::npos,
                  r.out);

    auto sarif = run_microseg(with(args, {"--format", "sarif"}), kEnv);
    CHECK(sarif.exit_code == 1);
    CHECK(sarif.out.find("\"ruleId\": \"acl-exposure\"") != std::string::npos);
    CHECK(sarif.out.find("\"ruleId\": \"new-lateral-path\"") != std::string::npos);
    CHECK(sarif.out.find(fmt::format("ssh://127.0.0.1:{}", fleet.device("core-01").port())) != std::string::npos);
}

TEST_CASE("audit: unknown host keys need --accept-new; a changed key is never accepted") {
    SshFleet fleet(core_only());
    if (!fleet.ok()) return (void)report_unavailable("sshd", fleet.why_not());
    TempDir tmp("audit-cli");
    std::string kh = tmp.path + "/ssh/known_hosts";  // does not exist yet
    auto args = fleet.audit_args(kh);

    auto refused = run_microseg(args, kEnv);
    CHECK(refused.exit_code == 2);
    CHECK(status_of(refused.out, "core-01") == "not audited");
    CHECK(details_of(refused.out, "core-01").find("not audited: unknown host key: ") != std::string::npos);
    CHECK(refused.out.find("--accept-new") != std::string::npos);
    CHECK_FALSE(fs::exists(kh));

    auto accepted = run_microseg(with(args, {"--accept-new"}), kEnv);
    CHECK_MESSAGE(accepted.exit_code == 0, accepted.out, accepted.err);
    CHECK(details_of(accepted.out, "core-01").find("note: accepted and recorded new host key ssh-ed25519 SHA256:") !=
          std::string::npos);
    const auto& line = fleet.device("core-01").known_hosts_line();
    CHECK(read_file(kh).find(line.substr(line.rfind(' ') + 1)) != std::string::npos);

    auto known = run_microseg(args, kEnv);  // recorded: no flag needed, no note any more
    CHECK(known.exit_code == 0);
    CHECK(known.out.find("note:") == std::string::npos);

    std::string changed = tmp.path + "/changed_known_hosts";
    write_file(changed, fleet.device("core-01").other_known_hosts_line() + "\n");
    std::string before = read_file(changed);
    for (bool accept_new : {false, true}) {
        CAPTURE(accept_new);
        auto a = fleet.audit_args(changed);
        if (accept_new) a.push_back("--accept-new");
        auto r = run_microseg(a, kEnv);
        CHECK(r.exit_code == 2);
        CHECK(details_of(r.out, "core-01").find("not audited: changed host key: ") != std::string::npos);
        CHECK(read_file(changed) == before);
    }
}

TEST_CASE("audit: failed authentication is not audited and the password never appears") {
    SshFleet fleet(core_only());
    if (!fleet.ok()) return (void)report_unavailable("sshd", fleet.why_not());
    TempDir tmp("audit-cli");
    std::string stranger = tmp.path + "/stranger_ed25519";
    REQUIRE(generate_key(stranger));
    auto args = fleet.audit_args(fleet.trust_all(tmp.path + "/known_hosts"));
    args[5] = stranger;  // --identity: a key the devices do not know
    auto r = run_microseg(args, with(kEnv, {"MICROSEG_SSH_PASSWORD=Wr0ng-Pa55-xyz", "SSH_AUTH_SOCK="}));
    CHECK(r.exit_code == 2);
    CHECK(details_of(r.out, "core-01").find("not audited: authentication failed: ") != std::string::npos);
    CHECK(r.out.find("Wr0ng") == std::string::npos);
    CHECK(r.err.find("Wr0ng") == std::string::npos);
}

TEST_CASE("audit: 20 devices with --jobs 8, one stalls and one drops: 18 reported right, exit 2") {
    std::vector<FleetSwitch> switches = {{"core-01", PlatformId::cisco_ios, true}};
    const PlatformId kinds[] = {PlatformId::cisco_ios, PlatformId::arista_eos, PlatformId::junos};
    for (int i = 1; i <= 19; ++i) switches.push_back({fmt::format("acc-{:02}", i), kinds[i % 3], false});
    SshFleet fleet(switches);
    if (!fleet.ok()) return (void)report_unavailable("sshd", fleet.why_not());
    TempDir tmp("audit-cli");
    fleet.serve("core-01", with_extra_permit(fleet, "core-01", "workstation", "infusion-pump"));
    fleet.set_behaviour("acc-07", "--stall-after 5");
    fleet.set_behaviour("acc-13", "--drop-after 5");
    auto start = std::chrono::steady_clock::now();
    auto r = run_microseg(with(fleet.audit_args(fleet.trust_all(tmp.path + "/known_hosts")),
                               {"--jobs", "8", "--timeout", "2"}),
                          kEnv);
    auto took = std::chrono::steady_clock::now() - start;
    CHECK_MESSAGE(r.exit_code == 2, r.out, r.err);
    CHECK(status_of(r.out, "core-01") == "drifted");
    CHECK(r.out.find("  workstation -> infusion-pump\n") != std::string::npos);
    CHECK(status_of(r.out, "acc-07") == "not audited");
    CHECK(details_of(r.out, "acc-07").find("not audited: incomplete: no complete answer to") != std::string::npos);
    CHECK(status_of(r.out, "acc-13") == "not audited");
    CHECK(details_of(r.out, "acc-13").find("not audited: truncated") != std::string::npos);
    for (int i = 1; i <= 19; ++i) {
        std::string name = fmt::format("acc-{:02}", i);
        if (name == "acc-07" || name == "acc-13") continue;
        CAPTURE(name);
        CHECK(status_of(r.out, name) == "clean");
    }
    CHECK(r.out.find("20 switches: 17 clean, 1 drifted, 0 unknown, 2 not audited; 1 new lateral path(s)") !=
          std::string::npos);
    // Policy order, whatever order the devices finished in.
    CHECK(r.out.find("\ncore-01 (") < r.out.find("\nacc-01 ("));
    CHECK(r.out.find("\nacc-09 (") < r.out.find("\nacc-10 ("));
    CHECK(took < std::chrono::seconds(30));  // the stalled device is cut off by its 2 s deadline
}

TEST_CASE("audit --save: redacted 0600 copies; an incomplete pull keeps the previous copy") {
    SshFleet fleet(core_only());
    if (!fleet.ok()) return (void)report_unavailable("sshd", fleet.why_not());
    TempDir tmp("audit-cli");
    std::string config = fleet.emitted("core-01");
    config.insert(config.find("\n!\n") + 1, "snmp-server community s3cr3t-community RO\nenable secret 9 $9$hunter2hunter2\n");
    fleet.serve("core-01", config);
    std::string saved_dir = tmp.path + "/saved";
    auto args = with(fleet.audit_args(fleet.trust_all(tmp.path + "/known_hosts")), {"--save", saved_dir, "--timeout", "1"});
    auto first = run_microseg(args, kEnv);
    CHECK_MESSAGE(first.exit_code == 0, first.out, first.err);
    std::string path = saved_dir + "/core-01.ios";
    REQUIRE(fs::exists(path));
    std::string saved = read_file(path);
    CHECK(saved.find("s3cr3t") == std::string::npos);
    CHECK(saved.find("hunter2") == std::string::npos);
    CHECK(saved.find("snmp-server community <redacted:") != std::string::npos);
    CHECK(saved.find("interface Vlan40") != std::string::npos);
    for (const auto& output : {first.out, first.err}) CHECK(output.find("s3cr3t") == std::string::npos);
    struct stat st{};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);

    std::string changed = fleet.emitted("core-01");
    changed.insert(changed.find('\n') + 1, "! changed after the first pull\n");
    fleet.serve("core-01", changed);
    for (const char* behaviour : {"--stall-after 10", "--drop-after 10"}) {
        CAPTURE(behaviour);
        fleet.set_behaviour("core-01", behaviour);
        auto r = run_microseg(args, kEnv);
        CHECK(r.exit_code == 2);
        CHECK(status_of(r.out, "core-01") == "not audited");
        CHECK(details_of(r.out, "core-01").find(behaviour[2] == 's' ? "incomplete" : "truncated") != std::string::npos);
        CHECK(read_file(path) == saved);
    }
    std::size_t files = 0;
    for (const auto& e : fs::directory_iterator(saved_dir)) files += e.is_regular_file() ? 1 : 0;
    CHECK(files == 1);  // no temp file left behind

    fleet.set_behaviour("core-01", "");
    auto unwritable = run_microseg(with(fleet.audit_args(tmp.path + "/known_hosts"), {"--save", path}), kEnv);
    CHECK(unwritable.exit_code == 2);  // the audit itself was clean, but the copy was not kept
    CHECK_MESSAGE(status_of(unwritable.out, "core-01") == "clean", unwritable.out);
    CHECK(unwritable.err.find("core-01: not saved: ") != std::string::npos);
}

// Wall time of a whole `microseg audit` run over N fake devices (one sshd each) at several
// --jobs. Not part of the suite (the numbers depend on the machine): run it with
//   audit_cli_tests --no-skip -tc='measure*'
static void measure_fleet(int devices) {
    std::vector<FleetSwitch> switches = {{"core-01", PlatformId::cisco_ios, true}};
    const PlatformId kinds[] = {PlatformId::cisco_ios, PlatformId::arista_eos, PlatformId::junos};
    for (int i = 1; i < devices; ++i) switches.push_back({fmt::format("acc-{:03}", i), kinds[i % 3], false});
    SshFleet fleet(switches);
    if (!fleet.ok()) return (void)report_unavailable("sshd", fleet.why_not());
    TempDir tmp("audit-cli");
    auto args = fleet.audit_args(fleet.trust_all(tmp.path + "/known_hosts"));
    for (const char* jobs : {"8", "32"}) {
        // GNU time reports the client's own CPU and peak RSS; the rest is sshd and the fakes.
        auto r = microseg::testing::run_command(
            with({"/usr/bin/time", "-f", "%e s wall, %U s user, %S s sys, %M KB max RSS", MICROSEG_EXE},
                 with(args, {"--jobs", jobs})),
            kEnv);
        CHECK_MESSAGE(r.exit_code == 0, r.err);
        CHECK(r.out.find(fmt::format("{} switches: {} clean", devices, devices)) != std::string::npos);
        MESSAGE(fmt::format("audit of {} devices with --jobs {}: {}", devices, jobs, r.err));
    }
    // The same audit from saved copies: what the run costs besides SSH.
    auto saved = run_microseg(with(args, {"--jobs", "32", "--save", tmp.path + "/saved"}), kEnv);
    REQUIRE(saved.exit_code == 0);
    auto start = std::chrono::steady_clock::now();
    auto offline = run_microseg({"diff", "--at", microseg::testing::kPolicyDay, fleet.policy_path(), "--dir", tmp.path + "/saved"}, kEnv);
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
    CHECK(offline.exit_code == 0);
    MESSAGE(fmt::format("diff --dir of the same {} saved configs: {} ms wall", devices, ms.count()));
}

TEST_CASE("measure: audit wall time, 20 devices" * doctest::skip()) { measure_fleet(20); }
TEST_CASE("measure: audit wall time, 200 devices" * doctest::skip()) { measure_fleet(200); }

TEST_CASE("plan --live: running configs fetched over SSH as the audit fetches them") {
    SshFleet fleet(core_only());
    if (!fleet.ok()) return (void)report_unavailable("sshd", fleet.why_not());
    TempDir tmp("plan-live");
    auto args = fleet.audit_args(fleet.trust_all(tmp.path + "/known_hosts"));
    args[0] = "plan";
    args.push_back("--live");
    auto holds = run_microseg(args, kEnv);
    CHECK_MESSAGE(holds.exit_code == 0, holds.out, holds.err);
    CHECK(holds.out.find("already holds the intent") != std::string::npos);

    fleet.serve("core-01", with_extra_permit(fleet, "core-01", "workstation", "infusion-pump"));
    auto r = run_microseg(with(args, {"-o", tmp.path + "/plans"}), kEnv);
    CHECK_MESSAGE(r.exit_code == 1, r.out, r.err);
    CHECK(r.out.find(fmt::format("core-01 (cisco-ios, from ssh://127.0.0.1:{})", fleet.device("core-01").port())) !=
          std::string::npos);
    CHECK(r.out.find("make-before-break holds") != std::string::npos);
    const auto after = tmp.path + "/plans/core-01.after.ios";
    REQUIRE(fs::exists(after));
    CHECK(fs::exists(tmp.path + "/plans/core-01.plan"));
    auto diff = run_microseg({"diff", fleet.policy_path(), "--switch", "core-01", after}, kEnv);
    CHECK_MESSAGE(diff.exit_code == 0, diff.out, diff.err);
}
