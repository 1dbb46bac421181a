// The emulation of vendor filters as nftables, on configs in the form the devices print, read by
// microseg's own parsers; then the ruleset loaded into a real switch namespace and crossed by
// real packets, so a wrong hook or match cannot pass as text (root only; fails in CI without root).
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include <fmt/format.h>

#include "audit/parse/registry.hpp"
#include "tests/dataplane_ready.hpp"
#include "verify/emulation.hpp"
#include "verify/lab.hpp"
#include "verify/probe.hpp"
#include "verify/process.hpp"

using namespace microseg;
using namespace microseg::verify;

namespace {

// Expected: MS_IN_PUMP on Vlan110 emulated entry for entry (https, established, ntp replies,
// echo-reply, the explicit deny), then its implicit deny; Vlan120 applies NOPE, never defined:
// nothing; its outbound OUT_WS is a limit, Gi1/0/3's BLOCK_SMB is emulated; Gi1/0/1 (veth p1) jumps to
// MS_ISO_PUMP, Gi1/0/2 has no veth and is left out.
const char* kIos = R"(Building configuration...
!
hostname acc-sw-01
!
vlan 110
 name pump
!
vlan 120
 name ws
!
interface GigabitEthernet1/0/1
 switchport access vlan 110
 switchport mode access
 ip access-group MS_ISO_PUMP in
!
interface GigabitEthernet1/0/2
 switchport access vlan 110
 switchport mode access
 ip access-group MS_ISO_PUMP in
!
interface GigabitEthernet1/0/3
 switchport access vlan 120
 switchport mode access
 ip access-group BLOCK_SMB in
!
interface Vlan110
 ip address 10.110.0.1 255.255.252.0
 ip access-group MS_IN_PUMP in
!
interface Vlan120
 ip address 10.120.0.1 255.255.255.0
 ip access-group NOPE in
 ip access-group OUT_WS out
!
ip access-list extended BLOCK_SMB
 deny tcp any any eq 445
 permit ip any any
ip access-list extended MS_IN_PUMP
 permit tcp 10.110.0.0 0.0.3.255 host 10.111.0.5 eq 443
 permit tcp 10.110.0.0 0.0.3.255 10.200.0.0 0.0.7.255 established
 permit udp 10.110.0.0 0.0.3.255 eq 123 any range 1024 65535
 permit icmp any any echo-reply
 deny ip any any log
ip access-list extended MS_ISO_PUMP
 permit ip 10.110.0.0 0.0.3.255 host 10.110.0.1
 deny ip 10.110.0.0 0.0.3.255 10.110.0.0 0.0.3.255 log
 permit ip any any
ip access-list extended OUT_WS
 permit ip any any
!
end
)";

// EOS: a port range with the isolation ACL, an SVI ACL with a reply entry.
const char* kEos = R"(! device: dist-dc-01 (DCS-7280SR3, EOS-4.30.1F)
vlan 130
   name pacs
!
interface Ethernet1-3
   switchport access vlan 130
   ip access-group MS_ISO_PACS in
!
interface Vlan130
   ip address 10.130.0.1/27
   ip access-group MS_IN_PACS in
!
ip access-list MS_IN_PACS
   10 remark pacs replies
   20 permit tcp 10.130.0.0/27 eq 443 10.200.0.0/21 established
   30 deny ip any any log
!
ip access-list MS_ISO_PACS
   10 permit ip 10.130.0.0/27 host 10.130.0.1
   20 deny ip 10.130.0.0/27 10.130.0.0/27 log
   30 permit ip any any
!
end
)";

// Junos ELS, display set: an irb filter with terms and an ethernet-switching isolation filter.
const char* kJunos = R"(set version 21.4R3.15
set interfaces ge-0/0/1 unit 0 family ethernet-switching interface-mode access
set interfaces ge-0/0/1 unit 0 family ethernet-switching vlan members pump
set interfaces ge-0/0/1 unit 0 family ethernet-switching filter input ms-iso-pump
set interfaces irb unit 110 family inet filter input IN-PUMP
set interfaces irb unit 110 family inet address 10.110.0.1/22
set firewall family inet filter IN-PUMP term t10 from source-address 10.110.0.0/22
set firewall family inet filter IN-PUMP term t10 from destination-address 10.111.0.5/32
set firewall family inet filter IN-PUMP term t10 from protocol tcp
set firewall family inet filter IN-PUMP term t10 from destination-port 443
set firewall family inet filter IN-PUMP term t10 then accept
set firewall family inet filter IN-PUMP term deny-rest then discard
set firewall family ethernet-switching filter ms-iso-pump term t0010 from ip-source-address 10.110.0.0/22
set firewall family ethernet-switching filter ms-iso-pump term t0010 from ip-destination-address 10.110.0.1/32
set firewall family ethernet-switching filter ms-iso-pump term t0010 then accept
set firewall family ethernet-switching filter ms-iso-pump term t0020 from ip-source-address 10.110.0.0/22
set firewall family ethernet-switching filter ms-iso-pump term t0020 from ip-destination-address 10.110.0.0/22
set firewall family ethernet-switching filter ms-iso-pump term t0020 then discard
set firewall family ethernet-switching filter ms-iso-pump term accept-rest then accept
set vlans pump vlan-id 110
set vlans pump l3-interface irb.110
)";

// The 1-based line of `text` that holds `needle`.
int line_of(const std::string& text, const std::string& needle) {
    auto at = text.find(needle);
    REQUIRE_MESSAGE(at != std::string::npos, needle);
    return 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(at), '\n'));
}

// The lines from `chain <name> {` up to its closing brace (left out).
std::string chain_body(const std::string& ruleset, const std::string& name) {
    auto start = ruleset.find("  chain " + name + " {\n");
    REQUIRE_MESSAGE(start != std::string::npos, name);
    auto end = ruleset.find("\n  }\n", start);
    return ruleset.substr(start, end + 1 - start);
}

// Checks that `rules` stand in `body` in this order, each once.
void check_in_order(const std::string& body, const std::vector<std::string>& rules) {
    std::size_t last = 0;
    for (const auto& rule : rules) {
        auto at = body.find(rule);
        CHECK_MESSAGE(at != std::string::npos, "missing: ", rule, "\nin:\n", body);
        if (at == std::string::npos) continue;
        CHECK_MESSAGE(at >= last, "out of order: ", rule);
        CHECK_MESSAGE(body.find(rule, at + 1) == std::string::npos, "twice: ", rule);
        last = at;
    }
}

std::string rule(const std::string& match, const char* verdict, int line) {
    return fmt::format("    {}{}counter {} comment \"line {}\"\n", match, match.empty() ? "" : " ", verdict, line);
}

const std::map<std::string, std::string> kIosVeths = {{"GigabitEthernet1/0/1", "p1"}, {"GigabitEthernet1/0/3", "p3"}};

}  // namespace

TEST_CASE("IOS: the SVI ACL becomes one chain, entry for entry in order, then the implicit deny") {
    std::string text = kIos;
    auto config = parse_cisco_ios(text);
    REQUIRE(config.warnings.empty());
    std::string ruleset = emulation_ruleset(config, kIosVeths);
    const std::vector<std::string> in_pump = {
        rule("ip saddr 10.110.0.0/22 ip daddr 10.111.0.5/32 meta l4proto tcp tcp dport 443", "accept",
             line_of(text, " permit tcp 10.110.0.0 0.0.3.255 host")),
        rule("ip saddr 10.110.0.0/22 ip daddr 10.200.0.0/21 meta l4proto tcp tcp flags & (ack | rst) != 0", "accept",
             line_of(text, " established\n")),
        rule("ip saddr 10.110.0.0/22 meta l4proto udp udp sport 123 udp dport 1024-65535", "accept",
             line_of(text, " eq 123 any range")),
        rule("meta l4proto icmp icmp type echo-reply", "accept", line_of(text, " echo-reply\n")),
        rule("", "drop", line_of(text, " deny ip any any log")),
        fmt::format("    counter drop comment \"line {}: implicit deny\"",
                    line_of(text, "ip access-list extended MS_IN_PUMP"))};
    check_in_order(chain_body(ruleset, "acl_MS_IN_PUMP"), in_pump);
    // The implicit deny closes the chain.
    CHECK(chain_body(ruleset, "acl_MS_IN_PUMP").ends_with("implicit deny\"\n"));
    // Routed from VLAN 110 and addressed to the switch from it: both pass the ACL.
    const std::string jump = "    iifname \"br110\" jump acl_MS_IN_PUMP\n";
    check_in_order(chain_body(ruleset, "forward"), {"type filter hook forward priority 0; policy accept;", jump});
    check_in_order(chain_body(ruleset, "input"), {"type filter hook input priority 0; policy accept;", jump});
}

TEST_CASE("IOS: an ACL applied but not defined and an outbound ACL emit nothing; a foreign port ACL is emulated") {
    std::string text = kIos;
    auto config = parse_cisco_ios(text);
    std::string ruleset = emulation_ruleset(config, kIosVeths);
    CHECK(ruleset.find("br120") == std::string::npos);
    CHECK(ruleset.find("NOPE") == std::string::npos);
    CHECK(ruleset.find("OUT_WS") == std::string::npos);
    // BLOCK_SMB is no isolation ACL (drift says "unknown" of the port's isolation), but it is
    // read in full: the lab filters with it as the switch would.
    CHECK(ruleset.find("iifname \"p3\" ether type ip jump acl_BLOCK_SMB") != std::string::npos);
    auto limits = emulation_limits(config);
    REQUIRE(limits.size() == 1);
    CHECK(limits[0] == fmt::format("line {}: Vlan120: outbound ACL OUT_WS; not emulated",
                                   line_of(text, " ip access-group OUT_WS out")));
    // An entry the parser could not read is missing from the chain: a limit, on the ACL's line.
    auto partial = parse_cisco_ios("interface Vlan110\n ip address 10.110.0.1 255.255.252.0\n ip access-group X in\n"
                                   "ip access-list extended X\n permit ospf any any\n permit ip any any\nend\n");
    CHECK(emulation_limits(partial) ==
          std::vector<std::string>{"line 4: ACL X: an entry microseg could not read; not emulated"});
    check_in_order(chain_body(emulation_ruleset(partial, {}), "acl_X"), {rule("", "accept", 6)});
}

TEST_CASE("IOS: the isolation port ACL filters IPv4 entering its veth in the bridge table; ports without a veth are left out") {
    std::string text = kIos;
    auto config = parse_cisco_ios(text);
    std::string ruleset = emulation_ruleset(config, kIosVeths);
    auto bridge = ruleset.substr(0, ruleset.find("table ip microseg_emu"));
    CHECK(bridge.starts_with("# microseg"));
    CHECK(bridge.find("table bridge microseg_emu\ndelete table bridge microseg_emu\ntable bridge microseg_emu {\n") !=
          std::string::npos);
    const std::vector<std::string> iso_pump = {
        rule("ip saddr 10.110.0.0/22 ip daddr 10.110.0.1/32", "accept", line_of(text, " permit ip 10.110.0.0 0.0.3.255 host")),
        rule("ip saddr 10.110.0.0/22 ip daddr 10.110.0.0/22", "drop", line_of(text, " deny ip 10.110.0.0")),
        rule("", "accept", line_of(text, " permit ip any any\nip access-list extended OUT_WS")),
        fmt::format("    counter drop comment \"line {}: implicit deny\"", line_of(text, "extended MS_ISO_PUMP"))};
    check_in_order(chain_body(bridge, "acl_MS_ISO_PUMP"), iso_pump);
    std::string prerouting = chain_body(bridge, "prerouting");
    check_in_order(prerouting, {"type filter hook prerouting priority -200; policy accept;",
                                "    iifname \"p1\" ether type ip jump acl_MS_ISO_PUMP\n"});
    // Gi1/0/2 has no veth; Gi1/0/3 (p3) jumps to its own port ACL.
    CHECK(prerouting.find("\"p2\"") == std::string::npos);
    CHECK(prerouting.find("iifname \"p1\"") == prerouting.rfind("iifname \"p1\""));
    CHECK(prerouting.find("    iifname \"p3\" ether type ip jump acl_BLOCK_SMB\n") != std::string::npos);
    CHECK(ruleset.find("table ip microseg_emu\ndelete table ip microseg_emu\ntable ip microseg_emu {\n") !=
          std::string::npos);
}

TEST_CASE("EOS: a reply entry keeps its source port and the ACK|RST test; a port of a range jumps to the port ACL") {
    std::string text = kEos;
    auto config = parse_arista_eos(text);
    REQUIRE(config.warnings.empty());
    std::string ruleset = emulation_ruleset(config, {{"Ethernet2", "eth2-lab"}});
    const std::vector<std::string> in_pacs = {
        rule("ip saddr 10.130.0.0/27 ip daddr 10.200.0.0/21 meta l4proto tcp tcp sport 443 tcp flags & (ack | rst) != 0",
             "accept", line_of(text, "20 permit tcp")),
        rule("", "drop", line_of(text, "30 deny ip any any log")),
        fmt::format("    counter drop comment \"line {}: implicit deny\"", line_of(text, "ip access-list MS_IN_PACS"))};
    check_in_order(chain_body(ruleset, "acl_MS_IN_PACS"), in_pacs);
    check_in_order(chain_body(ruleset, "input"), {"    iifname \"br130\" jump acl_MS_IN_PACS\n"});
    check_in_order(chain_body(ruleset, "prerouting"), {"    iifname \"eth2-lab\" ether type ip jump acl_MS_ISO_PACS\n"});
    check_in_order(chain_body(ruleset, "acl_MS_ISO_PACS"),
                   {rule("ip saddr 10.130.0.0/27 ip daddr 10.130.0.0/27", "drop", line_of(text, "20 deny ip 10.130"))});
    CHECK(emulation_limits(config).empty());
}

TEST_CASE("Junos: an irb input filter and an ethernet-switching port filter, term for term with their lines") {
    auto config = parse_junos(kJunos);
    REQUIRE(config.warnings.empty());
    std::string ruleset = emulation_ruleset(config, {{"ge-0/0/1", "p1"}});
    const auto& in = config.acls.at("IN-PUMP");
    REQUIRE(in.entry_lines.size() == 2);
    const std::vector<std::string> in_filter = {
        rule("ip saddr 10.110.0.0/22 ip daddr 10.111.0.5/32 meta l4proto tcp tcp dport 443", "accept", in.entry_lines[0]),
        rule("", "drop", in.entry_lines[1]),
        fmt::format("    counter drop comment \"line {}: implicit deny\"", in.line)};
    check_in_order(chain_body(ruleset, "acl_IN_PUMP"), in_filter);
    CHECK(in.entry_lines[0] == 7);  // a term stands at its first line
    CHECK(in.entry_lines[1] == 12);
    check_in_order(chain_body(ruleset, "forward"), {"    iifname \"br110\" jump acl_IN_PUMP\n"});
    const auto& iso = config.acls.at("ms-iso-pump");
    REQUIRE(iso.entry_lines.size() == 3);
    const std::vector<std::string> iso_filter = {
        rule("ip saddr 10.110.0.0/22 ip daddr 10.110.0.1/32", "accept", iso.entry_lines[0]),
        rule("ip saddr 10.110.0.0/22 ip daddr 10.110.0.0/22", "drop", iso.entry_lines[1]),
        rule("", "accept", iso.entry_lines[2])};
    check_in_order(chain_body(ruleset, "acl_ms_iso_pump"), iso_filter);
    check_in_order(chain_body(ruleset, "prerouting"), {"    iifname \"p1\" ether type ip jump acl_ms_iso_pump\n"});
}

TEST_CASE("chain names are sanitised and unique; IPv6 entries become a comment; a bad veth name is refused") {
    ParsedConfig config;
    auto entry = [](const char* destination, AclAction action) {
        AclEntry e;
        e.action = action;
        e.destination = *Cidr::parse(destination);
        return e;
    };
    for (auto [vlan, name] : {std::pair{10, "A-B"}, std::pair{20, "A_B"}}) {
        SviIntent svi;
        svi.vlan = vlan;
        svi.acl = {name, {entry("2001:db8::/32", AclAction::deny), entry("10.0.0.0/8", AclAction::permit)}};
        config.as_built.svis.push_back(svi);
        config.svis[vlan] = ParsedSvi{vlan, name, true, {}};
        config.acls[name] = ParsedAcl{vlan * 10, {vlan * 10 + 1, vlan * 10 + 2}, true};
    }
    std::string ruleset = emulation_ruleset(config, {});
    check_in_order(chain_body(ruleset, "acl_A_B"), {"    # line 101: IPv6 entry not emulated\n",
                                                    rule("ip daddr 10.0.0.0/8", "accept", 102)});
    check_in_order(chain_body(ruleset, "acl_A_B_2"), {"    # line 201: IPv6 entry not emulated\n"});
    check_in_order(chain_body(ruleset, "forward"), {"iifname \"br10\" jump acl_A_B\n", "iifname \"br20\" jump acl_A_B_2\n"});
    CHECK(bridge_name(110) == "br110");

    auto ios = parse_cisco_ios(kIos);
    CHECK_THROWS_AS(emulation_ruleset(ios, {{"GigabitEthernet1/0/1", "p1\" accept"}}), std::invalid_argument);
}

namespace {

// A namespace of its own for the test, deleted again whatever happens.
struct TestNamespace {
    std::string name = make_lab_prefix() + "-emu";
    bool created = false;
    TestNamespace() {
        register_for_cleanup(name);
        created = run_process({"ip", "netns", "add", name}).ok();
    }
    ~TestNamespace() {
        if (created) run_process({"ip", "netns", "del", name});
        unregister_for_cleanup(name);
    }
    TestNamespace(const TestNamespace&) = delete;
    TestNamespace& operator=(const TestNamespace&) = delete;
    ProcessResult run(const std::vector<std::string>& argv, const std::string& input = {}) const {
        return run_process(argv, name, input);
    }
};

}  // namespace

TEST_CASE("dataplane: the emulation loads into a switch namespace, twice, and lists its counters and lines") {
    if (!microseg::testing::dataplane_ready()) return;
    std::string text = kIos;
    auto config = parse_cisco_ios(text);
    std::string ruleset = emulation_ruleset(config, kIosVeths);
    TestNamespace ns;
    REQUIRE(ns.created);
    for (const auto& bridge : {bridge_name(110), bridge_name(120)})
        REQUIRE(ns.run({"ip", "link", "add", bridge, "type", "bridge"}).ok());
    for (const auto& [veth, bridge] : {std::pair{"p1", "br110"}, std::pair{"p3", "br120"}}) {
        REQUIRE(ns.run({"ip", "link", "add", veth, "type", "veth", "peer", "name", std::string(veth) + "h"}).ok());
        REQUIRE(ns.run({"ip", "link", "set", veth, "master", bridge}).ok());
    }
    for (int load = 0; load < 2; ++load) {  // the second load replaces the first
        auto loaded = ns.run({"nft", "-f", "-"}, ruleset);
        REQUIRE_MESSAGE(loaded.ok(), loaded.output, "\n", ruleset);
    }
    auto listed = ns.run({"nft", "list", "ruleset"});
    REQUIRE(listed.ok());
    const std::string& out = listed.output;
    CHECK(std::count(out.begin(), out.end(), '\n') > 10);
    CHECK(out.find("table ip microseg_emu") == out.rfind("table ip microseg_emu"));
    CHECK(out.find("table bridge microseg_emu") != std::string::npos);
    CHECK(out.find(fmt::format("counter packets 0 bytes 0 accept comment \"line {}\"",
                               line_of(text, " established\n"))) != std::string::npos);
    CHECK(out.find(fmt::format("counter packets 0 bytes 0 drop comment \"line {}: implicit deny\"",
                               line_of(text, "extended MS_ISO_PUMP"))) != std::string::npos);
    CHECK(out.find("iifname \"p1\" ether type ip jump acl_MS_ISO_PUMP") != std::string::npos);
}

namespace {

// The switch of kIos with a pump host on Gi1/0/1 (veth p1, VLAN 110, 10.110.0.5) and a server
// host on VLAN 120 at 10.111.0.5, the destination MS_IN_PUMP permits on tcp/443.
struct PacketLab {
    TestNamespace sw, pump, server;
};

void build_packet_lab(const PacketLab& lab) {
    // Bridged frames meet only the bridge-family hooks, as in verify's switch namespaces.
    REQUIRE(lab.sw.run({"sysctl", "-q", "-e", "-w", "net.ipv4.ip_forward=1", "net.bridge.bridge-nf-call-iptables=0"})
                .ok());
    std::string sw = fmt::format("link add br110 type bridge\nlink add br120 type bridge\n"
                                 "link add p1 type veth peer name eth0 netns {}\n"
                                 "link add p2 type veth peer name eth0 netns {}\n"
                                 "link set p1 master br110\nlink set p2 master br120\n"
                                 "addr add 10.110.0.1/22 dev br110\naddr add 10.111.0.1/24 dev br120\n"
                                 "link set br110 up\nlink set br120 up\nlink set p1 up\nlink set p2 up\n",
                                 lab.pump.name, lab.server.name);
    auto built = lab.sw.run({"ip", "-batch", "-"}, sw);
    REQUIRE_MESSAGE(built.ok(), built.output);
    for (auto [host, address, gateway] : {std::tuple{&lab.pump, "10.110.0.5/22", "10.110.0.1"},
                                          std::tuple{&lab.server, "10.111.0.5/24", "10.111.0.1"}}) {
        auto up = host->run({"ip", "-batch", "-"}, fmt::format("addr add {} dev eth0\nlink set eth0 up\n"
                                                               "link set lo up\nroute add default via {}\n",
                                                               address, gateway));
        REQUIRE_MESSAGE(up.ok(), up.output);
    }
}

// The packets counted by the rule of `nft list ruleset` whose comment is `comment`.
long packets(const std::string& listing, const std::string& comment) {
    auto at = listing.find("comment \"" + comment + "\"\n");
    REQUIRE_MESSAGE(at != std::string::npos, comment);
    auto line = listing.rfind('\n', at);
    auto counter = listing.find("counter packets ", line);
    REQUIRE(counter < at);
    return std::stol(listing.substr(counter + std::string("counter packets ").size()));
}

}  // namespace

TEST_CASE("dataplane: packets meet the port ACL, then the SVI ACL, and count on their config lines") {
    if (!microseg::testing::dataplane_ready()) return;
    std::string text = kIos;
    PacketLab lab;
    REQUIRE((lab.sw.created && lab.pump.created && lab.server.created));
    build_packet_lab(lab);
    auto loaded = lab.sw.run({"nft", "-f", "-"}, emulation_ruleset(parse_cisco_ios(text), kIosVeths));
    REQUIRE_MESSAGE(loaded.ok(), loaded.output);
    auto to = [](const TestNamespace& dst, const char* address, std::uint16_t port) {
        return Probe{"", dst.name, *IpAddress::parse(address), {Protocol::tcp, port}};
    };
    std::vector<Probe> probes = {to(lab.server, "10.111.0.5", 443), to(lab.server, "10.111.0.5", 444),
                                 to(lab.sw, "10.110.0.1", 22)};
    for (auto& p : probes) p.src_netns = lab.pump.name;
    auto passed = run_probes(probes);
    REQUIRE(passed.ok());
    // 443 routed as permitted (replies enter on br120, which filters nothing); 444 and the
    // switch's own address hit `deny ip any any` (line 43) in forward and input.
    CHECK(passed.value() == std::vector<bool>{true, false, false});
    auto listed = lab.sw.run({"nft", "list", "ruleset"});
    REQUIRE(listed.ok());
    const std::string& out = listed.output;
    CHECK(packets(out, fmt::format("line {}", line_of(text, " permit tcp 10.110.0.0 0.0.3.255 host"))) >= 1);
    CHECK(packets(out, fmt::format("line {}", line_of(text, " deny ip any any log"))) >= 2);
    // The port ACL saw them first: to the gateway by its first entry, the rest by `permit ip any any`.
    CHECK(packets(out, fmt::format("line {}", line_of(text, " permit ip 10.110.0.0 0.0.3.255 host"))) >= 1);
    CHECK(packets(out, fmt::format("line {}", line_of(text, " permit ip any any\nip access-list extended OUT_WS"))) >= 2);
    CHECK(packets(out, fmt::format("line {}: implicit deny", line_of(text, "extended MS_IN_PUMP"))) == 0);
}
