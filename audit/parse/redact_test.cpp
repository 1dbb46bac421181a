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

TEST_CASE("a changed secret gives a changed marker; the key matters") {
    CHECK(ios("enable secret 9 one") != ios("enable secret 9 two"));
    CHECK(ios("enable secret 9 one") == ios("enable secret 9 one"));
    CHECK(redact_config(PlatformId::cisco_ios, "enable secret 9 one", kOtherKey).text != ios("enable secret 9 one"));
    CHECK(ios("enable secret 9 one").find("one") == std::string::npos);
}
