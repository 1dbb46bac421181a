// The IOS-XE and EOS change writers (emitters/ios_style_change.hpp), typed into the simulated
// devices (plan/device_ios_style.cpp) over the fixture running configs (tests/fixtures/,
// written from vendor documentation). Judged by the audit: the parser reads what the device
// holds and diff_switch compares it with the intent, never with the writer's own output.
#include <doctest/doctest.h>

#include <algorithm>
#include <regex>
#include <sstream>
#include <tuple>

#include "audit/drift/drift.hpp"
#include "audit/parse/registry.hpp"
#include "compiler/compiler.hpp"
#include "emitters/change_form.hpp"
#include "emitters/emitter.hpp"
#include "model/file_io.hpp"
#include "plan/device.hpp"

using namespace microseg;

namespace {

const std::string kFixtures = std::string(MICROSEG_SOURCE_DIR) + "/tests/fixtures/";

std::string fixture(const std::string& path) {
    auto text = read_text_file(kFixtures + path);
    REQUIRE(text);
    return *text;
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
    auto at = text.find(from);
    REQUIRE_MESSAGE(at != std::string::npos, from);
    return text.replace(at, from.size(), to);
}

// A fixture's policy, edited; flows kept by date as of a fixed day.
Policy policy_of(const std::string& dir, const std::vector<std::pair<std::string, std::string>>& edits = {}) {
    auto text = fixture(dir + "/policy.yaml");
    for (const auto& [from, to] : edits) text = replaced(text, from, to);
    CompileOptions options;
    options.today = std::chrono::year_month_day{std::chrono::year{2026}, std::chrono::month{11}, std::chrono::day{1}};
    auto result = compile_policy_text(text, kFixtures + dir + "/policy.yaml", options);
    REQUIRE_MESSAGE(result.ok(), (result.diagnostics.items().empty() ? "" : result.diagnostics.items()[0].message));
    return *result.policy;
}

SwitchIntent intent_of(const Policy& policy) {
    auto intent = switch_intent(policy, policy.switches().front());
    REQUIRE(intent);
    return *intent;
}

// The plan from `running` to the policy's intent for its only switch.
ChangeForm plan(const Policy& policy, const std::string& running) {
    const Switch& sw = policy.switches().front();
    const auto& writer = change_writer_for(sw.platform);
    auto parsed = parser_for(sw.platform)(running);
    auto target = writer.in_device_names(intent_of(policy), sw);
    auto emitted = emitter_for(sw.platform).emit(policy, sw);
    REQUIRE(emitted);
    return writer.write(ChangeRequest{policy, sw, parsed, running, target, emitted->text, false});
}

// The plan from `running` back to what `original` ran.
ChangeForm rollback(const Policy& policy, const std::string& running, const std::string& original) {
    const Switch& sw = policy.switches().front();
    auto parsed = parser_for(sw.platform)(running);
    auto before = parser_for(sw.platform)(original);
    return change_writer_for(sw.platform).write(ChangeRequest{policy, sw, parsed, running, before.as_built, original, true});
}

std::string typed(PlatformId platform, const std::string& running, const ChangeForm& form) {
    auto device = simulated_device(platform, running);
    for (const auto& step : form.steps) {
        auto refused = device->type(step.commands);
        REQUIRE_MESSAGE(!refused, (refused ? refused->message : ""));
    }
    return device->running_config();
}

std::vector<std::string> ios_lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

std::string findings_text(const std::vector<DriftFinding>& findings) {
    std::string out;
    for (const auto& f : findings) out += fmt::format("{}: {}\n", f.subject, f.message);
    return out;
}

std::vector<std::string> all_commands(const ChangeForm& form) {
    std::vector<std::string> out;
    for (const auto& s : form.steps) out.insert(out.end(), s.commands.begin(), s.commands.end());
    return out;
}

// The text from the line `from` up to (not including) the line `to`.
std::string section(const std::string& text, const std::string& from, const std::string& to) {
    auto a = text.find(from);
    auto b = text.find(to, a);
    REQUIRE(a != std::string::npos);
    REQUIRE(b != std::string::npos);
    return text.substr(a, b - a);
}

// A flow removed (infusion-pump -> ehr-server) and one added (workstation -> ehr-server ssh).
const std::vector<std::pair<std::string, std::string>> kChangedFlows = {
    {"  - {from: infusion-pump, to: ehr-server, services: [https], reason: \"drug library\"}\n",
     "  - {from: workstation, to: ehr-server, services: [ssh], reason: \"admin\"}\n"}};

}  // namespace

TEST_CASE("IOS plan for a changed policy: clean after, what it does not own untouched, nothing left to do") {
    auto running = fixture("cisco-ios/acc-ios-01.cfg");
    auto policy = policy_of("cisco-ios", kChangedFlows);
    auto form = plan(policy, running);
    REQUIRE(form.steps.size() >= 4);
    CHECK(form.steps.front().commands.front() == "configure terminal");
    CHECK(form.steps.back().commands.back() == "end");
    auto after = typed(PlatformId::cisco_ios, running, form);
    auto parsed = parse_cisco_ios(after);
    auto findings = diff_switch(intent_of(policy), parsed);
    CHECK_MESSAGE(findings.empty(), findings_text(findings));
    // What microseg does not own: byte for byte.
    for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
             {"Building configuration", "vlan 110\n"},
             {"interface GigabitEthernet0/0\n", "interface GigabitEthernet1/0/1\n"},
             {"interface Vlan1\n", "interface Vlan110\n"},
             {"ip forward-protocol nd", "ip access-list extended MGMT-SSH\n"},
             {"ip access-list extended MGMT-SSH\n", " 20 deny   ip any any log\n"},
             {"access-list 10 permit", "end\n"}})
        CHECK(section(after, from, to) == section(running, from, to));
    // The old ACLs are gone, the new ones bound under new names; the pumps carry the port ACL.
    CHECK(after.find("ip access-list extended MS_IN_WORKSTATION\n") == std::string::npos);
    CHECK(parsed.as_built.svis[2].acl.name.starts_with("MS_IN_WORKSTATION_V"));
    CHECK(parsed.isolation_acl_of.size() == 24);
    CHECK(plan(policy, after).steps.empty());
}

TEST_CASE("IOS: the emitted file typed over an older ACL appends after its deny; the plan does not") {
    auto running = fixture("cisco-ios/acc-ios-01.cfg");
    auto policy = policy_of("cisco-ios", kChangedFlows);
    auto emitted = emitter_for(PlatformId::cisco_ios).emit(policy, policy.switches().front());
    REQUIRE(emitted);
    auto device = simulated_device(PlatformId::cisco_ios, running);
    std::vector<std::string> lines{"configure terminal"};
    for (auto& l : ios_lines_of(emitted->text)) lines.push_back(l);
    REQUIRE_FALSE(device->type(lines));  // IOS takes every line...
    auto pasted = diff_switch(intent_of(policy), parse_cisco_ios(device->running_config()));
    bool https_kept = false, ssh_after_deny = false;  // ...and keeps the old permit, the new one dead
    for (const auto& f : pasted) {
        https_kept |= f.kind == DriftKind::acl_exposure && f.example && f.example->destination_port == 443 &&
                      f.subject == "ACL on Vlan110";
        ssh_after_deny |= f.kind == DriftKind::acl_outage && f.example && f.example->destination_port == 22;
    }
    CHECK_MESSAGE(https_kept, findings_text(pasted));
    CHECK_MESSAGE(ssh_after_deny, findings_text(pasted));
    // The plan never re-enters an ACL that is bound, and never binds one it has not defined.
    auto form = plan(policy, running);
    std::vector<std::string> defined;
    for (const auto& c : all_commands(form)) {
        CHECK(c != "ip access-list extended MS_IN_WORKSTATION");
        CHECK(c != "ip access-list extended MS_IN_INFUSION-PUMP");
        if (c.starts_with("ip access-list extended ")) defined.push_back(c.substr(24));
        if (c.starts_with(" ip access-group ")) {
            auto name = c.substr(17, c.size() - 17 - 3);
            bool before = std::find(defined.begin(), defined.end(), name) != defined.end();
            CHECK_MESSAGE(before, name);
        }
    }
    CHECK(diff_switch(intent_of(policy), parse_cisco_ios(typed(PlatformId::cisco_ios, running, form))).empty());
}

TEST_CASE("EOS: the emitted file re-pasted is refused (duplicate sequence); the session plan is accepted") {
    auto running = fixture("arista-eos/leaf-eos-01.cfg");
    auto policy = policy_of("arista-eos", kChangedFlows);
    auto emitted = emitter_for(PlatformId::arista_eos).emit(policy, policy.switches().front());
    REQUIRE(emitted);
    std::vector<std::string> lines{"configure"};
    for (auto& l : ios_lines_of(emitted->text)) lines.push_back(l);
    auto refused = simulated_device(PlatformId::arista_eos, running)->type(lines);
    REQUIRE(refused);
    CHECK(refused->message.find("Duplicate sequence number") != std::string::npos);

    auto form = plan(policy, running);
    REQUIRE(form.steps.size() == 3);
    CHECK(form.steps[0].commands.front().starts_with("configure session microseg-"));
    CHECK(form.steps[1].commands == std::vector<std::string>{"commit timer 00:10:00"});
    CHECK(form.steps[2].commands.front() == form.steps[0].commands.front() + " commit");
    REQUIRE_FALSE(form.notes.empty());
    CHECK(form.notes.front().find("10 minutes") != std::string::npos);
    // The session changes nothing until its commit timer; then everything at once.
    auto device = simulated_device(PlatformId::arista_eos, running);
    REQUIRE_FALSE(device->type(form.steps[0].commands));
    CHECK(device->running_config() == running);
    REQUIRE_FALSE(device->type(form.steps[1].commands));
    REQUIRE_FALSE(device->type(form.steps[2].commands));
    auto after = device->running_config();
    auto findings = diff_switch(intent_of(policy), parse_arista_eos(after));
    CHECK_MESSAGE(findings.empty(), findings_text(findings));
    CHECK(section(after, "! Command", "vlan 110\n") == section(running, "! Command", "vlan 110\n"));
    CHECK(section(after, "interface Ethernet5\n", "interface Vlan110\n") == section(running, "interface Ethernet5\n", "interface Vlan110\n"));
    CHECK(section(after, "ip virtual-router", "end\n") == section(running, "ip virtual-router", "end\n"));
    CHECK(plan(policy, after).steps.empty());
    CHECK(plan(policy_of("arista-eos"), running).steps.empty());  // the fixture runs its policy
}

TEST_CASE("rollback typed after the plan gives back the original segmentation") {
    for (auto [dir, file, platform] : {std::tuple{"cisco-ios", "acc-ios-01.cfg", PlatformId::cisco_ios},
                                       std::tuple{"arista-eos", "leaf-eos-01.cfg", PlatformId::arista_eos}}) {
        CAPTURE(dir);
        auto running = fixture(std::string(dir) + "/" + file);
        auto policy = policy_of(dir, kChangedFlows);
        auto after = typed(platform, running, plan(policy, running));
        auto back = typed(platform, after, rollback(policy, after, running));
        auto original = parser_for(platform)(running);
        auto restored = parser_for(platform)(back);
        // As-built as an intent: the SVIs without ACLs (Vlan1, the MLAG peer VLAN) are findings of
        // the original config itself, so the restored one must have exactly those.
        auto findings = findings_text(diff_switch(original.as_built, restored));
        CHECK(findings == findings_text(diff_switch(original.as_built, original)));
        CHECK(findings.find(": no inbound ACL on Vlan") != std::string::npos);
        CHECK(restored.isolation_acl_of == original.isolation_acl_of);
        CHECK(restored.protected_ports == original.protected_ports);
        // The original policy's diff of the restored config is what it was of the original.
        CHECK(diff_switch(intent_of(policy_of(dir)), restored).size() == diff_switch(intent_of(policy_of(dir)), original).size());
        CHECK(rollback(policy, back, running).steps.empty());
    }
}

TEST_CASE("IOS trunks: VLANs added and removed with add/remove, never the management VLAN") {
    auto running = fixture("cisco-ios/acc-ios-01.cfg");
    auto policy = policy_of("cisco-ios", {{"      Gi1/0/47: [110, 120, 130]", "      Gi1/0/47: [110, 120]"},
                                          {"    user: netops\n", "    user: netops\n    management_vlan: 99\n"}});
    auto form = plan(policy, running);
    auto commands = all_commands(form);
    auto has = [&](const std::string& c) { return std::find(commands.begin(), commands.end(), c) != commands.end(); };
    CHECK(has(" switchport trunk allowed vlan add 99"));
    CHECK(has(" switchport trunk allowed vlan remove 130"));
    std::regex replacing(R"(\s*switchport trunk allowed vlan \d.*)");
    for (const auto& c : commands) CHECK_FALSE(std::regex_match(c, replacing));
    // The VLAN is added to a trunk before anything else and removed after the ports moved.
    auto after = typed(PlatformId::cisco_ios, running, form);
    auto findings = diff_switch(intent_of(policy), parse_cisco_ios(after));
    CHECK_MESSAGE(findings.empty(), findings_text(findings));
    // A target without the management VLAN on a trunk never removes it from that trunk.
    const Switch& sw = policy.switches().front();
    auto parsed = parse_cisco_ios(after);
    auto target = change_writer_for(sw.platform).in_device_names(intent_of(policy), sw);
    for (auto& t : target.trunks) t.vlans = {110, 120};
    auto cut = change_writer_for(sw.platform).write(ChangeRequest{policy, sw, parsed, after, target, "", false});
    for (const auto& c : all_commands(cut)) CHECK(c.find("remove 99") == std::string::npos);
    auto trimmed = parse_cisco_ios(typed(PlatformId::cisco_ios, after, cut));
    for (const auto& t : trimmed.as_built.trunks) CHECK(t.vlans == std::vector<int>{99, 110, 120});
}

// workstation moves from VLAN 120 to 125 with its subnet: IOS refuses the new SVI's address
// while the old SVI holds it, so the old one goes first, in a step of its own that says so.
TEST_CASE("IOS: a class moving to another VLAN: VLAN first, subnet freed, new SVI, ports, old VLAN last") {
    auto running = fixture("cisco-ios/acc-ios-01.cfg");
    auto policy = policy_of("cisco-ios", {{"    vlan: 120\n", "    vlan: 125\n"},
                                          {"      Gi1/0/47: [110, 120, 130]", "      Gi1/0/47: [110, 125, 130]"},
                                          {"      Gi1/0/48: [110, 120, 130]", "      Gi1/0/48: [110, 125, 130]"},
                                          {"      Po1: [110, 120, 130]", "      Po1: [110, 125, 130]"}});
    auto form = plan(policy, running);
    auto step_with = [&](const std::string& command) {
        for (std::size_t i = 0; i < form.steps.size(); ++i)
            for (const auto& c : form.steps[i].commands)
                if (c == command) return i;
        FAIL("no step has " << command);
        return form.steps.size();
    };
    auto vlan = step_with("vlan 125");
    auto freed = step_with("no interface Vlan120");
    auto svi = step_with("interface Vlan125");
    auto trunk_add = step_with(" switchport trunk allowed vlan add 125");
    auto port = step_with(" switchport access vlan 125");
    auto trunk_remove = step_with(" switchport trunk allowed vlan remove 120");
    auto old_vlan = step_with("no vlan 120");
    CHECK(vlan < freed);
    CHECK(freed + 1 == svi);
    CHECK(form.steps[freed].title.find("unreachable until the next step") != std::string::npos);
    CHECK(svi < trunk_add);
    CHECK(trunk_add < port);
    CHECK(port < trunk_remove);
    CHECK(trunk_remove < old_vlan);
    auto after = typed(PlatformId::cisco_ios, running, form);
    auto findings = diff_switch(intent_of(policy), parse_cisco_ios(after));
    CHECK_MESSAGE(findings.empty(), findings_text(findings));
    CHECK(plan(policy, after).steps.empty());
    auto back = parse_cisco_ios(typed(PlatformId::cisco_ios, after, rollback(policy, after, running)));
    auto original = parse_cisco_ios(running);
    CHECK(findings_text(diff_switch(original.as_built, back)) == findings_text(diff_switch(original.as_built, original)));
}

// DESIGN "What microseg owns": an MS_ ACL that something microseg does not own still uses stays.
TEST_CASE("IOS: an owned ACL still used by a vty access-class is not deleted; other ACLs never are") {
    auto running = replaced(fixture("cisco-ios/acc-ios-01.cfg"), "line vty 5 15\n access-class 10 in\n",
                            "line vty 5 15\n access-class MS_IN_WORKSTATION in\n");
    auto policy = policy_of("cisco-ios", kChangedFlows);
    auto form = plan(policy, running);
    for (const auto& c : all_commands(form)) {
        CHECK(c != "no ip access-list extended MS_IN_WORKSTATION");
        CHECK_FALSE(c.starts_with("no access-list"));
        CHECK(c.find("MGMT-") == std::string::npos);
    }
    CHECK(std::find(all_commands(form).begin(), all_commands(form).end(), "no ip access-list extended MS_IN_INFUSION-PUMP") !=
          all_commands(form).end());
    auto after = typed(PlatformId::cisco_ios, running, form);
    auto kept = section(running, "ip access-list extended MS_IN_WORKSTATION\n", "!\naccess-list 10");
    CHECK(after.find(kept) != std::string::npos);
    CHECK(diff_switch(intent_of(policy), parse_cisco_ios(after)).empty());
}

// A switch with nothing of the policy yet: every VLAN, ACL, SVI, trunk and port made, in order.
TEST_CASE("IOS and EOS plans from a bare switch reach the intent, and then have nothing left to do") {
    for (auto [dir, prefix, platform] : {std::tuple{"cisco-ios", "GigabitEthernet1/0/", PlatformId::cisco_ios},
                                         std::tuple{"arista-eos", "Ethernet", PlatformId::arista_eos}}) {
        CAPTURE(dir);
        std::string bare = "hostname bare\n!\n";
        for (int i = 1; i <= 48; ++i) bare += fmt::format("interface {}{}\n!\n", prefix, i);
        bare += "end\n";
        auto policy = policy_of(dir);
        auto form = plan(policy, bare);
        auto after = typed(platform, bare, form);
        auto parsed = parser_for(platform)(after);
        auto findings = diff_switch(intent_of(policy), parsed);
        CHECK_MESSAGE(findings.empty(), (findings_text(findings) + after));
        CHECK(parsed.warnings.empty());
        CHECK(plan(policy, after).steps.empty());
        // Every ACL is defined under its plain name (nothing referenced it) before any binding.
        auto commands = all_commands(form);
        auto first_binding = std::find_if(commands.begin(), commands.end(),
                                          [](const std::string& c) { return c.find("ip access-group") != std::string::npos; });
        auto last_definition = std::find_if(commands.rbegin(), commands.rend(),
                                            [](const std::string& c) { return c.starts_with("ip access-list"); });
        REQUIRE(first_binding != commands.end());
        CHECK(last_definition.base() <= first_binding);
        CHECK(std::find(commands.begin(), commands.end(), std::string("ip access-list ") +
                        (platform == PlatformId::cisco_ios ? "extended " : "") + "MS_IN_WORKSTATION") != commands.end());
    }
}

// On EOS the workstations sit behind phones (`switchport mode trunk phone`): their VLAN is the
// native one, so moving the class moves the native VLAN, inside the one session.
TEST_CASE("EOS: a class moving to another VLAN behind phone ports moves their native VLAN") {
    auto running = fixture("arista-eos/leaf-eos-01.cfg");
    auto policy = policy_of("arista-eos", {{"    vlan: 120\n", "    vlan: 125\n"},
                                           {"      Et47: [110, 120, 130, 4094]", "      Et47: [110, 125, 130, 4094]"},
                                           {"      Ethernet48: [110, 120, 130, 4094]", "      Ethernet48: [110, 125, 130, 4094]"},
                                           {"      Po10: [110, 120, 130, 4094]", "      Po10: [110, 125, 130, 4094]"}});
    auto form = plan(policy, running);
    REQUIRE(form.steps.size() == 3);
    auto commands = form.steps[0].commands;
    CHECK(std::find(commands.begin(), commands.end(), "   switchport trunk native vlan 125") != commands.end());
    CHECK(std::find(commands.begin(), commands.end(), "   switchport access vlan 125") == commands.end());
    auto after = typed(PlatformId::arista_eos, running, form);
    auto findings = diff_switch(intent_of(policy), parse_arista_eos(after));
    CHECK_MESSAGE(findings.empty(), findings_text(findings));
    CHECK(after.find("   switchport mode trunk phone\n") != std::string::npos);
    CHECK(plan(policy, after).steps.empty());
    auto back = parse_arista_eos(typed(PlatformId::arista_eos, after, rollback(policy, after, running)));
    auto original = parse_arista_eos(running);
    CHECK(findings_text(diff_switch(original.as_built, back)) == findings_text(diff_switch(original.as_built, original)));
}

// The policy stops isolating the pumps: their port ACL is unbound, then deleted; the rollback
// defines it again from the previous config and binds it where that config had it.
TEST_CASE("EOS: isolation dropped and rolled back: the port ACL goes, then comes back on the same ports") {
    auto running = fixture("arista-eos/leaf-eos-01.cfg");
    auto policy = policy_of("arista-eos", {{"    isolate: true\n", ""}});
    auto form = plan(policy, running);
    auto commands = all_commands(form);
    CHECK(std::find(commands.begin(), commands.end(), "   no ip access-group MS_ISO_INFUSION-PUMP in") != commands.end());
    CHECK(std::find(commands.begin(), commands.end(), "no ip access-list MS_ISO_INFUSION-PUMP") != commands.end());
    auto after = typed(PlatformId::arista_eos, running, form);
    CHECK(after.find("MS_ISO_") == std::string::npos);
    auto findings = diff_switch(intent_of(policy), parse_arista_eos(after));
    CHECK_MESSAGE(findings.empty(), findings_text(findings));
    auto back = parse_arista_eos(typed(PlatformId::arista_eos, after, rollback(policy, after, running)));
    auto original = parse_arista_eos(running);
    CHECK(back.isolation_acl_of == original.isolation_acl_of);
    CHECK(diff_switch(intent_of(policy_of("arista-eos")), back).empty());
}
