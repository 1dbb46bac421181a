// The Junos change writer (emitters/junos_change.cpp) typed into the simulated Junos switch
// (plan/device_junos.cpp), on the running configs of tests/fixtures/junos (written from
// Juniper's documentation, not from microseg): the config after a plan is clean against the
// intent and keeps what microseg does not own, planning again gives nothing, `load set` of
// compile's file widens a changed term where the plan does not, and the rollback gives back
// the segmentation the switch had.
#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "audit/drift/drift.hpp"
#include "audit/parse/registry.hpp"
#include "compiler/compiler.hpp"
#include "emitters/change_form.hpp"
#include "emitters/emitter.hpp"
#include "plan/device.hpp"
#include "plan/test_fixture.hpp"

using namespace microseg;

namespace {

std::string read_file(const std::string& path) { return test::fixture_text("junos/" + path); }

// The fixture policy with `replace` applied (each pair: text -> new text), and a check that
// each replacement found its text.
Policy policy_with(const std::vector<std::pair<std::string, std::string>>& replace = {}) {
    auto text = read_file("policy.yaml");
    for (const auto& [from, to] : replace) {
        auto at = text.find(from);
        REQUIRE_MESSAGE(at != std::string::npos, from);
        text.replace(at, from.size(), to);
    }
    auto r = compile_policy_text(text, "policy.yaml");
    for (const auto& d : r.diagnostics.items()) INFO(d.message);
    REQUIRE(r.ok());
    return std::move(*r.policy);
}

const Switch& switch_named(const Policy& p, const std::string& name) {
    for (const auto& sw : p.switches())
        if (sw.name == name) return sw;
    FAIL("no switch " << name);
    throw;
}

std::string compiled(const Policy& p, const Switch& sw) {
    auto emitted = emitter_for(PlatformId::junos).emit(p, sw);
    REQUIRE(emitted);
    return emitted->text;
}

std::set<std::string> lines_of(const std::string& text) {
    std::set<std::string> out;
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);)
        if (!l.empty()) out.insert(l);
    return out;
}

struct Applied {
    ChangeForm form;
    std::string after;
};

// The plan from `running` to `target_text` typed into a device that runs `running`.
Applied apply(const Policy& p, const Switch& sw, const std::string& running, const SwitchIntent& target,
              const std::string& target_text, bool rollback) {
    auto parsed = parse_junos(running);
    ChangeRequest request{p, sw, parsed, running, target, target_text, rollback};
    Applied out{change_writer_for(PlatformId::junos).write(request), {}};
    auto device = simulated_device(PlatformId::junos, running);
    for (const auto& step : out.form.steps) {
        auto error = device->type(step.commands);
        if (error) FAIL_CHECK(error->message);
    }
    out.after = device->running_config();
    return out;
}

Applied plan(const Policy& p, const Switch& sw, const std::string& running) {
    auto intent = switch_intent(p, sw);
    REQUIRE(intent);
    auto target = change_writer_for(PlatformId::junos).in_device_names(*intent, sw);
    return apply(p, sw, running, target, compiled(p, sw), false);
}

Applied rollback(const Policy& p, const Switch& sw, const std::string& after, const std::string& original) {
    auto target = parse_junos(original).as_built;
    return apply(p, sw, after, target, original, true);
}

void check_clean(const Policy& p, const Switch& sw, const std::string& after) {
    auto intent = switch_intent(p, sw);
    REQUIRE(intent);
    for (const auto& f : diff_switch(*intent, parse_junos(after))) FAIL_CHECK(f.subject << ": " << f.message);
}

// Lines of `before` that no owned unit holds must all be in `after`. Owned here is said
// without the writer's help: the ms- filters and ranges, VLAN segmentation keys, the switching
// keys of ports, irb addresses and filters, other ranges' membership.
void check_unowned_kept(const std::string& before, const std::string& after) {
    auto kept = lines_of(after);
    for (const auto& l : lines_of(before)) {
        bool owned = l.find(" ms-") != std::string::npos || l.find(" interface-range ") != std::string::npos ||
                     l.find(" vlan-id ") != std::string::npos || l.find(" l3-interface ") != std::string::npos ||
                     l.find(" no-local-switching") != std::string::npos ||
                     l.find("ethernet-switching interface-mode") != std::string::npos ||
                     l.find("ethernet-switching port-mode") != std::string::npos ||
                     l.find("ethernet-switching vlan members") != std::string::npos ||
                     (l.find("set interfaces irb ") == 0 || l.find("set interfaces vlan ") == 0);
        if (!owned) CHECK_MESSAGE(kept.count(l), "lost: " << l);
    }
}

Packet packet(Protocol protocol, const char* source, const char* destination, std::uint16_t port) {
    Packet pk;
    pk.protocol = protocol;
    pk.source = *IpAddress::parse(source);
    pk.destination = *IpAddress::parse(destination);
    pk.source_port = 40000;
    pk.destination_port = port;
    return pk;
}

std::vector<AclEntry> svi_entries(const std::string& config, int vlan) {
    for (const auto& s : parse_junos(config).as_built.svis)
        if (s.vlan == vlan) return s.acl.entries;
    FAIL("no SVI for VLAN " << vlan);
    return {};
}

// The whole cycle on one switch: plan, clean, unowned kept, plan again empty, rollback.
void cycle(const Policy& p, const std::string& switch_name, const std::string& fixture) {
    const auto& sw = switch_named(p, switch_name);
    auto original = simulated_device(PlatformId::junos, read_file(fixture))->running_config();
    auto forward = plan(p, sw, original);
    REQUIRE(forward.form.steps.size() == 3);
    CHECK(forward.form.steps[1].commands == std::vector<std::string>{"commit confirmed 10"});
    check_clean(p, sw, forward.after);
    check_unowned_kept(original, forward.after);
    CHECK(plan(p, sw, forward.after).form.steps.empty());
    auto back = rollback(p, sw, forward.after, original);
    CHECK(lines_of(back.after) == lines_of(original));
    CHECK(rollback(p, sw, back.after, original).form.steps.empty());
}

}  // namespace

TEST_CASE("junos plan: the EX3400 fixture (set and brace form) to the fixture policy and back") {
    auto p = policy_with();
    cycle(p, "ex3400-ward", "ex3400-els.set");
    cycle(p, "ex3400-ward", "ex3400-els.conf");
}

// ge-0/0/12 sets its own VLAN on the fixture: moved into the pumps' range, it must lose it.
TEST_CASE("junos plan: the EX3400 fixture with a port of its own moved to another class") {
    auto p = policy_with({{"      ge-0/0/0-11: infusion-pump\n      ge-0/0/12-23: workstation\n",
                           "      ge-0/0/0-12: infusion-pump\n      ge-0/0/13-23: workstation\n"}});
    cycle(p, "ex3400-ward", "ex3400-els.set");
}

TEST_CASE("junos plan: the EX2300 whose ports are set by a wildcard group") {
    auto p = policy_with();
    cycle(p, "ex4200-gw", "ex2300-groups.conf");
}

TEST_CASE("junos plan: a changed policy on a switch that runs the old one") {
    auto old_policy = policy_with();
    const auto& old_sw = switch_named(old_policy, "ex3400-ward");
    // As the device holds it: compile's header comment is not part of a Junos configuration.
    auto running = simulated_device(PlatformId::junos, compiled(old_policy, old_sw))->running_config();
    SUBCASE("flow added") {
        auto p = policy_with({{"flows:\n", "flows:\n  - {from: infusion-pump, to: workstation, services: [ntp]}\n"}});
        auto forward = plan(p, switch_named(p, "ex3400-ward"), running);
        check_clean(p, switch_named(p, "ex3400-ward"), forward.after);
        CHECK(acl_permits(svi_entries(forward.after, 110), packet(Protocol::udp, "10.110.0.9", "10.200.0.9", 123)));
        CHECK_FALSE(acl_permits(svi_entries(running, 110), packet(Protocol::udp, "10.110.0.9", "10.200.0.9", 123)));
        check_unowned_kept(running, forward.after);
        CHECK(plan(p, switch_named(p, "ex3400-ward"), forward.after).form.steps.empty());
    }
    SUBCASE("flow removed") {
        auto p = policy_with({{"  - {from: infusion-pump, to: pump-server, services: [pump-sync], reason: \"drug library\"}\n", ""}});
        auto forward = plan(p, switch_named(p, "ex3400-ward"), running);
        check_clean(p, switch_named(p, "ex3400-ward"), forward.after);
        CHECK_FALSE(acl_permits(svi_entries(forward.after, 110), packet(Protocol::tcp, "10.110.0.9", "10.111.0.2", 51243)));
        CHECK(plan(p, switch_named(p, "ex3400-ward"), forward.after).form.steps.empty());
    }
    SUBCASE("a class moved to another VLAN: its old irb unit goes") {
        auto p = policy_with({{"    vlan: 110\n", "    vlan: 115\n"}});
        const auto& sw = switch_named(p, "ex3400-ward");
        auto forward = plan(p, sw, running);
        check_clean(p, sw, forward.after);
        CHECK(forward.after.find("irb unit 110") == std::string::npos);
        CHECK(lines_of(forward.after).count("set interfaces irb unit 115 family inet address 10.110.0.1/24"));
        CHECK(plan(p, sw, forward.after).form.steps.empty());
        auto back = rollback(p, sw, forward.after, running);
        CHECK(lines_of(back.after) == lines_of(running));
    }
    SUBCASE("a port moved to another class") {
        auto p = policy_with({{"      ge-0/0/0-11: infusion-pump\n      ge-0/0/12-23: workstation\n",
                               "      ge-0/0/0-12: infusion-pump\n      ge-0/0/13-23: workstation\n"}});
        const auto& sw = switch_named(p, "ex3400-ward");
        auto forward = plan(p, sw, running);
        check_clean(p, sw, forward.after);
        check_unowned_kept(running, forward.after);
        auto ports = parse_junos(forward.after).as_built.access_ports;
        auto port = std::find_if(ports.begin(), ports.end(), [](const auto& a) { return a.interface == "ge-0/0/12"; });
        REQUIRE(port != ports.end());
        CHECK(port->vlan == 110);
        CHECK(port->isolated);
        CHECK(plan(p, sw, forward.after).form.steps.empty());
        auto back = rollback(p, sw, forward.after, running);
        CHECK(lines_of(back.after) == lines_of(running));
    }
}

// PITFALLS.md: `load set` merges a changed term into the old one of the same name.
TEST_CASE("junos plan: the widening trap of load set, and the plan that avoids it") {
    const std::string classes =
        "  dns:\n    vlan: 112\n    subnets: [10.112.0.0/28]\n    devices: 2\n"
        "  hl7-engine:\n    vlan: 113\n    subnets: [10.113.0.0/28]\n    devices: 2\n";
    auto with_flow = [&](const std::string& flow) {
        return policy_with({{"services:\n", "services:\n  hl7: [tcp/2575]\n"},
                            {"classes:\n", "classes:\n" + classes},
                            {"  - {from: infusion-pump, to: pump-server, services: [pump-sync], reason: \"drug library\"}\n",
                             flow}});
    };
    auto old_policy = with_flow("  - {from: infusion-pump, to: dns, services: [dns]}\n");
    auto new_policy = with_flow("  - {from: infusion-pump, to: hl7-engine, services: [hl7]}\n");
    const auto& sw = switch_named(new_policy, "ex3400-ward");
    auto running = compiled(old_policy, switch_named(old_policy, "ex3400-ward"));
    auto target_text = compiled(new_policy, sw);
    // The same term name holds udp/53 to A in the running filter and tcp/2575 to B in the target.
    const std::string term = "set firewall family inet filter ms-in-infusion-pump term t0010 from ";
    REQUIRE(lines_of(running).count(term + "destination-address 10.112.0.0/28"));
    REQUIRE(lines_of(target_text).count(term + "destination-address 10.113.0.0/28"));
    auto to_a_udp53 = packet(Protocol::udp, "10.110.0.9", "10.112.0.2", 53);
    auto to_a_tcp2575 = packet(Protocol::tcp, "10.110.0.9", "10.112.0.2", 2575);
    auto to_b_tcp2575 = packet(Protocol::tcp, "10.110.0.9", "10.113.0.2", 2575);

    auto naive = simulated_device(PlatformId::junos, running);
    std::vector<std::string> load{"configure"};
    std::istringstream in(target_text);
    for (std::string l; std::getline(in, l);) load.push_back(l);
    load.push_back("commit");
    REQUIRE_FALSE(naive->type(load));
    auto widened = svi_entries(naive->running_config(), 110);
    CHECK(acl_permits(widened, to_a_udp53));
    CHECK(acl_permits(widened, to_a_tcp2575));

    auto forward = plan(new_policy, sw, running);
    auto planned = svi_entries(forward.after, 110);
    auto intent = switch_intent(new_policy, sw);
    REQUIRE(intent);
    CHECK(compare_acls(intent->svis.front().acl.entries, planned).equivalent());
    CHECK_FALSE(acl_permits(planned, to_a_udp53));
    CHECK_FALSE(acl_permits(planned, to_a_tcp2575));
    CHECK(acl_permits(planned, to_b_tcp2575));
    // Between the commands nothing ran; after `commit confirmed` the new filter did.
    CHECK(forward.form.steps[0].commands.front() == "configure exclusive");
    auto deleted = std::find(forward.form.steps[0].commands.begin(), forward.form.steps[0].commands.end(),
                             "delete firewall family inet filter ms-in-infusion-pump");
    CHECK(deleted != forward.form.steps[0].commands.end());
}

TEST_CASE("junos plan: the non-ELS EX4200 fixture, a flow added, and back") {
    auto p = policy_with({{"flows:\n", "flows:\n  - {from: workstation, to: pump-server, services: [ssh]}\n"}});
    REQUIRE(switch_named(p, "ex4200-gw").junos_style == JunosStyle::els);
    auto non_els = policy_with({{"flows:\n", "flows:\n  - {from: workstation, to: pump-server, services: [ssh]}\n"},
                                {"    gateway: [workstation]\n", "    gateway: [workstation]\n    junos_style: non-els\n"}});
    const auto& sw = switch_named(non_els, "ex4200-gw");
    REQUIRE(sw.junos_style == JunosStyle::non_els);
    cycle(non_els, "ex4200-gw", "ex4200-pre-els.conf");
    auto after = plan(non_els, sw, simulated_device(PlatformId::junos, read_file("ex4200-pre-els.conf"))->running_config()).after;
    CHECK(lines_of(after).count("set interfaces vlan unit 200 family inet filter input ms-in-workstation"));
    CHECK(lines_of(after).count("set interfaces interface-range ms-workstation unit 0 family ethernet-switching port-mode access"));
    CHECK(acl_permits(svi_entries(after, 200), packet(Protocol::tcp, "10.200.0.9", "10.111.0.2", 22)));
}

// DESIGN: plan never removes the management VLAN from a trunk, nor cuts its routed interface.
TEST_CASE("junos plan: the management VLAN stays on the trunk, its name and irb unit kept") {
    auto p = policy_with({{"    gateway: [infusion-pump]\n", "    gateway: [infusion-pump]\n    management_vlan: 99\n"}});
    const auto& sw = switch_named(p, "ex3400-ward");
    const std::string management =
        "set vlans mgmt vlan-id 99\n"
        "set vlans mgmt l3-interface irb.99\n"
        "set interfaces irb unit 99 family inet address 10.99.0.11/24\n";
    const std::string on_trunk = "set interfaces xe-0/2/0 unit 0 family ethernet-switching vlan members mgmt";
    // Before the plan the uplink does not carry it; the plan adds it; the rollback keeps it.
    auto original = simulated_device(PlatformId::junos, read_file("ex3400-els.set") + management)->running_config();
    REQUIRE_FALSE(lines_of(original).count(on_trunk));
    auto forward = plan(p, sw, original);
    auto after = lines_of(forward.after);
    CHECK(after.count(on_trunk));
    CHECK(after.count("set vlans mgmt l3-interface irb.99"));
    CHECK(after.count("set interfaces irb unit 99 family inet address 10.99.0.11/24"));
    CHECK(after.count("set vlans vlan99 vlan-id 99") == 0);
    auto intent = switch_intent(p, sw);
    REQUIRE(intent);
    for (const auto& f : diff_switch(*intent, parse_junos(forward.after)))
        CHECK_MESSAGE(f.kind == DriftKind::vlan_renamed, f.message);
    auto back = rollback(p, sw, forward.after, original);
    auto rolled = lines_of(back.after);
    CHECK(rolled.count(on_trunk));
    CHECK(rolled.count("set interfaces irb unit 99 family inet address 10.99.0.11/24"));
    for (const auto& l : lines_of(original)) CHECK_MESSAGE(rolled.count(l), "not restored: " << l);
}

// A VLAN renamed: the old name goes, and every `vlan members OLD` with it (or the commit fails),
// a port microseg does not own included.
TEST_CASE("junos plan: a VLAN named otherwise on the switch is renamed with its references") {
    auto p = policy_with();
    const auto& sw = switch_named(p, "ex3400-ward");
    auto text = compiled(p, sw);
    for (std::string from : {"vlans workstation ", "vlan members workstation"}) {
        std::string to = from;
        to.replace(to.find("workstation"), 11, "clinical");
        for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + 1)) text.replace(at, from.size(), to);
    }
    text += "set interfaces ge-0/0/30 description \"not in the policy\"\n"
            "set interfaces ge-0/0/30 unit 0 family ethernet-switching vlan members clinical\n";
    auto running = simulated_device(PlatformId::junos, text)->running_config();
    REQUIRE(lines_of(running).count("set vlans clinical vlan-id 200"));
    auto forward = plan(p, sw, running);
    auto after = lines_of(forward.after);
    CHECK(after.count("set vlans workstation vlan-id 200"));
    CHECK(forward.after.find("clinical") == std::string::npos);
    CHECK(after.count("set interfaces ge-0/0/30 unit 0 family ethernet-switching vlan members workstation"));
    CHECK(after.count("set interfaces ge-0/0/30 description \"not in the policy\""));
    // Clean but for the port the policy does not list, which it was before too.
    auto intent = switch_intent(p, sw);
    REQUIRE(intent);
    for (const auto& f : diff_switch(*intent, parse_junos(forward.after)))
        CHECK_MESSAGE((f.kind == DriftKind::port_unexpected && f.subject == "ge-0/0/30"), f.message);
    CHECK(plan(p, sw, forward.after).form.steps.empty());
    auto back = rollback(p, sw, forward.after, running);
    CHECK(lines_of(back.after) == lines_of(running));
}

TEST_CASE("junos plan: a non-ELS switch with an isolated class, from the old policy to a new one and back") {
    const std::pair<std::string, std::string> non_els{"    gateway: [infusion-pump]\n",
                                                      "    gateway: [infusion-pump]\n    junos_style: non-els\n"};
    auto old_policy = policy_with({non_els});
    auto p = policy_with({non_els, {"flows:\n", "flows:\n  - {from: infusion-pump, to: workstation, services: [ntp]}\n"}});
    const auto& sw = switch_named(p, "ex3400-ward");
    auto running = simulated_device(PlatformId::junos, compiled(old_policy, switch_named(old_policy, "ex3400-ward")))
                       ->running_config();
    REQUIRE(lines_of(running).count("set vlans infusion-pump no-local-switching"));
    REQUIRE(lines_of(running).count(
        "set firewall family ethernet-switching filter ms-iso-infusion-pump term t0020 from source-address 10.110.0.0/24"));
    auto forward = plan(p, sw, running);
    CHECK(forward.form.steps.size() == 3);
    check_clean(p, sw, forward.after);
    CHECK(lines_of(forward.after).count("set interfaces vlan unit 110 family inet filter input ms-in-infusion-pump"));
    CHECK(plan(p, sw, forward.after).form.steps.empty());
    auto back = rollback(p, sw, forward.after, running);
    CHECK(lines_of(back.after) == lines_of(running));
}
