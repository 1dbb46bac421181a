// The SSH fault matrix: `microseg audit` through the executable against real OpenSSH sshd
// processes running tests/fake_switch, one device per fault, all in one run next to devices
// that work. Each faulty device must be "not audited: <reason>" (never clean, never drifted),
// the good ones clean, the last good copy in --save DIR byte-identical afterwards, and no raw
// terminal escape may reach stdout in any format. Devices that misbehave only in form (a prompt
// printed twice, a banner line equal to the prompt, a slow answer, a pager erased with '\r')
// must be read right: clean. nftables routers are read over an exec channel, so their faults
// are an exit status, stderr, a kill or silence. Every device's config carries secrets of each
// form the redaction covers; none may reach the text, JSON, SARIF or HTML report or a saved
// copy, and the HTML report carries no raw control byte either. An empty nft ruleset is a
// state (nothing filtered), reported as drift. When sshd cannot start the tests skip, and fail
// under CI=true.

#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <regex>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "tests/support/run_command.hpp"
#include "tests/support/ssh_fleet.hpp"
#include "tests/support/sshd_unavailable.hpp"

using namespace microseg;
using namespace microseg::test;
using microseg::testing::run_microseg;
namespace fs = std::filesystem;

namespace {

const std::vector<std::string> kEnv = {"MICROSEG_REDACT_KEY=ssh-faults-test-key"};

struct Fault {
    std::string name;
    PlatformId platform;
    std::string flags;     // fake_switch flags ("" for faults made outside the device)
    std::string expected;  // what follows "not audited: ", or "clean"
};

// Every fault of issue 18; the prefix of the reason is what the report must say.
const std::vector<Fault> kFaults = {
    {"junos-double", PlatformId::junos, "--double-prompt --slow-ms 300", "clean"},
    {"junos-banner", PlatformId::junos, "--banner --banner-prompt --double-prompt --slow-ms 200", "clean"},
    {"ios-crpager", PlatformId::cisco_ios, "--pager --ignore-length --cr-pager", "clean"},
    {"ios-invalid", PlatformId::cisco_ios, "--error-answer invalid",
     "command failed: 'show running-config' rejected: % Invalid input detected at '^' marker."},
    {"ios-unknown", PlatformId::cisco_ios, "--error-answer unknown", "command failed: 'show running-config' rejected: % Unknown command"},
    {"eos-ambiguous", PlatformId::arista_eos, "--error-answer ambiguous", "command failed: 'show running-config' rejected: % Ambiguous command"},
    {"junos-syntax", PlatformId::junos, "--error-answer syntax", "command failed: 'show configuration | display set | no-more' rejected: syntax error."},
    {"junos-unknown", PlatformId::junos, "--error-answer unknown-junos", "command failed: 'show configuration | display set | no-more' rejected: unknown command."},
    {"junos-error", PlatformId::junos, "--error-answer error", "command failed: 'show configuration | display set | no-more' rejected: error: could not open"},
    {"ios-stall", PlatformId::cisco_ios, "--stall-after 5", "incomplete: no complete answer to 'show running-config'"},
    {"eos-drop", PlatformId::arista_eos, "--drop-after 5", "truncated: connection closed during 'show running-config'"},
    {"ios-refuse", PlatformId::cisco_ios, "--refuse", "truncated: connection closed during 'login"},
    {"junos-drip", PlatformId::junos, "--drip-ms 150", "incomplete: no complete answer to 'show configuration"},
    {"ios-huge", PlatformId::cisco_ios, "--huge-mb 6", "too large: the answer to 'show running-config' passed the --max-bytes cap"},
    {"eos-prompt", PlatformId::arista_eos, "--prompt-change", "incomplete: the prompt changed from 'eos-prompt#' to 'eos-prompt-standby#'"},
    {"ios-newkey", PlatformId::cisco_ios, "", "unknown host key: "},
    {"eos-changedkey", PlatformId::arista_eos, "", "changed host key: "},
    {"junos-auth", PlatformId::junos, "", "authentication failed: "},
    // nftables over an exec channel: no prompt, so the exit status and end of file decide.
    {"nft-good", PlatformId::nftables, "", "clean"},
    {"nft-slow", PlatformId::nftables, "--think-ms 300", "clean"},
    {"nft-eperm", PlatformId::nftables, "--error-answer nft-eperm",
     "command failed: 'nft list ruleset' exited with status 1: netlink: Error: cache initialization failed: Operation not permitted"},
    {"nft-missing", PlatformId::nftables, "--error-answer nft-missing",
     "command failed: 'nft list ruleset' exited with status 127: sh: 1: nft: not found"},
    {"nft-stdout", PlatformId::nftables, "--error-answer nft-stdout",
     "command failed: the answer to 'nft list ruleset' is not a configuration: no 'table' in the ruleset"},
    {"nft-stall", PlatformId::nftables, "--stall-after 5", "incomplete: no complete answer to 'nft list ruleset' within 2000 ms"},
    // Killed mid-output: a shell reports 128+9, an exec'd process no exit status at all.
    {"nft-drop", PlatformId::nftables, "--drop-after 5", "truncated: 'nft list ruleset' "},
    {"nft-drip", PlatformId::nftables, "--drip-ms 150", "incomplete: no complete answer to 'nft list ruleset'"},
    {"nft-huge", PlatformId::nftables, "--huge-mb 6",
     "too large: the answer to 'nft list ruleset' passed the --max-bytes cap; reading stopped"},
};

// Secrets of the forms audit/parse/redact.cpp handles, in every matrix device's config: no
// value may reach stdout (any format), the HTML report or a saved copy.
struct Secret {
    std::string_view line;
    std::string_view value;
};

const std::map<PlatformId, std::vector<Secret>> kSecrets = {
    {PlatformId::cisco_ios,
     {{"enable secret 9 $9$IosEnableX01", "IosEnableX01"},
      {"username netops privilege 15 secret 9 $9$IosUserX02", "IosUserX02"},
      {"snmp-server community IosCommunityX03 RO", "IosCommunityX03"},
      {"snmp-server host 10.9.9.9 vrf Mgmt-vrf version 2c IosHostCommX04", "IosHostCommX04"},
      {"snmp-server user mon grp v3 auth sha IosAuthX05 priv aes 256 IosPrivX06", "IosAuthX05"},
      {"snmp-server user mon2 grp v3 auth sha IosAuthX07 priv aes 256 IosPrivX06", "IosPrivX06"},
      {"tacacs-server key 7 IosTacacsX08", "IosTacacsX08"},
      {"router bgp 65001\n neighbor 10.0.0.2 password 7 IosBgpX09\n!", "IosBgpX09"}}},
    {PlatformId::arista_eos,
     {{"aaa root secret sha512 $6$EosRootX10", "EosRootX10"},
      {"username admin secret sha512 $6$EosUserX11", "EosUserX11"},
      {"snmp-server host 10.1.1.1 vrf MGMT version 2c EosHostCommX12", "EosHostCommX12"},
      {"snmp-server user mon grp v3 auth sha512 EosAuthX13 priv aes256 EosPrivX14", "EosPrivX14"},
      {"router bgp 65001\n   neighbor 10.1.1.1 password 7 EosBgpX15\n!", "EosBgpX15"}}},
    {PlatformId::junos,
     {{"set system root-authentication encrypted-password \"$6$JunosRootX16\"", "JunosRootX16"},
      {"set system radius-server 10.0.0.1 secret \"$9$JunosRadiusX17\"", "JunosRadiusX17"},
      {"set snmp community JunosCommunityX18 authorization read-only", "JunosCommunityX18"},
      {"set snmp v3 usm local-engine user mon authentication-sha256 authentication-password JunosAuthX19", "JunosAuthX19"},
      {"set system ntp authentication-key 1 type md5 value \"$9$JunosNtpX20\"", "JunosNtpX20"}}},
    {PlatformId::nftables,
     {{"# tacacs key NftTacacsX21", "NftTacacsX21"}, {"# snmp community NftCommunityX22", "NftCommunityX22"}}},
};

// `config` as the device prints it with its platform's secrets: before `end` on IOS/EOS, at
// the end elsewhere.
std::string with_secrets(PlatformId p, std::string config) {
    std::string lines;
    for (const auto& s : kSecrets.at(p)) lines += std::string(s.line) + "\n";
    auto end = config.rfind("\nend\n");
    if (p == PlatformId::cisco_ios || p == PlatformId::arista_eos) config.insert(end + 1, lines);
    else config += lines;
    return config;
}

// Every secret value found in `text` (none, when redaction held).
std::vector<std::string> leaked(const std::string& text) {
    std::vector<std::string> found;
    for (const auto& [platform, secrets] : kSecrets)
        for (const auto& s : secrets)
            if (text.find(s.value) != std::string::npos) found.emplace_back(s.value);
    return found;
}

// A control byte other than \t \n \r in `text`, as "0xHH at N"; "" when there is none.
std::string raw_control(const std::string& text) {
    for (std::size_t i = 0; i < text.size(); ++i) {
        auto u = static_cast<unsigned char>(text[i]);
        if ((u < 0x20 && u != '\t' && u != '\n' && u != '\r') || u == 0x7f) return fmt::format("0x{:02x} at {}", u, i);
    }
    return {};
}

// The status word of switch `name` in the text report ("clean", "drifted", "not audited").
std::string status_of(const std::string& report, const std::string& name) {
    std::smatch m;
    std::regex line("(^|\n)" + name + " \\([^)]*\\): ([a-z ]+)\n");
    return std::regex_search(report, m, line) ? m[2].str() : "(absent)";
}

std::map<std::string, std::string> files_in(const std::string& dir) {
    std::map<std::string, std::string> out;
    for (const auto& e : fs::directory_iterator(dir)) out[e.path().filename().string()] = read_file(e.path().string());
    return out;
}

// known_hosts trusting every device except `unknown`, with another key for `changed`.
std::string known_hosts_with_faults(const SshFleet& fleet, const std::string& path, const std::string& unknown,
                                    const std::string& changed) {
    std::string text;
    for (const auto& s : fleet.policy().switches()) {
        if (s.name == unknown) continue;
        text += (s.name == changed ? fleet.device(s.name).other_known_hosts_line() : fleet.device(s.name).known_hosts_line()) + "\n";
    }
    write_file(path, text);
    return path;
}

std::vector<FleetSwitch> matrix_fleet() {
    std::vector<FleetSwitch> switches = {{"core-01", PlatformId::cisco_ios, true}};
    for (const auto& f : kFaults) switches.push_back({f.name, f.platform, false});
    return switches;
}

// Each device's report block in the text output says what kFaults expects of it.
void check_text_report(const std::string& out) {
    CHECK(status_of(out, "core-01") == "clean");
    for (const auto& f : kFaults) {
        CAPTURE(f.name);
        CAPTURE(out);
        if (f.expected == "clean") {
            CHECK(status_of(out, f.name) == "clean");
            continue;
        }
        CHECK(status_of(out, f.name) == "not audited");
        auto at = out.find(fmt::format("\n{} (", f.name));
        REQUIRE(at != std::string::npos);
        auto block = out.substr(at, out.find("\n\n", at + 1) - at);
        CHECK_MESSAGE(block.find("  not audited: " + f.expected) != std::string::npos, block);
    }
}

// The same through --format json: status and reason fields of every switch.
void check_json_report(const std::string& json) {
    for (const auto& f : kFaults) {
        CAPTURE(f.name);
        std::smatch m;
        std::regex entry("\"name\": \"" + f.name + "\",[^}]*?\"status\": \"([a-z ]+)\"(,\\s*\"reason\": \"([^\"]*))?");
        REQUIRE_MESSAGE(std::regex_search(json, m, entry), json);
        CHECK(m[1].str() == (f.expected == "clean" ? "clean" : "not audited"));
        if (f.expected != "clean") CHECK_MESSAGE(m[3].str().starts_with(f.expected), m[3].str());
    }
}

// The HTML report of that JSON: every faulty device shown as not audited with its reason.
void check_html_report(const std::string& html) {
    for (const auto& f : kFaults) {
        CAPTURE(f.name);
        if (f.expected == "clean") continue;
        auto reason = std::regex_replace(f.expected, std::regex("'"), "&#39;");
        auto at = html.find(fmt::format("<div class=\"finding\" data-switch=\"{}\">", f.name));
        REQUIRE(at != std::string::npos);
        CHECK(html.find("<p class=\"note\">Not audited: " + reason, at) != std::string::npos);
    }
}

// No secret value and no raw control byte in `text`.
void check_clean_output(const std::string& what, const std::string& text) {
    CAPTURE(what);
    CHECK_MESSAGE(leaked(text).empty(), fmt::format("{}", fmt::join(leaked(text), " ")));
    CHECK(raw_control(text).empty());
}

}  // namespace

TEST_CASE("ssh fault matrix: every faulty device is not audited, the others clean, saved copies kept") {
    SshFleet fleet(matrix_fleet());
    if (!fleet.ok()) return (void)report_unavailable("sshd", fleet.why_not());
    for (const auto& s : fleet.policy().switches()) fleet.serve(s.name, with_secrets(s.platform, fleet.emitted(s.name)));
    TempDir tmp("ssh-faults");
    std::string saved = tmp.path + "/saved";
    auto base = fleet.audit_args(fleet.trust_all(tmp.path + "/known_hosts"));
    std::vector<std::string> tuning = {"--jobs", "8", "--timeout", "2", "--max-bytes", "1000000"};
    base.insert(base.end(), tuning.begin(), tuning.end());

    auto args = base;
    args.insert(args.end(), {"--save", saved});
    auto good = run_microseg(args, kEnv);  // no faults yet: every copy saved
    REQUIRE_MESSAGE(good.exit_code == 0, good.out, good.err);
    auto before = files_in(saved);
    REQUIRE(before.size() == kFaults.size() + 1);
    for (const auto& [file, text] : before) {
        CAPTURE(file);
        CHECK_MESSAGE(leaked(text).empty(), fmt::format("{}", fmt::join(leaked(text), " ")));
        CHECK(text.find("<redacted:") != std::string::npos);  // the secrets were there, and redacted
    }

    for (const auto& f : kFaults)
        if (!f.flags.empty()) fleet.set_behaviour(f.name, f.flags);
    std::string stranger = tmp.path + "/stranger_ed25519";
    REQUIRE(generate_key(stranger));
    write_file(fleet.device("junos-auth").dir() + "/authorized_keys", read_file(stranger + ".pub"));
    auto faulty = base;
    faulty[7] = known_hosts_with_faults(fleet, tmp.path + "/faulty_known_hosts", "ios-newkey", "eos-changedkey");

    args = faulty;
    args.insert(args.end(), {"--save", saved});
    auto started = std::chrono::steady_clock::now();
    auto r = run_microseg(args, kEnv);
    MESSAGE(fmt::format("fault matrix run: {} devices in {} ms, microseg peak RSS {} KiB", kFaults.size() + 1,
                        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count(),
                        r.max_rss_kb));
    CHECK_MESSAGE(r.exit_code == 2, r.out, r.err);
    check_text_report(r.out);
    check_clean_output("text", r.out + r.err);
    auto after = files_in(saved);
    for (const auto& [file, text] : before) {
        CAPTURE(file);
        CHECK(after[file] == text);  // byte-identical: no faulty pull replaced a good copy
    }
    CHECK(after.size() == before.size());
}

TEST_CASE("ssh fault matrix: JSON, SARIF and the HTML report say the same, without secrets or raw escapes") {
    SshFleet fleet(matrix_fleet());
    if (!fleet.ok()) return (void)report_unavailable("sshd", fleet.why_not());
    for (const auto& s : fleet.policy().switches()) fleet.serve(s.name, with_secrets(s.platform, fleet.emitted(s.name)));
    for (const auto& f : kFaults)
        if (!f.flags.empty()) fleet.set_behaviour(f.name, f.flags);
    TempDir tmp("ssh-faults");
    auto base = fleet.audit_args(known_hosts_with_faults(fleet, tmp.path + "/known_hosts", "ios-newkey", "eos-changedkey"));
    write_file(fleet.device("junos-auth").dir() + "/authorized_keys", "");
    base.insert(base.end(), {"--jobs", "8", "--timeout", "2", "--max-bytes", "1000000", "--format"});

    auto json = run_microseg([&] { auto a = base; a.push_back("json"); return a; }(), kEnv);
    CHECK_MESSAGE(json.exit_code == 2, json.err);
    check_json_report(json.out);
    check_clean_output("json", json.out + json.err);
    auto sarif = run_microseg([&] { auto a = base; a.push_back("sarif"); return a; }(), kEnv);
    CHECK_MESSAGE(sarif.exit_code == 2, sarif.err);
    CHECK(sarif.out.find("\"ruleId\": \"not-audited\"") != std::string::npos);
    check_clean_output("sarif", sarif.out + sarif.err);

    std::string audit_json = tmp.path + "/audit.json", html_path = tmp.path + "/report.html";
    write_file(audit_json, json.out);
    auto report = run_microseg({"report", fleet.policy_path(), "--audit", audit_json, "-o", html_path}, kEnv);
    REQUIRE_MESSAGE(report.exit_code == 0, report.err);
    auto html = read_file(html_path);
    check_html_report(html);
    check_clean_output("html", html);
}

// What the escapes fleet's text report must say: shown, never obeyed.
void check_escapes_text(const std::string& out) {
    CHECK(status_of(out, "core-01") == "clean");
    CHECK(status_of(out, "acc-eos") != "drifted");
    CHECK(status_of(out, "nft-esc") != "drifted");
    CHECK(status_of(out, "acc-esc") == "not audited");
    CHECK(status_of(out, "nft-esc-err") == "not audited");
    // The bell of the title sequence is printed as \x07 (over a PTY the terminal layer has
    // consumed the ESC sequences; an exec channel's stderr keeps them all, escaped).
    CHECK_MESSAGE(out.find("rejected: % Invalid input detected0;pwned\\x07 hidden") != std::string::npos, out);
    CHECK_MESSAGE(out.find("status 1: netlink: Error: \\x1b]0;pwned\\x07\\x1b[8mhidden\\x1b[0m Operation not permitted") !=
                      std::string::npos, out);
}

TEST_CASE("ssh fault matrix: terminal escapes from a device never reach stdout or the HTML report raw") {
    SshFleet fleet({{"core-01", PlatformId::cisco_ios, true}, {"acc-esc", PlatformId::cisco_ios, false},
                    {"acc-eos", PlatformId::arista_eos, false}, {"nft-esc", PlatformId::nftables, false},
                    {"nft-esc-err", PlatformId::nftables, false}});
    if (!fleet.ok()) return (void)report_unavailable("sshd", fleet.why_not());
    TempDir tmp("ssh-faults");
    fleet.set_behaviour("acc-esc", "--error-answer escapes");
    fleet.set_behaviour("acc-eos", "--escapes");  // a config line with escapes: read, never obeyed
    fleet.set_behaviour("nft-esc", "--escapes");
    fleet.set_behaviour("nft-esc-err", "--error-answer nft-escapes");  // on stderr, quoted in the reason
    auto args = fleet.audit_args(fleet.trust_all(tmp.path + "/known_hosts"));
    args.insert(args.end(), {"--timeout", "2"});
    for (std::string format : {"text", "json", "sarif"}) {
        CAPTURE(format);
        auto a = args;
        a.insert(a.end(), {"--format", format});
        auto r = run_microseg(a, kEnv);
        CHECK_MESSAGE(r.exit_code == 2, r.out);
        CHECK_MESSAGE(raw_control(r.out).empty(), raw_control(r.out));
        CHECK(r.err.find('\x1b') == std::string::npos);
        if (format == "text") check_escapes_text(r.out);
        if (format != "json") continue;
        CHECK(r.out.find("pwned\\u0007") != std::string::npos);
        std::string audit_json = tmp.path + "/audit.json", html_path = tmp.path + "/report.html";
        write_file(audit_json, r.out);
        auto report = run_microseg({"report", fleet.policy_path(), "--audit", audit_json, "-o", html_path}, kEnv);
        REQUIRE_MESSAGE(report.exit_code == 0, report.err);
        auto html = read_file(html_path);
        CHECK_MESSAGE(raw_control(html).empty(), raw_control(html));
        CHECK(html.find("Not audited: command failed: &#39;nft list ruleset&#39; exited with status 1: netlink: Error: "
                        "\\x1b]0;pwned\\x07\\x1b[8mhidden") != std::string::npos);
    }
}

// `nft list ruleset` on a router with nothing loaded prints nothing and exits 0: the router
// filters nothing. That is the audit's worst finding, not a fault to hide behind "not audited".
TEST_CASE("ssh fault matrix: an nftables router with an empty ruleset is drifted, and saved as it is") {
    SshFleet fleet({{"core-01", PlatformId::cisco_ios, true}, {"nft-empty", PlatformId::nftables, false}});
    if (!fleet.ok()) return (void)report_unavailable("sshd", fleet.why_not());
    TempDir tmp("ssh-faults");
    std::string saved = tmp.path + "/saved";
    auto args = fleet.audit_args(fleet.trust_all(tmp.path + "/known_hosts"));
    args.insert(args.end(), {"--timeout", "5", "--save", saved});
    auto good = run_microseg(args, kEnv);
    REQUIRE_MESSAGE(good.exit_code == 0, good.out, good.err);
    REQUIRE(read_file(saved + "/nft-empty.nft").find("table inet microseg {") != std::string::npos);
    auto core_before = read_file(saved + "/core-01.ios");

    fleet.serve("nft-empty", "");
    auto r = run_microseg(args, kEnv);
    CHECK_MESSAGE(r.exit_code == 1, r.out, r.err);  // drift, not "not audited" (2)
    CHECK(status_of(r.out, "core-01") == "clean");
    CHECK(status_of(r.out, "nft-empty") == "drifted");
    CHECK_MESSAGE(r.out.find("  exposure  nft forward: no forward base chain: everything is routed unfiltered") !=
                      std::string::npos, r.out);
    // The copy is the router's state now, so an offline `diff --dir` says what the live audit said.
    CHECK(read_file(saved + "/nft-empty.nft").empty());
    CHECK(read_file(saved + "/core-01.ios") == core_before);
    auto offline = run_microseg({"diff", fleet.policy_path(), "--dir", saved}, kEnv);
    CHECK_MESSAGE(offline.exit_code == 1, offline.out, offline.err);
    CHECK(status_of(offline.out, "nft-empty") == "drifted");
    CHECK(offline.out.find("no forward base chain: everything is routed unfiltered") != std::string::npos);
}
