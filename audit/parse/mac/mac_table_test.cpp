// MAC table parsers: each fixture is written the way the device prints it; the comment says
// what must come out. Plus truncated and garbled input: warnings with line numbers, never a crash.
#include <doctest/doctest.h>

#include <random>

#include "audit/parse/mac/mac_table.hpp"

using namespace microseg;

namespace {

MacAddress mac(std::string_view text) {
    auto m = parse_mac_address(text);
    REQUIRE(m);
    return *m;
}

// IOS-XE: CPU entries of VLAN "All" are skipped; two dynamic and one static device; the total
// line and headers are skipped.
const char* kIosXe = R"(          Mac Address Table
-------------------------------------------

Vlan    Mac Address       Type        Ports
----    -----------       --------    -----
 All    0100.0ccc.cccc    STATIC      CPU
 All    ffff.ffff.ffff    STATIC      CPU
 110    0011.2233.4401    DYNAMIC     Gi1/0/1
 110    0011.2233.4402    DYNAMIC     Gi1/0/2
 200    0011.2233.44aa    STATIC      Gi1/0/37
 110    0011.2233.4499    DYNAMIC     Te1/1/1
 110    0100.5e00.0001    DYNAMIC     Gi1/0/5
Total Mac Addresses for this criterion: 7
)";

// EOS: Moves and Last Move columns, a Router entry, a multicast section with no entries.
const char* kEos = R"(          Mac Address Table
------------------------------------------------------------------

Vlan    Mac Address       Type        Ports      Moves   Last Move
----    -----------       ----        -----      -----   ---------
 100    001c.7300.0001    DYNAMIC     Et1        1       0:00:52 ago
 100    001c.7300.0002    STATIC      Et2
 130    001c.7300.0003    DYNAMIC     Po1        3       2 days, 3:04:05 ago
 100    001c.7300.00ff    STATIC      Router
Total Mac Addresses for this criterion: 4

          Multicast Mac Address Table
------------------------------------------------------------------

Vlan    Mac Address       Type        Ports
----    -----------       ----        -----
Total Mac Addresses for this criterion: 0
)";

// Catalyst 6500 style: leading '*' flag, learn and age columns before the port.
const char* kCat6k = R"(Legend: * - primary entry
        age - seconds since last seen
  vlan   mac address     type    learn     age              ports
------+----------------+--------+-----+----------+--------------------------
*  110  0011.2233.4455   dynamic  Yes          0   Gi3/1
)";

// Junos ELS: two devices, one static; a VLAN name, not an id.
const char* kJunosEls = R"(
MAC flags (S - static MAC, D - dynamic MAC, L - locally learned, P - Persistent static
           SE - statistics enabled, NM - non configured MAC, R - remote PE MAC, O - ovsdb MAC)


Ethernet switching table : 3 entries, 2 learned
Routing instance : default-switch
   Vlan                MAC                 MAC         Age    Logical                NH        RTR
   name                address             flags              interface              Index     ID
   infusion-pump       00:11:22:33:44:01   D             -   ge-0/0/1.0             0         0
   infusion-pump       00:11:22:33:44:02   S             -   ge-0/0/2.0             0         0
   clinical-ws         00:11:22:33:44:03   D             -   xe-0/2/0.0             0         0

{master:0}
)";

// Junos before ELS: flood entries ("*") and the Router entry are skipped.
const char* kJunosOld = R"(Ethernet-switching table: 5 entries, 2 learned, 0 persistent entries
  VLAN              MAC address       Type         Age Interfaces
  default           *                 Flood          - All-members
  default           00:10:94:00:00:02 Learn          0 ge-0/0/44.0
  v110              00:10:94:00:00:05 Learn       1:30 ge-0/0/46.0
  v110              00:10:94:00:00:06 Static         - Router
)";

// bridge fdb: the bridge's own (permanent) and device-filter (self) entries are skipped.
const char* kFdb = R"(33:33:00:00:00:01 dev br0 self permanent
01:00:5e:00:00:01 dev br0 self permanent
52:54:00:aa:bb:01 dev eth2 master br0 permanent
52:54:00:aa:bb:02 dev eth2 vlan 110 master br0
52:54:00:aa:bb:03 dev eth3 vlan 200 extern_learn master br0
52:54:00:aa:bb:04 dev eth4.240 master br0 static
00:00:00:00:00:00 dev vxlan0 dst 10.0.0.2 self permanent
)";

}  // namespace

TEST_CASE("MAC notations") {
    auto want = mac("aa:bb:cc:dd:ee:0f");
    CHECK(mac("AA-BB-CC-DD-EE-0F") == want);
    CHECK(mac("aabb.ccdd.ee0f") == want);
    CHECK(mac("AABBCCDDEE0F") == want);
    CHECK(want.str() == "aa:bb:cc:dd:ee:0f");
    for (const char* bad : {"", "aa:bb:cc:dd:ee", "aa:bb:cc:dd:ee:0g", "aa:bb-cc:dd:ee:0f", "aabb.ccdd.ee0", "aabbccddee0fz",
                            "aabb:ccdd:ee0f", "a:bb:cc:dd:ee:0f0"})
        CHECK_MESSAGE(!parse_mac_address(bad), bad);
    CHECK(mac("01:00:5e:00:00:01").is_multicast());
    CHECK(!want.is_multicast());
}

TEST_CASE("IOS-XE show mac address-table") {
    auto t = parse_ios_mac_table(kIosXe);
    CHECK(t.warnings.empty());
    REQUIRE(t.entries.size() == 4);
    CHECK(t.entries[0].mac == mac("0011.2233.4401"));
    CHECK(t.entries[0].vlan == 110);
    CHECK(t.entries[0].port == "Gi1/0/1");
    CHECK(t.entries[0].line == 8);
    CHECK(!t.entries[0].is_static);
    CHECK(t.entries[2].is_static);
    CHECK(t.entries[2].vlan == 200);
    CHECK(t.entries[3].port == "Te1/1/1");  // trunk entries are kept; the analysis ignores them
}

// Found by the mac_tables fuzz target: a stray carriage return inside a line (terminal output)
// stuck to the port name, which then matched no port of the policy.
TEST_CASE("a carriage return inside a line separates words") {
    auto t = parse_ios_mac_table(" 110    0011.2233.4401    DYNAMIC     Gi1/0/7\r 1  0:12:41 ago\n");
    REQUIRE(t.entries.size() == 1);
    CHECK(t.entries[0].port == "Gi1/0/7");
    auto fdb = parse_bridge_fdb("aa:bb:cc:dd:ee:01 dev eth2\r vlan 110 master br0\n");
    REQUIRE(fdb.entries.size() == 1);
    CHECK(fdb.entries[0].port == "eth2");
}

// Found by the mac_tables fuzz target: "dev .110" split into VLAN 110 on an empty port.
TEST_CASE("bridge fdb: a port name that is only a VLAN suffix is kept whole") {
    auto fdb = parse_bridge_fdb("aa:bb:cc:dd:ee:01 dev .110 master br0\naa:bb:cc:dd:ee:02 dev eth1.110 master br0\n");
    REQUIRE(fdb.entries.size() == 2);
    CHECK(fdb.entries[0].port == ".110");
    CHECK_FALSE(fdb.entries[0].vlan);
    CHECK(fdb.entries[1].port == "eth1");
    CHECK(fdb.entries[1].vlan == 110);
}

TEST_CASE("EOS show mac address-table with Moves and Last Move") {
    auto t = parse_ios_mac_table(kEos);
    CHECK(t.warnings.empty());
    REQUIRE(t.entries.size() == 3);
    CHECK(t.entries[0].port == "Et1");
    CHECK(t.entries[1].is_static);
    CHECK(t.entries[2].port == "Po1");
    CHECK(t.entries[2].vlan == 130);
}

TEST_CASE("older IOS with flags, learn and age columns") {
    auto t = parse_ios_mac_table(kCat6k);
    CHECK(t.warnings.empty());
    REQUIRE(t.entries.size() == 1);
    CHECK(t.entries[0].port == "Gi3/1");
    CHECK(t.entries[0].vlan == 110);
}

// Catalyst 4500/4900 (Catalyst 4500 Series Command Reference, "show mac address-table"): a
// "protocols" column between type and port, and separate unicast and multicast sections.
constexpr std::string_view kCat4500 =
    "Unicast Entries\n"
    " vlan   mac address     type        protocols               port\n"
    "-------+---------------+--------+---------------------+--------------------\n"
    "   1    0000.0c07.ac01   static  ip,ipx,assigned,other Switch\n"
    " 110    0011.2233.4401   dynamic ip                    GigabitEthernet2/1\n"
    " 110    0011.2233.4402   dynamic ip,ipx,assigned,other GigabitEthernet2/2\n"
    " 200    0011.2233.4403   dynamic other                 TenGigabitEthernet1/1\n"
    " 210    0011.2233.4404   static  ip,assigned           Port-channel1\n"
    "\n"
    "Multicast Entries\n"
    " vlan    mac address     type    ports\n"
    "-------+---------------+-------+-------------------------------------------\n"
    " 110    ffff.ffff.ffff   system Switch,Gi2/1,Gi2/2\n";

// The port is the last column, never the protocol list (which used to put every device on a
// port named "ip,ipx,assigned,other"); the CPU ("Switch") and broadcast entries are skipped.
TEST_CASE("Catalyst 4500 show mac address-table with a protocols column") {
    auto t = parse_ios_mac_table(kCat4500);
    CHECK(t.warnings.empty());
    REQUIRE(t.entries.size() == 4);
    CHECK(t.entries[0].port == "GigabitEthernet2/1");
    CHECK(t.entries[0].line == 5);
    CHECK(t.entries[1].port == "GigabitEthernet2/2");
    CHECK(t.entries[1].mac == mac("0011.2233.4402"));
    CHECK(t.entries[2].port == "TenGigabitEthernet1/1");
    CHECK(t.entries[2].vlan == 200);
    CHECK(t.entries[3].port == "Port-channel1");
    CHECK(t.entries[3].is_static);
}

TEST_CASE("Junos ELS show ethernet-switching table") {
    auto t = parse_junos_mac_table(kJunosEls);
    CHECK(t.warnings.empty());
    REQUIRE(t.entries.size() == 3);
    CHECK(t.entries[0].vlan_name == "infusion-pump");
    CHECK(!t.entries[0].vlan);
    CHECK(t.entries[0].port == "ge-0/0/1.0");
    CHECK(t.entries[1].is_static);
    CHECK(!t.entries[0].is_static);
    CHECK(t.entries[2].line == 12);
}

TEST_CASE("Junos non-ELS ethernet-switching table") {
    auto t = parse_junos_mac_table(kJunosOld);
    CHECK(t.warnings.empty());
    REQUIRE(t.entries.size() == 2);
    CHECK(t.entries[0].vlan_name == "default");
    CHECK(t.entries[1].vlan_name == "v110");
    CHECK(t.entries[1].port == "ge-0/0/46.0");
}

TEST_CASE("bridge fdb show") {
    auto t = parse_bridge_fdb(kFdb);
    CHECK(t.warnings.empty());
    REQUIRE(t.entries.size() == 3);
    CHECK(t.entries[0].mac == mac("52:54:00:aa:bb:02"));
    CHECK(t.entries[0].vlan == 110);
    CHECK(t.entries[0].port == "eth2");
    CHECK(t.entries[1].vlan == 200);
    CHECK(t.entries[2].port == "eth4");  // a VLAN subinterface names the VLAN
    CHECK(t.entries[2].vlan == 240);
    CHECK(t.entries[2].is_static);
    CHECK(t.skipped_lines == 4);
}

TEST_CASE("unrecognised lines are warnings with line numbers") {
    auto ios = parse_ios_mac_table(" 110    0011.2233.4401    DYNAMIC     Gi1/0/1\n 110 notamac DYNAMIC Gi1/0/2\n 9999 0011.2233.4403 DYNAMIC Gi1/0/3\n 110 0011.2233.4404\n");
    CHECK(ios.entries.size() == 1);
    REQUIRE(ios.warnings.size() == 3);
    CHECK(ios.warnings[0].line == 2);
    CHECK(ios.warnings[0].reason.find("not a MAC address") != std::string::npos);
    CHECK(ios.warnings[1].line == 3);
    CHECK(ios.warnings[2].line == 4);
    auto junos = parse_junos_mac_table("   v1   00:11:22:33:44:01   D\nrandom words here\n");
    CHECK(junos.entries.empty());
    CHECK(junos.warnings.size() == 2);
    auto fdb = parse_bridge_fdb("52:54:00:aa:bb:02 dev\n52:54:00:aa:bb:02 vlan 110 master br0\nzz dev eth1\n52:54:00:aa:bb:09 dev eth1 vlan x master br0\n");
    CHECK(fdb.entries.empty());
    CHECK(fdb.warnings.size() == 4);
}

TEST_CASE("truncated and garbled MAC tables never crash") {
    std::mt19937 rng(8);
    for (MacTableParser parse : {parse_ios_mac_table, parse_junos_mac_table, parse_bridge_fdb}) {
        for (const char* fixture : {kIosXe, kEos, kJunosEls, kJunosOld, kFdb, kCat6k}) {
            std::string text = fixture;
            for (std::size_t cut = 0; cut < text.size(); cut += 7) {
                auto t = parse(std::string_view(text).substr(0, cut));
                for (const auto& w : t.warnings) CHECK(w.line >= 1);
            }
            for (int round = 0; round < 50; ++round) {
                std::string garbled = text;
                for (int k = 0; k < 8; ++k)
                    garbled[rng() % garbled.size()] = static_cast<char>(rng() % 256);
                auto t = parse(garbled);
                CHECK(t.entries.size() <= 16);
            }
        }
    }
    auto long_line = parse_ios_mac_table(std::string(100000, 'x'));
    REQUIRE(long_line.warnings.size() == 1);
    CHECK(long_line.warnings[0].text.size() < 300);
}

TEST_CASE("the parser table covers every platform") {
    for (const auto& p : platforms()) {
        CHECK(static_cast<bool>(mac_table_parser_for(p.id)));
        CHECK(!p.mac_table_command.empty());
    }
}
