// The simulated IOS-XE and EOS switches (plan/device_ios_style.cpp): each vendor rule they
// model, on the fixture running configs (tests/fixtures/, written from vendor documentation)
// and on small configs whose comments state what the device must hold.
#include <doctest/doctest.h>

#include "audit/parse/registry.hpp"
#include "model/file_io.hpp"
#include "plan/device.hpp"

using namespace microseg;

namespace {

std::string fixture(const std::string& path) {
    auto text = read_text_file(std::string(MICROSEG_SOURCE_DIR) + "/tests/fixtures/" + path);
    REQUIRE(text);
    return *text;
}

// The lines of `text` between the line `head` and the next line at column 0.
std::vector<std::string> block(const std::string& text, const std::string& head) {
    std::vector<std::string> out;
    auto at = text.find("\n" + head + "\n");
    if (at == std::string::npos) return out;
    std::size_t pos = at + head.size() + 2;
    while (pos < text.size() && text[pos] == ' ') {
        auto eol = text.find('\n', pos);
        out.push_back(text.substr(pos, eol - pos));
        pos = eol + 1;
    }
    return out;
}

const char* kSmallIos =
    "hostname s1\n"
    "!\n"
    "vlan 110\n"
    " name pumps\n"
    "!\n"
    "interface GigabitEthernet1/0/1\n"
    " switchport access vlan 110\n"
    " switchport mode access\n"
    "!\n"
    "interface Port-channel1\n"
    " switchport trunk allowed vlan 99,110\n"
    " switchport mode trunk\n"
    "!\n"
    "interface Vlan110\n"
    " ip address 10.110.0.1 255.255.255.0\n"
    " ip access-group MS_IN_PUMPS in\n"
    "!\n"
    "ip access-list extended MS_IN_PUMPS\n"
    " 10 permit tcp 10.110.0.0 0.0.0.255 host 10.130.0.5 eq 443\n"
    " 20 deny   ip any any log\n"
    "!\n"
    "end\n";

}  // namespace

TEST_CASE("IOS device: an untouched running config prints byte for byte, and reads as the original") {
    auto text = fixture("cisco-ios/acc-ios-01.cfg");
    auto device = simulated_device(PlatformId::cisco_ios, text);
    CHECK(device->running_config() == text);
    CHECK_FALSE(device->type({"configure terminal", "end"}));
    CHECK(device->running_config() == text);
    auto eos = fixture("arista-eos/leaf-eos-01.cfg");
    CHECK(simulated_device(PlatformId::arista_eos, eos)->running_config() == eos);
}

TEST_CASE("IOS device: re-entering an ACL appends after the old deny; numbered entries go in order") {
    auto device = simulated_device(PlatformId::cisco_ios, kSmallIos);
    REQUIRE_FALSE(device->type({"configure terminal", "ip access-list extended MS_IN_PUMPS",
                                " permit udp 10.110.0.0 0.0.0.255 any eq 53", " 15 remark inserted", "end"}));
    auto acl = block(device->running_config(), "ip access-list extended MS_IN_PUMPS");
    CHECK(acl == std::vector<std::string>{" 10 permit tcp 10.110.0.0 0.0.0.255 host 10.130.0.5 eq 443", " 15 remark inserted",
                                          " 20 deny   ip any any log", " 30 permit udp 10.110.0.0 0.0.0.255 any eq 53"});
    // The appended permit stands after the deny: the parse shows it never matches.
    auto parsed = parse_cisco_ios(device->running_config());
    REQUIRE(parsed.as_built.svis.size() == 1);
    CHECK(parsed.as_built.svis[0].acl.entries.size() == 3);
    CHECK(parsed.as_built.svis[0].acl.entries[1].action == AclAction::deny);
    // A number in use is refused; `no N` deletes entry N.
    auto refused = device->type({"configure terminal", "ip access-list extended MS_IN_PUMPS", " 20 permit ip any any"});
    REQUIRE(refused);
    CHECK(refused->message.find("Duplicate sequence number") != std::string::npos);
    // An entry equal to one present but for its number changes nothing.
    REQUIRE_FALSE(device->type({" 25 deny   ip any any log"}));
    CHECK(block(device->running_config(), "ip access-list extended MS_IN_PUMPS").size() == 4);
    REQUIRE_FALSE(device->type({"no 30", "end"}));
    CHECK(block(device->running_config(), "ip access-list extended MS_IN_PUMPS").size() == 3);
}

TEST_CASE("EOS device: a re-pasted numbered entry is refused; unnumbered ones take last + 10") {
    auto device = simulated_device(PlatformId::arista_eos, fixture("arista-eos/leaf-eos-01.cfg"));
    auto refused = device->type({"configure", "ip access-list MS_IN_WORKSTATION", "10 remark to ehr-server"});
    REQUIRE(refused);
    CHECK(refused->message.find("% Duplicate sequence number") != std::string::npos);
    REQUIRE_FALSE(device->type({"permit udp 10.120.0.0/24 any eq 53", "end"}));
    auto acl = block(device->running_config(), "ip access-list MS_IN_WORKSTATION");
    REQUIRE(acl.size() == 5);
    CHECK(acl[4] == "   50 permit udp 10.120.0.0/24 any eq 53");
}

TEST_CASE("EOS device: a configure session is not running until commit timer; abort drops it") {
    auto text = fixture("arista-eos/leaf-eos-01.cfg");
    auto device = simulated_device(PlatformId::arista_eos, text);
    REQUIRE_FALSE(device->type({"configure session s1", "vlan 140", "   name lab", "exit"}));
    CHECK(device->running_config() == text);
    REQUIRE_FALSE(device->type({"end"}));  // leaves the session staged
    CHECK(device->running_config() == text);
    REQUIRE_FALSE(device->type({"configure session s1", "commit timer 00:10:00"}));
    auto committed = device->running_config();
    CHECK(committed.find("\nvlan 140\n   name lab\n!\n") != std::string::npos);
    CHECK(parse_arista_eos(committed).as_built.vlans.size() == 5);
    REQUIRE_FALSE(device->type({"configure session s1 commit"}));
    CHECK(device->running_config() == committed);
    REQUIRE_FALSE(device->type({"configure session s2", "no vlan 140", "abort"}));
    CHECK(device->running_config() == committed);
    CHECK(device->type({"configure session s3 commit"}));  // no such session
    // A pending commit aborted from exec goes back to what ran before its timer.
    REQUIRE_FALSE(device->type({"configure session s4", "no vlan 140", "commit timer 00:05:00"}));
    CHECK(device->running_config().find("vlan 140") == std::string::npos);
    REQUIRE_FALSE(device->type({"configure session s4 abort"}));
    CHECK(device->running_config() == committed);
}

TEST_CASE("IOS device: an SVI address overlapping another SVI's subnet is refused") {
    auto device = simulated_device(PlatformId::cisco_ios, kSmallIos);
    auto refused = device->type({"configure terminal", "interface Vlan120", " ip address 10.110.0.5 255.255.255.0"});
    REQUIRE(refused);
    CHECK(refused->message.find("% 10.110.0.0 overlaps with Vlan110") != std::string::npos);
    // Once the old SVI lets go of the subnet, the new one takes it.
    REQUIRE_FALSE(device->type({"interface Vlan110", " no ip address", "interface Vlan120", " ip address 10.110.0.5 255.255.255.0", "end"}));
    CHECK(block(device->running_config(), "interface Vlan120") == std::vector<std::string>{" ip address 10.110.0.5 255.255.255.0"});
    // The same address on its own SVI is a replacement, not an overlap.
    CHECK_FALSE(device->type({"configure terminal", "interface Vlan120", " ip address 10.110.0.6 255.255.255.0", "end"}));
}

TEST_CASE("IOS device: a command in the wrong mode is refused") {
    auto device = simulated_device(PlatformId::cisco_ios, kSmallIos);
    auto in_exec = device->type({"vlan 120"});
    REQUIRE(in_exec);
    CHECK(in_exec->message.find("% Invalid input") != std::string::npos);
    auto in_global = device->type({"configure terminal", "switchport access vlan 110"});
    REQUIRE(in_global);
    CHECK(in_global->message.find("% Invalid input") != std::string::npos);
    CHECK(device->type({"ip access-list extended X", " switchport mode access"}));
    // EOS has no `switchport protected`; IOS has no `configure session`.
    CHECK(simulated_device(PlatformId::arista_eos, kSmallIos)->type({"configure", "interface Et1", "switchport protected"}));
    CHECK(simulated_device(PlatformId::cisco_ios, kSmallIos)->type({"configure session x"}));
    // A command of global mode typed in a sub-mode falls back to global, as the CLI does.
    CHECK_FALSE(simulated_device(PlatformId::cisco_ios, kSmallIos)->type({"configure terminal", "interface Vlan110", "vlan 120", "name x", "end"}));
}

TEST_CASE("IOS and EOS devices: ranges are expanded, each port printed on its own; untouched blocks stay") {
    auto text = fixture("cisco-ios/acc-ios-01.cfg");
    auto device = simulated_device(PlatformId::cisco_ios, text);
    REQUIRE_FALSE(device->type({"configure terminal", "interface range Gi1/0/25 - 26", " switchport access vlan 110", "end"}));
    auto after = device->running_config();
    CHECK(block(after, "interface GigabitEthernet1/0/25") ==
          std::vector<std::string>{" switchport access vlan 110", " switchport mode access", " spanning-tree portfast"});
    CHECK(block(after, "interface GigabitEthernet1/0/26")[0] == " switchport access vlan 110");
    CHECK(block(after, "interface GigabitEthernet1/0/27")[0] == " switchport access vlan 120");
    CHECK(after.find("interface range") == std::string::npos);
    // Everything but the two ports is byte-identical.
    auto cut = [](std::string s) {
        auto from = s.find("interface GigabitEthernet1/0/25\n");
        return s.erase(from, s.find("interface GigabitEthernet1/0/27\n") - from);
    };
    CHECK(cut(after) == cut(text));
    auto eos = simulated_device(PlatformId::arista_eos, fixture("arista-eos/leaf-eos-01.cfg"));
    REQUIRE_FALSE(eos->type({"configure", "interface Ethernet9-10", "   switchport access vlan 120", "end"}));
    CHECK(block(eos->running_config(), "interface Ethernet10") == std::vector<std::string>{"   shutdown", "   switchport access vlan 120"});
}

TEST_CASE("IOS device: trunk lists: LIST replaces, add/remove edit, printed as one line") {
    auto device = simulated_device(PlatformId::cisco_ios, fixture("cisco-ios/acc-ios-01.cfg"));
    REQUIRE_FALSE(device->type({"configure terminal", "interface Port-channel1", " switchport trunk allowed vlan add 140",
                                " switchport trunk allowed vlan remove 110", "end"}));
    CHECK(block(device->running_config(), "interface Port-channel1") ==
          std::vector<std::string>{" description uplink to dist-01", " switchport trunk allowed vlan 120,130,140", " switchport mode trunk"});
    REQUIRE_FALSE(device->type({"configure terminal", "interface Po1", " switchport trunk allowed vlan 99", "end"}));
    CHECK(block(device->running_config(), "interface Port-channel1")[1] == " switchport trunk allowed vlan 99");
    REQUIRE_FALSE(device->type({"configure terminal", "interface Po1", " switchport trunk allowed vlan remove 99", "end"}));
    CHECK(block(device->running_config(), "interface Port-channel1")[1] == " switchport trunk allowed vlan none");
}

TEST_CASE("IOS device: new blocks go beside their kind; `no` removes blocks and lines") {
    auto device = simulated_device(PlatformId::cisco_ios, kSmallIos);
    REQUIRE_FALSE(device->type({"configure terminal", "vlan 100", " name first", "exit", "interface Vlan130",
                                " ip address 10.130.0.1 255.255.255.0", " ip access-group MS_X in", " no shutdown", "exit",
                                "ip access-list extended MS_X", " permit ip any any", "exit", "no ip access-list extended MS_IN_PUMPS",
                                "interface Vlan110", " no ip access-group MS_IN_PUMPS in", "end"}));
    auto text = device->running_config();
    CHECK(text.find("vlan 100\n name first\n!\nvlan 110\n") != std::string::npos);
    CHECK(text.find(" ip access-group MS_IN_PUMPS in") == std::string::npos);
    CHECK(text.find("MS_IN_PUMPS") == std::string::npos);
    CHECK(text.find("!\ninterface Vlan130\n ip address 10.130.0.1 255.255.255.0\n ip access-group MS_X in\n!\n") != std::string::npos);
    CHECK(text.find("ip access-list extended MS_X\n 10 permit ip any any\n!\nend\n") != std::string::npos);
    REQUIRE_FALSE(device->type({"configure terminal", "no interface Vlan130", "no vlan 100", "end"}));
    CHECK(text.find("Vlan130") != std::string::npos);
    CHECK(device->running_config().find("Vlan130") == std::string::npos);
    CHECK(device->running_config().find("vlan 100") == std::string::npos);
}
