// Port isolation across switches (DESIGN "Isolation", issue 19): one isolated class with ports on
// an IOS, an EOS, an ELS and a non-ELS Junos switch. Compiled, printed as each device prints it
// (tests/support/device_printer.hpp), then audited with `microseg diff --dir`: clean as
// printed; a port that lost its isolation ACL is an exposure naming the switch, the port and
// its config line; a port ACL that is not microseg's makes the port "unknown". Also the
// junos_style key's errors.
#include <doctest/doctest.h>

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "compiler/compiler.hpp"
#include "emitters/emitter.hpp"
#include "model/config_file.hpp"
#include "tests/support/device_printer.hpp"
#include "tests/support/run_command.hpp"
#include "tests/support/temp_dir.hpp"

using namespace microseg;

namespace {

const char* kPolicy = R"(version: 1
name: iso
classes:
  pump: {vlan: 110, subnets: [10.110.0.0/22], isolate: true, criticality: life}
  server: {vlan: 140, subnets: [10.140.0.0/24]}
flows:
  - {from: pump, to: server, services: [https], reason: "pump data"}
switches:
  - name: acc-ios
    platform: cisco-ios
    gateway: [pump]
    ports: {Gi1/0/1-3: pump}
    trunks: {Te1/1/1: [110, 140]}
  - name: acc-eos
    platform: arista-eos
    ports: {Ethernet1-2: pump}
    trunks: {Ethernet48: [110]}
  - name: acc-els
    platform: junos
    ports: {ge-0/0/1-2: pump}
    trunks: {xe-0/1/0: [110]}
  - name: acc-old
    platform: junos
    junos_style: non-els
    gateway: [server]
    ports: {ge-0/0/1-2: pump, ge-0/0/5: server}
    trunks: {xe-0/1/0: [110, 140]}
)";

// The printed configs of every switch, by switch name, in `dir`.
struct Network {
    test::TempDir dir{"isolation"};
    std::string policy_path;
    std::map<std::string, std::string> printed;
    std::map<std::string, std::string> file;

    Network() {
        policy_path = dir.file("policy.yaml", kPolicy);
        auto compiled = compile_policy_file(policy_path);
        REQUIRE(compiled.ok());
        for (const auto& sw : compiled.policy->switches()) {
            auto emitted = emitter_for(sw.platform).emit(*compiled.policy, sw);
            REQUIRE(emitted);
            auto device = test::print_as_device(sw.platform, sw.name, emitted->text);
            REQUIRE(device.text);
            printed[sw.name] = *device.text;
            file[sw.name] = config_file_name(sw);
            dir.file(file[sw.name], *device.text);
        }
    }
    void save(const std::string& sw, const std::string& text) { dir.file(file[sw], text); }
    testing::CommandResult diff() const {
        return testing::run_microseg({"diff", "--at", testing::kPolicyDay, policy_path, "--dir", dir.path},
                                     {"MICROSEG_REDACT_KEY=k", "NO_COLOR=1"});
    }
};

// `text` with the first `what` after `after` removed (or replaced).
std::string edited(std::string text, const std::string& after, const std::string& what, const std::string& with = "") {
    auto start = text.find(after);
    REQUIRE(start != std::string::npos);
    auto at = text.find(what, start);
    REQUIRE(at != std::string::npos);
    return text.replace(at, what.size(), with);
}

int line_of(const std::string& text, const std::string& line) {
    auto at = text.find("\n" + line + "\n");
    REQUIRE(at != std::string::npos);
    return 2 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(at), '\n'));
}

}  // namespace

TEST_CASE("isolation: every platform's printed config carries the port ACL or filter and audits clean") {
    Network net;
    const auto& ios = net.printed["acc-ios"];
    for (int port = 1; port <= 3; ++port)
        CHECK(ios.find(fmt::format("interface GigabitEthernet1/0/{}\n", port)) != std::string::npos);
    CHECK(std::count(ios.begin(), ios.end(), '\n') > 10);
    auto count = [](const std::string& text, const std::string& what) {
        std::size_t n = 0;
        for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
        return n;
    };
    CHECK(count(ios, " ip access-group MS_ISO_PUMP in\n") == 3);  // one block per port
    CHECK(count(net.printed["acc-eos"], "   ip access-group MS_ISO_PUMP in\n") == 2);
    CHECK(net.printed["acc-els"].find("family ethernet-switching filter input ms-iso-pump\n") != std::string::npos);
    CHECK(net.printed["acc-els"].find("from ip-destination-address 10.110.0.0/22\n") != std::string::npos);
    const auto& old = net.printed["acc-old"];
    CHECK(old.find("family ethernet-switching port-mode access\n") != std::string::npos);
    CHECK(old.find("set vlans server l3-interface vlan.140\n") != std::string::npos);
    CHECK(old.find("set interfaces vlan unit 140 family inet address 10.140.0.1/24\n") != std::string::npos);
    CHECK(old.find("from destination-address 10.110.0.0/22\n") != std::string::npos);
    auto r = net.diff();
    CHECK_MESSAGE(r.exit_code == 0, r.out, r.err);
    CHECK_MESSAGE(r.out.find("4 clean, 0 drifted, 0 unknown") != std::string::npos, r.out);
}

TEST_CASE("isolation removed: one IOS port without its port ACL is an exposure at its line; protected is not enough") {
    Network net;
    // The port keeps `switchport protected`: isolation on this switch only, not across.
    auto live = edited(net.printed["acc-ios"], "interface GigabitEthernet1/0/2\n", " ip access-group MS_ISO_PUMP in\n");
    REQUIRE(live.find("interface GigabitEthernet1/0/2\n description microseg pump\n switchport mode access\n"
                      " switchport access vlan 110\n switchport protected\n") != std::string::npos);
    net.save("acc-ios", live);
    auto r = net.diff();
    CHECK_MESSAGE(r.exit_code == 1, r.out, r.err);
    CHECK(r.out.find("acc-ios (cisco-ios, ") != std::string::npos);
    auto expected = fmt::format("  exposure  GigabitEthernet1/0/2: isolation removed from GigabitEthernet1/0/2 (pump): "
                                "the port carries no isolation port ACL, so members of the class reach each other "
                                "through it (line {})\n", line_of(live, "interface GigabitEthernet1/0/2"));
    CHECK_MESSAGE(r.out.find(expected) != std::string::npos, r.out);
    CHECK(r.out.find("GigabitEthernet1/0/1:") == std::string::npos);
    CHECK(r.out.find("GigabitEthernet1/0/3:") == std::string::npos);
    CHECK(r.out.find("3 clean, 1 drifted, 0 unknown") != std::string::npos);
}

TEST_CASE("isolation removed on Junos: a non-ELS range without its filter exposes both ports") {
    Network net;
    auto live = edited(net.printed["acc-old"], "", "set interfaces interface-range ms-pump unit 0 family ethernet-switching "
                                                   "filter input ms-iso-pump\n");
    net.save("acc-old", live);
    auto r = net.diff();
    CHECK_MESSAGE(r.exit_code == 1, r.out, r.err);
    CHECK(r.out.find("exposure  ge-0/0/1: isolation removed from ge-0/0/1 (pump)") != std::string::npos);
    CHECK(r.out.find("exposure  ge-0/0/2: isolation removed from ge-0/0/2 (pump)") != std::string::npos);
    // no-local-switching is still there, and is no isolation across switches.
    CHECK(live.find("set vlans pump no-local-switching\n") != std::string::npos);
}

TEST_CASE("a port ACL that is not microseg's on an isolated port makes the port unknown, not clean or drifted") {
    Network net;
    auto live = edited(net.printed["acc-eos"], "interface Ethernet2\n", "ip access-group MS_ISO_PUMP in",
                       "ip access-group LOCAL_ONLY in");
    live = edited(live, "", "\nend\n", "\nip access-list LOCAL_ONLY\n   10 deny ip any host 10.110.0.9\n"
                                       "   20 permit ip any any\n!\nend\n");
    net.save("acc-eos", live);
    auto r = net.diff();
    CHECK_MESSAGE(r.exit_code == 2, r.out, r.err);
    CHECK_MESSAGE(r.out.find("unknown   Ethernet2: isolation removed from Ethernet2 (pump)") != std::string::npos, r.out);
    CHECK(r.out.find("port ACL LOCAL_ONLY is not an isolation ACL microseg reads") != std::string::npos);
    CHECK(r.out.find("3 clean, 0 drifted, 1 unknown") != std::string::npos);
}

TEST_CASE("junos_style: a bad value or a non-Junos switch is a located error, exit 1") {
    test::TempDir dir("junos-style");
    std::string policy = kPolicy;
    auto bad_value = dir.file("bad-value.yaml", edited(policy, "", "junos_style: non-els", "junos_style: legacy"));
    auto r = testing::run_microseg({"check", bad_value}, {"NO_COLOR=1"});
    CHECK(r.exit_code == 1);
    CHECK_MESSAGE(r.err.find(bad_value + ":24:18: error: junos_style of switch 'acc-old' must be els or non-els, "
                             "not 'legacy'") != std::string::npos, r.err);
    auto on_ios = dir.file("on-ios.yaml", edited(policy, "", "    platform: cisco-ios\n",
                                                 "    platform: cisco-ios\n    junos_style: els\n"));
    r = testing::run_microseg({"compile", "--at", testing::kPolicyDay, on_ios, "-o", dir / "out"}, {"NO_COLOR=1"});
    CHECK(r.exit_code == 1);
    CHECK_MESSAGE(r.err.find(on_ios + ":11:18: error: junos_style is for junos switches only; switch 'acc-ios' is "
                             "cisco-ios") != std::string::npos, r.err);
}

TEST_CASE("isolation ACL widened: an inserted permit of a member keeps the name and shape, and is still an exposure") {
    Network net;
    const std::string header = "ip access-list extended MS_ISO_PUMP\n";
    auto at = net.printed["acc-ios"].find(header);
    REQUIRE(at != std::string::npos);
    // The first entry of the ACL is the gateway permit; one more host permit before it lets
    // every pump reach pump 10.110.0.50 on every port.
    auto live = net.printed["acc-ios"];
    auto first = live.find('\n', at + header.size() - 1) + 1;
    auto entry = live.substr(first, live.find('\n', first) - first);
    INFO("first entry: " << entry);
    auto indent = entry.substr(0, entry.find_first_not_of(" "));
    live.insert(first, indent + "permit ip 10.110.0.0 0.0.3.255 host 10.110.0.50\n");
    net.save("acc-ios", live);
    auto r = net.diff();
    CHECK_MESSAGE(r.exit_code == 1, r.out, r.err);
    CHECK_MESSAGE(r.out.find("exposure  MS_ISO_PUMP: isolation ACL MS_ISO_PUMP (pump) permits what isolation drops: ") != std::string::npos, r.out);
    CHECK_MESSAGE(r.out.find("-> 10.110.0.50") != std::string::npos, r.out);
    CHECK_MESSAGE(r.out.find(fmt::format("(line {})", line_of(live, "ip access-list extended MS_ISO_PUMP"))) !=
                      std::string::npos, r.out);
    CHECK(r.out.find("3 clean, 1 drifted, 0 unknown") != std::string::npos);
}
