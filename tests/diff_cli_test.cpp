// `microseg diff` end to end: saved configs in a directory, text/json/sarif output, exit codes,
// secrets never printed, and a live change that opens a new lateral-movement path.
#include <doctest/doctest.h>

#include <filesystem>
#include <regex>

#include "audit/drift/live_flows.hpp"
#include "compiler/compiler.hpp"
#include "emitters/emitter.hpp"
#include "model/all_pairs.hpp"
#include "model/file_io.hpp"
#include "tests/support/run_command.hpp"

using namespace microseg;
using microseg::testing::run_microseg;
namespace fs = std::filesystem;

namespace {

const std::string kHospital = std::string(MICROSEG_SOURCE_DIR) + "/examples/hospital/policy.yaml";
const std::vector<std::string> kEnv = {"MICROSEG_REDACT_KEY=diff-test-key"};

struct SavedConfigs {
    Policy policy;
    fs::path dir;
    std::map<std::string, fs::path> files;  // switch -> file, for IOS/EOS switches

    SavedConfigs() {
        auto r = compile_policy_file(kHospital);
        REQUIRE(r.ok());
        policy = std::move(*r.policy);
        dir = fs::temp_directory_path() / fmt::format("microseg-diff-{}", ::getpid());
        fs::remove_all(dir);
        fs::create_directories(dir);
        for (const auto& sw : policy.switches()) {
            if (sw.platform != PlatformId::cisco_ios && sw.platform != PlatformId::arista_eos) continue;
            auto config = emitter_for(sw.platform).emit(policy, sw);
            REQUIRE(config);
            auto path = dir / fmt::format("{}.{}", sw.name, sw.platform_info().extension);
            REQUIRE(write_file_atomically(path.string(), config->text));
            files[sw.name] = path;
        }
        REQUIRE(files.size() >= 2);
    }
    ~SavedConfigs() { fs::remove_all(dir); }

    std::string read(const std::string& sw) { return *read_text_file(files.at(sw).string()); }
    void write(const std::string& sw, const std::string& text) {
        REQUIRE(write_file_atomically(files.at(sw).string(), text));
    }
};

std::vector<std::string> switch_args(const SavedConfigs& s, const std::string& sw) {
    return {"diff", kHospital, "--switch", sw, s.files.at(sw).string()};
}

}  // namespace

TEST_CASE("diff of freshly emitted configs is clean in every format") {
    SavedConfigs s;
    for (const auto& [sw, path] : s.files) {
        auto r = run_microseg(switch_args(s, sw), kEnv);
        CHECK_MESSAGE(r.exit_code == 0, sw, "\n", r.out, r.err);
        CHECK(r.out.find(sw + " (") != std::string::npos);
        CHECK(r.out.find(": clean") != std::string::npos);
    }
    auto json = run_microseg({"diff", "--at", microseg::testing::kPolicyDay, kHospital, "--switch", s.files.begin()->first,
                              s.files.begin()->second.string(), "--format", "json"}, kEnv);
    CHECK(json.exit_code == 0);
    CHECK(json.out.find("\"status\": \"clean\"") != std::string::npos);
}

TEST_CASE("diff --dir: drift exits 1, a missing config is 'not audited' and exits 2") {
    SavedConfigs s;
    auto [name, path] = *s.files.begin();
    auto text = s.read(name);
    std::smatch m;
    REQUIRE(std::regex_search(text, m, std::regex("ip access-list (extended )?MS_IN_\\S+\n")));
    auto at = static_cast<std::size_t>(m.position(0) + m.length(0));
    bool eos = text.find("ip access-list extended") == std::string::npos;
    text.insert(at, eos ? "   5 permit tcp any any eq 3389\n" : " permit tcp any any eq 3389\n");
    // Before the final "end": a saved file that does not end with it is "not audited".
    text.insert(text.rfind("end"), "snmp-server community hunter2-secret RO\nfrobnicate password hunter3-secret\n");
    s.write(name, text);
    // Only this switch and the other saved ones are in DIR; the rest of the policy's switches
    // (Junos, nftables) are not: they are "not audited", so the run exits 2.
    auto all = run_microseg({"diff", "--at", microseg::testing::kPolicyDay, kHospital, "--dir", s.dir.string()}, kEnv);
    CHECK(all.exit_code == 2);
    CHECK(all.out.find("not audited: no saved config") != std::string::npos);
    auto one = run_microseg({"diff", "--at", microseg::testing::kPolicyDay, kHospital, "--dir", s.dir.string(), "--switch", name}, kEnv);
    CHECK_MESSAGE(one.exit_code == 1, one.out, one.err);
    CHECK(one.out.find("drifted") != std::string::npos);
    CHECK(one.out.find(":3389 (new)") != std::string::npos);
    for (const auto& format : {"text", "json", "sarif"}) {
        auto r = run_microseg({"diff", "--at", microseg::testing::kPolicyDay, kHospital, "--dir", s.dir.string(), "--switch", name, "--format", format}, kEnv);
        CHECK(r.out.find("hunter2") == std::string::npos);
        CHECK(r.out.find("hunter3") == std::string::npos);
        CHECK(r.err.find("hunter2") == std::string::npos);
    }
    auto sarif = run_microseg({"diff", "--at", microseg::testing::kPolicyDay, kHospital, "--dir", s.dir.string(), "--switch", name, "--format", "sarif"}, kEnv);
    CHECK(sarif.out.find("\"version\": \"2.1.0\"") != std::string::npos);
    CHECK(sarif.out.find("\"ruleId\": \"acl-exposure\"") != std::string::npos);
    CHECK(sarif.out.find("\"startLine\": ") != std::string::npos);
    CHECK(sarif.out.find(path.string()) != std::string::npos);
}

TEST_CASE("diff: usage errors and unreadable input exit 2") {
    SavedConfigs s;
    auto name = s.files.begin()->first;
    CHECK(run_microseg({"diff", "--at", microseg::testing::kPolicyDay, kHospital}, kEnv).exit_code == 2);
    CHECK(run_microseg({"diff", "--at", microseg::testing::kPolicyDay, kHospital, "/etc/hostname"}, kEnv).exit_code == 2);
    CHECK(run_microseg({"diff", "--at", microseg::testing::kPolicyDay, kHospital, "--switch", "no-such-switch", "/etc/hostname"}, kEnv).exit_code == 2);
    auto missing = run_microseg({"diff", "--at", microseg::testing::kPolicyDay, kHospital, "--switch", name, "/no/such/file"}, kEnv);
    CHECK(missing.exit_code == 2);
    CHECK(missing.out.find("not audited: cannot open") != std::string::npos);
}

namespace {

struct LateralProbe {
    std::string entry, target;
    const Switch* gateway = nullptr;
};

// An entry class with a gateway and a protected class it cannot reach by intent. Since the
// stateless reply edges of issue 19, clinical-workstation (EOS core) reaches every protected
// class of the hospital through infra-server's dns/ntp replies; guest-wifi, behind the
// nftables firewall, still reaches none.
LateralProbe unreachable_pair(const Policy& policy) {
    auto graph = ReachabilityGraph::build(policy);
    AllPairsReachability reach(graph.graph());
    for (auto e : graph.entry_classes()) {
        const auto* gw = policy.gateway_of(policy.classes()[e].name);
        if (!gw) continue;
        for (auto p : graph.protected_classes())
            if (!reach.reaches(e, p) && !same_l2_domain(policy.classes()[e], policy.classes()[p]))
                return {policy.classes()[e].name, policy.classes()[p].name, gw};
    }
    return {};
}

// `config` with a first entry permitting ssh from the entry class to the target's subnet.
std::string with_live_ssh_permit(const Policy& policy, const LateralProbe& probe, std::string config) {
    const auto& subnet = policy.find_class(probe.target)->subnets.front();
    if (probe.gateway->platform == PlatformId::nftables) {
        auto chain = fmt::format("\tchain from_{} {{\n", probe.entry);
        auto at = config.find(chain);
        REQUIRE(at != std::string::npos);
        return config.insert(at + chain.size(), fmt::format("\t\tip daddr {} tcp dport 22 accept\n", subnet));
    }
    bool eos = probe.gateway->platform == PlatformId::arista_eos;
    // The ACL of the entry class's SVI: the one applied on its VLAN's interface.
    auto vlan = *policy.find_class(probe.entry)->vlan;
    std::smatch m;
    REQUIRE(std::regex_search(config, m, std::regex(fmt::format("interface Vlan{}\n(?:[^\n]*\n)*?\\s*ip access-group (\\S+) in", vlan))));
    auto header = fmt::format("ip access-list {}{}\n", eos ? "" : "extended ", std::string(m[1]));
    auto at = config.find(header);
    REQUIRE(at != std::string::npos);
    auto dst = eos ? subnet.str() : fmt::format("{} {}", subnet.network, subnet.wildcard());
    return config.insert(at + header.size(), fmt::format("{}permit tcp any {} eq 22\n", eos ? "   1 " : " ", dst));
}

}  // namespace

TEST_CASE("a live permit that opens a new lateral path is reported as one") {
    SavedConfigs s;
    auto probe = unreachable_pair(s.policy);
    REQUIRE_MESSAGE(probe.gateway != nullptr, "the hospital example has no unreachable protected class behind a gateway");
    const Switch& sw = *probe.gateway;
    auto emitted = emitter_for(sw.platform).emit(s.policy, sw);
    REQUIRE(emitted);
    auto path = s.dir / fmt::format("{}.{}", sw.name, sw.platform_info().extension);
    REQUIRE(write_file_atomically(path.string(), with_live_ssh_permit(s.policy, probe, emitted->text)));
    auto r = run_microseg({"diff", "--at", microseg::testing::kPolicyDay, kHospital, "--dir", s.dir.string(), "--switch", sw.name}, kEnv);
    CHECK(r.exit_code == 1);
    CHECK_MESSAGE(r.out.find(fmt::format("  {} -> {}\n", probe.entry, probe.target)) != std::string::npos, r.out);
    CHECK(r.out.find("live config of " + sw.name) != std::string::npos);
}

TEST_CASE("switch names the file rules rewrite round-trip compile -o DIR -> diff --dir DIR clean") {
    // Every platform of the hospital, under names with dots; two names that sanitise alike
    // ("acc.icu-01" and "acc_icu-01") must still get files of their own.
    auto text = read_text_file(kHospital);
    REQUIRE(text);
    std::string policy = *text;
    const std::vector<std::pair<std::string, std::string>> renames = {
        {"acc-icu-01", "acc.icu-01"}, {"acc-rad-01", "acc_icu-01"}, {"dist-dc-01", "dist.dc.01"},
        {"acc-blockb-01", "acc-blockb.01"}, {"core-fw-01", "core.fw-01"}};
    for (const auto& [from, to] : renames)
        policy = std::regex_replace(policy, std::regex("\\b" + from + "\\b"), to);
    auto dir = fs::temp_directory_path() / fmt::format("microseg-names-{}", ::getpid());
    fs::remove_all(dir);
    fs::create_directories(dir / "out");
    auto policy_path = (dir / "policy.yaml").string();
    REQUIRE(write_file_atomically(policy_path, policy));
    auto compiled = run_microseg({"compile", "--at", microseg::testing::kPolicyDay, policy_path, "-o", (dir / "out").string()}, kEnv);
    REQUIRE_MESSAGE(compiled.exit_code == 0, compiled.err);
    std::size_t files = 0;
    for (const auto& f : fs::directory_iterator(dir / "out")) files += f.is_regular_file();
    auto checked = compile_policy_file(policy_path);
    REQUIRE(checked.ok());
    CHECK(files == checked.policy->switches().size());  // no two switches share a file
    auto diff = run_microseg({"diff", "--at", microseg::testing::kPolicyDay, policy_path, "--dir", (dir / "out").string()}, kEnv);
    CHECK_MESSAGE(diff.exit_code == 0, diff.out, diff.err);
    auto n = checked.policy->switches().size();
    CHECK(diff.out.find(fmt::format("{} switches: {} clean, 0 drifted, 0 unknown, 0 not audited", n, n)) != std::string::npos);
    for (const auto& [from, to] : renames) {
        CAPTURE(to);
        CHECK(diff.out.find(to + " (") != std::string::npos);
    }
    fs::remove_all(dir);
}
