// The column-mapped inventory reader (--columns, --class-map): a NAC export's header matched
// to the map, profiles translated to classes, rows that cannot be used listed with their lines.
#include <doctest/doctest.h>

#include "audit/parse/mac/inventory.hpp"

using namespace microseg;

namespace {

DeviceClass make_class(std::string name, int vlan, std::string subnet) {
    DeviceClass c;
    c.name = std::move(name);
    c.vlan = vlan;
    c.subnets = {*Cidr::parse(subnet)};
    return c;
}

Policy test_policy() {
    PolicyParts p;
    p.name = "test";
    p.classes = {make_class("infusion-pump", 110, "10.110.0.0/22"), make_class("workstation", 200, "10.200.0.0/21")};
    return Policy(std::move(p));
}

InventoryColumnMap columns(std::string_view spec) {
    auto parsed = parse_column_map(spec);
    REQUIRE(std::holds_alternative<InventoryColumnMap>(parsed));
    return std::get<InventoryColumnMap>(parsed);
}

std::string column_map_error(std::string_view spec) {
    auto parsed = parse_column_map(spec);
    REQUIRE(std::holds_alternative<std::string>(parsed));
    return std::get<std::string>(parsed);
}

// An ISE-style export: quoted fields, a comma inside one, upper-case colon MACs.
const char* kIse = R"("MACAddress","EndPointPolicy","IdentityGroup","IPAddress","Description"
"00:00:00:00:01:01","Baxter-Infusion-Pump","Profiled","10.110.0.11","pump-1, ward 3"
"0000.0000.0102","workstation","Profiled","10.200.0.12","ws-2"
"00-00-00-00-01-03","Unknown","Unknown","10.110.0.13","guest"
"","Baxter-Infusion-Pump","Profiled","10.110.0.14","no mac"
"not-a-mac","Baxter-Infusion-Pump","Profiled","10.110.0.15","bad mac"
"000000000106","","Profiled","10.110.0.16","no profile"
"00:00:00:00:01:01","workstation","Profiled","10.110.0.17","twice"
)";

}  // namespace

TEST_CASE("parse_column_map: keys, blanks, required keys") {
    auto m = columns(" mac = MAC Address , class=Profile,ip=IP Address,name=Host Name");
    CHECK(m.mac == "MAC Address");
    CHECK(m.device_class == "Profile");
    CHECK(m.ip == "IP Address");
    CHECK(m.name == "Host Name");
    CHECK(columns("MAC=m,CLASS=c").ip.empty());
    CHECK(column_map_error("mac=m").find("mac= and class= are required") != std::string::npos);
    CHECK(column_map_error("mac=m,class=c,vlan=v").find("unknown key 'vlan'") != std::string::npos);
    CHECK(column_map_error("mac=m,class=c,mac=n").find("'mac' is given twice") != std::string::npos);
    CHECK(column_map_error("mac=,class=c").find("'mac=' names no column") != std::string::npos);
    CHECK(column_map_error("mac m,class=c").find("not key=column") != std::string::npos);
}

TEST_CASE("mapped inventory: class map, unmapped rows listed with their lines") {
    Policy p = test_policy();
    auto map = columns("mac=MACAddress,class=EndPointPolicy,ip=IPAddress,name=Description");
    map.class_map = {{"Baxter-Infusion-Pump", "infusion-pump"}};
    Diagnostics d;
    Inventory inv = parse_mapped_inventory(kIse, "ise.csv", p, map, d);
    CHECK(!d.has_errors());
    CHECK(inv.column_mapped);
    REQUIRE(inv.devices.size() == 2);
    CHECK(inv.devices[0].device_class == "infusion-pump");
    CHECK(inv.devices[0].name == "pump-1, ward 3");
    CHECK(inv.devices[0].ip->str() == "10.110.0.11");
    CHECK(inv.devices[0].line == 2);
    CHECK(inv.devices[1].device_class == "workstation");  // already a class of the policy
    REQUIRE(inv.unmapped.size() == 5);
    CHECK(inv.unmapped[0].line == 4);
    CHECK(inv.unmapped[0].mac == "00-00-00-00-01-03");
    CHECK(inv.unmapped[0].profile == "Unknown");
    CHECK(inv.unmapped[0].reason.find("neither a class of the policy nor in the class map") != std::string::npos);
    CHECK(inv.unmapped[1].line == 5);
    CHECK(inv.unmapped[1].reason == "no MAC address");
    CHECK(inv.unmapped[2].line == 6);
    CHECK(inv.unmapped[2].mac == "not-a-mac");
    CHECK(inv.unmapped[2].reason == "not a MAC address");
    CHECK(inv.unmapped[3].reason == "no profile");
    CHECK(inv.unmapped[4].line == 8);
    CHECK(inv.unmapped[4].reason == "listed twice (first at line 2)");
}

TEST_CASE("mapped inventory: the header is matched exactly, then ignoring case and blanks") {
    Policy p = test_policy();
    const char* text = "Host Name , mac address,PROFILE\nws-1,00:00:00:00:02:01,WORKSTATION pc\n";
    auto map = columns("mac=MAC Address,class=Profile,name=host name");
    map.class_map = {{"workstation PC", "workstation"}};  // profiles too: exactly, then ignoring case
    Diagnostics d;
    Inventory inv = parse_mapped_inventory(text, "fs.csv", p, map, d);
    CHECK(!d.has_errors());
    REQUIRE(inv.devices.size() == 1);
    CHECK(inv.devices[0].device_class == "workstation");
    CHECK(inv.devices[0].name == "ws-1");
    CHECK(!inv.devices[0].ip);
    // An exact match wins over a case-insensitive one.
    const char* both = "class,Class,mac\nworkstation,infusion-pump,00:00:00:00:02:02\n";
    Inventory exact = parse_mapped_inventory(both, "x.csv", p, columns("mac=mac,class=Class"), d);
    REQUIRE(exact.devices.size() == 1);
    CHECK(exact.devices[0].device_class == "infusion-pump");
}

TEST_CASE("mapped inventory: a column the header lacks is an error naming the header's columns") {
    Policy p = test_policy();
    Diagnostics d;
    Inventory inv = parse_mapped_inventory(kIse, "ise.csv", p, columns("mac=MACAddress,class=Profile"), d);
    REQUIRE(d.has_errors());
    const Diagnostic& e = d.items().front();
    CHECK(e.location.file == "ise.csv");
    CHECK(e.location.line == 1);
    CHECK(e.message.find("no column \"Profile\" (class= in --columns)") != std::string::npos);
    CHECK(e.message.find("\"MACAddress\", \"EndPointPolicy\", \"IdentityGroup\"") != std::string::npos);
    CHECK(inv.devices.empty());
    // An optional column named but absent is an error as well: the map says it is there.
    Diagnostics d2;
    parse_mapped_inventory(kIse, "ise.csv", p, columns("mac=MACAddress,class=EndPointPolicy,ip=IP"), d2);
    CHECK(d2.has_errors());
}

TEST_CASE("mapped inventory: comments, BOM, no header, bad IP, broken quote") {
    Policy p = test_policy();
    auto map = columns("mac=mac,class=class,ip=ip");
    Diagnostics d;
    Inventory inv = parse_mapped_inventory("\xEF\xBB\xBF# export\n\nmac,class,ip\n00:00:00:00:01:01,infusion-pump,10.110.0.x\n"
                                           "\"00:00:00:00:01:02,infusion-pump,\n",
                                           "n.csv", p, map, d);
    CHECK(!d.has_errors());
    REQUIRE(inv.devices.size() == 1);
    CHECK(!inv.devices[0].ip);  // kept, placed by its MAC
    REQUIRE(d.items().size() == 1);
    CHECK(d.items()[0].severity == Severity::warning);
    CHECK(d.items()[0].location.line == 4);
    REQUIRE(inv.unmapped.size() == 1);
    CHECK(inv.unmapped[0].line == 5);
    CHECK(inv.unmapped[0].reason == "unterminated quote");
    Diagnostics empty;
    parse_mapped_inventory("# nothing\n", "e.csv", p, map, empty);
    REQUIRE(empty.has_errors());
    CHECK(empty.items()[0].message.find("no header row") != std::string::npos);
}

TEST_CASE("mapped inventory: a class map entry naming no class of the policy leaves the row unmapped") {
    Policy p = test_policy();
    auto map = columns("mac=mac,class=class");
    map.class_map = {{"Pump", "pumps"}};
    Diagnostics d;
    Inventory inv = parse_mapped_inventory("mac,class\n00:00:00:00:01:01,Pump\n", "m.csv", p, map, d);
    CHECK(inv.devices.empty());
    REQUIRE(inv.unmapped.size() == 1);
    CHECK(inv.unmapped[0].reason.find("'pumps' is not a class of the policy") != std::string::npos);
}
