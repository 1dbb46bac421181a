// IOS-XE and EOS configurations as the devices print them (tests/fixtures/*/README.md names the
// vendor documents they follow), not as microseg writes them: each parse is checked field by
// field, and `microseg diff` against the matching policy must be clean.
#include <doctest/doctest.h>

#include <filesystem>

#include "audit/parse/registry.hpp"
#include "model/file_io.hpp"
#include "tests/support/run_command.hpp"

using namespace microseg;
using microseg::testing::run_microseg;
namespace fs = std::filesystem;

namespace {

const std::string kFixtures = std::string(MICROSEG_SOURCE_DIR) + "/tests/fixtures";
const std::vector<std::string> kEnv = {"MICROSEG_REDACT_KEY=fixture-test-key"};

std::string fixture(const std::string& path) {
    auto text = read_text_file(kFixtures + "/" + path);
    REQUIRE(text);
    return *text;
}

std::vector<int> warning_lines(const ParsedConfig& p) {
    std::vector<int> out;
    for (const auto& w : p.warnings) out.push_back(w.line);
    return out;
}

}  // namespace

TEST_CASE("Catalyst 9300 running-config: the parse, field by field") {
    auto p = parse_cisco_ios(fixture("cisco-ios/acc-ios-01.cfg"));
    const auto& sw = p.as_built;
    REQUIRE(sw.vlans.size() == 3);
    CHECK(sw.vlans[0].id == 110);
    CHECK(sw.vlans[0].name == "infusion-pump");
    // Every port of VLAN 110 is "switchport protected", which isolates on this switch only:
    // without microseg's port ACL the VLAN is not isolated.
    CHECK_FALSE(sw.vlans[0].isolated);
    CHECK_FALSE(sw.vlans[1].isolated);
    REQUIRE(sw.access_ports.size() == 46);
    CHECK(sw.access_ports[0].interface == "GigabitEthernet1/0/1");
    CHECK(sw.access_ports[23].vlan == 110);
    CHECK(sw.access_ports[24].interface == "GigabitEthernet1/0/25");
    CHECK(sw.access_ports[45].vlan == 120);
    // Gi1/0/48 has only "channel-group 1": it carries Port-channel1's VLANs, which are split
    // over an "add" line.
    REQUIRE(sw.trunks.size() == 3);
    CHECK(sw.trunks[0].interface == "GigabitEthernet1/0/47");
    CHECK(sw.trunks[1].interface == "GigabitEthernet1/0/48");
    CHECK(sw.trunks[2].interface == "Port-channel1");
    for (const auto& t : sw.trunks) CHECK(t.vlans == std::vector<int>{110, 120, 130});
    CHECK(p.interface_line("GigabitEthernet1/0/48") == 368);
    // Vlan1 (shut, no address), Vlan110 (HSRP: the shared address is the gateway, the
    // switch's own beside it) and Vlan120.
    REQUIRE(sw.svis.size() == 3);
    REQUIRE(sw.svis[1].addresses.size() == 1);
    CHECK(sw.svis[1].addresses[0].address.str() == "10.110.0.1");
    REQUIRE(p.svis.at(110).own_addresses.size() == 1);
    CHECK(p.svis.at(110).own_addresses[0].address.str() == "10.110.0.2");
    CHECK(sw.svis[1].acl.name == "MS_IN_INFUSION-PUMP");
    REQUIRE(sw.svis[1].acl.entries.size() == 2);
    CHECK(sw.svis[1].acl.entries[0].destination_ports == PortRange{443, 443});
    CHECK(p.acls.at("MS_IN_INFUSION-PUMP").entry_lines == std::vector<int>{432, 434});
    // Numbered lists, standard and extended, and a standard named list.
    CHECK(p.acls.at("10").entry_lines == std::vector<int>{441, 442});
    CHECK(p.acls.at("111").entry_lines == std::vector<int>{443, 444, 445});
    CHECK(p.acls.at("MGMT-SNMP").fully_understood);
    // The only line not understood: the object-group in MGMT-SSH, whose findings are "unknown".
    CHECK(warning_lines(p) == std::vector<int>{428});
    CHECK_FALSE(p.acls.at("MGMT-SSH").fully_understood);
    CHECK(p.skipped_lines >= 2);  // the banner
}

TEST_CASE("EOS MLAG leaf running-config: the parse, field by field") {
    auto p = parse_arista_eos(fixture("arista-eos/leaf-eos-01.cfg"));
    const auto& sw = p.as_built;
    REQUIRE(sw.vlans.size() == 4);
    CHECK(sw.vlans[3].id == 4094);
    CHECK(sw.vlans[0].isolated);  // MS_ISO_INFUSION-PUMP is defined and is the isolation ACL
    // Ethernet5-8 are phone trunks: the workstation untagged in native VLAN 120, not trunks of
    // VLANs 1-4094.
    REQUIRE(sw.access_ports.size() == 8);
    CHECK(sw.access_ports[0].isolated);
    CHECK(sw.access_ports[4].interface == "Ethernet5");
    CHECK(sw.access_ports[4].vlan == 120);
    CHECK_FALSE(sw.access_ports[4].isolated);
    REQUIRE(sw.trunks.size() == 3);
    CHECK(sw.trunks[0].interface == "Ethernet47");
    CHECK(sw.trunks[0].vlans == std::vector<int>{110, 120, 130, 4094});
    CHECK(p.interface_line("Ethernet47") == 213);
    REQUIRE(sw.svis.size() == 3);
    // The virtual address is the gateway; Vlan120 has no other.
    REQUIRE(sw.svis[0].addresses.size() == 1);
    CHECK(sw.svis[0].addresses[0].address.str() == "10.110.0.1");
    REQUIRE(sw.svis[1].addresses.size() == 1);
    CHECK(sw.svis[1].addresses[0].address.str() == "10.120.0.1");
    CHECK(sw.svis[1].acl.entries.size() == 2);
    CHECK(p.warnings.empty());
}

// The EOS fixture isolates with microseg's port ACL: clean. The IOS one with `switchport
// protected` only, the mechanism of old: local to the switch, so each isolated port (Gi1/0/1-24)
// is "isolation removed", and that is its only drift.
TEST_CASE("diff of each fixture against its policy: clean, but for IOS protected ports without the port ACL") {
    for (auto [dir, sw] : {std::pair{"cisco-ios", "acc-ios-01"}, std::pair{"arista-eos", "leaf-eos-01"}}) {
        CAPTURE(sw);
        auto policy = fmt::format("{}/{}/policy.yaml", kFixtures, dir);
        auto config = fmt::format("{}/{}/{}.cfg", kFixtures, dir, sw);
        auto r = run_microseg({"diff", "--at", microseg::testing::kPolicyDay, policy, "--switch", sw, config}, kEnv);
        bool ios = std::string(dir) == "cisco-ios";
        CHECK_MESSAGE(r.exit_code == (ios ? 1 : 0), r.out);
        CHECK(r.out.find(ios ? ": drifted" : ": clean") != std::string::npos);
        std::size_t findings = 0, removed = 0;
        for (std::size_t at = r.out.find("\n  exposure  "); at != std::string::npos; at = r.out.find("\n  exposure  ", at + 1))
            ++findings;
        for (std::size_t at = r.out.find(": isolation removed from GigabitEthernet1/0/"); at != std::string::npos;
             at = r.out.find(": isolation removed from GigabitEthernet1/0/", at + 1))
            ++removed;
        CHECK(removed == (ios ? 24u : 0u));
        CHECK(findings == removed);
        CHECK(r.out.find("\n  outage ") == std::string::npos);
        CHECK(r.out.find("\n  hygiene ") == std::string::npos);
    }
}

// A saved file cut short (no final "end") would read as missing ports and ACLs: not audited.
TEST_CASE("diff of a fixture cut short is not audited: incomplete") {
    auto text = fixture("cisco-ios/acc-ios-01.cfg");
    auto dir = fs::temp_directory_path() / fmt::format("microseg-fixture-{}", ::getpid());
    fs::create_directories(dir);
    auto path = (dir / "acc-ios-01.ios").string();
    REQUIRE(write_file_atomically(path, text.substr(0, text.find("interface GigabitEthernet1/0/30"))));
    auto r = run_microseg({"diff", "--at", microseg::testing::kPolicyDay, kFixtures + "/cisco-ios/policy.yaml", "--switch", "acc-ios-01", path}, kEnv);
    CHECK(r.exit_code == 2);
    CHECK(r.out.find("incomplete") != std::string::npos);
    CHECK(r.out.find("outage") == std::string::npos);
    auto by_dir = run_microseg({"diff", "--at", microseg::testing::kPolicyDay, kFixtures + "/cisco-ios/policy.yaml", "--dir", dir.string()}, kEnv);
    CHECK(by_dir.exit_code == 2);
    CHECK(by_dir.out.find("outage") == std::string::npos);
    fs::remove_all(dir);
}
