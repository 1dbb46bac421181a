// The simulated Junos switch (plan/device_junos.cpp): each merge rule it applies, delete of a
// subtree, nothing running before a commit, the commit check, refused commands, and both forms
// of running text (tests/fixtures/junos, written from Juniper's documentation).
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "audit/parse/registry.hpp"
#include "model/acl_diff.hpp"
#include "plan/device.hpp"
#include "plan/test_fixture.hpp"

using namespace microseg;

namespace {

std::string fixture(const std::string& name) { return test::fixture_text("junos/" + name); }

bool has_line(const std::string& text, const std::string& line) {
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);)
        if (l == line) return true;
    return false;
}

Packet packet(Protocol protocol, const char* source, const char* destination, std::uint16_t port) {
    Packet p;
    p.protocol = protocol;
    p.source = *IpAddress::parse(source);
    p.destination = *IpAddress::parse(destination);
    p.source_port = 40000;
    p.destination_port = port;
    return p;
}

const std::vector<AclEntry>& svi_acl(const ParsedConfig& parsed, int vlan) {
    for (const auto& s : parsed.as_built.svis)
        if (s.vlan == vlan) return s.acl.entries;
    FAIL("no SVI for VLAN " << vlan);
    throw;
}

const char* kSmall =
    "set vlans desks vlan-id 200\n"
    "set vlans desks l3-interface irb.200\n"
    "set interfaces irb unit 200 family inet address 10.200.0.1/24\n"
    "set interfaces irb unit 200 family inet filter input ms-in-desks\n"
    "set firewall family inet filter ms-in-desks term t0010 from destination-address 10.1.1.1/32\n"
    "set firewall family inet filter ms-in-desks term t0010 from protocol udp\n"
    "set firewall family inet filter ms-in-desks term t0010 from destination-port 53\n"
    "set firewall family inet filter ms-in-desks term t0010 then accept\n"
    "set firewall family inet filter ms-in-desks term deny-rest then discard\n";

}  // namespace

TEST_CASE("junos device: the brace form reads as the set form prints, and parses alike") {
    auto text = fixture("ex4200-pre-els.conf");
    auto device = simulated_device(PlatformId::junos, text);
    auto running = device->running_config();
    CHECK(has_line(running, "set interfaces ge-0/0/0 description \"print room desk\""));
    CHECK(has_line(running, "set interfaces interface-range desks member-range ge-0/0/1 to ge-0/0/7"));
    CHECK(has_line(running, "set firewall family inet filter desks-in term default-deny then syslog"));
    auto before = parse_junos(text);
    auto after = parse_junos(running);
    CHECK(after.warnings.size() == before.warnings.size());
    CHECK(after.as_built.vlans == before.as_built.vlans);
    CHECK(after.as_built.access_ports == before.as_built.access_ports);
    CHECK(after.as_built.trunks == before.as_built.trunks);
    CHECK(compare_acls(svi_acl(before, 200), svi_acl(after, 200)).equivalent());
}

TEST_CASE("junos device: the set-form fixture keeps its statements, deactivated ones dropped") {
    auto device = simulated_device(PlatformId::junos, fixture("ex3400-els.set"));
    auto running = device->running_config();
    CHECK(has_line(running, "set snmp location \"Ward 4 comms room\""));
    CHECK(has_line(running, "set apply-groups common-syslog"));
    CHECK(running.find("old-ssh") == std::string::npos);
    CHECK(parse_junos(running).as_built.access_ports.size() == parse_junos(fixture("ex3400-els.set")).as_built.access_ports.size());
}

TEST_CASE("junos device: nothing typed runs before a commit; commit check changes nothing") {
    auto device = simulated_device(PlatformId::junos, kSmall);
    auto before = device->running_config();
    REQUIRE_FALSE(device->type({"configure exclusive", "set vlans pumps vlan-id 110"}));
    CHECK(device->running_config() == before);
    REQUIRE_FALSE(device->type({"commit check"}));
    CHECK(device->running_config() == before);
    REQUIRE_FALSE(device->type({"commit confirmed 10"}));
    CHECK(has_line(device->running_config(), "set vlans pumps vlan-id 110"));
    REQUIRE_FALSE(device->type({"commit", "exit"}));
    CHECK(has_line(device->running_config(), "set vlans pumps vlan-id 110"));
}

TEST_CASE("junos device: leaving an exclusive candidate uncommitted discards it") {
    auto device = simulated_device(PlatformId::junos, kSmall);
    REQUIRE_FALSE(device->type({"configure exclusive", "set vlans pumps vlan-id 110", "exit"}));
    REQUIRE_FALSE(device->type({"configure exclusive", "commit", "exit"}));
    CHECK(device->running_config().find("pumps") == std::string::npos);
}

TEST_CASE("junos device: set into a term adds match conditions (the widening trap)") {
    auto device = simulated_device(PlatformId::junos, kSmall);
    REQUIRE_FALSE(device->type({"configure",
                                "set firewall family inet filter ms-in-desks term t0010 from destination-address 10.2.2.2/32",
                                "set firewall family inet filter ms-in-desks term t0010 from protocol tcp",
                                "set firewall family inet filter ms-in-desks term t0010 from destination-port 2575",
                                "commit"}));
    auto parsed = parse_junos(device->running_config());
    const auto& acl = svi_acl(parsed, 200);
    CHECK(acl_permits(acl, packet(Protocol::udp, "10.200.0.5", "10.1.1.1", 53)));
    CHECK(acl_permits(acl, packet(Protocol::tcp, "10.200.0.5", "10.1.1.1", 2575)));
    CHECK(acl_permits(acl, packet(Protocol::tcp, "10.200.0.5", "10.2.2.2", 53)));
    CHECK_FALSE(acl_permits(acl, packet(Protocol::tcp, "10.200.0.5", "10.3.3.3", 53)));
}

TEST_CASE("junos device: a leaf of one value is replaced") {
    auto device = simulated_device(PlatformId::junos, kSmall);
    REQUIRE_FALSE(device->type({"configure",
                                "set vlans desks vlan-id 201",
                                "set vlans desks description \"first\"",
                                "set vlans desks description \"clinical desks\"",
                                "set interfaces ge-0/0/1 unit 0 family ethernet-switching interface-mode access",
                                "set interfaces ge-0/0/1 unit 0 family ethernet-switching interface-mode trunk",
                                "set interfaces irb unit 200 family inet filter input other",
                                "set firewall family inet filter other term a then accept",
                                "commit"}));
    auto running = device->running_config();
    CHECK(has_line(running, "set vlans desks vlan-id 201"));
    CHECK_FALSE(has_line(running, "set vlans desks vlan-id 200"));
    CHECK(has_line(running, "set vlans desks description \"clinical desks\""));
    CHECK(running.find("first") == std::string::npos);
    CHECK(has_line(running, "set interfaces ge-0/0/1 unit 0 family ethernet-switching interface-mode trunk"));
    CHECK_FALSE(has_line(running, "set interfaces ge-0/0/1 unit 0 family ethernet-switching interface-mode access"));
    CHECK(has_line(running, "set interfaces irb unit 200 family inet filter input other"));
    CHECK_FALSE(has_line(running, "set interfaces irb unit 200 family inet filter input ms-in-desks"));
}

TEST_CASE("junos device: a term has one terminating action; modifiers stay beside it") {
    auto device = simulated_device(PlatformId::junos, kSmall);
    REQUIRE_FALSE(device->type({"configure",
                                "set firewall family inet filter ms-in-desks term t0010 then syslog",
                                "set firewall family inet filter ms-in-desks term t0010 then discard",
                                "commit"}));
    auto running = device->running_config();
    CHECK(has_line(running, "set firewall family inet filter ms-in-desks term t0010 then discard"));
    CHECK(has_line(running, "set firewall family inet filter ms-in-desks term t0010 then syslog"));
    CHECK_FALSE(has_line(running, "set firewall family inet filter ms-in-desks term t0010 then accept"));
    CHECK_FALSE(acl_permits(svi_acl(parse_junos(running), 200), packet(Protocol::udp, "10.200.0.5", "10.1.1.1", 53)));
}

TEST_CASE("junos device: delete removes a subtree; a missing one is a warning only") {
    auto device = simulated_device(PlatformId::junos, kSmall);
    REQUIRE_FALSE(device->type({"configure",
                                "delete firewall family inet filter ms-in-desks term t0010",
                                "delete vlans nothing-here",
                                "commit", "exit"}));
    auto running = device->running_config();
    CHECK(running.find("t0010") == std::string::npos);
    CHECK(has_line(running, "set firewall family inet filter ms-in-desks term deny-rest then discard"));
    // The commit check holds the VLAN's l3-interface against the unit it names.
    auto refused = device->type({"configure", "delete interfaces irb unit 200 family inet", "commit"});
    REQUIRE(refused);
    CHECK(refused->message.find("l3-interface irb.200 is not configured") != std::string::npos);
    REQUIRE_FALSE(device->type({"delete vlans desks l3-interface", "commit"}));
    // Containers a delete empties go with it: no `set interfaces irb unit 200` is left.
    CHECK(device->running_config().find("interfaces irb") == std::string::npos);
}

TEST_CASE("junos device: the commit check refuses an undefined filter or VLAN") {
    auto device = simulated_device(PlatformId::junos, kSmall);
    auto before = device->running_config();
    REQUIRE_FALSE(device->type({"configure", "delete firewall family inet filter ms-in-desks"}));
    auto error = device->type({"commit confirmed 10"});
    REQUIRE(error);
    CHECK(error->message.find("Referenced filter 'ms-in-desks' is not defined") != std::string::npos);
    REQUIRE_FALSE(device->type({"exit", "configure exclusive",
                                "set interfaces ge-0/0/3 unit 0 family ethernet-switching vlan members pumps"}));
    REQUIRE(device->type({"commit"}));
    CHECK(device->running_config() == before);
    REQUIRE_FALSE(device->type({"exit", "configure exclusive",
                                "set interfaces irb unit 300 family inet address 10.200.0.1/24"}));
    error = device->type({"commit"});
    REQUIRE(error);
    CHECK(error->message.find("address 10.200.0.1/24 is configured on irb.200 and irb.300") != std::string::npos);
}

TEST_CASE("junos device: refused commands stop typing with the device's message") {
    auto device = simulated_device(PlatformId::junos, kSmall);
    auto e = device->type({"show configuration"});
    REQUIRE(e);
    CHECK(e->message.find("unknown command") != std::string::npos);
    CHECK(e->location.line == 1);
    e = device->type({"# a comment", "", "configure private", "edit vlans desks", "set vlans x vlan-id 9"});
    REQUIRE(e);
    CHECK(e->message.find("syntax error") != std::string::npos);
    CHECK(e->location.line == 4);
    e = device->type({"rollback 1"});
    REQUIRE(e);
    CHECK(e->message.find("rollback") != std::string::npos);
    e = device->type({"commit confirmed 0"});
    CHECK(e);
}

TEST_CASE("junos device: a range's VLAN and a member's own merge; an access port in two VLANs is refused") {
    auto device = simulated_device(PlatformId::junos, kSmall);
    auto before = device->running_config();
    auto error = device->type({"configure exclusive",
                               "set vlans pumps vlan-id 110",
                               "set interfaces interface-range ms-pumps member-range ge-0/0/0 to ge-0/0/3",
                               "set interfaces interface-range ms-pumps unit 0 family ethernet-switching vlan members pumps",
                               "set interfaces ge-0/0/2 unit 0 family ethernet-switching vlan members desks",
                               "commit"});
    REQUIRE(error);
    CHECK(error->message.find("Access interface ge-0/0/2.0 has more than one vlan member: desks, pumps") != std::string::npos);
    CHECK(device->running_config() == before);
    REQUIRE_FALSE(device->type({"delete interfaces ge-0/0/2 unit 0 family ethernet-switching vlan", "commit"}));
    CHECK(has_line(device->running_config(),
                   "set interfaces interface-range ms-pumps member-range ge-0/0/0 to ge-0/0/3"));
}
