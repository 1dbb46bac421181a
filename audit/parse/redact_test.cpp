#include <doctest/doctest.h>

#include "audit/parse/redact.hpp"

using namespace microseg;

namespace {
const HashKey kKey = key_from_text("test-key");
const HashKey kOtherKey = key_from_text("other-key");

std::string ios(std::string_view text) { return redact_config(PlatformId::cisco_ios, text, kKey).text; }
std::string junos(std::string_view text) { return redact_config(PlatformId::junos, text, kKey).text; }
std::string tag(std::string_view s) { return redaction_marker(kKey, s); }
}  // namespace

TEST_CASE("siphash-2-4 matches the reference test vector") {
    // Key 00..0f, message 00..0e: the reference implementation's vector for length 15.
    HashKey key{};
    for (int i = 0; i < 16; ++i) key[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(i);
    std::string msg;
    for (int i = 0; i < 15; ++i) msg += static_cast<char>(i);
    CHECK(siphash24(key, msg) == 0xa129ca6149be45e5ULL);
    CHECK(siphash24(key, "") == 0x726fdb47dd0e0e31ULL);
}

TEST_CASE("IOS and EOS secrets become keyed markers") {
    CHECK(ios("enable secret 9 $9$abc$def") == "enable secret 9 " + tag("$9$abc$def"));
    CHECK(ios("username admin privilege 15 secret 9 $9$xyz") ==
          "username admin privilege 15 secret 9 " + tag("$9$xyz"));
    CHECK(ios("username ops secret sha512 $6$salt$hash") == "username ops secret sha512 " + tag("$6$salt$hash"));
    CHECK(ios("snmp-server community s3cr3t RO 10") == "snmp-server community " + tag("s3cr3t") + " RO 10");
    CHECK(ios("snmp-server host 10.0.0.5 version 2c c0mm") == "snmp-server host 10.0.0.5 version 2c " + tag("c0mm"));
    CHECK(ios("snmp-server user mon grp v3 auth sha AuthPass priv aes 128 PrivPass") ==
          "snmp-server user mon grp v3 auth sha " + tag("AuthPass") + " priv aes 128 " + tag("PrivPass"));
    CHECK(ios("tacacs-server key 7 0822455D0A16") == "tacacs-server key 7 " + tag("0822455D0A16"));
    CHECK(ios("radius-server host 10.1.1.1 key radkey") == "radius-server host 10.1.1.1 key " + tag("radkey"));
    CHECK(ios("crypto isakmp key psk123 address 192.0.2.1") ==
          "crypto isakmp key " + tag("psk123") + " address 192.0.2.1");
    CHECK(ios("ntp authentication-key 1 md5 ntpkey 7") == "ntp authentication-key 1 md5 " + tag("ntpkey") + " 7");
    CHECK(ios(" key-string 7 110A1016141D") == " key-string 7 " + tag("110A1016141D"));
    CHECK(ios("line vty 0 4\n password 7 045802150C2E\n") == "line vty 0 4\n password 7 " + tag("045802150C2E") + "\n");
    CHECK(ios("tacacs server ISE\n address ipv4 10.9.9.9\n key 7 ABCDEF\n") ==
          "tacacs server ISE\n address ipv4 10.9.9.9\n key 7 " + tag("ABCDEF") + "\n");
}

TEST_CASE("lines without secrets are untouched and counted as none") {
    std::string config = "hostname acc-sw-01\nkey chain ospf\n key 1\ninterface Vlan110\n ip address 10.110.0.1 255.255.252.0\n";
    auto r = redact_config(PlatformId::cisco_ios, config, kKey);
    CHECK(r.text == config);
    CHECK(r.secrets == 0);
    CHECK(redact_config(PlatformId::nftables, "table inet microseg {\n}\n", kKey).text == "table inet microseg {\n}\n");
}

TEST_CASE("Junos $9$ strings, encrypted passwords and SNMP communities") {
    CHECK(junos("set system root-authentication encrypted-password \"$6$abc\"") ==
          "set system root-authentication encrypted-password \"" + tag("$6$abc") + "\"");
    CHECK(junos("set system radius-server 10.0.0.1 secret \"$9$k5Qz\"") ==
          "set system radius-server 10.0.0.1 secret \"" + tag("$9$k5Qz") + "\"");
    CHECK(junos("set snmp community public authorization read-only") ==
          "set snmp community " + tag("public") + " authorization read-only");
    CHECK(junos("    authentication-key \"$9$aa\"; ## SECRET-DATA") ==
          "    authentication-key \"" + tag("$9$aa") + "\"; ## SECRET-DATA");
    CHECK(junos("snmp {\n    community public {\n        authorization read-only;\n    }\n}\npolicy-options {\n    community ok members 65000:1;\n}\n") ==
          "snmp {\n    community " + tag("public") + " {\n        authorization read-only;\n    }\n}\npolicy-options {\n    community ok members 65000:1;\n}\n");
    CHECK(junos("description \"key $9$zzz here\"") == "description \"key " + tag("$9$zzz") + " here\"");
}

TEST_CASE("Junos NTP keys: the value is the secret, the key id stays; a $9$ string never survives") {
    // The NTP form once lost its secret: the rule took the id "1" for the value, and a line a
    // rule had matched was not searched for $9$ strings.
    CHECK(junos("set system ntp authentication-key 1 type md5 value \"$9$Ntp1\"") ==
          "set system ntp authentication-key 1 type md5 value \"" + tag("$9$Ntp1") + "\"");
    CHECK(junos("    authentication-key 2 type sha256 value \"$9$Ntp2\"; ## SECRET-DATA") ==
          "    authentication-key 2 type sha256 value \"" + tag("$9$Ntp2") + "\"; ## SECRET-DATA");
    CHECK(junos("set system ntp authentication-key 3 type md5 value plainKey3") ==
          "set system ntp authentication-key 3 type md5 value " + tag("plainKey3"));
    auto twice = junos("set system radius-server 10.0.0.1 secret \"$9$a\" port 1812 accounting-secret \"$9$b\"");
    CHECK(twice.find("$9$") == std::string::npos);
}

TEST_CASE("a changed secret gives a changed marker; the key matters") {
    CHECK(ios("enable secret 9 one") != ios("enable secret 9 two"));
    CHECK(ios("enable secret 9 one") == ios("enable secret 9 one"));
    CHECK(redact_config(PlatformId::cisco_ios, "enable secret 9 one", kOtherKey).text != ios("enable secret 9 one"));
    CHECK(ios("enable secret 9 one").find("one") == std::string::npos);
}

namespace {
std::string eos(std::string_view text) { return redact_config(PlatformId::arista_eos, text, kKey).text; }
std::string nft(std::string_view text) { return redact_config(PlatformId::nftables, text, kKey).text; }
}  // namespace

// The forms issue 18 found reaching saved copies, as IOS-XE and EOS print them.
TEST_CASE("BGP neighbor passwords, the EOS root secret and SNMP forms with vrf and aes256") {
    CHECK(ios("router bgp 65001\n neighbor 10.0.0.2 password 7 0822455D0A16\n") ==
          "router bgp 65001\n neighbor 10.0.0.2 password 7 " + tag("0822455D0A16") + "\n");
    CHECK(eos("router bgp 65001\n   neighbor 10.1.1.1 password 7 6fAFE9cIH4tVLvOswz3sLg==\n") ==
          "router bgp 65001\n   neighbor 10.1.1.1 password 7 " + tag("6fAFE9cIH4tVLvOswz3sLg==") + "\n");
    CHECK(eos("aaa root secret sha512 $6$kJ8mBe3x$Wh0GfQ1x/") == "aaa root secret sha512 " + tag("$6$kJ8mBe3x$Wh0GfQ1x/"));
    CHECK(eos("snmp-server host 10.1.1.1 vrf MGMT version 2c s3cr3t") ==
          "snmp-server host 10.1.1.1 vrf MGMT version 2c " + tag("s3cr3t"));
    CHECK(ios("snmp-server host 10.1.1.1 vrf Mgmt-vrf informs version 2c s3cr3t udp-port 162") ==
          "snmp-server host 10.1.1.1 vrf Mgmt-vrf informs version 2c " + tag("s3cr3t") + " udp-port 162");
    CHECK(eos("snmp-server user mon grp v3 auth sha512 AuthKey1 priv aes256 PrivKey1") ==
          "snmp-server user mon grp v3 auth sha512 " + tag("AuthKey1") + " priv aes256 " + tag("PrivKey1"));
    CHECK(ios("snmp-server user mon grp v3 auth sha AuthKey1 priv aes 256 PrivKey1 access 10") ==
          "snmp-server user mon grp v3 auth sha " + tag("AuthKey1") + " priv aes 256 " + tag("PrivKey1") + " access 10");
    CHECK(eos("ntp authentication-key 1 md5 7 0703204E") == "ntp authentication-key 1 md5 7 " + tag("0703204E"));
    CHECK(ios("key chain HSRP\n key 1\n  key-string 7 045802150C2E\n") ==
          "key chain HSRP\n key 1\n  key-string 7 " + tag("045802150C2E") + "\n");
    CHECK(eos("tacacs-server host 10.9.9.9 key 7 070C285F4D06") == "tacacs-server host 10.9.9.9 key 7 " + tag("070C285F4D06"));
}

TEST_CASE("the general rule: the value after password, secret, key, community, auth and priv") {
    CHECK(ios("interface Serial0/0\n ppp chap password 7 0822455D0A16\n") ==
          "interface Serial0/0\n ppp chap password 7 " + tag("0822455D0A16") + "\n");
    CHECK(ios("interface Vlan10\n standby 1 authentication md5 key-string 7 1514191F\n") ==
          "interface Vlan10\n standby 1 authentication md5 key-string 7 " + tag("1514191F") + "\n");
    CHECK(ios("ip ftp password hunter2") == "ip ftp password " + tag("hunter2"));
    CHECK(eos("interface Ethernet1\n   ip ospf message-digest-key 1 sha256 7 x9Yz\n") ==
          "interface Ethernet1\n   ip ospf message-digest-key 1 sha256 7 " + tag("x9Yz") + "\n");
    CHECK(junos("set access profile radius client c1 chap-secret \"$9$q.5F\"") ==
          "set access profile radius client c1 chap-secret \"" + tag("$9$q.5F") + "\"");
    CHECK(junos("set snmp v3 usm local-engine user mon authentication-sha256 authentication-password Plain1") ==
          "set snmp v3 usm local-engine user mon authentication-sha256 authentication-password " + tag("Plain1"));
    CHECK(junos("        privacy-key \"$9$abc\"; ## SECRET-DATA") ==
          "        privacy-key \"" + tag("$9$abc") + "\"; ## SECRET-DATA");
    CHECK(junos("        pre-shared-key plainText1;") == "        pre-shared-key " + tag("plainText1") + ";");
    CHECK(nft("# password hunter2\ntable inet filter {\n}\n") == "# password " + tag("hunter2") + "\ntable inet filter {\n}\n");
    // Every secret is counted once, however many rules could match it.
    CHECK(redact_config(PlatformId::cisco_ios, "snmp-server user m g v3 auth sha A priv aes 128 B", kKey).secrets == 2);
}

TEST_CASE("a changed secret of each new form gives a changed marker, the words around it survive") {
    auto a = ios(" neighbor 10.0.0.2 password 7 AAAA");
    auto b = ios(" neighbor 10.0.0.2 password 7 BBBB");
    CHECK(a != b);
    CHECK(a.find("AAAA") == std::string::npos);
    CHECK(a.rfind(" neighbor 10.0.0.2 password 7 <redacted:", 0) == 0);
    CHECK(eos("snmp-server host 10.1.1.1 vrf MGMT version 2c one") != eos("snmp-server host 10.1.1.1 vrf MGMT version 2c two"));
    CHECK(eos("snmp-server host 10.1.1.1 vrf MGMT version 2c one").find("vrf MGMT version 2c") != std::string::npos);
}

// Redaction runs before parsing (audit/drift/switch_audit.cpp): a word that merely looks like a
// keyword must survive, or the parsers lose an ACL, a binding or a VLAN.
TEST_CASE("names and fields that look like keywords are not secrets") {
    const char* ios_config =
        "ip access-list extended key-servers\n"
        " 10 permit tcp any host 10.0.0.1 eq 49\n"
        "ip access-list standard password\n"
        " permit 10.0.0.0 0.0.0.255\n"
        "interface GigabitEthernet1/0/1\n"
        " description key card reader\n"
        " ip access-group key in\n"
        "key chain ospf\n"
        " key 1\n"
        "route-map key permit 10\n"
        " set community 65000:100\n"
        "snmp-server group ops v3 priv\n"
        "snmp-server group ops v3 auth read all\n"
        "username guest privilege 1 nopassword\n"
        "password encryption aes\n"
        "key config-key password-encrypt\n";
    auto r = redact_config(PlatformId::cisco_ios, ios_config, kKey);
    CHECK(r.text == ios_config);
    CHECK(r.secrets == 0);
    const char* junos_config =
        "set firewall family ethernet-switching filter no-key term t1 then accept\n"
        "set system login password minimum-length 8\n"
        "set policy-options community CUST members 65000:100\n"
        "set vlans keypads vlan-id 40\n"
        "set system services ssh root-login deny-password\n"
        "set security authentication-key-chains key-chain kc key 0 start-time 2026-1-1.00:00\n";
    auto j = redact_config(PlatformId::junos, junos_config, kKey);
    CHECK(j.text == junos_config);
    CHECK(j.secrets == 0);
    const char* ruleset =
        "table inet filter {\n\tset key_hosts {\n\t\ttype ipv4_addr\n\t}\n"
        "\tchain input {\n\t\tiifname \"key0\" ct state vmap { established : accept, invalid : drop }\n"
        "\t\tip saddr @key_hosts accept comment \"password reset portal\"\n\t}\n}\n";
    CHECK(nft(ruleset) == ruleset);
}
